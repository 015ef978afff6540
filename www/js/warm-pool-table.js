// One row of the warm pools table: project, class, runner, phase (with a spinner while
// the pool changes), the snapshot prebuild as a link to its details, instance counts,
// min / max, and the Edit and Delete buttons.

import { el, setChildren } from "./dom.js";
import { badge, shortId } from "./format.js";
import { idLabel, nameOf } from "./names.js";
import { isGoing, isSettled } from "./warm-pool-phases.js";

function size(v) {
  return v === undefined || v === null ? "—" : String(v);
}

function rowCells(pool, onOpenPrebuild) {
  const m = pool.metadata ?? {};
  const spec = pool.spec ?? {};
  const s = pool.status ?? {};
  const phase = el("div", { class: "phase-cell" }, badge(s.phase));
  if (!isSettled(pool) && s.phase !== "WARM_POOL_PHASE_DELETED") {
    phase.append(el("span", { class: "spinner spinner-small", title: "changing", attrs: { "aria-hidden": "true" } }));
  }
  if (s.failureMessage) phase.append(el("p", { class: "cell-message prewrap", text: s.failureMessage }));
  const snapshot = spec.snapshotId
    ? el("button", {
        type: "button",
        class: "link-btn mono",
        text: shortId(spec.snapshotId),
        title: `Open prebuild ${spec.snapshotId}`,
        attrs: { "aria-label": `Open snapshot prebuild ${spec.snapshotId}` },
        on: { click: () => onOpenPrebuild(spec.snapshotId) },
      })
    : el("span", { class: "muted", text: "none yet" });
  const instances = el(
    "span",
    { class: "instances", title: "running / stopped / desired" },
    el("span", { class: "inst-running", text: String(s.runningInstances ?? 0) }),
    " / ",
    el("span", { class: "inst-stopped", text: String(s.stoppedInstances ?? 0) }),
    " / ",
    el("span", { class: "inst-desired", text: String(s.desiredSize ?? 0) }),
  );
  return [
    ["Project", idLabel(m.projectId)],
    ["Environment class", idLabel(m.environmentClassId)],
    ["Runner", idLabel(m.runnerId)],
    ["Phase", phase],
    ["Snapshot", snapshot],
    ["Instances", instances],
    ["Min / max", `${size(spec.minSize)} / ${size(spec.maxSize)}`],
  ];
}

/**
 * Makes and updates the rows of the table (`make` and `update` for `syncRows`). The
 * buttons call `onEdit(id)`, `onDelete(id, button)` and `onOpenPrebuild(snapshotId)`.
 */
export function warmPoolRows({ onEdit, onDelete, onOpenPrebuild }) {
  function update(tr, pool) {
    rowCells(pool, onOpenPrebuild).forEach(([, content], i) => setChildren(tr.cells[i], content));
    const phase = pool.status?.phase ?? "";
    tr.dataset.phase = phase;
    tr.classList.toggle("is-settling", !isSettled(pool));
    // A busy button is re-enabled by its own action when that ends.
    for (const b of tr.querySelectorAll(".row-actions button")) if (b.getAttribute("aria-busy") !== "true") b.disabled = isGoing(phase);
  }

  function make(pool) {
    const tr = el("tr", { dataset: { id: pool.id } });
    for (const [label] of rowCells(pool, onOpenPrebuild)) {
      tr.append(el("td", { dataset: { label }, class: label === "Instances" || label === "Min / max" ? "num" : "" }));
    }
    const name = `${nameOf(pool.metadata?.projectId)} / ${nameOf(pool.metadata?.environmentClassId)}`;
    tr.append(
      el(
        "td",
        { class: "row-actions", dataset: { label: "Actions" } },
        el("button", {
          type: "button",
          class: "btn btn-small wp-edit",
          text: "Edit",
          attrs: { "aria-label": `Edit warm pool ${name}` },
          on: { click: () => onEdit(pool.id) },
        }),
        el("button", {
          type: "button",
          class: "btn btn-small btn-danger wp-delete",
          text: "Delete",
          attrs: { "aria-label": `Delete warm pool ${name}` },
          on: { click: (e) => onDelete(pool.id, e.currentTarget) },
        }),
      ),
    );
    update(tr, pool);
    return tr;
  }

  return { make, update };
}
