// `gitpod-prebuilds prebuilds ...`: list, get, create (and follow), cancel, delete, logs.
import { wholeNumber } from "./args.js";
import { DURATION_FORMS, parseDuration, readableDuration } from "./duration.js";
import { EXIT, UsageError } from "./exit.js";
import { exitCodeOf, follow, isTerminal } from "./follow.js";
import { collect, pageSizeFor } from "./lists.js";
import { ago, bytes, keyValues, printable, shortName, table, timeAndAgo, toJson } from "./format.js";

const PHASES = [
  "pending", "starting", "running", "stopping", "snapshotting", "completed",
  "failed", "cancelling", "cancelled", "deleting", "deleted",
];

/** --phase: `completed`, `COMPLETED` or `PREBUILD_PHASE_COMPLETED` -> `PREBUILD_PHASE_COMPLETED`. */
export function parsePhase(text, flag) {
  const name = text.toUpperCase().replace(/^PREBUILD_PHASE_/, "");
  if (!PHASES.includes(name.toLowerCase())) {
    throw new UsageError(`${flag} must be one of ${PHASES.join(", ")} (any case, PREBUILD_PHASE_ optional), got "${text}"`);
  }
  return `PREBUILD_PHASE_${name}`;
}

/** --timeout: "1h30m" -> "5400s". */
function parseTimeout(text, flag) {
  const duration = parseDuration(text);
  if (!duration) throw new UsageError(`${flag} must be ${DURATION_FORMS}, got "${text}"`);
  return duration;
}

const PHASE_COLORS = {
  COMPLETED: "green", FAILED: "red", CANCELLING: "yellow", CANCELLED: "yellow", DELETING: "dim", DELETED: "dim",
};

/** A phase as shown: short, coloured when the output is a terminal. */
const phase = (style, value) => {
  const name = shortName(value, "PREBUILD_PHASE_");
  return (style[PHASE_COLORS[name] ?? "cyan"])(name);
};

const subject = (s) => (s?.id ? `${printable(s.id)} (${shortName(s.principal, "PRINCIPAL_")})` : "");

/** The table of `prebuilds list`. */
const prebuildTable = (prebuilds, style) =>
  table(
    ["ID", "PHASE", "PROJECT", "TRIGGER", "CREATED"],
    prebuilds.map((p) => [
      printable(p.id),
      phase(style, p.status.phase),
      printable(p.metadata.projectId),
      shortName(p.metadata.triggeredBy, "PREBUILD_TRIGGER_"),
      p.metadata.createdAt ? ago(p.metadata.createdAt) : "",
    ]),
  );

/** The key-value view of one prebuild (get, create, cancel). */
function prebuildView(p, style) {
  const { metadata: m, spec, status: s } = p;
  return keyValues([
    ["id", printable(p.id)],
    ["phase", phase(style, s.phase) + (s.phase === "PREBUILD_PHASE_SNAPSHOTTING" ? ` ${s.snapshotCompletionPercentage}%` : "")],
    ["desired phase", shortName(spec.desiredPhase, "PREBUILD_PHASE_")],
    ["project", printable(m.projectId)],
    ["environment class", printable(m.environmentClassId)],
    ["organization", printable(m.organizationId)],
    ["triggered by", shortName(m.triggeredBy, "PREBUILD_TRIGGER_")],
    ["creator", subject(m.creator)],
    ["executor", subject(m.executor)],
    ["created", timeAndAgo(m.createdAt)],
    ["updated", timeAndAgo(m.updatedAt)],
    ["completed", timeAndAgo(s.completionTime)],
    ["timeout", spec.timeout ? `${readableDuration(spec.timeout)} (${printable(spec.timeout)})` : ""],
    ["environment", printable(s.environmentId)],
    ["log url", printable(s.logUrl)],
    ["snapshot size", bytes(s.snapshotSizeBytes)],
    ["warning", s.warningMessage ? style.yellow(printable(s.warningMessage)) : ""],
    ["failure", s.failureMessage ? style.red(printable(s.failureMessage)) : ""],
  ]);
}

const group = "prebuilds";
const ID_HELP = "The ID is the prebuild's UUID, as `prebuilds list` shows it.";

const list = {
  group,
  name: "list",
  summary: "List prebuilds, newest first",
  options: {
    project: { value: "ID", multiple: true, list: true, help: "only this project's prebuilds (repeatable)" },
    phase: {
      value: "PHASE",
      multiple: true,
      list: true,
      parse: parsePhase,
      help: `only prebuilds in this phase (repeatable): ${PHASES.join(", ")}`,
    },
    limit: { value: "N", parse: wholeNumber(1), help: "at most N prebuilds (default: all of them)" },
  },
  details: `Reads page after page until --limit prebuilds or the last page.
With --json: {"prebuilds": [...]}, every prebuild read (the pages joined, no pagination).`,
  async run({ client, values, signal, json, print, style, stderr }) {
    const filter = {};
    if (values.project) filter.projectIds = values.project;
    if (values.phase) filter.phases = values.phase;
    const params = { pageSize: pageSizeFor(values.limit) };
    if (Object.keys(filter).length) params.filter = filter;
    const prebuilds = await collect(client.iterPrebuilds(params, { signal }), values.limit);
    if (json) print(toJson({ prebuilds }));
    else if (prebuilds.length) print(prebuildTable(prebuilds, style));
    else stderr.write("no prebuilds found\n");
  },
};

