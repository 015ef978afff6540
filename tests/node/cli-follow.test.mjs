// The gitpod-prebuilds command following prebuilds: `prebuilds create --wait` and
// `--logs`, `prebuilds logs` with and without --follow, Ctrl-C while waiting, and the
// README's CI step. Run from the packed package against a real simulator whose
// prebuilds finish in about two seconds (--tick-ms 100); each log is compared with what
// the installed library streams for the same prebuild. The tests run four at a time
// (most of their time is the simulator's clock). These commands rest on the library's
// waitForPrebuild and streamPrebuildLogs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSim } from "./sim.mjs";
import { cliEnv, installPacked, run } from "./packed.mjs";

const TOKEN = "cli-follow-token-7e0d2c93";
let sim, slow, still, installed, lib, client, completes, fails;

before(async () => {
  installed = installPacked();
  [sim, slow, still] = await Promise.all([
    startSim(["--token", TOKEN, "--tick-ms", "100"]),
    // Prebuilds that run for 5 s: still running when a command started on a busy machine reads them.
    startSim(["--token", TOKEN, "--tick-ms", "300"]),
    // A clock that does not move: a prebuild there never ends, for Ctrl-C.
    startSim(["--token", TOKEN, "--tick-ms", "1000000000"]),
  ]);
  lib = await installed.load();
  client = new lib.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN });
  completes = sim.info.projects.find((p) => p.name === "acme/web-app");
  fails = sim.info.projects.find((p) => p.prebuildOutcome === "fails");
});
after(async () => {
  await Promise.all([sim?.stop(), slow?.stop(), still?.stop()]);
  installed?.remove();
});

const cli = (args, { url = sim.url, env = {}, ...options } = {}) =>
  run(installed.bin, args, {
    env: cliEnv({ GITPOD_BASE_URL: `${url}/api`, GITPOD_API_KEY: TOKEN, ...env }),
    cwd: installed.dir,
    ...options,
  });

/** The log as the library streams it (the prebuild has ended: the whole log). */
async function logOf(prebuildId) {
  const lines = [];
  for await (const line of client.streamPrebuildLogs({ prebuildId })) lines.push(line);
  return lines;
}

const lines = (text) => text.split("\n").slice(0, -1);
const field = (text, key) => lines(text).find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1).trim();
const PROGRESS = /^waiting for prebuild [0-9a-f-]{36}: (PENDING|STARTING|RUNNING|STOPPING|SNAPSHOTTING \d+%|COMPLETED|FAILED|CANCELLING|CANCELLED)$/;

/** The id of the prebuild that `create --wait` made, from its first stderr line. */
const createdId = (stderr) => /^created prebuild ([0-9a-f-]{36})$/m.exec(stderr)?.[1];

/**
 * Checks the progress lines on stderr and the closing one. A prebuild the command
 * created has at least one line before its end; one created before the command started
 * may, on a slow machine, have ended before its first read.
 */
function progress(stderr, id, ended, { before = 1 } = {}) {
  const shown = lines(stderr).filter((l) => l.startsWith("waiting for prebuild"));
  assert.ok(shown.length >= before, stderr);
  for (const l of shown) assert.match(l, PROGRESS);
  assert.ok(shown.every((l) => l.includes(id)));
  assert.match(stderr, new RegExp(`^prebuild ${id} ended ${ended}`, "m"));
  return shown;
}

