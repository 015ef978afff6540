// The gitpod-prebuilds command as its users run it: pkg/ packed, installed from the
// tarball into a fresh project, and node_modules/.bin/gitpod-prebuilds spawned against
// a real simulator. Every command's --json output is compared with what the installed
// library returns for the same call; the human output, --help, usage errors (exit 2),
// API and network errors (exit 3), Ctrl-C (exit 130), colour and the README's command
// line examples are checked too. Following a prebuild (--wait, --logs, logs) is in
// cli-follow.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { startSim } from "./sim.mjs";
import { cliEnv, installPacked, run } from "./packed.mjs";

const TOKEN = "cli-test-token-4b7e21d9c0";
const WRONG_TOKEN = "cli-wrong-token-93ac55e1";
const MISSING = "00000000-0000-4000-8000-000000000000";
let sim, installed, lib, client, project, freePair;
const outputs = []; // every stdout and stderr, searched for the token at the end

before(async () => {
  installed = installPacked();
  // The clock stands still (a tick every 11 days): what the command printed and what
  // the library reads right after are the same state, so they can be compared whole.
  sim = await startSim(["--token", TOKEN, "--tick-ms", "1000000000"]);
  lib = await installed.load();
  client = new lib.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN });
  project = sim.info.projects.find((p) => p.name === "acme/web-app");
  freePair = sim.info.hints.freePair;
});
after(async () => {
  await sim?.stop();
  installed?.remove();
});

