// Types of the gitpod-prebuilds package: a client for Gitpod's PrebuildService.

/** How a client talks to the service. */
export interface ClientOptions {
  /** The API's base URL. Default: `https://app.gitpod.io/api`; in Node, Deno and Bun, `GITPOD_BASE_URL` when set (and, in Deno, allowed). A relative URL resolves against the page. */
  baseUrl?: string;
  /** The bearer token. In Node, Deno and Bun, `GITPOD_API_KEY` when not given (and, in Deno, allowed). */
  token?: string;
  /** Per-attempt timeout in milliseconds, reading the body included. Default 60000. */
  timeoutMs?: number;
  /** Retries after the first attempt (0 to 10). Default 2. */
  maxRetries?: number;
  /**
   * A fetch implementation to use instead of the global one. Called as
   * `fetch(url, init)`: `init` has `method: "POST"`, `headers` (a `Headers`), `body`
   * (the JSON text) and `signal` (the attempt's AbortSignal).
   */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Allow sending the token over plain http:// to a host that is not this machine. Default false. */
  allowInsecureHttp?: boolean;
}

/** Per-call options; they override the client's. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt (0 to 10). */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /**
   * `createPrebuild` only: retry this call like any other (timeouts, connection errors,
   * 408, 429, 5xx), even though a retry may then start a second prebuild when the
   * server carried out an attempt whose answer was lost. Without it, a create is
   * retried only after failures that show the server did not act (429, 503, an
   * explicit `unavailable` or `resource_exhausted`, `x-should-retry: true`). Default false.
   */
  unsafeRetries?: boolean;
}

/**
 * How a wait or watch polls. Each poll is a `getPrebuild` / `getWarmPool` call with the
 * `RequestOptions` given alongside (timeout, retries, headers).
 */
export interface FollowOptions<Phase extends string> extends RequestOptions {
  /**
   * The phases that end the wait, by wire name (`"PREBUILD_PHASE_COMPLETED"`) or short
   * name (`"COMPLETED"`). Default: the final phases (prebuilds: COMPLETED, FAILED,
   * CANCELLED, DELETED; warm pools: READY, DEGRADED, DELETED).
   */
  until?: readonly (Phase | ShortPhase<Phase>)[];
  /** The first gap between polls in ms (default 1000); gaps grow by half, with jitter, after each unchanged poll. */
  intervalMs?: number;
  /** The longest gap between polls in ms (default 10000, or intervalMs if larger). */
  maxIntervalMs?: number;
  /** How long the whole wait may take, in ms; past it, a WaitTimeoutError. Default: no limit. */
  deadlineMs?: number;
  /** Stops polling: the wait rejects with an APIUserAbortError. */
  signal?: AbortSignal;
}

/** `"COMPLETED"` for `"PREBUILD_PHASE_COMPLETED"`. */
export type ShortPhase<Phase extends string> = Phase extends `${string}_PHASE_${infer Short}` ? Short : never;

/** Options of `waitForPrebuild` and `waitForWarmPool`. */
export interface WaitOptions<Phase extends string, State> extends FollowOptions<Phase> {
  /** Called with the first state seen and then once per change (a new `statusVersion`). */
  onUpdate?: (state: State) => void;
}

/** How a log stream stands, for a UI: told through `onStatus`. */
export type LogStatus =
  | { state: "waiting" } // the prebuild has no log yet; polling until it has
  | { state: "streaming" } // a stream is open (first, or again after a reconnect)
  | { state: "reconnecting"; attempt: number; waitMs: number; reason: string };

/** Options of `streamPrebuildLogs`: `intervalMs` and `maxIntervalMs` pace the polls while the log is not there yet. */
export interface LogStreamOptions extends RequestOptions {
  intervalMs?: number;
  maxIntervalMs?: number;
  /**
   * How long an open stream may send nothing, in ms (a whole number from 1 up; default
   * 30000), before it is dropped and reconnected like a broken one (a `reconnecting`
   * status whose reason says no data came), skipping the lines already given.
   */
  idleTimeoutMs?: number;
  /** Called when the stream starts waiting, streams, or reconnects. */
  onStatus?: (status: LogStatus) => void;
  /** Stops the stream: the iteration rejects with an APIUserAbortError. */
  signal?: AbortSignal;
}

/** What kind of identity a subject is. */
export type Principal =
  | "PRINCIPAL_UNSPECIFIED" | "PRINCIPAL_ACCOUNT" | "PRINCIPAL_USER" | "PRINCIPAL_RUNNER"
  | "PRINCIPAL_ENVIRONMENT" | "PRINCIPAL_SERVICE_ACCOUNT" | "PRINCIPAL_RUNNER_MANAGER";