describe("following prebuilds", { concurrency: 4 }, () => {
  test("create --wait: progress on stderr, the prebuild as it ended on stdout, exit 0 when it COMPLETED", async () => {
    const r = await cli(["prebuilds", "create", "--project", completes.id, "--wait"]);
    assert.equal(r.code, 0, r.stderr);
    const id = createdId(r.stderr);
    progress(r.stderr, id, "COMPLETED");
    assert.equal(field(r.stdout, "id"), id);
    assert.equal(field(r.stdout, "phase"), "COMPLETED");
    assert.equal((await client.getPrebuild({ prebuildId: id })).prebuild.status.phase, "PREBUILD_PHASE_COMPLETED");
  });

  test("create --wait --json: one document, GetPrebuild's shape, as the library reads it afterwards", async () => {
    const r = await cli(["prebuilds", "create", "--project", completes.id, "--wait", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.prebuild.status.phase, "PREBUILD_PHASE_COMPLETED");
    assert.equal(doc.prebuild.id, createdId(r.stderr));
    assert.deepEqual(doc, await client.getPrebuild({ prebuildId: doc.prebuild.id }));
  });

  test("create --wait: a prebuild that fails exits 1, with FAILED and its failure message", async () => {
    const r = await cli(["prebuilds", "create", "--project", fails.id, "--wait"]);
    assert.equal(r.code, 1, r.stderr);
    const id = createdId(r.stderr);
    const { prebuild } = await client.getPrebuild({ prebuildId: id });
    assert.equal(prebuild.status.phase, "PREBUILD_PHASE_FAILED");
    assert.ok(prebuild.status.failureMessage);
    progress(r.stderr, id, `FAILED( in \\w+)?: ${prebuild.status.failureMessage.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
    assert.equal(field(r.stdout, "phase"), "FAILED");
    assert.equal(field(r.stdout, "failure"), prebuild.status.failureMessage);
  });

  test("create --wait: a prebuild cancelled meanwhile exits 1, CANCELLED", async () => {
    let cancelling;
    const r = await cli(["prebuilds", "create", "--project", completes.id, "--wait", "--json"], {
      onStderr: (text) => {
        const id = createdId(text);
        if (id && !cancelling) cancelling = client.cancelPrebuild({ prebuildId: id });
      },
    });
    await cancelling;
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.prebuild.status.phase, "PREBUILD_PHASE_CANCELLED");
    progress(r.stderr, doc.prebuild.id, "CANCELLED");
  });

  test("create --wait --logs: the log on stdout, line for line as the library streams it; progress on stderr", async () => {
    const r = await cli(["prebuilds", "create", "--project", completes.id, "--wait", "--logs"]);
    assert.equal(r.code, 0, r.stderr);
    const id = createdId(r.stderr);
    const log = await logOf(id);
    assert.ok(log.length > 5, `a log of ${log.length} lines`);
    assert.deepEqual(lines(r.stdout), log, "stdout is the log and nothing else");
    progress(r.stderr, id, "COMPLETED");
  });

  test("create --wait --logs --json: the log goes to stderr, stdout is one JSON document", async () => {
    const r = await cli(["prebuilds", "create", "--project", fails.id, "--logs", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.prebuild.status.phase, "PREBUILD_PHASE_FAILED");
    const log = await logOf(doc.prebuild.id);
    const errLines = lines(r.stderr);
    let at = 0;
    for (const line of log) {
      at = errLines.indexOf(line, at);
      assert.ok(at >= 0, `log line on stderr, in order: ${line}`);
    }
  });

  test("logs ID: a finished prebuild's whole log, exit 0; --json gives the prebuild and the lines", async () => {
    const [done] = (await client.listPrebuilds({ pageSize: 1, filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } })).prebuilds;
    const log = await logOf(done.id);
    const r = await cli(["prebuilds", "logs", done.id]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), log);
    assert.equal(r.stderr, "");
    const j = await cli(["prebuilds", "logs", done.id, "--json"]);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), { prebuild: (await client.getPrebuild({ prebuildId: done.id })).prebuild, lines: log });
  });

  test("logs ID of a FAILED prebuild exits 0; with --follow the exit code is its outcome, 1", async () => {
    const [failed] = (await client.listPrebuilds({ pageSize: 1, filter: { phases: ["PREBUILD_PHASE_FAILED"] } })).prebuilds;
    const log = await logOf(failed.id);
    const plain = await cli(["prebuilds", "logs", failed.id]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(lines(plain.stdout), log);
    const followed = await cli(["prebuilds", "logs", failed.id, "--follow"]);
    assert.equal(followed.code, 1, followed.stderr);
    assert.deepEqual(lines(followed.stdout), log);
    assert.match(followed.stderr, new RegExp(`^prebuild ${failed.id} ended FAILED`, "m"));
  });

  test("logs ID --follow of a running prebuild: its lines until it ends, progress on stderr, exit 0", async () => {
    const { prebuild } = await client.createPrebuild({ projectId: completes.id, spec: {} });
    const r = await cli(["prebuilds", "logs", prebuild.id, "--follow"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), await logOf(prebuild.id));
    progress(r.stderr, prebuild.id, "COMPLETED", { before: 0 });
  });

  test("logs ID without --follow of a running prebuild: says so on stderr, prints its lines until it ends, exit 0", async () => {
    const slowClient = new lib.PrebuildClient({ baseUrl: `${slow.url}/api`, token: TOKEN });
    const { prebuild } = await slowClient.createPrebuild({ projectId: completes.id, spec: {} });
    const note = new RegExp(
      `^prebuild ${prebuild.id} is (PENDING|STARTING|RUNNING|STOPPING|SNAPSHOTTING): its log is printed as it is written, until the prebuild ends$`,
      "m",
    );
    // Once the command has said the prebuild is running, cancelling it ends the log sooner.
    let cancelling;
    const r = await cli(["prebuilds", "logs", prebuild.id], {
      url: slow.url,
      onStderr: (text) => {
        if (!cancelling && note.test(text)) cancelling = slowClient.cancelPrebuild({ prebuildId: prebuild.id });
      },
    });
    await cancelling;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, note);
    const log = [];
    for await (const line of slowClient.streamPrebuildLogs({ prebuildId: prebuild.id })) log.push(line);
    assert.deepEqual(lines(r.stdout), log);
    assert.equal((await slowClient.getPrebuild({ prebuildId: prebuild.id })).prebuild.status.phase, "PREBUILD_PHASE_CANCELLED");
  });

  test("Ctrl-C while waiting aborts the wait and exits 130", async () => {
    let interrupted = false;
    const r = await cli(["prebuilds", "create", "--project", completes.id, "--wait"], {
      url: still.url,
      onStderr: (text, child) => {
        if (!interrupted && /^waiting for prebuild /m.test(text)) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    assert.ok(interrupted, r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /\ngitpod-prebuilds: interrupted\n$/);
  });

  test("the README's CI step passes when the prebuild completes and fails the job when it fails", async () => {
    const readme = readFileSync("README.md", "utf8");
    const step = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("\n## Command line\n")))[1];
    const command = /^\s+run: (.+)$/m.exec(step)[1];
    const project = /^\s+PROJECT: (\S+)$/m.exec(step)[1];
    assert.equal(project, completes.id, "the README's project completes in the simulator");
    const ci = (projectId) =>
      run("bash", ["-c", command], {
        // npx must find the installed copy: offline, a miss fails instead of downloading.
        env: cliEnv({ GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: TOKEN, PROJECT: projectId, npm_config_offline: "true" }),
        cwd: installed.dir,
      });
    const [passing, failing] = await Promise.all([ci(project), ci(fails.id)]);
    assert.equal(passing.code, 0, passing.stderr);
    assert.deepEqual(lines(passing.stdout), await logOf(createdId(passing.stderr)));
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(failing.stderr, /^prebuild [0-9a-f-]{36} ended FAILED/m);
  });
});
