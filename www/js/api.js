// Settings, the PrebuildClient, and the bookkeeping around each call: the activity
// log, the status line, and "retrying..." while the client retries an attempt.
//
// The token lives in `settings` (memory) and, only when the user asks for it, in
// sessionStorage. It is handed to the client and nowhere else: it never goes into the
// URL, localStorage, the activity log or the console.

import { clearSticky, flash, hasSticky, log, setSticky } from "./activity.js";
import { errorText } from "./errors.js";

const STORAGE_KEY = "gitpod-prebuilds-demo.settings";
const PACKAGE_URL = "/pkg/index.js";

/** Defaults: the simulator that serves this page. */
export const DEFAULTS = Object.freeze({
  baseUrl: "/api",
  token: "",
  remember: false,
  timeoutMs: 30000,
  maxRetries: 2,
  pollMs: 1000,
});

/** The current settings. */
export const settings = { ...DEFAULTS, ...readStoredSettings() };

function readStoredSettings() {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return {};
    const stored = JSON.parse(raw);
    const picked = {};
    for (const key of Object.keys(DEFAULTS)) {
      if (typeof stored[key] === typeof DEFAULTS[key]) picked[key] = stored[key];
    }
    return picked;
  } catch {
    return {};
  }
}

/** Replaces the settings; stores them in sessionStorage only when `remember` is set. */
export function applySettings(next) {
  Object.assign(settings, next);
  try {
    if (settings.remember) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable (private modes); memory is enough.
  }
  client = null;
  listeners.forEach((fn) => fn());
}

const listeners = new Set();
/** Calls `fn` whenever the settings change. */
export function onSettingsChange(fn) {
  listeners.add(fn);
}

/** The absolute base URL of the API, without a trailing slash. */
export function baseUrl() {
  let url;
  try {
    url = new URL(settings.baseUrl || DEFAULTS.baseUrl, location.href);
  } catch {
    url = new URL(DEFAULTS.baseUrl, location.href);
  }
  return url.href.replace(/\/+$/, "");
}

