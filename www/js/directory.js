// The simulator's directory: names for ids and choices for forms, from its
// `/_sim/info` when the API is local. Against another server it stays empty and the
// page shows raw ids.

import { pageFetch } from "./page-sim.js";
import { baseUrl, isLocalApi } from "./settings.js";

/** What `/_sim/info` told about projects, classes, subjects and runners, and their names. */
export const directory = {
  sim: false,
  projects: [],
  environmentClasses: [],
  subjects: [],
  runners: [],
  hints: {},
  names: new Map(),
};

/** Loads the simulator's directory; resolves to whether it is available. */
export async function loadDirectory() {
  directory.sim = false;
  directory.projects = [];
  directory.environmentClasses = [];
  directory.subjects = [];
  directory.runners = [];
  directory.hints = {};
  directory.names.clear();
  if (!isLocalApi()) return false;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    const url = new URL("/_sim/info", baseUrl());
    const res = await pageFetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
    if (!res.ok) return false;
    const info = await res.json();
    directory.projects = Array.isArray(info.projects) ? info.projects : [];
    directory.environmentClasses = Array.isArray(info.environmentClasses) ? info.environmentClasses : [];
    directory.subjects = Array.isArray(info.subjects) ? info.subjects : [];
    directory.runners = Array.isArray(info.runners) ? info.runners : [];
    directory.hints = info.hints && typeof info.hints === "object" ? info.hints : {};
    const orgs = Array.isArray(info.organizations) ? info.organizations : [];
    const all = [...directory.projects, ...directory.environmentClasses, ...directory.subjects, ...directory.runners, ...orgs];
    for (const item of all) {
      if (item && typeof item.id === "string" && typeof item.name === "string") directory.names.set(item.id, item.name);
    }
    directory.sim = true;
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The environment classes of a project (all classes when unknown). */
export function classesOfProject(projectId) {
  const project = directory.projects.find((p) => p.id === projectId);
  if (!project || !Array.isArray(project.environmentClassIds)) return directory.environmentClasses;
  return directory.environmentClasses.filter((c) => project.environmentClassIds.includes(c.id));
}