const get = {
  group,
  name: "get",
  summary: "Show one prebuild",
  args: ["ID"],
  details: `${ID_HELP}\nWith --json: the API's GetPrebuild response, {"prebuild": {...}}.`,
  async run({ client, args, signal, json, print, style }) {
    const res = await client.getPrebuild({ prebuildId: args.ID }, { signal });
    print(json ? toJson(res) : prebuildView(res.prebuild, style));
  },
};

const create = {
  group,
  name: "create",
  summary: "Start a prebuild of a project",
  options: {
    project: { value: "ID", help: "the project to prebuild (UUID)" },
    class: { value: "ID", help: "the environment class (UUID); default: the project's" },
    timeout: {
      value: "DURATION",
      parse: parseTimeout,
      help: "how long the prebuild may run: 90s, 30m, 1h30m, 2h or seconds;\nthe API allows 5m to 2h and defaults to 1h",
    },
    wait: { help: "wait until the prebuild ends; progress on stderr, the exit code\nsays how it ended (0 COMPLETED; 1 FAILED, CANCELLED or DELETED)" },
    logs: { help: "stream the prebuild's log to stdout until it ends (implies --wait)" },
  },
  required: ["project"],
  details: `Without --wait: prints the new prebuild (with --json the API's CreatePrebuild response,
{"prebuild": {...}}) and exits 0 at once.
With --wait: prints the prebuild as it ended (with --json in GetPrebuild's shape,
{"prebuild": {...}}). With --logs: stdout carries the log lines only (with --json, the log
goes to stderr and stdout carries the JSON document). A log that cannot be read is
reported on stderr; the wait and the exit code are unaffected.`,
  async run(ctx) {
    const { client, values, signal, json, print, style, stdout, stderr } = ctx;
    const params = { projectId: values.project, spec: values.timeout ? { timeout: values.timeout } : {} };
    if (values.class) params.environmentClassId = values.class;
    const created = await client.createPrebuild(params, { signal });
    if (!values.wait && !values.logs) {
      print(json ? toJson(created) : prebuildView(created.prebuild, style));
      return EXIT.OK;
    }
    stderr.write(`created prebuild ${printable(created.prebuild.id)}\n`);
    const logTo = json ? stderr : stdout;
    const onLine = values.logs ? (line) => logTo.write(`${line}\n`) : undefined;
    const final = await follow(ctx, created.prebuild.id, { onLine, logErrors: "warn" });
    if (json) print(toJson({ prebuild: final }));
    else if (!values.logs) print(prebuildView(final, style));
    return exitCodeOf(final);
  },
};

const cancel = {
  group,
  name: "cancel",
  summary: "Cancel a running prebuild (CANCELLING, then CANCELLED)",
  args: ["ID"],
  details: `${ID_HELP}\nWith --json: the API's CancelPrebuild response, {"prebuild": {...}}.`,
  async run({ client, args, signal, json, print, style }) {
    const res = await client.cancelPrebuild({ prebuildId: args.ID }, { signal });
    print(json ? toJson(res) : prebuildView(res.prebuild, style));
  },
};

const remove = {
  group,
  name: "delete",
  summary: "Delete a prebuild (DELETING, then gone)",
  args: ["ID"],
  details: `${ID_HELP}\nWith --json: the API's DeletePrebuild response, {}.`,
  async run({ client, args, signal, json, print }) {
    const res = await client.deletePrebuild({ prebuildId: args.ID }, { signal });
    print(json ? toJson(res) : `deleting prebuild ${printable(args.ID)}\n`);
  },
};

const logs = {
  group,
  name: "logs",
  summary: "Print a prebuild's log",
  args: ["ID"],
  options: {
    follow: { help: "follow the prebuild until it ends: progress on stderr, and the exit code\nsays how it ended (0 COMPLETED; 1 FAILED, CANCELLED or DELETED)" },
  },
  details: `${ID_HELP}
The log is printed as the service sends it, colour codes included.
Without --follow the command exits 0 once the log ends. For a finished prebuild that
is at once. A running prebuild's log has no "so far": the service keeps it open until
the prebuild ends, so the command prints lines as they come until then (a note on
stderr says so).
With --json: {"prebuild": {...}, "lines": [...]} once the log has ended. Without --follow,
"prebuild" is the prebuild as it was before the log was read; with --follow, as it ended.`,
  async run(ctx) {
    const { client, args, values, signal, json, print, stdout, stderr } = ctx;
    const prebuildId = args.ID;
    const { prebuild } = await client.getPrebuild({ prebuildId }, { signal });
    const lines = [];
    const onLine = json ? (line) => lines.push(line) : (line) => stdout.write(`${line}\n`);
    if (values.follow) {
      const final = await follow(ctx, prebuildId, { onLine, logErrors: "fail" });
      if (json) print(toJson({ prebuild: final, lines }));
      return exitCodeOf(final);
    }
    if (!isTerminal(prebuild.status.phase)) {
      const now = shortName(prebuild.status.phase, "PREBUILD_PHASE_");
      stderr.write(`prebuild ${printable(prebuildId)} is ${now}: its log is printed as it is written, until the prebuild ends\n`);
    }
    for await (const line of client.streamPrebuildLogs({ prebuildId }, { signal })) onLine(line);
    if (json) print(toJson({ prebuild, lines }));
    return EXIT.OK;
  },
};

/** The `prebuilds` commands. */
export const prebuilds = {
  name: group,
  title: "Prebuilds",
  summary: "Start, follow, list and remove prebuilds",
  commands: [list, get, create, cancel, remove, logs],
};
