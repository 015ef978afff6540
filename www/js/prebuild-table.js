// One row of the prebuilds table: the id as a button that opens the details, then
// project, class, trigger, creator, phase, times and snapshot size.

import { el, setChildren } from "./dom.js";
import { badge, enumLabel, formatBytes, timeEl } from "./format.js";
import { idLabel, shortClassLabel, subjectLabel } from "./names.js";

function rowCells(p) {
  const m = p.metadata ?? {};
  const s = p.status ?? {};
  return [
    ["Project", idLabel(m.projectId)],
    ["Environment class", shortClassLabel(m.environmentClassId)],
    ["Trigger", enumLabel(m.triggeredBy)],
    ["Creator", subjectLabel(m.creator, { compact: true })],
    ["Phase", badge(s.phase)],
    ["Created", timeEl(m.createdAt)],
    ["Updated", timeEl(m.updatedAt)],
    ["Snapshot", formatBytes(s.snapshotSizeBytes)],
  ];
}

/** The row of a prebuild; its id button calls `onOpen(id)`. */
export function makePrebuildRow(p, onOpen) {
  const open = el("button", {
    type: "button",
    class: "link-btn mono",
    text: p.id.slice(0, 8),
    title: p.id,
    attrs: { "aria-label": `Open prebuild ${p.id}` },
    on: { click: () => onOpen(p.id) },
  });
  const tr = el("tr", { dataset: { id: p.id } }, el("td", { class: "id-cell", dataset: { label: "ID" } }, open));
  for (const [label, content] of rowCells(p)) {
    tr.append(el("td", { dataset: { label }, class: label === "Snapshot" ? "num" : "" }, content));
  }
  tr.dataset.phase = p.status?.phase ?? "";
  return tr;
}

/** Shows a newer state of the prebuild in its row. */
export function updatePrebuildRow(tr, p) {
  rowCells(p).forEach(([, content], i) => setChildren(tr.cells[i + 1], content));
  tr.dataset.phase = p.status?.phase ?? "";
}
