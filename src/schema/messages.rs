//! Every message of the PrebuildService, declared once, as data: the resources
//! (prebuilds, warm pools, subjects, pagination), the 11 methods' responses and
//! requests (with the service's rules), and the Connect error body. Field order is
//! declaration order in the API reference; it is the order of the canonical JSON.

use super::desc::{Enum, Field, Kind, Msg, Presence, Rule};
use crate::validate::UUID_REQUIRED;

// ---------------------------------------------------------------------------------
// Enums

/// The kind of identity behind a subject.
pub static PRINCIPAL: Enum = Enum {
    values: &[
        (0, "PRINCIPAL_UNSPECIFIED"),
        (1, "PRINCIPAL_ACCOUNT"),
        (2, "PRINCIPAL_USER"),
        (3, "PRINCIPAL_RUNNER"),
        (4, "PRINCIPAL_ENVIRONMENT"),
        (5, "PRINCIPAL_SERVICE_ACCOUNT"),
        (6, "PRINCIPAL_RUNNER_MANAGER"),
    ],
};

/// Where a prebuild is in its lifecycle.
pub static PREBUILD_PHASE: Enum = Enum {
    values: &[
        (0, "PREBUILD_PHASE_UNSPECIFIED"),
        (10, "PREBUILD_PHASE_PENDING"),
        (20, "PREBUILD_PHASE_STARTING"),
        (30, "PREBUILD_PHASE_RUNNING"),
        (40, "PREBUILD_PHASE_STOPPING"),
        (50, "PREBUILD_PHASE_SNAPSHOTTING"),
        (60, "PREBUILD_PHASE_COMPLETED"),
        (70, "PREBUILD_PHASE_FAILED"),
        (75, "PREBUILD_PHASE_CANCELLING"),
        (80, "PREBUILD_PHASE_CANCELLED"),
        (85, "PREBUILD_PHASE_DELETING"),
        (90, "PREBUILD_PHASE_DELETED"),
    ],
};

/// What started a prebuild.
pub static PREBUILD_TRIGGER: Enum = Enum {
    values: &[(0, "PREBUILD_TRIGGER_UNSPECIFIED"), (1, "PREBUILD_TRIGGER_MANUAL"), (2, "PREBUILD_TRIGGER_SCHEDULED")],
};

/// Where a warm pool is in its lifecycle.
pub static WARM_POOL_PHASE: Enum = Enum {
    values: &[
        (0, "WARM_POOL_PHASE_UNSPECIFIED"),
        (10, "WARM_POOL_PHASE_PENDING"),
        (20, "WARM_POOL_PHASE_READY"),
        (30, "WARM_POOL_PHASE_DEGRADED"),
        (40, "WARM_POOL_PHASE_DELETING"),
        (50, "WARM_POOL_PHASE_DELETED"),
    ],
};

// ---------------------------------------------------------------------------------
// Resources

use Kind::{Int32, Int64, Str};

/// An identity: the creator or executor of a prebuild.
pub static SUBJECT: Msg = Msg::response(
    "Subject",
    &[Field::always("id", "id", Str), Field::always("principal", "principal", Kind::Enum(&PRINCIPAL))],
);

/// Ownership and origin of a prebuild.
pub static PREBUILD_METADATA: Msg = Msg::response(
    "PrebuildMetadata",
    &[
        Field::always("organizationId", "organization_id", Str),
        Field::always("projectId", "project_id", Str),
        Field::always("environmentClassId", "environment_class_id", Str),
        Field::always("creator", "creator", Kind::Msg(&SUBJECT)),
        Field::optional("createdAt", "created_at", Str),
        Field::optional("updatedAt", "updated_at", Str),
        Field::always("triggeredBy", "triggered_by", Kind::Enum(&PREBUILD_TRIGGER)),
        Field::always("executor", "executor", Kind::Msg(&SUBJECT)),
    ],
);

/// The configuration of a prebuild.
pub static PREBUILD_SPEC: Msg = Msg::response(
    "PrebuildSpec",
    &[
        Field::always("specVersion", "spec_version", Int64),
        Field::always("desiredPhase", "desired_phase", Kind::Enum(&PREBUILD_PHASE)),
        Field::optional("timeout", "timeout", Str),
    ],
);

/// The current state of a prebuild.
pub static PREBUILD_STATUS: Msg = Msg::response(
    "PrebuildStatus",
    &[
        Field::always("phase", "phase", Kind::Enum(&PREBUILD_PHASE)),
        Field::optional("completionTime", "completion_time", Str),
        Field::always("failureMessage", "failure_message", Str),
        Field::always("logUrl", "log_url", Str),
        Field::always("environmentId", "environment_id", Str),
        Field::always("statusVersion", "status_version", Int64),
        Field::always("warningMessage", "warning_message", Str),
        Field::always("snapshotCompletionPercentage", "snapshot_completion_percentage", Int32),
        Field::always("snapshotSizeBytes", "snapshot_size_bytes", Int64),
    ],
);

