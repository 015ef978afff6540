// The logs token of the details panel: creating a token for the open prebuild's logs,
// showing it with its one-hour validity, and copying it.

import { call, isAbort } from "./api.js";
import { copyText } from "./clipboard.js";
import { $, busy, el, show } from "./dom.js";
import { showError } from "./errors.js";

// The validity the API gives a logs token.
const VALID_MS = 3600 * 1000;

let openId = () => "";

async function createToken() {
  const button = $("details-token");
  const id = openId();
  busy(button, true, "Creating…");
  try {
    const { accessToken } = await call("createPrebuildLogsToken", { prebuildId: id });
    if (id !== openId()) return;
    const until = new Date(Date.now() + VALID_MS);
    $("details-token-value").value = accessToken ?? "";
    $("details-token-validity").replaceChildren(
      "Valid for one hour, until ",
      el("time", { dateTime: until.toISOString(), text: until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }),
      ". Treat it like a password.",
    );
    show($("details-token-box"), true);
    $("details-token-value").focus();
    $("details-token-value").select();
  } catch (err) {
    if (!isAbort(err)) showError($("details-error"), err, { context: "Logs token failed" });
  } finally {
    busy(button, false, "");
  }
}

async function copyToken() {
  const input = $("details-token-value");
  const button = $("details-token-copy");
  const ok = await copyText(input.value, input);
  button.textContent = ok ? "Copied" : "Press Ctrl+C";
  setTimeout(() => {
    button.textContent = "Copy";
  }, 2000);
}

/** Hides the token of the previous prebuild. */
export function resetLogsToken() {
  show($("details-token-box"), false);
  $("details-token-value").value = "";
}

/** Wires the buttons; `currentId()` is the prebuild open in the panel. */
export function initLogsToken({ currentId }) {
  openId = currentId;
  $("details-token").addEventListener("click", createToken);
  $("details-token-copy").addEventListener("click", copyToken);
}
