// The gitpod-prebuilds command: reads the command line, runs the command on a
// PrebuildClient, and turns the outcome into an exit code (see exit.js).
import { readFileSync } from "node:fs";
import { parseCommandLine } from "./args.js";
import { EXIT, UsageError, report } from "./exit.js";
import { palette, wantsColor } from "./format.js";
import { prebuilds } from "./prebuilds.js";
import { commandHelp, commandUsage, groupHelp, topHelp } from "./usage.js";
import { warmPools } from "./warm-pools.js";

const GROUPS = [prebuilds, warmPools];

// How long Ctrl-C waits for the aborted call to wind down before leaving regardless.
const INTERRUPT_GRACE_MS = 2000;

const version = () => JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

/**
 * Runs one command line (without the `node` and script arguments) and resolves with
 * the exit code. Output goes to `stdout` and `stderr`; settings come from `env`.
 */
export async function main(argv, { stdout = process.stdout, stderr = process.stderr, env = process.env } = {}) {
  let parsed;
  try {
    parsed = parseCommandLine(argv, GROUPS);
  } catch (e) {
    if (e instanceof UsageError) return report(e, { err: stderr });
    throw e;
  }
  if (parsed.version) {
    stdout.write(`${version()}\n`);
    return EXIT.OK;
  }
  if (parsed.help) {
    const h = parsed.help;
    stdout.write(h === "top" ? topHelp(GROUPS) : h.commands ? groupHelp(h) : commandHelp(h));
    return EXIT.OK;
  }

  const { command, args, values } = parsed;
  const usage = commandUsage(command);
  if (!env.GITPOD_API_KEY) {
    stderr.write(
      "gitpod-prebuilds: GITPOD_API_KEY is not set: put the API token in it (there is no flag\n" +
        "for the token on purpose: a flag would land in shell history and process lists)\n",
    );
    return EXIT.USAGE;
  }

  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.INTERRUPTED); // a second Ctrl-C: at once
    interrupt.abort();
    setTimeout(() => process.exit(EXIT.INTERRUPTED), INTERRUPT_GRACE_MS).unref();
  };
  process.on("SIGINT", onSigint);
  try {
    // Loaded only now: --help, --version and usage errors need no WebAssembly.
    const { PrebuildClient } = await import("../node.mjs");
    const client = new PrebuildClient(values["base-url"] === undefined ? {} : { baseUrl: values["base-url"] });
    const ctx = {
      client,
      args,
      values,
      json: Boolean(values.json),
      signal: interrupt.signal,
      stdout,
      stderr,
      print: (text) => stdout.write(text),
      style: palette(wantsColor(stdout, env)),
    };
    return (await command.run(ctx)) ?? EXIT.OK;
  } catch (e) {
    if (interrupt.signal.aborted) {
      stderr.write("gitpod-prebuilds: interrupted\n");
      return EXIT.INTERRUPTED;
    }
    return report(e, { err: stderr, usage });
  } finally {
    process.off("SIGINT", onSigint);
  }
}
