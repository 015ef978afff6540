// A TypeScript consumer of every method, option, result and error class: `make test`
// compiles it with `tsc --strict --noEmit` against the shipped index.d.ts.
import {
  PrebuildClient, init, PrebuildClientError, ValidationError, APIError, NotFoundError, ConflictError,
  RateLimitError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ResponseDecodeError,
  WaitTimeoutError, type LogStatus,
  type Prebuild, type PrebuildPhase, type WarmPool, type ClientOptions, type RequestOptions,
} from "gitpod-prebuilds";

const options: ClientOptions = {
  baseUrl: "http://127.0.0.1:8787/api",
  token: "t",
  timeoutMs: 10_000,
  maxRetries: 3,
  headers: { "x-trace": "1" },
  fetch: (input, init) => fetch(input, init),
};
const client = new PrebuildClient(options);
const req: RequestOptions = { signal: new AbortController().signal, timeoutMs: 500, maxRetries: 0, headers: {} };
const projectId = "b0e12f6c-4c67-429d-a4a6-d9838b5da047";

async function everyMethod(): Promise<void> {
  await init();
  const { prebuild } = await client.createPrebuild({ projectId, spec: { timeout: "3600s" } }, req);
  await client.createPrebuild({ projectId, environmentClassId: projectId, spec: {} });
  const id: string = prebuild.id;
  const phase: string = prebuild.status.phase;
  const size: string = prebuild.status.snapshotSizeBytes;
  const percent: number = prebuild.status.snapshotCompletionPercentage;
  const completed: string | undefined = prebuild.status.completionTime;
  const creator: string = prebuild.metadata.creator.id;
  void [phase, size, percent, completed, creator];
  await client.getPrebuild({ prebuildId: id });
  const page = await client.listPrebuilds({
    token: "t", pageSize: 50,
    filter: { projectIds: [projectId], phases: ["PREBUILD_PHASE_FAILED"], triggeredBy: ["PREBUILD_TRIGGER_MANUAL"], creatorIds: [], executorIds: [] },
  });
  const next: string = page.pagination.nextToken;
  const first: Prebuild | undefined = page.prebuilds[0];
  void [next, first];
  await client.listPrebuilds();
  await client.cancelPrebuild({ prebuildId: id });
  const empty: Record<string, never> = await client.deletePrebuild({ prebuildId: id });
  void empty;
  const { accessToken } = await client.createPrebuildLogsToken({ prebuildId: id });
  void accessToken.length;

  const { warmPool } = await client.createWarmPool({ projectId, environmentClassId: projectId, minSize: 0, maxSize: 2 });
  const min: number | undefined = warmPool.spec.minSize;
  const running: number = warmPool.status.runningInstances;
  void [min, running];
  await client.getWarmPool({ warmPoolId: warmPool.id });
  const pools = await client.listWarmPools({ filter: { projectIds: [projectId], environmentClassIds: [] }, pageSize: 10 });
  const pool: WarmPool | undefined = pools.warmPools[0];
  void pool;
  await client.updateWarmPool({ warmPoolId: warmPool.id, maxSize: 5 });
  await client.deleteWarmPool({ warmPoolId: warmPool.id });

  for await (const p of client.iterPrebuilds({ filter: { projectIds: [projectId] } })) {
    const known: PrebuildPhase | string = p.status.phase;
    void known;
  }
  for await (const w of client.iterWarmPools()) void w.id;
}

async function errors(): Promise<void> {
  try {
    await everyMethod();
  } catch (e) {
    if (e instanceof ValidationError) console.log(e.field, e.message);
    else if (e instanceof NotFoundError || e instanceof ConflictError || e instanceof RateLimitError) {
      const s: number | undefined = e.status;
      const c: string | undefined = e.code;
      const d: unknown[] = e.details;
      void [s, c, d];
    } else if (e instanceof APIConnectionTimeoutError || e instanceof APIConnectionError || e instanceof APIUserAbortError) {
      const created: true | undefined = e.mayHaveBeenCreated;
      console.log(e.name, created === true);
    } else if (e instanceof ResponseDecodeError) {
      if (e.mayHaveBeenCreated) console.log("list the project's prebuilds");
    } else if (e instanceof APIError || e instanceof PrebuildClientError) {
      console.log(e.message);
    }
  }
}

// @ts-expect-error: projectId is required
client.createPrebuild({ spec: {} });
// @ts-expect-error: phases are string unions
client.listPrebuilds({ filter: { phases: ["RUNNING"] } });
// @ts-expect-error: unknown option
new PrebuildClient({ timeout: 5 });
// A create retried like any other call, duplicates and all.
void client.createPrebuild({ projectId, spec: {} }, { unsafeRetries: true });
// @ts-expect-error: unsafeRetries is a boolean
void client.createPrebuild({ projectId, spec: {} }, { unsafeRetries: "yes" });
// @ts-expect-error: mayHaveBeenCreated is only ever true
const notFalse: false = new APIError().mayHaveBeenCreated;

void errors();

// Following a prebuild, a warm pool and a log.
async function follow(prebuildId: string, warmPoolId: string) {
  const done: Prebuild = await client.waitForPrebuild(
    { prebuildId },
    { until: ["COMPLETED", "PREBUILD_PHASE_FAILED"], intervalMs: 500, deadlineMs: 60_000, timeoutMs: 5000, onUpdate: (p: Prebuild) => p.status.phase },
  );
  for await (const p of client.watchPrebuild({ prebuildId }, { maxIntervalMs: 5000 })) {
    const phase: PrebuildPhase | string = p.status.phase;
    if (phase === "PREBUILD_PHASE_RUNNING") break;
  }
  const pool: WarmPool = await client.waitForWarmPool({ warmPoolId }, { until: ["READY"] });
  for await (const w of client.watchWarmPool({ warmPoolId })) console.log(w.status.phase);
  const onStatus = (s: LogStatus) => (s.state === "reconnecting" ? s.waitMs + s.attempt : 0);
  for await (const line of client.streamPrebuildLogs({ prebuildId }, { onStatus, idleTimeoutMs: 10_000, signal: AbortSignal.timeout(1000) })) {
    const text: string = line;
    void text;
  }
  try {
    await client.waitForPrebuild({ prebuildId }, { deadlineMs: 1 });
  } catch (e) {
    if (e instanceof WaitTimeoutError) console.log(e.lastSeen?.id, e instanceof PrebuildClientError);
  }
  void [done, pool];
}
// @ts-expect-error: a warm pool phase does not end a prebuild wait
void client.waitForPrebuild({ prebuildId: projectId }, { until: ["READY"] });
// @ts-expect-error: log streams have no deadline option
void client.streamPrebuildLogs({ prebuildId: projectId }, { deadline: 5 });
// @ts-expect-error: only a log stream has an idle limit
void client.watchPrebuild({ prebuildId: projectId }, { idleTimeoutMs: 5 });
void follow;
