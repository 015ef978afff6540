// The PrebuildClient and the bookkeeping around each call: the activity log, the
// status line, and "retrying..." while the client retries an attempt. The client is
// built from the settings (settings.js) and built again when they change.

import { clearSticky, flash, hasSticky, log, setSticky } from "./activity.js";
import { errorText } from "./errors.js";
import { pageFetch, startPageSim } from "./page-sim.js";
import { baseUrl, isLocalApi, settings, settingsRevision } from "./settings.js";

// Relative to this file: the page works under any path of a static host.
const PACKAGE_URL = new URL("../pkg/index.js", import.meta.url).href;

// ---------------------------------------------------------------- package and client

let pkgPromise = null;
/** Loads the package (its wasm is initialised lazily on the first call), and starts the in-page simulator of the static build. */
export function loadPackage() {
  pkgPromise ??= Promise.all([import(PACKAGE_URL), startPageSim()]).then(([pkg]) => pkg);
  return pkgPromise;
}

let client = null;
let clientRevision = -1; // the settings revision the client was built from

/** The client for the current settings (built again when they change). */
export async function getClient() {
  if (client && clientRevision === settingsRevision()) return client;
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
  clientRevision = settingsRevision();
  return client;
}

// ---------------------------------------------------------------- watching attempts

// One entry per request whose last attempt failed (same URL and body): how many
// attempts failed in a row and why the last one did. The same request sent again is
// the client retrying.
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
  // A log stream (GET) is not an API call: its reconnects are shown by the log view.
  if ((init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase() === "GET") {
    return pageFetch(input, init);
  }
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
  // An identical request that failed before and is sent again is the client retrying.
  // Identical requests that overlap (a poll beside a refresh) are not retries.
  const failed = attempts.get(key);
  const attempt = (failed?.failures ?? 0) + 1;
  if (failed) {
    const total = settings.maxRetries + 1;
    const text = `Retrying ${method}: attempt ${attempt} of ${total} after ${failed.lastFailure}…`;
    log("retry", text);
    setSticky(`retry:${method}`, text, "retry");
    retryWatchers.forEach((fn) => fn(method, attempt));
  }
  const fail = (lastFailure) => attempts.set(key, { method, failures: attempt, lastFailure });
  try {
    const response = await pageFetch(input, init);
    if (!response.ok) fail(`HTTP ${response.status}`);
    else attempts.delete(key);
    return response;
  } catch (err) {
    fail(err?.name === "AbortError" || err?.name === "TimeoutError" ? "a timeout" : "a network error");
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