/** Runs the installed command with the simulator and the token in its environment. */
async function cli(args, { env = {}, ...options } = {}) {
  const r = await run(installed.bin, args, {
    env: cliEnv({ GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: TOKEN, ...env }),
    cwd: installed.dir,
    ...options,
  });
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** Runs a command with --json: it must succeed quietly; resolves with the parsed document. */
async function cliJson(args) {
  const r = await cli([...args, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  return JSON.parse(r.stdout);
}

/** Succeeds with human output: its lines. */
async function cliLines(args) {
  const r = await cli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b/, "no colour when stdout is not a terminal");
  return r.stdout.split("\n").slice(0, -1);
}

const all = async (iterable) => {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
};

/** The value a key-value view shows for `key`. */
const field = (lines, key) => lines.find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1).trim();

const requestsSoFar = async () => (await (await fetch(`${sim.url}/_sim/stats`)).json()).requests;

test("the tarball ships the command: cli.mjs with its shebang and every module under cli/", () => {
  for (const f of ["cli.mjs", ...readdirSync("pkg-template/cli").map((f) => `cli/${f}`)]) {
    assert.ok(installed.files.includes(f), `${f} is packed`);
  }
  const manifest = JSON.parse(readFileSync(`${installed.dir}/node_modules/gitpod-prebuilds/package.json`, "utf8"));
  assert.deepEqual(manifest.bin, { "gitpod-prebuilds": "cli.mjs" });
  assert.match(readFileSync(installed.bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
});

test("--version prints the package's version; --help lists every command, the environment and the exit codes", async () => {
  const version = await cli(["--version"], { env: { GITPOD_API_KEY: "" } });
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `${JSON.parse(readFileSync("pkg/package.json", "utf8")).version}\n`);
  for (const flag of ["--help", "-h"]) {
    const r = await cli([flag], { env: { GITPOD_API_KEY: "" } });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    for (const line of [
      "prebuilds list [--project ID]... [--phase PHASE]... [--limit N] [--json]",
      "prebuilds get ID [--json]",
      "prebuilds create --project ID [--class ID] [--timeout DURATION] [--wait] [--logs] [--json]",
      "prebuilds cancel ID [--json]",
      "prebuilds delete ID [--json]",
      "prebuilds logs ID [--follow] [--json]",
      "warm-pools list [--project ID]... [--limit N] [--json]",
      "warm-pools get ID [--json]",
      "warm-pools create --project ID --class ID --min N --max N [--json]",
      "warm-pools update ID [--min N] [--max N] [--json]",
      "warm-pools delete ID [--json]",
    ]) {
      assert.ok(r.stdout.includes(`  ${line}\n`), `${flag} shows ${line}`);
    }
    assert.match(r.stdout, /GITPOD_API_KEY .*\n.*shell history/);
    assert.match(r.stdout, /GITPOD_BASE_URL/);
    for (const code of ["0", "1", "2", "3", "130"]) assert.match(r.stdout, new RegExp(`^  ${code} +\\S`, "m"));
  }
});

const COMMANDS = {
  prebuilds: {
    list: ["--project ID", "--phase PHASE", "--limit N"],
    get: [],
    create: ["--project ID", "--class ID", "--timeout DURATION", "--wait", "--logs"],
    cancel: [],
    delete: [],
    logs: ["--follow"],
  },
  "warm-pools": {
    list: ["--project ID", "--limit N"],
    get: [],
    create: ["--project ID", "--class ID", "--min N", "--max N"],
    update: ["--min N", "--max N"],
    delete: [],
  },
};

test("--help and -h on every command and group: usage, every option, exit 0, even without a token", async () => {
  const runs = [];
  for (const [group, commands] of Object.entries(COMMANDS)) {
    runs.push(
      cli([group, "--help"], { env: { GITPOD_API_KEY: "" } }).then((r) => {
        assert.equal(r.code, 0);
        assert.match(r.stdout, new RegExp(`^usage: gitpod-prebuilds ${group} COMMAND`));
        for (const name of Object.keys(commands)) assert.match(r.stdout, new RegExp(`gitpod-prebuilds ${group} ${name}\\b`));
      }),
    );
    for (const [name, options] of Object.entries(commands)) {
      // -h after other arguments too (on the creates): help wins over what is wrong.
      const asked = name === "create" ? [[group, name, "--help"], [group, name, "x", "--bogus", "-h"]] : [[group, name, "--help"]];
      for (const args of asked) {
        runs.push(
          cli(args, { env: { GITPOD_API_KEY: "" } }).then((r) => {
            assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
            assert.equal(r.stderr, "");
            assert.ok(r.stdout.startsWith(`usage: gitpod-prebuilds ${group} ${name}`), r.stdout);
            for (const o of [...options, "--json", "--base-url URL", "-h, --help"]) {
              assert.match(r.stdout, new RegExp(`^  ${o.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}  `, "m"), `${group} ${name}: ${o}`);
            }
            assert.match(r.stdout, /GITPOD_API_KEY/);
          }),
        );
      }
    }
  }
  await Promise.all(runs);
});

test("prebuilds list --json: every prebuild of every page, as the library's iterator gives them", async () => {
  const expected = await all(client.iterPrebuilds({ pageSize: 100 }));
  assert.ok(expected.length > 200, "several pages");
  assert.deepEqual(await cliJson(["prebuilds", "list"]), { prebuilds: expected });
});

test("prebuilds list filters by project and phase (any spelling, repeated or comma-separated) and stops at --limit", async () => {
  const phases = ["PREBUILD_PHASE_COMPLETED", "PREBUILD_PHASE_FAILED", "PREBUILD_PHASE_CANCELLED"];
  const filter = { projectIds: [project.id], phases };
  const expected = await all(client.iterPrebuilds({ filter }));
  assert.ok(expected.length > 5 && expected.every((p) => phases.includes(p.status.phase) && p.metadata.projectId === project.id));
  const args = ["prebuilds", "list", "--project", project.id, "--phase", "completed", "--phase", "FAILED,PREBUILD_PHASE_CANCELLED"];
  assert.deepEqual(await cliJson(args), { prebuilds: expected });
  assert.deepEqual(await cliJson([...args, "--limit", "4"]), { prebuilds: expected.slice(0, 4) });
  const running = await cliJson(["prebuilds", "list", "--phase", "running"]);
  assert.ok(running.prebuilds.length > 0 && running.prebuilds.every((p) => p.status.phase === "PREBUILD_PHASE_RUNNING"));
});

test("prebuilds list: a table of id, short phase, project, trigger and age, columns aligned", async () => {
  const expected = await all(client.iterPrebuilds({ filter: { projectIds: [project.id] }, pageSize: 6 }));
  const lines = await cliLines(["prebuilds", "list", "--project", project.id, "--limit", "6"]);
  assert.match(lines[0], /^ID +PHASE +PROJECT +TRIGGER +CREATED$/);
  assert.equal(lines.length, 7);
  const at = (name) => lines[0].indexOf(name);
  lines.slice(1).forEach((line, i) => {
    const p = expected[i];
    assert.equal(line.slice(0, at("PHASE")).trim(), p.id);
    assert.equal(line.slice(at("PHASE")).split(/ +/)[0], p.status.phase.replace("PREBUILD_PHASE_", ""));
    assert.equal(line.slice(at("PROJECT")).split(/ +/)[0], project.id);
    assert.equal(line.slice(at("TRIGGER")).split(/ +/)[0], p.metadata.triggeredBy.replace("PREBUILD_TRIGGER_", ""));
    assert.match(line.slice(at("CREATED")), /^\d+[smhd] ago$/);
  });
  const none = await cli(["prebuilds", "list", "--project", MISSING]);
  assert.deepEqual([none.code, none.stdout, none.stderr], [0, "", "no prebuilds found\n"]);
  assert.deepEqual(await cliJson(["prebuilds", "list", "--project", MISSING]), { prebuilds: [] });
});

test("prebuilds get: --json is the API's response; the view shows its fields, a failure included", async () => {
  const [failed] = await all(client.iterPrebuilds({ filter: { phases: ["PREBUILD_PHASE_FAILED"] }, pageSize: 1 }));
  assert.ok(failed.status.failureMessage);
  const expected = await client.getPrebuild({ prebuildId: failed.id });
  assert.deepEqual(await cliJson(["prebuilds", "get", failed.id]), expected);
  const lines = await cliLines(["prebuilds", "get", failed.id]);
  assert.equal(field(lines, "id"), failed.id);
  assert.equal(field(lines, "phase"), "FAILED");
  assert.equal(field(lines, "project"), failed.metadata.projectId);
  assert.equal(field(lines, "environment class"), failed.metadata.environmentClassId);
  assert.equal(field(lines, "failure"), failed.status.failureMessage);
  assert.match(field(lines, "created"), new RegExp(`^${failed.metadata.createdAt.replace(/[.]/g, "\\.")} \\(\\d+[smhd] ago\\)$`));
  // Every line a "key: value", values in one column.
  const column = lines[0].indexOf(failed.id);
  for (const line of lines) assert.match(line.slice(0, column), /^[a-z ]+: +$/);
});

test("prebuilds create: --json is the API's response; --timeout takes 2h, 30m, 1h30m and plain seconds", async () => {
  const cases = [["2h", "7200s"], ["30m", "1800s"], ["1h30m", "5400s"], ["600", "600s"], ["5m", "300s"]];
  const created = await Promise.all(
    cases.map(([text]) => cliJson(["prebuilds", "create", "--project", project.id, "--timeout", text])),
  );
  created.forEach((res, i) => {
    assert.equal(res.prebuild.spec.timeout, cases[i][1], cases[i][0]);
    assert.equal(res.prebuild.metadata.projectId, project.id);
    assert.equal(res.prebuild.status.phase, "PREBUILD_PHASE_PENDING");
  });
  for (const res of created) assert.deepEqual(res, await client.getPrebuild({ prebuildId: res.prebuild.id }));

  const classId = project.environmentClassIds.find((c) => c !== project.defaultEnvironmentClassId);
  const withClass = await cliJson(["prebuilds", "create", "--project", project.id, "--class", classId]);
  assert.equal(withClass.prebuild.metadata.environmentClassId, classId);
  assert.equal(withClass.prebuild.spec.timeout, "3600s", "the service's default");

  const lines = await cliLines(["prebuilds", "create", "--project", project.id, "--timeout", "1h30m"]);
  assert.equal(field(lines, "phase"), "PENDING");
  assert.equal(field(lines, "timeout"), "1h30m (5400s)");
  const { prebuild } = await client.getPrebuild({ prebuildId: field(lines, "id") });
  assert.equal(prebuild.spec.timeout, "5400s");
});

test("prebuilds cancel and delete: --json is the API's response, the view the new state", async () => {
  const make = async () => (await client.createPrebuild({ projectId: project.id, spec: {} })).prebuild.id;
  const [a, b, c, d] = await Promise.all([make(), make(), make(), make()]);

  const cancelled = await cliJson(["prebuilds", "cancel", a]);
  assert.equal(cancelled.prebuild.status.phase, "PREBUILD_PHASE_CANCELLING");
  assert.deepEqual(cancelled, await client.getPrebuild({ prebuildId: a }));
  const lines = await cliLines(["prebuilds", "cancel", b]);
  assert.equal(field(lines, "id"), b);
  assert.equal(field(lines, "phase"), "CANCELLING");
  assert.equal(field(lines, "desired phase"), "CANCELLED");

  assert.deepEqual(await cliJson(["prebuilds", "delete", c]), {});
  assert.equal((await client.getPrebuild({ prebuildId: c })).prebuild.status.phase, "PREBUILD_PHASE_DELETING");
  assert.deepEqual(await cliLines(["prebuilds", "delete", d]), [`deleting prebuild ${d}`]);
  assert.equal((await client.getPrebuild({ prebuildId: d })).prebuild.status.phase, "PREBUILD_PHASE_DELETING");
});

test("warm-pools list: --json is every warm pool of every page; the table shows ids, phases and sizes", async () => {
  const expected = await all(client.iterWarmPools({ pageSize: 100 }));
  assert.ok(expected.length >= 5);
  assert.deepEqual(await cliJson(["warm-pools", "list"]), { warmPools: expected });
  assert.deepEqual(await cliJson(["warm-pools", "list", "--limit", "2"]), { warmPools: expected.slice(0, 2) });
  const inProject = expected.filter((w) => w.metadata.projectId === project.id);
  assert.ok(inProject.length > 0);
  assert.deepEqual(await cliJson(["warm-pools", "list", "--project", project.id]), { warmPools: inProject });

  const lines = await cliLines(["warm-pools", "list"]);
  assert.match(lines[0], /^ID +PHASE +PROJECT +CLASS +MIN +MAX +RUNNING +STOPPED$/);
  assert.equal(lines.length, expected.length + 1);
  lines.slice(1).forEach((line, i) => {
    const w = expected[i];
    const size = (n) => (n === undefined ? "-" : String(n));
    assert.deepEqual(line.split(/ +/), [
      w.id, w.status.phase.replace("WARM_POOL_PHASE_", ""), w.metadata.projectId, w.metadata.environmentClassId,
      size(w.spec.minSize), size(w.spec.maxSize), String(w.status.runningInstances), String(w.status.stoppedInstances),
    ]);
  });
});

test("warm-pools create, get, update, delete: --json is the API's response; the views show the sizes", async () => {
  const { projectId, environmentClassId } = freePair;
  const created = await cliJson(["warm-pools", "create", "--project", projectId, "--class", environmentClassId, "--min", "0", "--max", "2"]);
  const id = created.warmPool.id;
  assert.deepEqual([created.warmPool.spec.minSize, created.warmPool.spec.maxSize], [0, 2], "--min 0 is sent, not dropped");
  assert.deepEqual(created, await client.getWarmPool({ warmPoolId: id }));
  assert.deepEqual(await cliJson(["warm-pools", "get", id]), await client.getWarmPool({ warmPoolId: id }));

  const again = await cli(["warm-pools", "create", "--project", projectId, "--class", environmentClassId, "--min", "0", "--max", "2"]);
  assert.equal(again.code, 3);
  assert.match(again.stderr, /^gitpod-prebuilds: ConflictError: .*\(409 already_exists\)$/m);

  const updated = await cliJson(["warm-pools", "update", id, "--max", "3"]);
  assert.deepEqual([updated.warmPool.spec.minSize, updated.warmPool.spec.maxSize], [0, 3]);
  assert.deepEqual(updated, await client.getWarmPool({ warmPoolId: id }));
  const lines = await cliLines(["warm-pools", "update", id, "--min", "1"]);
  assert.equal(field(lines, "id"), id);
  assert.equal(field(lines, "size"), "min 1, max 3");
  const view = await cliLines(["warm-pools", "get", id]);
  assert.equal(field(view, "project"), projectId);
  assert.equal(field(view, "environment class"), environmentClassId);
  assert.equal(field(view, "size"), "min 1, max 3");

  assert.deepEqual(await cliJson(["warm-pools", "delete", id]), {});
  assert.equal((await client.getWarmPool({ warmPoolId: id })).warmPool.status.phase, "WARM_POOL_PHASE_DELETING");
  const degraded = (await all(client.iterWarmPools())).find((w) => w.status.phase === "WARM_POOL_PHASE_DEGRADED");
  assert.deepEqual(await cliLines(["warm-pools", "delete", degraded.id]), [`deleting warm pool ${degraded.id}`]);
  assert.equal((await client.getWarmPool({ warmPoolId: degraded.id })).warmPool.status.phase, "WARM_POOL_PHASE_DELETING");
});

test("usage errors: exit 2, what is wrong and the usage line on stderr, nothing on stdout, nothing sent", async () => {
  const { projectId, environmentClassId } = freePair;
  const [pool] = (await client.listWarmPools({ pageSize: 1 })).warmPools;
  const usage = (cmd) => new RegExp(`^usage: gitpod-prebuilds ${cmd}`, "m");
  const cases = [
    [[], /missing command/, usage("prebuilds\\|warm-pools COMMAND")],
    [["frob"], /unknown command "frob": use prebuilds or warm-pools/, usage("prebuilds\\|warm-pools")],
    [["--frob", "prebuilds", "list"], /unknown option --frob/, usage("prebuilds\\|warm-pools")],
    [["prebuilds"], /missing prebuilds command/, usage("prebuilds COMMAND")],
    [["warm-pools", "frob"], /unknown command "warm-pools frob": use list, get, create, update, delete/, usage("warm-pools COMMAND")],
    [["prebuilds", "get"], /missing ID/, usage("prebuilds get ID \\[--json\\]$")],
    [["prebuilds", "get", MISSING, "extra"], /unexpected argument "extra"/, usage("prebuilds get ID")],
    [["prebuilds", "logs", "--follow"], /missing ID/, usage("prebuilds logs ID \\[--follow\\]")],
    [["prebuilds", "list", "--frob"], /unknown option --frob/, usage("prebuilds list")],
    [["prebuilds", "list", "--project"], /--project needs a value: --project ID/, usage("prebuilds list")],
    [["prebuilds", "list", "--project", "--json"], /--project needs a value/, usage("prebuilds list")],
    [["prebuilds", "list", "--json=yes"], /--json takes no value/, usage("prebuilds list")],
    [["prebuilds", "list", "--phase", "finished"], /--phase must be one of pending, starting, running, stopping, snapshotting, completed, failed, cancelling, cancelled, deleting, deleted .*got "finished"/, usage("prebuilds list")],
    [["prebuilds", "list", "--limit", "0"], /--limit must be a whole number from 1, got "0"/, usage("prebuilds list")],
    [["warm-pools", "list", "--limit", "ten"], /--limit must be a whole number from 1, got "ten"/, usage("warm-pools list")],
    [["prebuilds", "create"], /--project is required/, usage("prebuilds create --project ID")],
    [["prebuilds", "create", "--project", projectId, "--timeout", "1.5h"],
      /--timeout must be hours, minutes and seconds such as 90s, 30m, 1h30m or 2h, or a whole number of seconds, got "1.5h"/, usage("prebuilds create")],
    [["prebuilds", "create", "--project", projectId, "--timeout", "2h30"], /--timeout must be .*got "2h30"/, usage("prebuilds create")],
    [["warm-pools", "create", "--project", projectId, "--class", environmentClassId, "--min", "1"], /--max is required/, usage("warm-pools create")],
    [["warm-pools", "update", pool.id], /nothing to change: give --min, --max or both/, usage("warm-pools update ID")],
    [["warm-pools", "update", pool.id, "--min", "-1"], /--min must be a whole number from 0, got "-1"/, usage("warm-pools update")],
    // Found by the library before sending: exit 2 as well, its class and the flag named.
    [["prebuilds", "create", "--project", projectId, "--timeout", "90s"],
      /ValidationError \(--timeout\): spec\.timeout must be a duration from "300s" to "7200s"/, usage("prebuilds create")],
    [["prebuilds", "create", "--project", "acme-web"], /ValidationError \(--project\): projectId must be a UUID/, usage("prebuilds create")],
    [["warm-pools", "create", "--project", projectId, "--class", environmentClassId, "--min", "5", "--max", "2"],
      /ValidationError \(--min\): minSize must not be greater than maxSize \(2\), got 5/, usage("warm-pools create")],
    [["warm-pools", "update", pool.id, "--max", "21"], /ValidationError \(--max\): maxSize must be from 1 to 20, got 21/, usage("warm-pools update")],
    [["prebuilds", "get", "not-a-uuid"], /ValidationError \(ID\): prebuildId must be a UUID/, usage("prebuilds get")],
    [["prebuilds", "list", "--project", "p1"], /ValidationError \(--project\): filter\.projectIds\[0\] must be a UUID/, usage("prebuilds list")],
    [["prebuilds", "list", "--base-url", "http://example.com/api"], /ValidationError \(--base-url or GITPOD_BASE_URL\): baseUrl uses plain http:\/\//, usage("prebuilds list")],
  ];
  const before = await requestsSoFar();
  await Promise.all(
    cases.map(async ([args, message, usageLine]) => {
      const r = await cli(args);
      const what = `${args.join(" ")}\n${r.stderr}`;
      assert.equal(r.code, 2, what);
      assert.equal(r.stdout, "", what);
      assert.match(r.stderr, new RegExp(`^gitpod-prebuilds: ${message.source}`, "m"), what);
      assert.match(r.stderr, usageLine, what);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack");
    }),
  );
  const noToken = await cli(["prebuilds", "list"], { env: { GITPOD_API_KEY: "" } });
  assert.equal(noToken.code, 2);
  assert.equal(noToken.stdout, "");
  assert.match(noToken.stderr, /^gitpod-prebuilds: GITPOD_API_KEY is not set/);
  assert.equal(await requestsSoFar(), before, "no request reached the simulator");
});

test("API and network errors: exit 3, the error's class and message on stderr, no stack, nothing on stdout", async () => {
  const [completed] = (await client.listPrebuilds({ pageSize: 1, filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } })).prebuilds;
  const closed = await new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const cases = [
    [["prebuilds", "get", MISSING], {}, /^gitpod-prebuilds: NotFoundError: prebuild 0{8}-0{4}-4000-8000-0{12} not found \(404 not_found\)$/m],
    [["warm-pools", "delete", MISSING], {}, /^gitpod-prebuilds: NotFoundError: .*\(404 not_found\)$/m],
    [["prebuilds", "logs", MISSING, "--follow"], {}, /^gitpod-prebuilds: NotFoundError: .*\(404 not_found\)$/m],
    [["prebuilds", "cancel", completed.id], {}, /^gitpod-prebuilds: BadRequestError: .*\(400 failed_precondition\)$/m],
    [["prebuilds", "list"], { GITPOD_API_KEY: WRONG_TOKEN }, /^gitpod-prebuilds: AuthenticationError: .*\(401 unauthenticated\)\nCheck that GITPOD_API_KEY/m],
    [["warm-pools", "list", "--base-url", `http://127.0.0.1:${closed}/api`], {}, /^gitpod-prebuilds: APIConnectionError: /m],
  ];
  await Promise.all(
    cases.map(async ([args, env, message]) => {
      const r = await cli(args, { env });
      const what = `${args.join(" ")}\n${r.stderr}`;
      assert.equal(r.code, 3, what);
      assert.equal(r.stdout, "", what);
      assert.match(r.stderr, message, what);
      assert.doesNotMatch(r.stderr, /\n\s+at |usage:/, what);
      assert.ok(!r.stderr.includes(WRONG_TOKEN), "the wrong token is not echoed either");
    }),
  );
});

test("Ctrl-C aborts the call in flight and exits 130", async () => {
  // A server that takes the request and never answers: only the abort can end the call.
  let child;
  let requests = 0;
  const server = createServer(() => {
    requests += 1;
    child.kill("SIGINT");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const started = performance.now();
    const r = await cli(["prebuilds", "get", MISSING, "--base-url", `http://127.0.0.1:${server.address().port}/api`], {
      onSpawn: (c) => (child = c),
    });
    assert.equal(requests, 1);
    assert.equal(r.code, 130);
    assert.equal(r.stdout, "");
    // Said by the command once the aborted call has ended (a hung call would be cut
    // short by a timer that prints nothing).
    assert.equal(r.stderr, "gitpod-prebuilds: interrupted\n");
    // The attempt's own timeout is 60 s: ending well before it means the abort did it.
    assert.ok(performance.now() - started < 30_000);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("colour only on a terminal, and not with NO_COLOR", async () => {
  // `script` gives the command a pseudo-terminal as stdout.
  const onTerminal = async (env) => {
    const r = await run("script", ["-qec", `${installed.bin} prebuilds list --phase completed --limit 3`, "/dev/null"], {
      env: cliEnv({ GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: TOKEN, ...env }),
      cwd: installed.dir,
    });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stdout);
    return r.stdout;
  };
  assert.match(await onTerminal({}), /\x1b\[32mCOMPLETED\x1b\[0m/);
  const plain = await onTerminal({ NO_COLOR: "1" });
  assert.doesNotMatch(plain, /\x1b/);
  assert.match(plain, / COMPLETED /);
});

test("the README's command line examples run as written", async () => {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("\n## Command line\n"), readme.indexOf("\n## ", readme.indexOf("\n## Command line\n") + 1));
  // The ```sh blocks made of gitpod-prebuilds commands (and comments) only.
  const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1].split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l && !l.startsWith("#")))
    .filter((lines) => lines.every((l) => l.startsWith("gitpod-prebuilds ")))
    .flat();
  assert.ok(commands.length >= 5, `found ${commands.length} commands`);
  for (const command of commands) {
    const r = await run("bash", ["-c", command], {
      env: cliEnv({ GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: TOKEN, PATH: `${installed.dir}/node_modules/.bin:${process.env.PATH}` }),
      cwd: installed.dir,
    });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, `${command}\n${r.stderr}`);
    assert.notEqual(r.stdout, "", command);
  }
});

test("the token appears in nothing the command printed", () => {
  assert.ok(outputs.length > 100, `${outputs.length} outputs`);
  for (const text of outputs) {
    assert.ok(!text.includes(TOKEN), `the token in: ${text.slice(0, 300)}`);
    assert.ok(!text.includes(WRONG_TOKEN));
  }
});
