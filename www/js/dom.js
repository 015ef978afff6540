// Building the page's DOM. Every string from the API goes through text nodes
// (textContent, createTextNode, attribute and property setters), never through
// innerHTML, and only http(s) URLs become links.

/** Shortcut for document.getElementById that fails loudly on a typo. */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

/**
 * Creates an element. `props` may hold `class`, `text`, `title`, `dataset`, `attrs`
 * (plain attributes), `on` (event listeners) and any DOM property (type, value...).
 * Children are nodes or strings; strings become text nodes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "attrs") for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `node`. */
export function setChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Shows or hides an element (the `hidden` attribute). */
export function show(node, visible = true) {
  node.hidden = !visible;
}

/** Sets a button's busy state (disabled with aria-busy). */
export function busy(button, isBusy, label) {
  button.disabled = isBusy;
  button.setAttribute("aria-busy", String(isBusy));
  if (label !== undefined) {
    if (isBusy) {
      button.dataset.label = button.textContent;
      button.textContent = label;
    } else if (button.dataset.label) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  }
}

/** Fills a <datalist> with { value, label } options. */
export function fillDatalist(list, options) {
  list.replaceChildren(...options.map((o) => el("option", { value: o.value, label: o.label ?? "" })));
}
