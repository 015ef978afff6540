// The data tables of the lists, kept in step with their items: rows keyed by id are
// made, updated, moved and removed in place, so that focus, busy buttons and a row's
// marks survive a refresh; and the count line and empty state under them.

import { el, setChildren, show } from "./dom.js";

/**
 * Makes the rows of `tbody` follow `items` (each with an `id`), in order: `make(item)`
 * builds the row of a new item, `update(tr, item)` refreshes a known one, and the rows
 * of items that are gone are removed. Returns the rows in order.
 */
export function syncRows(tbody, items, { make, update }) {
  const existing = new Map([...tbody.rows].map((tr) => [tr.dataset.id, tr]));
  const rows = items.map((item) => {
    let tr = existing.get(item.id);
    if (tr) {
      existing.delete(item.id);
      update(tr, item);
    } else {
      tr = make(item);
    }
    return tr;
  });
  for (const tr of existing.values()) tr.remove();
  rows.forEach((tr, i) => {
    if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] ?? null);
  });
  return rows;
}

/** "Showing 3 warm pools": the count line of a list of `noun`s. */
export function showingText(count, noun) {
  return `Showing ${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * The empty state of a loaded list without items: that the filters match nothing (with
 * a button to clear them) or that there are no `noun`s yet (with `hint`). Hidden while
 * there are items or before the first load; the table is marked empty while it has no
 * rows.
 */
export function renderEmptyState({ table, box, loaded, count, noun, filtered, hint, onClearFilters }) {
  if (loaded && count === 0) {
    setChildren(
      box,
      el("p", { text: filtered ? `No ${noun}s match these filters.` : `No ${noun}s yet.` }),
      filtered
        ? el("button", { type: "button", class: "btn btn-small", text: "Clear filters", on: { click: onClearFilters } })
        : el("p", { class: "muted", text: hint }),
    );
    show(box, true);
  } else {
    show(box, false);
  }
  table.classList.toggle("is-empty", count === 0);
}