/** Where a prebuild is in its lifecycle. */
export type PrebuildPhase =
  | "PREBUILD_PHASE_UNSPECIFIED" | "PREBUILD_PHASE_PENDING" | "PREBUILD_PHASE_STARTING"
  | "PREBUILD_PHASE_RUNNING" | "PREBUILD_PHASE_STOPPING" | "PREBUILD_PHASE_SNAPSHOTTING"
  | "PREBUILD_PHASE_COMPLETED" | "PREBUILD_PHASE_FAILED" | "PREBUILD_PHASE_CANCELLING"
  | "PREBUILD_PHASE_CANCELLED" | "PREBUILD_PHASE_DELETING" | "PREBUILD_PHASE_DELETED";

/** What started a prebuild. */
export type PrebuildTrigger = "PREBUILD_TRIGGER_UNSPECIFIED" | "PREBUILD_TRIGGER_MANUAL" | "PREBUILD_TRIGGER_SCHEDULED";

/** Where a warm pool is in its lifecycle. */
export type WarmPoolPhase =
  | "WARM_POOL_PHASE_UNSPECIFIED" | "WARM_POOL_PHASE_PENDING" | "WARM_POOL_PHASE_READY"
  | "WARM_POOL_PHASE_DEGRADED" | "WARM_POOL_PHASE_DELETING" | "WARM_POOL_PHASE_DELETED";

/**
 * A value a newer server may send that this version does not know yet. Received
 * enums are typed `Known | Unrecognized` so that code handles them.
 */
export type Unrecognized = string & { readonly __unrecognized?: never };

/** An identity: a creator or executor. */
export interface Subject {
  id: string;
  principal: Principal | Unrecognized;
}

/** A prebuild: a project's environment, run once and snapshotted so environments start fast. */
export interface Prebuild {
  id: string;
  metadata: PrebuildMetadata;
  spec: PrebuildSpec;
  status: PrebuildStatus;
}

export interface PrebuildMetadata {
  organizationId: string;
  projectId: string;
  environmentClassId: string;
  creator: Subject;
  /** RFC 3339 time. */
  createdAt?: string;
  /** RFC 3339 time. */
  updatedAt?: string;
  triggeredBy: PrebuildTrigger | Unrecognized;
  executor: Subject;
}

export interface PrebuildSpec {
  /** A 64-bit integer as decimal text. */
  specVersion: string;
  desiredPhase: PrebuildPhase | Unrecognized;
  /** A protobuf duration such as `"3600s"`. */
  timeout?: string;
}

export interface PrebuildStatus {
  phase: PrebuildPhase | Unrecognized;
  /** RFC 3339 time of completion or failure. */
  completionTime?: string;
  failureMessage: string;
  logUrl: string;
  environmentId: string;
  /** A 64-bit integer as decimal text. */
  statusVersion: string;
  warningMessage: string;
  /** 0 to 100 while SNAPSHOTTING. */
  snapshotCompletionPercentage: number;
  /** A 64-bit integer as decimal text. */
  snapshotSizeBytes: string;
}

/** Pre-created environment instances from a prebuild snapshot: one pool per project and environment class. */
export interface WarmPool {
  id: string;
  metadata: WarmPoolMetadata;
  spec: WarmPoolSpec;
  status: WarmPoolStatus;
}

