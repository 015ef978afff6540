// For the rows that run in a page (report.mjs does this for the rows that run as a
// process): the check's result, or its error, in window.__result, where the runner
// reads it, and printed into the page.
export function showResult(checked) {
  return checked
    .catch((e) => ({ ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack ?? "") }))
    .then((result) => {
      globalThis.__result = result;
      const pre = document.createElement("pre");
      pre.id = "result";
      pre.textContent = JSON.stringify(result, null, 2);
      document.body.append(pre);
    });
}
