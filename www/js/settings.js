// The connection settings: where API calls go, the token, timeouts, retries and the
// live update interval.
//
// The token lives in `settings` (memory) and, only when the user asks for it, in
// sessionStorage. It is handed to the client and nowhere else: it never goes into the
// URL, localStorage, the activity log or the console.

import { IN_PAGE_SIM } from "./config.js";
import { PAGE_SIM_BASE_URL } from "./page-sim.js";

const STORAGE_KEY = "gitpod-prebuilds-demo.settings";

/** Defaults: the simulator that serves this page (or, in the static build, runs in it). */
export const DEFAULTS = Object.freeze({
  baseUrl: IN_PAGE_SIM ? PAGE_SIM_BASE_URL : "/api",
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

// Counts the changes, so that whatever was built from the settings (the client) can
// tell it is out of date without depending on the order listeners run in.
let revision = 0;

/** How many times the settings were replaced; changes whenever they are. */
export function settingsRevision() {
  return revision;
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
  revision += 1;
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
    return u.origin === location.origin || ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) || u.hostname.endsWith(".localhost");
  } catch {
    return false;
  }
}