export interface WarmPoolMetadata {
  organizationId: string;
  projectId: string;
  environmentClassId: string;
  runnerId: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface WarmPoolSpec {
  /** A 64-bit integer as decimal text. */
  specVersion: string;
  /** @deprecated Use minSize and maxSize. */
  desiredSize: number;
  /** The prebuild snapshot being warmed; absent until a prebuild completed. */
  snapshotId?: string;
  desiredPhase: WarmPoolPhase | Unrecognized;
  minSize?: number;
  maxSize?: number;
}

export interface WarmPoolStatus {
  phase: WarmPoolPhase | Unrecognized;
  failureMessage: string;
  /** A 64-bit integer as decimal text. */
  statusVersion: string;
  runningInstances: number;
  stoppedInstances: number;
  desiredSize: number;
}

export interface PaginationRequest {
  token?: string;
  /** 0 to 100; 0 means 25. */
  pageSize?: number;
}

export interface PaginationResponse {
  /** Empty on the last page. */
  nextToken: string;
}

export interface CreatePrebuildParams {
  /** The project (UUID). */
  projectId: string;
  /** The environment class (UUID); the project's default when absent. */
  environmentClassId?: string;
  /** Required; may be `{}`. */
  spec: {
    /** `"300s"` to `"7200s"`; the service's default is `"3600s"`. */
    timeout?: string;
    desiredPhase?: PrebuildPhase;
    specVersion?: string;
  };
}

export interface PrebuildIdParams {
  /** The prebuild (UUID). */
  prebuildId: string;
}

export interface ListPrebuildsParams {
  /** The `nextToken` of the previous page (sent in the query). */
  token?: string;
  /** 0 to 100 (sent in the query). */
  pageSize?: number;
  filter?: {
    /** At most 25. */
    projectIds?: string[];
    /** At most 25. */
    creatorIds?: string[];
    /** At most 25. */
    executorIds?: string[];
    /** At most 10. */
    phases?: PrebuildPhase[];
    /** At most 5. */
    triggeredBy?: PrebuildTrigger[];
  };
  pagination?: PaginationRequest;
}

export interface CreateWarmPoolParams {
  projectId: string;
  environmentClassId: string;
  /** @deprecated 1 to 20; use minSize and maxSize. */
  desiredSize?: number;
  /** 0 to 20; 0 allows full scale-down. */
  minSize?: number;
  /** 1 to 20, at least minSize. */
  maxSize?: number;
}

export interface WarmPoolIdParams {
  /** The warm pool (UUID). */
  warmPoolId: string;
}

export interface UpdateWarmPoolParams {
  warmPoolId: string;
  /** @deprecated 1 to 20. */
  desiredSize?: number;
  minSize?: number;
  maxSize?: number;
}

export interface ListWarmPoolsParams {
  token?: string;
  pageSize?: number;
  filter?: {
    /** At most 25. */
    projectIds?: string[];
    /** At most 25. */
    environmentClassIds?: string[];
  };
  pagination?: PaginationRequest;
}

export interface PrebuildResponse { prebuild: Prebuild }
export interface ListPrebuildsResponse { prebuilds: Prebuild[]; pagination: PaginationResponse }
export interface LogsTokenResponse { /** Valid for one hour. */ accessToken: string }
export interface WarmPoolResponse { warmPool: WarmPool }
export interface ListWarmPoolsResponse { warmPools: WarmPool[]; pagination: PaginationResponse }
export type EmptyResponse = Record<string, never>;

/** A client for Gitpod's PrebuildService. Every method returns a promise and never throws synchronously. */
export class PrebuildClient {
  constructor(options?: ClientOptions);
  /** Starts a prebuild of a project. */
  createPrebuild(params: CreatePrebuildParams, options?: RequestOptions): Promise<PrebuildResponse>;
  /** Reads one prebuild. */
  getPrebuild(params: PrebuildIdParams, options?: RequestOptions): Promise<PrebuildResponse>;
  /** One page of prebuilds, newest first. */
  listPrebuilds(params?: ListPrebuildsParams, options?: RequestOptions): Promise<ListPrebuildsResponse>;
  /** Cancels a running prebuild. */
  cancelPrebuild(params: PrebuildIdParams, options?: RequestOptions): Promise<PrebuildResponse>;
  /** Deletes a prebuild (asynchronously: it passes through DELETING). */
  deletePrebuild(params: PrebuildIdParams, options?: RequestOptions): Promise<EmptyResponse>;
  /** A token for reading a prebuild's logs, valid for one hour. */
  createPrebuildLogsToken(params: PrebuildIdParams, options?: RequestOptions): Promise<LogsTokenResponse>;
  /** Creates the warm pool of a project and environment class (one per pair). */
  createWarmPool(params: CreateWarmPoolParams, options?: RequestOptions): Promise<WarmPoolResponse>;
  /** Reads one warm pool. */
  getWarmPool(params: WarmPoolIdParams, options?: RequestOptions): Promise<WarmPoolResponse>;
  /** One page of warm pools. */
  listWarmPools(params?: ListWarmPoolsParams, options?: RequestOptions): Promise<ListWarmPoolsResponse>;
  /** Changes a warm pool's size; absent fields stay as they are. */
  updateWarmPool(params: UpdateWarmPoolParams, options?: RequestOptions): Promise<WarmPoolResponse>;
  /** Deletes a warm pool. */
  deleteWarmPool(params: WarmPoolIdParams, options?: RequestOptions): Promise<EmptyResponse>;
  /**
   * Polls a prebuild until its phase is in `options.until` (by default COMPLETED, FAILED,
   * CANCELLED or DELETED) and resolves with it. Rejects with a WaitTimeoutError past
   * `deadlineMs`, a NotFoundError if the prebuild disappears, or the error of a poll
   * that failed after its retries.
   */
  waitForPrebuild(params: PrebuildIdParams, options?: WaitOptions<PrebuildPhase, Prebuild>): Promise<Prebuild>;
  /** The prebuild now, then each change (a new `statusVersion`), ending after a phase in `until`; `break` stops polling. */
  watchPrebuild(params: PrebuildIdParams, options?: FollowOptions<PrebuildPhase>): AsyncIterableIterator<Prebuild>;
  /** Polls a warm pool until its phase is in `until` (by default READY, DEGRADED or DELETED) and resolves with it. */
  waitForWarmPool(params: WarmPoolIdParams, options?: WaitOptions<WarmPoolPhase, WarmPool>): Promise<WarmPool>;
  /** The warm pool now, then each change, ending after a phase in `until`; `break` stops polling. */
  watchWarmPool(params: WarmPoolIdParams, options?: FollowOptions<WarmPoolPhase>): AsyncIterableIterator<WarmPool>;
  /**
   * The prebuild's log, one line at a time (without its line ending), from the first line
   * to the end: waits for `status.logUrl`, reads it with a logs token, reconnects when the
   * stream drops (with a fresh token when the old one is refused) without repeating a
   * line, and ends when the stream ends with the prebuild in a final phase. `break` or
   * `signal` stops it.
   */
  streamPrebuildLogs(params: PrebuildIdParams, options?: LogStreamOptions): AsyncIterableIterator<string>;
  /** Every prebuild of every page; the next page is fetched only when needed. */
  iterPrebuilds(params?: ListPrebuildsParams, options?: RequestOptions): AsyncIterableIterator<Prebuild>;
  /** Every warm pool of every page; the next page is fetched only when needed. */
  iterWarmPools(params?: ListWarmPoolsParams, options?: RequestOptions): AsyncIterableIterator<WarmPool>;
}

/**
 * `WebAssembly.Module` where the project's types declare it (lib "dom" or "webworker",
 * Workers types); nothing where they do not (Node's types alone), so that these types
 * compile either way.
 */
export type WebAssemblyModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/**
 * Loads the WebAssembly module ahead of the first call (optional), from a URL, Response,
 * bytes or compiled module. Needed only where the default location does not work; a
 * failure rejects with a PrebuildClientError that says so.
 */
export function init(moduleOrPath?: string | URL | Request | Response | ArrayBuffer | ArrayBufferView | WebAssemblyModule): Promise<void>;

/** Base class of every error this client throws. */
export class PrebuildClientError extends Error {}
/** Bad input, found before anything was sent. */
export class ValidationError extends PrebuildClientError {
  /** The offending parameter, e.g. `"spec.timeout"` or `"filter.projectIds[2]"`. */
  readonly field: string;
}
/** The server answered with an error (or, for the connection subclasses, did not answer). */
export class APIError extends PrebuildClientError {
  /** The HTTP status; undefined for connection errors. */
  readonly status: number | undefined;
  /** The Connect code, e.g. `"not_found"`; undefined for connection errors. */
  readonly code: string | undefined;
  /** The Connect error details. */
  readonly details: unknown[];
  /**
   * `true` when a `createPrebuild` or `createWarmPool` failed after the server may have
   * carried it out (a timeout, a dropped connection, a gateway or server error, an
   * unreadable answer, an abort after the request was handed to fetch): the prebuild
   * or warm pool may exist. Such a `createPrebuild` is
   * not retried, since a retry could start a second prebuild; list the project's
   * prebuilds (or warm pools) before trying again. Absent on every other error.
   */
  readonly mayHaveBeenCreated?: true;
}
export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}
/** The request did not reach the server, or no answer came back. */
export class APIConnectionError extends APIError {}
/** An attempt took longer than its timeout. */
export class APIConnectionTimeoutError extends APIConnectionError {}
/** The caller's AbortSignal ended the call. */
export class APIUserAbortError extends APIError {}
/** A successful response whose body is not the expected message. */
export class ResponseDecodeError extends PrebuildClientError {
  /**
   * `true` when a `createPrebuild` or `createWarmPool` failed after the server may have
   * carried it out (a timeout, a dropped connection, a gateway or server error, an
   * unreadable answer, an abort after the request was handed to fetch): the prebuild
   * or warm pool may exist. Such a `createPrebuild` is
   * not retried, since a retry could start a second prebuild; list the project's
   * prebuilds (or warm pools) before trying again. Absent on every other error.
   */
  readonly mayHaveBeenCreated?: true;
}
/** A wait or watch ran past its `deadlineMs`. */
export class WaitTimeoutError extends PrebuildClientError {
  /** The last prebuild or warm pool seen, if any poll succeeded. */
  readonly lastSeen: Prebuild | WarmPool | undefined;
}
