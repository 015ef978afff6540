// Usage lines and help texts, made from the command declarations (see args.js).

export const PROGRAM = "gitpod-prebuilds";

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  json: { help: "print the API's response as one JSON document on stdout" },
  "base-url": { value: "URL", help: "the API's base URL (default: GITPOD_BASE_URL, else https://app.gitpod.io/api)" },
  help: { short: "h", help: "show this help" },
};

const ENVIRONMENT = `Environment:
  GITPOD_API_KEY   the API token (required). There is deliberately no flag for it: a token
                   on the command line would land in shell history and in process lists.
  GITPOD_BASE_URL  the API's base URL (default https://app.gitpod.io/api); --base-url wins
  NO_COLOR         no colour, even on a terminal (output to a pipe or file never has any)
`;

const EXIT_CODES = `Exit codes:
  0    success; a waited or followed prebuild COMPLETED
  1    a waited or followed prebuild ended FAILED, CANCELLED or DELETED
  2    usage error: a bad command line or bad input (nothing was sent)
  3    the API or the network failed (the error's class and message are on stderr)
  130  interrupted (Ctrl-C)
`;

const flagText = (name, o) => `--${name}${o.value ? ` ${o.value}` : ""}`;

/** The one-line synopsis: `gitpod-prebuilds prebuilds get ID [--json]`. */
export function synopsis(command) {
  const parts = [PROGRAM, command.group, command.name, ...(command.args ?? [])];
  for (const [name, o] of Object.entries(command.options ?? {})) {
    const text = flagText(name, o);
    parts.push(command.required?.includes(name) ? text : `[${text}]${o.multiple ? "..." : ""}`);
  }
  parts.push("[--json]");
  return parts.join(" ");
}

/** What a usage error prints after its message. */
export const commandUsage = (command) =>
  `usage: ${synopsis(command)}\nRun '${PROGRAM} ${command.group} ${command.name} --help' for more.\n`;

/** Aligned "  name  text" lines; texts longer than one line are indented under their column. */
function columns(rows) {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows
    .map(([left, text]) => `  ${left.padEnd(width)}${text.replace(/\n/g, `\n  ${" ".repeat(width)}`)}\n`)
    .join("");
}

const optionRows = (options) =>
  Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : ""}${flagText(name, o)}`, o.help]);

/** `gitpod-prebuilds GROUP COMMAND --help`. */
export function commandHelp(command) {
  return (
    `usage: ${synopsis(command)}\n\n${command.summary}.\n\n` +
    `Options:\n${columns(optionRows({ ...command.options, ...GLOBAL_OPTIONS }))}\n` +
    (command.details ? `${command.details.trim()}\n\n` : "") +
    `${ENVIRONMENT}\n${EXIT_CODES}`
  );
}

const commandRows = (group) => group.commands.map((c) => [`${c.group} ${c.name}`, c.summary]);

/** What a usage error in choosing a group's command prints. */
export const groupUsage = (group) =>
  `usage: ${PROGRAM} ${group.name} COMMAND ...\n${columns(commandRows(group))}Run '${PROGRAM} ${group.name} --help' for more.\n`;

/** `gitpod-prebuilds GROUP --help`. */
export function groupHelp(group) {
  return (
    `usage: ${PROGRAM} ${group.name} COMMAND [ARGS] [OPTIONS]\n\n${group.summary}.\n\n` +
    group.commands.map((c) => `  ${synopsis(c)}\n      ${c.summary}\n`).join("") +
    `\nRun '${PROGRAM} ${group.name} COMMAND --help' for a command's options.\n`
  );
}

/** What a usage error before the group prints. */
export const topUsage = (groups) =>
  `usage: ${PROGRAM} ${groups.map((g) => g.name).join("|")} COMMAND [ARGS] [OPTIONS]\nRun '${PROGRAM} --help' for more.\n`;

/** `gitpod-prebuilds --help`. */
export function topHelp(groups) {
  return (
    `${PROGRAM}: start, follow and manage Gitpod prebuilds and warm pools from scripts and CI.\n\n` +
    `usage: ${PROGRAM} ${groups.map((g) => g.name).join("|")} COMMAND [ARGS] [OPTIONS]\n` +
    `       ${PROGRAM} --version\n\n` +
    groups.map((g) => `${g.title}:\n${g.commands.map((c) => `  ${synopsis(c).slice(PROGRAM.length + 1)}\n`).join("")}`).join("\n") +
    `\nOptions on every command:\n${columns(optionRows(GLOBAL_OPTIONS))}\n${ENVIRONMENT}\n${EXIT_CODES}\n` +
    `Run '${PROGRAM} GROUP COMMAND --help' for a command's options.\n`
  );
}