/** Whether the API is this page's origin or on this machine (i.e. likely the simulator). */
export function isLocalApi() {
  try {
    const u = new URL(baseUrl());
    return u.origin === location.origin || ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- package and client

let pkgPromise = null;
/** Loads the package (its wasm is initialised lazily on the first call). */
export function loadPackage() {
  pkgPromise ??= import(PACKAGE_URL);
  return pkgPromise;
}

let client = null;

async function getClient() {
  if (client) return client;
  const { PrebuildClient } = await loadPackage();
  const token = settings.token || (isLocalApi() ? "demo" : undefined);
  const options = {
    baseUrl: baseUrl(),
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    fetch: observedFetch,
  };
  if (token) options.token = token;
  client = new PrebuildClient(options);
  return client;
}

// ---------------------------------------------------------------- watching attempts

// One entry per request in flight (same URL and body): how many attempts started and
// why the last one failed. A second attempt of the same request means the client is
// retrying.
const attempts = new Map();
const inflight = new Map(); // wire method name -> calls in flight
const retryWatchers = new Set();

function wireMethod(url) {
  const parts = new URL(url, location.href).pathname.split("/");
  return parts[parts.length - 1] || "request";
}

function bodyText(init) {
  const body = init?.body;
  if (body == null) return "";
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return "";
}

// The client calls fetch with one Request. Its body is read here (to tell a retry of
// the same request) and handed on as text: a Request whose body was cloned would go
// out as a stream, which the browser's tools cannot show.
async function observedFetch(input, init) {
  let body;
  if (typeof Request !== "undefined" && input instanceof Request && init === undefined) {
    const hasBody = input.body !== null;
    body = hasBody ? await input.text() : "";
    input = new Request(input, hasBody ? { body } : {});
  } else {
    body = bodyText(init);
  }
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const method = wireMethod(url);
  const key = `${url}\n${body}`;
  const entry = attempts.get(key) ?? { method, count: 0, lastFailure: "" };
  entry.count += 1;
  attempts.set(key, entry);
  if (entry.count > 1) {
    const total = settings.maxRetries + 1;
    const text = `Retrying ${method}: attempt ${entry.count} of ${total} after ${entry.lastFailure || "a failure"}…`;
    log("retry", text);
    setSticky(`retry:${method}`, text, "retry");
    retryWatchers.forEach((fn) => fn(method, entry.count));
  }
  try {
    const response = await globalThis.fetch(input, init);
    if (!response.ok) entry.lastFailure = `HTTP ${response.status}`;
    return response;
  } catch (err) {
    entry.lastFailure = err?.name === "AbortError" || err?.name === "TimeoutError" ? "a timeout" : "a network error";
    throw err;
  }
}

function forgetAttempts(method) {
  for (const [key, entry] of attempts) if (entry.method === method) attempts.delete(key);
}

// ---------------------------------------------------------------- calls

let pending = 0;
let busyTimer = 0;

function updateBusy() {
  clearTimeout(busyTimer);
  if (pending > 0) {
    busyTimer = setTimeout(() => {
      if (pending > 0 && !hasSticky()) setSticky("busy", "Working…", "busy");
    }, 400);
  }
  else clearSticky("busy");
}

const WIRE = {
  createPrebuild: "CreatePrebuild",
  getPrebuild: "GetPrebuild",
  listPrebuilds: "ListPrebuilds",
  cancelPrebuild: "CancelPrebuild",
  deletePrebuild: "DeletePrebuild",
  createPrebuildLogsToken: "CreatePrebuildLogsToken",
  createWarmPool: "CreateWarmPool",
  getWarmPool: "GetWarmPool",
  listWarmPools: "ListWarmPools",
  updateWarmPool: "UpdateWarmPool",
  deleteWarmPool: "DeleteWarmPool",
};

/**
 * Calls a client method. Logs the outcome (quiet calls, e.g. polls, log only trouble),
 * shows "retrying..." while the client retries, and rethrows errors for the caller to
 * show in context. `options` goes to the client (signal, timeoutMs, headers...).
 */
export async function call(method, params, { quiet = false, ...options } = {}) {
  const wire = WIRE[method] ?? method;
  const started = performance.now();
  let retried = 0;
  const watch = (m, n) => {
    if (m === wire) retried = Math.max(retried, n);
  };
  retryWatchers.add(watch);
  inflight.set(wire, (inflight.get(wire) ?? 0) + 1);
  if (!quiet) pending += 1;
  updateBusy();
  try {
    const c = await getClient();
    const result = await c[method](params, options);
    const ms = Math.round(performance.now() - started);
    if (retried > 1) {
      log("ok", `${wire} succeeded on attempt ${retried} (${ms} ms)`);
      flash(`${wire} recovered after ${retried - 1} ${retried === 2 ? "retry" : "retries"}.`, "ok");
    } else if (!quiet) {
      log("info", `${wire} ok (${ms} ms)`);
    }
    return result;
  } catch (err) {
    if (err?.name === "APIUserAbortError") throw err;
    if (err?.name === "ValidationError") {
      log("info", `${wire} not sent: ${err.message}`);
    } else {
      const tries = retried > 1 ? ` after ${retried} attempts` : "";
      log("error", `${wire} failed${tries}: ${errorText(err)}`);
      flash(`${wire} failed: ${errorText(err)}`, "error", 8000);
    }
    throw err;
  } finally {
    retryWatchers.delete(watch);
    const left = (inflight.get(wire) ?? 1) - 1;
    if (left > 0) inflight.set(wire, left);
    else {
      inflight.delete(wire);
      forgetAttempts(wire);
      clearSticky(`retry:${wire}`);
    }
    if (!quiet) pending -= 1;
    updateBusy();
  }
}

/** Whether an error means the call was aborted by the page itself. */
export function isAbort(err) {
  return err?.name === "APIUserAbortError" || err?.name === "AbortError";
}

// ---------------------------------------------------------------- simulator directory

/**
 * Names for ids and choices for forms, from the simulator's `/_sim/info` when the API
 * is local. Against another server it stays empty and the page shows raw ids.
 */
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
    const res = await fetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
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