/// A prebuild of a project.
pub static PREBUILD: Msg = Msg::response(
    "Prebuild",
    &[
        Field::always("id", "id", Str),
        Field::always("metadata", "metadata", Kind::Msg(&PREBUILD_METADATA)),
        Field::always("spec", "spec", Kind::Msg(&PREBUILD_SPEC)),
        Field::always("status", "status", Kind::Msg(&PREBUILD_STATUS)),
    ],
);

/// Ownership of a warm pool.
pub static WARM_POOL_METADATA: Msg = Msg::response(
    "WarmPoolMetadata",
    &[
        Field::always("organizationId", "organization_id", Str),
        Field::always("projectId", "project_id", Str),
        Field::always("environmentClassId", "environment_class_id", Str),
        Field::always("runnerId", "runner_id", Str),
        Field::optional("createdAt", "created_at", Str),
        Field::optional("updatedAt", "updated_at", Str),
    ],
);

/// The desired configuration of a warm pool.
pub static WARM_POOL_SPEC: Msg = Msg::response(
    "WarmPoolSpec",
    &[
        Field::always("specVersion", "spec_version", Int64),
        Field::always("desiredSize", "desired_size", Int32),
        Field::optional("snapshotId", "snapshot_id", Str),
        Field::always("desiredPhase", "desired_phase", Kind::Enum(&WARM_POOL_PHASE)),
        Field::optional("minSize", "min_size", Int32),
        Field::optional("maxSize", "max_size", Int32),
    ],
);

/// What the runner reports about a warm pool.
pub static WARM_POOL_STATUS: Msg = Msg::response(
    "WarmPoolStatus",
    &[
        Field::always("phase", "phase", Kind::Enum(&WARM_POOL_PHASE)),
        Field::always("failureMessage", "failure_message", Str),
        Field::always("statusVersion", "status_version", Int64),
        Field::always("runningInstances", "running_instances", Int32),
        Field::always("stoppedInstances", "stopped_instances", Int32),
        Field::always("desiredSize", "desired_size", Int32),
    ],
);

/// Pre-created environment instances of a prebuild's snapshot.
pub static WARM_POOL: Msg = Msg::response(
    "WarmPool",
    &[
        Field::always("id", "id", Str),
        Field::always("metadata", "metadata", Kind::Msg(&WARM_POOL_METADATA)),
        Field::always("spec", "spec", Kind::Msg(&WARM_POOL_SPEC)),
        Field::always("status", "status", Kind::Msg(&WARM_POOL_STATUS)),
    ],
);

/// Where the next page starts.
pub static PAGINATION_RESPONSE: Msg =
    Msg::response("PaginationResponse", &[Field::always("nextToken", "next_token", Str)]);

// ---------------------------------------------------------------------------------
// Responses

/// CreatePrebuild, GetPrebuild and CancelPrebuild.
pub static PREBUILD_RESPONSE: Msg =
    Msg::response("PrebuildResponse", &[Field::always("prebuild", "prebuild", Kind::Msg(&PREBUILD))]);

/// ListPrebuilds.
pub static LIST_PREBUILDS_RESPONSE: Msg = Msg::response(
    "ListPrebuildsResponse",
    &[
        Field::always("prebuilds", "prebuilds", Kind::List(&Kind::Msg(&PREBUILD))),
        Field::always("pagination", "pagination", Kind::Msg(&PAGINATION_RESPONSE)),
    ],
);

/// CreatePrebuildLogsToken.
pub static LOGS_TOKEN_RESPONSE: Msg =
    Msg::response("CreatePrebuildLogsTokenResponse", &[Field::always("accessToken", "access_token", Str)]);

/// CreateWarmPool, GetWarmPool and UpdateWarmPool.
pub static WARM_POOL_RESPONSE: Msg =
    Msg::response("WarmPoolResponse", &[Field::always("warmPool", "warm_pool", Kind::Msg(&WARM_POOL))]);

/// ListWarmPools.
pub static LIST_WARM_POOLS_RESPONSE: Msg = Msg::response(
    "ListWarmPoolsResponse",
    &[
        Field::always("warmPools", "warm_pools", Kind::List(&Kind::Msg(&WARM_POOL))),
        Field::always("pagination", "pagination", Kind::Msg(&PAGINATION_RESPONSE)),
    ],
);

/// DeletePrebuild and DeleteWarmPool.
pub static EMPTY: Msg = Msg::response("Empty", &[]);

