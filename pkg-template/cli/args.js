// The command line: `gitpod-prebuilds [GLOBAL OPTIONS] GROUP COMMAND [ARGS] [OPTIONS]`,
// read with node:util's parseArgs into the command to run and its checked values.
//
// A command is declared as { group, name, summary, args: ["ID"], options, required,
// details, run }; each option as { value: "NAME" (absent for a switch), multiple,
// list (comma-separated values too), parse (text -> value, throws UsageError), help }.
import { parseArgs } from "node:util";
import { UsageError } from "./exit.js";
import { GLOBAL_OPTIONS, commandUsage, groupUsage, topUsage } from "./usage.js";

const parseArgsConfig = (options) =>
  Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.value ? "string" : "boolean", multiple: Boolean(o.multiple), ...(o.short ? { short: o.short } : {}) },
    ]),
  );

/**
 * Reads one command's arguments into { help } or { args, values }: positional
 * arguments by their names, option values parsed. Throws UsageError, with the
 * command's usage, for anything it does not take.
 */
export function parseCommand(command, argv) {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const fail = (message) => new UsageError(message, commandUsage(command));
  let tokens;
  try {
    // Not strict: unknown options and missing values get this file's messages, which
    // are shorter than parseArgs' own.
    ({ tokens } = parseArgs({ args: argv, options: parseArgsConfig(options), strict: false, allowPositionals: true, tokens: true }));
  } catch (e) {
    throw fail(e.message);
  }
  if (tokens.some((t) => t.kind === "option" && t.name === "help")) return { help: true };

  const values = {};
  const positionals = [];
  for (const t of tokens) {
    if (t.kind === "positional") positionals.push(t.value);
    if (t.kind !== "option") continue;
    const spec = options[t.name];
    if (!spec) throw fail(`unknown option ${t.rawName}`);
    if (!spec.value) {
      if (t.inlineValue) throw fail(`${t.rawName} takes no value`);
      values[t.name] = true;
      continue;
    }
    // `--project --json`: parseArgs would take "--json" as the project.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--"))) throw fail(`${t.rawName} needs a value: ${t.rawName} ${spec.value}`);
    const texts = spec.list ? t.value.split(",").filter((v) => v !== "") : [t.value];
    const parsed = texts.map((text) => {
      try {
        return spec.parse ? spec.parse(text, t.rawName) : text;
      } catch (e) {
        throw e instanceof UsageError ? fail(e.message) : e;
      }
    });
    values[t.name] = spec.multiple ? [...(values[t.name] ?? []), ...parsed] : parsed[0];
  }

  const names = command.args ?? [];
  if (positionals.length < names.length) throw fail(`missing ${names[positionals.length]}`);
  if (positionals.length > names.length) throw fail(`unexpected argument "${positionals[names.length]}"`);
  for (const name of command.required ?? []) {
    if (values[name] === undefined) throw fail(`--${name} is required`);
  }
  return { args: Object.fromEntries(names.map((n, i) => [n, positionals[i]])), values };
}

/**
 * Reads the whole command line into one of { version }, { help: "top" | group |
 * command }, or { command, args, values }. Global options may also come before the
 * group; they then apply to the command.
 */
export function parseCommandLine(argv, groups) {
  const leading = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-"); i++) {
    const a = argv[i];
    if (a === "--version") return { version: true };
    if (a === "-h" || a === "--help") return { help: "top" };
    if (a === "--json" || a.startsWith("--base-url=")) leading.push(a);
    else if (a === "--base-url" && i + 1 < argv.length) leading.push(a, argv[++i]);
    else if (a === "--base-url") throw new UsageError("--base-url needs a value: --base-url URL", topUsage(groups));
    else throw new UsageError(`unknown option ${a}`, topUsage(groups));
  }
  const groupName = argv[i];
  if (groupName === undefined) throw new UsageError("missing command", topUsage(groups));
  const group = groups.find((g) => g.name === groupName);
  if (!group) {
    throw new UsageError(`unknown command "${groupName}": use ${groups.map((g) => g.name).join(" or ")}`, topUsage(groups));
  }
  const name = argv[i + 1];
  if (name === "-h" || name === "--help") return { help: group };
  if (name === undefined) throw new UsageError(`missing ${group.name} command`, groupUsage(group));
  const command = group.commands.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(
      `unknown command "${group.name} ${name}": use ${group.commands.map((c) => c.name).join(", ")}`,
      groupUsage(group),
    );
  }
  const parsed = parseCommand(command, [...leading, ...argv.slice(i + 2)]);
  return parsed.help ? { help: command } : { command, ...parsed };
}

/** A parser for options that take a whole number from `min` (--min, --max, --limit). */
export const wholeNumber = (min) => (text, flag) => {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a whole number from ${min}, got "${text}"`);
  }
  return Number(text);
};
