// `gitpod-prebuilds warm-pools ...`: list, get, create, update, delete.
import { wholeNumber } from "./args.js";
import { UsageError } from "./exit.js";
import { collect, pageSizeFor } from "./lists.js";
import { keyValues, printable, shortName, table, timeAndAgo, toJson } from "./format.js";

const PHASE_COLORS = { READY: "green", PENDING: "yellow", DEGRADED: "red", DELETING: "dim", DELETED: "dim" };

/** A phase as shown: short, coloured when the output is a terminal. */
const phase = (style, value) => {
  const name = shortName(value, "WARM_POOL_PHASE_");
  return (style[PHASE_COLORS[name] ?? "cyan"])(name);
};

// minSize and maxSize are optional in the API (older pools have desiredSize only).
const size = (n) => (n === undefined || n === null ? "-" : String(n));

/** The table of `warm-pools list`. */
const warmPoolTable = (pools, style) =>
  table(
    ["ID", "PHASE", "PROJECT", "CLASS", "MIN", "MAX", "RUNNING", "STOPPED"],
    pools.map((w) => [
      printable(w.id),
      phase(style, w.status.phase),
      printable(w.metadata.projectId),
      printable(w.metadata.environmentClassId),
      size(w.spec.minSize),
      size(w.spec.maxSize),
      String(w.status.runningInstances),
      String(w.status.stoppedInstances),
    ]),
  );

/** The key-value view of one warm pool (get, create, update). */
function warmPoolView(w, style) {
  const { metadata: m, spec, status: s } = w;
  return keyValues([
    ["id", printable(w.id)],
    ["phase", phase(style, s.phase)],
    ["desired phase", shortName(spec.desiredPhase, "WARM_POOL_PHASE_")],
    ["project", printable(m.projectId)],
    ["environment class", printable(m.environmentClassId)],
    ["organization", printable(m.organizationId)],
    ["runner", printable(m.runnerId)],
    ["size", `min ${size(spec.minSize)}, max ${size(spec.maxSize)}`],
    ["instances", `${s.runningInstances} running, ${s.stoppedInstances} stopped (autoscaler wants ${s.desiredSize})`],
    ["snapshot", printable(spec.snapshotId)],
    ["created", timeAndAgo(m.createdAt)],
    ["updated", timeAndAgo(m.updatedAt)],
    ["failure", s.failureMessage ? style.red(printable(s.failureMessage)) : ""],
  ]);
}

const group = "warm-pools";
const ID_HELP = "The ID is the warm pool's UUID, as `warm-pools list` shows it.";
const SIZES = "Sizes are checked by the API: --min 0 to 20 (0 lets the pool scale down fully),\n--max 1 to 20, and --min at most --max.";

const list = {
  group,
  name: "list",
  summary: "List warm pools",
  options: {
    project: { value: "ID", multiple: true, list: true, help: "only this project's warm pools (repeatable)" },
    limit: { value: "N", parse: wholeNumber(1), help: "at most N warm pools (default: all of them)" },
  },
  details: `Reads page after page until --limit warm pools or the last page.
With --json: {"warmPools": [...]}, every warm pool read (the pages joined, no pagination).`,
  async run({ client, values, signal, json, print, style, stderr }) {
    const params = { pageSize: pageSizeFor(values.limit) };
    if (values.project) params.filter = { projectIds: values.project };
    const warmPools = await collect(client.iterWarmPools(params, { signal }), values.limit);
    if (json) print(toJson({ warmPools }));
    else if (warmPools.length) print(warmPoolTable(warmPools, style));
    else stderr.write("no warm pools found\n");
  },
};

const get = {
  group,
  name: "get",
  summary: "Show one warm pool",
  args: ["ID"],
  details: `${ID_HELP}\nWith --json: the API's GetWarmPool response, {"warmPool": {...}}.`,
  async run({ client, args, signal, json, print, style }) {
    const res = await client.getWarmPool({ warmPoolId: args.ID }, { signal });
    print(json ? toJson(res) : warmPoolView(res.warmPool, style));
  },
};

const create = {
  group,
  name: "create",
  summary: "Create the warm pool of a project and environment class",
  options: {
    project: { value: "ID", help: "the project (UUID)" },
    class: { value: "ID", help: "the environment class (UUID)" },
    min: { value: "N", parse: wholeNumber(0), help: "the fewest running instances (0 to 20)" },
    max: { value: "N", parse: wholeNumber(0), help: "the most instances (1 to 20)" },
  },
  required: ["project", "class", "min", "max"],
  details: `One pool per project and environment class: a second one is a ConflictError.
${SIZES}
With --json: the API's CreateWarmPool response, {"warmPool": {...}}.`,
  async run({ client, values, signal, json, print, style }) {
    const res = await client.createWarmPool(
      { projectId: values.project, environmentClassId: values.class, minSize: values.min, maxSize: values.max },
      { signal },
    );
    print(json ? toJson(res) : warmPoolView(res.warmPool, style));
  },
};

const update = {
  group,
  name: "update",
  summary: "Change a warm pool's size",
  args: ["ID"],
  options: {
    min: { value: "N", parse: wholeNumber(0), help: "the fewest running instances (0 to 20)" },
    max: { value: "N", parse: wholeNumber(0), help: "the most instances (1 to 20)" },
  },
  details: `${ID_HELP}
A size not given stays as it is; at least one is needed.
${SIZES}
With --json: the API's UpdateWarmPool response, {"warmPool": {...}}.`,
  async run({ client, args, values, signal, json, print, style }) {
    if (values.min === undefined && values.max === undefined) throw new UsageError("nothing to change: give --min, --max or both");
    const params = { warmPoolId: args.ID };
    if (values.min !== undefined) params.minSize = values.min;
    if (values.max !== undefined) params.maxSize = values.max;
    const res = await client.updateWarmPool(params, { signal });
    print(json ? toJson(res) : warmPoolView(res.warmPool, style));
  },
};

const remove = {
  group,
  name: "delete",
  summary: "Delete a warm pool",
  args: ["ID"],
  details: `${ID_HELP}\nWith --json: the API's DeleteWarmPool response, {}.`,
  async run({ client, args, signal, json, print }) {
    const res = await client.deleteWarmPool({ warmPoolId: args.ID }, { signal });
    print(json ? toJson(res) : `deleting warm pool ${printable(args.ID)}\n`);
  },
};

/** The `warm-pools` commands. */
export const warmPools = {
  name: group,
  title: "Warm pools",
  summary: "Create, resize, list and remove warm pools",
  commands: [list, get, create, update, remove],
};