/// A Connect error body: `details` passed through as read; `code` and `message` are
/// read as strays (kept when they are strings, ignored otherwise).
pub static ERROR_BODY: Msg = Msg::response("ConnectError", &[Field::optional("details", "details", Kind::Any)]);

// ---------------------------------------------------------------------------------
// Requests

/// A required id.
const fn id(json: &'static str, proto: &'static str) -> Field {
    Field::always(json, proto, Str).rule(Rule::Uuid).required(UUID_REQUIRED)
}

/// A request's optional 32-bit integer within `lo..=hi` ("sent even when 0").
const fn size(json: &'static str, proto: &'static str, lo: i32, hi: i32) -> Field {
    Field::optional(json, proto, Int32).rule(Rule::Range(lo, hi))
}

/// A filter's list of ids: at most `max`, each a UUID.
const fn ids(json: &'static str, proto: &'static str, max: usize) -> Field {
    Field::always(json, proto, Kind::List(&Str)).presence(Presence::NonEmpty).rule(Rule::Items(max, &Rule::Uuid))
}

/// The spec given to CreatePrebuild.
pub static CREATE_PREBUILD_SPEC: Msg = Msg::request(
    "CreatePrebuildSpec",
    &[
        Field::optional("specVersion", "spec_version", Int64),
        Field::optional("desiredPhase", "desired_phase", Kind::Enum(&PREBUILD_PHASE)).rule(Rule::Known),
        Field::optional("timeout", "timeout", Str).rule(Rule::PrebuildTimeout),
    ],
);

/// CreatePrebuild.
pub static CREATE_PREBUILD_REQUEST: Msg = Msg::request(
    "CreatePrebuildRequest",
    &[
        id("projectId", "project_id"),
        Field::optional("environmentClassId", "environment_class_id", Str)
            .presence(Presence::NonEmpty)
            .rule(Rule::Uuid),
        Field::optional("spec", "spec", Kind::Msg(&CREATE_PREBUILD_SPEC))
            .required("is required (it may be empty: {}, or e.g. { timeout: \"3600s\" })"),
    ],
);

/// GetPrebuild, CancelPrebuild, DeletePrebuild and CreatePrebuildLogsToken.
pub static PREBUILD_ID_REQUEST: Msg = Msg::request("PrebuildIdRequest", &[id("prebuildId", "prebuild_id")]);

/// Pagination in a list request's body.
pub static PAGINATION_REQUEST: Msg = Msg::request(
    "PaginationRequest",
    &[Field::optional("token", "token", Str), size("pageSize", "page_size", 0, crate::api::MAX_PAGE_SIZE)],
);

