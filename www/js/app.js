// Start-up: settings panel, the package, the simulator's directory, and the sections.

import { initActivity, log } from "./activity.js";
import { applySettings, baseUrl, DEFAULTS, isLocalApi, onSettingsChange, settings } from "./settings.js";
import { directory, loadDirectory } from "./directory.js";
import { loadPackage } from "./api.js";
import { IN_PAGE_SIM } from "./config.js";
import { PAGE_SIM_BASE_URL, servedByPageSim } from "./page-sim.js";
import { closeDetails, initDetails, openDetails, refollow } from "./details.js";
import { initPrebuilds, refreshPrebuildChoices, reloadPrebuilds, removePrebuild, selectPrebuild, upsertPrebuild } from "./prebuilds.js";
import { $, el, fillDatalist, setChildren, show } from "./dom.js";
import { refreshTimes } from "./format.js";
import { initWarmPools, refreshWarmPoolChoices, reloadWarmPools } from "./warm-pools.js";
import { projectOptions } from "./names.js";

// ---------------------------------------------------------------- settings panel

function fillSettingsForm() {
  $("set-base-url").value = settings.baseUrl;
  $("set-token").value = settings.token;
  $("set-remember").checked = settings.remember;
  $("set-timeout").value = String(settings.timeoutMs);
  $("set-retries").value = String(settings.maxRetries);
  $("set-poll").value = String(settings.pollMs);
}

function readInt(id, min, max) {
  const n = Number($(id).value);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

function submitSettings(event) {
  event.preventDefault();
  const error = $("settings-error");
  error.hidden = true;
  const base = $("set-base-url").value.trim() || DEFAULTS.baseUrl;
  let url;
  try {
    url = new URL(base, location.href);
  } catch {
    url = null;
  }
  const problems = [];
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) problems.push("The base URL must be an http(s) URL or a path like /api.");
  else if (url.username || url.password) problems.push("Put credentials in the token field, not in the URL.");
  const timeoutMs = readInt("set-timeout", 100, 600000);
  const maxRetries = readInt("set-retries", 0, 10);
  const pollMs = readInt("set-poll", 100, 60000);
  if (timeoutMs === null) problems.push("Timeout: a whole number of milliseconds from 100 to 600000.");
  if (maxRetries === null) problems.push("Max retries: a whole number from 0 to 10.");
  if (pollMs === null) problems.push("Live update interval: a whole number of milliseconds from 100 to 60000.");
  if (problems.length) {
    error.textContent = problems.join(" ");
    error.hidden = false;
    return;
  }
  applySettings({
    baseUrl: base,
    token: $("set-token").value,
    remember: $("set-remember").checked,
    timeoutMs,
    maxRetries,
    pollMs,
  });
  toggleSettings(false);
}

function toggleSettings(open) {
  const panel = $("settings");
  const button = $("settings-toggle");
  const next = open ?? panel.hidden;
  panel.hidden = !next;
  button.setAttribute("aria-expanded", String(next));
  if (next) {
    fillSettingsForm();
    $("set-base-url").focus();
  }
}

function renderConnection() {
  const label = $("connection-label");
  const url = baseUrl();
  const local = isLocalApi();
  const sameOrigin = new URL(url).origin === location.origin;
  const inPage = servedByPageSim(url);
  if (inPage) label.textContent = "Simulator running in this page";
  else label.textContent = directory.sim ? `Simulator · ${sameOrigin ? new URL(url).pathname : url}` : new URL(url).host + new URL(url).pathname;
  label.title = inPage
    ? "No server: prebuild-sim runs in this page (gitpod-prebuilds/sim), and the PrebuildClient calls it"
    : `API base URL: ${url}${settings.token ? " (with your token)" : local ? " (token: demo)" : " (no token set)"}`;
  label.className = `pill ${directory.sim ? "pill-sim" : "pill-remote"}`;
}

// ---------------------------------------------------------------- start

async function connect() {
  const sim = await loadDirectory();
  renderConnection();
  log("info", servedByPageSim(baseUrl()) ? "Simulator running in this page (no server)" : sim ? `Connected to prebuild-sim at ${baseUrl()}` : `Using ${baseUrl()} (no simulator directory: ids are shown as they are)`);
  fillDatalist($("project-options"), projectOptions());
  refreshPrebuildChoices();
  refreshWarmPoolChoices();
  reloadPrebuilds();
  reloadWarmPools();
  refollow();
}

async function start() {
  initActivity();
  initDetails({
    onChange: (p) => upsertPrebuild(p),
    onGone: (id) => removePrebuild(id),
    onSelect: (id) => selectPrebuild(id),
  });
  initPrebuilds({ onOpen: openDetails });
  initWarmPools({
    onOpenPrebuild: (id) => {
      openDetails(id);
      $("details").scrollIntoView({ block: "nearest" });
    },
  });
  $("settings-toggle").addEventListener("click", () => toggleSettings());
  $("settings-form").addEventListener("submit", submitSettings);
  $("settings-reset").addEventListener("click", () => {
    applySettings({ ...DEFAULTS });
    fillSettingsForm();
    toggleSettings(false);
  });
  $("settings").addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      toggleSettings(false);
      $("settings-toggle").focus();
    }
  });
  onSettingsChange(() => {
    closeDetails();
    log("info", "Settings applied");
    connect();
  });
  if (IN_PAGE_SIM) {
    $("set-base-url-hint").textContent = `${PAGE_SIM_BASE_URL} is the simulator running in this page (no server). For Gitpod use https://app.gitpod.io/api.`;
  }
  fillSettingsForm();
  setInterval(() => refreshTimes(), 15000);

  try {
    await loadPackage();
  } catch (err) {
    const fatal = $("fatal");
    const pageSim = err?.pageSim === true;
    setChildren(
      fatal,
      el("p", {}, el("strong", { text: pageSim ? "The simulator could not start in this page." : "The gitpod-prebuilds package could not be loaded." })),
      el("p", { text: String(err?.message ?? err) }),
      el("p", {
        text: pageSim
          ? "Check the simulator's options in the address (seed, tick-ms, fault-rate, commit-share, prebuilds), or rebuild with “make demo-static”, then reload this page."
          : "Build it with “make pkg” (or start everything with “make demo”), then reload this page.",
      }),
    );
    show(fatal, true);
    $("connection-label").textContent = pageSim ? "Simulator not started" : "Package missing";
    return;
  }
  document.body.dataset.ready = "true";
  await connect();
}

start();
