// Types of gitpod-prebuilds/sim: the prebuild-sim simulator in-process (both entries:
// sim.js, and sim-workerd.js for the "workerd" condition).

/** How a simulator is made; the numbers mirror prebuild-sim's flags. */
export interface SimulatorOptions {
  /** `"manual"` (default): time moves only with `advance(ms)`. `"real"`: it follows `Date.now()`, ticking by a timer. */
  clock?: "manual" | "real";
  /** `--seed`: the generated prebuilds and warm pools, and every log's text. Default 1. */
  seed?: number;
  /** `--prebuilds`: this many more old, finished prebuilds. Default 0. */
  prebuilds?: number;
  /** `--tick-ms`: the clock period; a new prebuild completes after 18 ticks. Default 1000. */
  tickMs?: number;
  /** `--fault-rate`: a share (0 to 1) of API calls fails with 503, 429 or a reset. Default 0. */
  faultRate?: number;
  /** `--commit-share`: a share (0 to 1) of those faults come after the call was applied. Default 0. */
  commitShare?: number;
  /** `--token`: the only accepted bearer token. Default: any non-empty token (and `token` is `"sim-token"`). */
  token?: string;
  /** `--logs-token-ttl-ms`: the lifetime of CreatePrebuildLogsToken's tokens. Default 3600000. */
  logsTokenTtlMs?: number;
  /** `--log-chunk-bytes`: log bodies as pieces of at most N bytes; 0 (default): a piece a line. */
  logChunkBytes?: number;
  /** The simulator's wasm, where the file next to sim.js cannot be loaded (in Workers the entry imports it as a module): its URL, a Response, its bytes or a WebAssembly.Module. */
  wasm?: URL | string | Response | BufferSource | WebAssembly.Module;
}

/** A simulator running in this process. */
export interface Simulator {
  /** The client's `baseUrl` (an `http://prebuild-sim.localhost` URL: only `fetch` below answers it). */
  readonly baseUrl: string;
  /** A token the simulator accepts. */
  readonly token: string;
  /**
   * The global fetch's signature, answered in-process with a real `Response`: the
   * PrebuildService's methods, the prebuild logs at `status.logUrl` (streamed, growing
   * as the clock moves), `/_sim/*`, and the `x-sim-fault` header as prebuild-sim's (a
   * reset rejects with a TypeError, as a network failure; delays and stalls wait on
   * the simulator's clock).
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** prebuild-sim's `GET /_sim/info`: organisations, runners, classes, projects, subjects, hints. */
  info(): SimInfo;
  /** prebuild-sim's `GET /_sim/stats`: counters since the start or the last reset. */
  stats(): SimStats;
  /** Back to the seed state, as `POST /_sim/reset`. */
  reset(): { reset: true; prebuildCount: number; warmPoolCount: number };
  /** The manual clock only: moves it `ms` on, running every tick due; returns how many ran. */
  advance(ms: number): number;
  /** The simulator's time (Unix ms). */
  now(): number;
  /** Stops the clock; pending requests and open log streams fail. */
  close(): void;
}

/** `/_sim/info`'s document (the fields tests use most; the rest as prebuild-sim writes them). */
export interface SimInfo {
  organizations: { id: string; name: string; [key: string]: unknown }[];
  projects: { id: string; name: string; organizationId: string; environmentClassIds: string[]; defaultEnvironmentClassId: string; [key: string]: unknown }[];
  hints: { [key: string]: unknown };
  tickMs: number;
  [key: string]: unknown;
}

/** `/_sim/stats`'s counters. */
export interface SimStats {
  requests: number;
  faults: Record<string, number>;
  faultCount: number;
  committed: Record<string, number>;
  committedCount: number;
  served: number;
  statuses: Record<string, number>;
  methods: Record<string, unknown>;
  logs: Record<string, unknown>;
  [key: string]: unknown;
}

/** Starts a simulator in this process. */
export function createSimulator(options?: SimulatorOptions): Promise<Simulator>;