/// Filters of ListPrebuilds.
pub static PREBUILD_FILTER: Msg = Msg::request(
    "PrebuildFilter",
    &[
        ids("projectIds", "project_ids", 25),
        ids("creatorIds", "creator_ids", 25),
        ids("executorIds", "executor_ids", 25),
        Field::always("phases", "phases", Kind::List(&Kind::Enum(&PREBUILD_PHASE)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(10, &Rule::Known)),
        Field::always("triggeredBy", "triggered_by", Kind::List(&Kind::Enum(&PREBUILD_TRIGGER)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(5, &Rule::Known)),
    ],
);

/// The query fields and body of a list request.
const fn list_fields(filter: &'static Msg) -> [Field; 4] {
    [
        Field::optional("token", "token", Str).presence(Presence::Query),
        size("pageSize", "page_size", 0, crate::api::MAX_PAGE_SIZE).presence(Presence::Query),
        Field::optional("filter", "filter", Kind::Msg(filter)),
        Field::optional("pagination", "pagination", Kind::Msg(&PAGINATION_REQUEST)),
    ]
}

/// ListPrebuilds.
pub static LIST_PREBUILDS_REQUEST: Msg = Msg::request("ListPrebuildsRequest", &list_fields(&PREBUILD_FILTER));

/// Filters of ListWarmPools.
pub static WARM_POOL_FILTER: Msg = Msg::request(
    "WarmPoolFilter",
    &[ids("projectIds", "project_ids", 25), ids("environmentClassIds", "environment_class_ids", 25)],
);

/// ListWarmPools.
pub static LIST_WARM_POOLS_REQUEST: Msg = Msg::request("ListWarmPoolsRequest", &list_fields(&WARM_POOL_FILTER));

/// minSize may not exceed maxSize (the size fields are the last three of both requests).
fn min_not_above_max(ints: &[Option<i64>]) -> Option<(&'static str, String)> {
    let n = ints.len();
    let (Some(Some(min)), Some(Some(max))) = (ints.get(n.wrapping_sub(2)), ints.get(n.wrapping_sub(1))) else {
        return None;
    };
    (min > max).then(|| ("minSize", crate::api::min_above_max(*min, *max)))
}

/// CreateWarmPool.
pub static CREATE_WARM_POOL_REQUEST: Msg = Msg {
    check: Some(min_not_above_max),
    ..Msg::request(
        "CreateWarmPoolRequest",
        &[
            id("projectId", "project_id"),
            id("environmentClassId", "environment_class_id"),
            size("desiredSize", "desired_size", 1, 20),
            size("minSize", "min_size", 0, 20),
            size("maxSize", "max_size", 1, 20),
        ],
    )
};

/// GetWarmPool and DeleteWarmPool.
pub static WARM_POOL_ID_REQUEST: Msg = Msg::request("WarmPoolIdRequest", &[id("warmPoolId", "warm_pool_id")]);

/// UpdateWarmPool.
pub static UPDATE_WARM_POOL_REQUEST: Msg = Msg {
    check: Some(min_not_above_max),
    ..Msg::request(
        "UpdateWarmPoolRequest",
        &[
            id("warmPoolId", "warm_pool_id"),
            size("desiredSize", "desired_size", 1, 20),
            size("minSize", "min_size", 0, 20),
            size("maxSize", "max_size", 1, 20),
        ],
    )
};

// ---------------------------------------------------------------------------------
// Options (JavaScript objects, read with the same reader)

/// An option: optional, with the JSON name as its proto name too.
const fn option(json: &'static str, proto: &'static str, kind: Kind) -> Field {
    Field::optional(json, proto, kind)
}

/// An options object: unknown keys refused, named as `options.<key>`.
const fn options(name: &'static str, fields: &'static [Field]) -> Msg {
    Msg { name, fields, strict: true, unknown_prefix: "options.", check: None }
}

/// `ClientOptions` (`fetch` is the binding's).
pub static CLIENT_OPTIONS: Msg = options(
    "ClientOptions",
    &[
        option("baseUrl", "base_url", Str),
        option("token", "token", Kind::Token),
        option("timeoutMs", "timeout_ms", Int32),
        option("maxRetries", "max_retries", Int32),
        option("fetch", "fetch", Kind::Ignored),
        option("headers", "headers", Kind::Headers),
        option("allowInsecureHttp", "allow_insecure_http", Kind::Flag),
    ],
);

/// `RequestOptions` (`signal` is the binding's).
pub static REQUEST_OPTIONS: Msg = options(
    "RequestOptions",
    &[
        option("signal", "signal", Kind::Ignored),
        option("timeoutMs", "timeout_ms", Int32),
        option("maxRetries", "max_retries", Int32),
        option("headers", "headers", Kind::Headers),
        option("unsafeRetries", "unsafe_retries", Kind::Flag),
    ],
);

/// The options of a wait, a watch or a log stream.
pub static WAIT_OPTIONS: Msg = Msg {
    unknown_prefix: "",
    ..options(
        "WaitOptions",
        &[
            option("until", "until", Kind::List(&Str)),
            option("intervalMs", "interval_ms", Int32),
            option("maxIntervalMs", "max_interval_ms", Int32),
            option("deadlineMs", "deadline_ms", Int32),
            option("idleTimeoutMs", "idle_timeout_ms", Int32),
        ],
    )
};

/// Every message, for tests and documentation.
pub static ALL: [&Msg; 31] = [
    &SUBJECT,
    &PREBUILD_METADATA,
    &PREBUILD_SPEC,
    &PREBUILD_STATUS,
    &PREBUILD,
    &WARM_POOL_METADATA,
    &WARM_POOL_SPEC,
    &WARM_POOL_STATUS,
    &WARM_POOL,
    &PAGINATION_RESPONSE,
    &PREBUILD_RESPONSE,
    &LIST_PREBUILDS_RESPONSE,
    &LOGS_TOKEN_RESPONSE,
    &WARM_POOL_RESPONSE,
    &LIST_WARM_POOLS_RESPONSE,
    &EMPTY,
    &ERROR_BODY,
    &CREATE_PREBUILD_SPEC,
    &CREATE_PREBUILD_REQUEST,
    &PREBUILD_ID_REQUEST,
    &PAGINATION_REQUEST,
    &PREBUILD_FILTER,
    &LIST_PREBUILDS_REQUEST,
    &WARM_POOL_FILTER,
    &LIST_WARM_POOLS_REQUEST,
    &CREATE_WARM_POOL_REQUEST,
    &WARM_POOL_ID_REQUEST,
    &UPDATE_WARM_POOL_REQUEST,
    &CLIENT_OPTIONS,
    &REQUEST_OPTIONS,
    &WAIT_OPTIONS,
];
