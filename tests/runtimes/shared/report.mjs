// For the rows that run as a process (Node, Bun, Deno, Node bundles): the simulator's
// URL is the first argument; report() prints the result, or the error, as one JSON
// line on stdout and sets the exit code.
export const sim = globalThis.Deno?.args?.[0] ?? globalThis.process?.argv?.[2];

/** Runs `run()` (which resolves with check()'s result, perhaps with more) and prints it. */
export function report(run) {
  return Promise.resolve()
    .then(run)
    .catch((e) => ({ ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack ?? "") }))
    .then((result) => {
      console.log(JSON.stringify(result));
      if (!result.ok && globalThis.process) globalThis.process.exitCode = 1;
    });
}
