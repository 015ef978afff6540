// Labels for ids: names from the simulator's directory when known, short ids otherwise.

import { directory } from "./directory.js";
import { el } from "./dom.js";
import { enumLabel, shortId } from "./format.js";

/** The name of an id, or its short form. */
export function nameOf(id) {
  if (!id) return "—";
  return directory.names.get(id) ?? shortId(id);
}

/** A span with the id's name (or short id) and the full id as tooltip. */
export function idLabel(id) {
  return el("span", { class: directory.names.has(id) ? "name" : "name mono", text: nameOf(id), title: id || "" });
}

/**
 * An environment class in a few words: the part of its name before ":" ("Regular",
 * "GPU"), with the full name and id as tooltip. For narrow tables.
 */
export function shortClassLabel(id) {
  const name = directory.names.get(id);
  if (!name) return idLabel(id);
  const short = name.includes(":") ? name.slice(0, name.indexOf(":")) : name;
  return el("span", { class: "name", text: short, title: `${name}\n${id}` });
}

/** A subject (creator, executor) with its principal kind (compact: in the tooltip). */
export function subjectLabel(subject, { compact = false } = {}) {
  if (!subject || !subject.id) return el("span", { class: "muted", text: "—" });
  const principal = subject.principal && subject.principal !== "PRINCIPAL_UNSPECIFIED" ? enumLabel(subject.principal) : "";
  if (compact) {
    const label = idLabel(subject.id);
    label.title = `${subject.id}${principal ? ` (${principal})` : ""}`;
    return label;
  }
  return el(
    "span",
    { class: "subject" },
    idLabel(subject.id),
    principal ? el("span", { class: "principal", text: principal }) : null,
  );
}

/** A warm pool as "project · class", by name where known. */
export function warmPoolName(pool) {
  return `${nameOf(pool.metadata?.projectId)} · ${nameOf(pool.metadata?.environmentClassId)}`;
}

/** Options for project inputs and filters. */
export function projectOptions() {
  return directory.projects.map((p) => ({ value: p.id, label: p.name ?? p.id, title: p.id }));
}

/** Options for environment class inputs and filters (names that repeat get their runner). */
export function classOptions(classes = directory.environmentClasses) {
  const count = new Map();
  for (const c of directory.environmentClasses) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  return classes.map((c) => {
    const name = c.name ?? c.id;
    const label = count.get(c.name) > 1 && c.runnerId ? `${name} · ${nameOf(c.runnerId)}` : name;
    return { value: c.id, label, title: c.id };
  });
}

/** Options for creator and executor filters. */
export function subjectOptions() {
  return directory.subjects.map((s) => ({ value: s.id, label: s.name ?? s.id, title: `${s.id} (${enumLabel(s.principal)})` }));
}
