//! Every descriptor in one place: the resources' and the 11 methods' (declared with
//! their typed structs in `model` and `api`, by `message!`), the Connect error body,
//! and the options objects of the JavaScript API (descriptors only: nothing typed
//! reads them). Field order is declaration order in the API reference; it is the
//! order of the canonical JSON.

use super::desc::{Field, Kind, Msg};

pub use crate::api::{
    CREATE_PREBUILD_REQUEST, CREATE_PREBUILD_SPEC, CREATE_WARM_POOL_REQUEST, EMPTY, LIST_PREBUILDS_REQUEST,
    LIST_PREBUILDS_RESPONSE, LIST_WARM_POOLS_REQUEST, LIST_WARM_POOLS_RESPONSE, LOGS_TOKEN_RESPONSE,
    PAGINATION_REQUEST, PREBUILD_FILTER, PREBUILD_ID_REQUEST, PREBUILD_RESPONSE, UPDATE_WARM_POOL_REQUEST,
    WARM_POOL_FILTER, WARM_POOL_ID_REQUEST, WARM_POOL_RESPONSE,
};
pub use crate::model::{
    PAGINATION_RESPONSE, PREBUILD, PREBUILD_METADATA, PREBUILD_PHASE, PREBUILD_SPEC, PREBUILD_STATUS, PREBUILD_TRIGGER,
    PRINCIPAL, SUBJECT, WARM_POOL, WARM_POOL_METADATA, WARM_POOL_PHASE, WARM_POOL_SPEC, WARM_POOL_STATUS,
};

/// A Connect error body: `details` passed through as read; `code` and `message` are
/// read as strays (kept when they are strings, ignored otherwise).
pub static ERROR_BODY: Msg = Msg::response("ConnectError", &[Field::optional("details", "details", Kind::Any)]);

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
        option("baseUrl", "base_url", Kind::Str),
        option("token", "token", Kind::Token),
        option("timeoutMs", "timeout_ms", Kind::Int32),
        option("maxRetries", "max_retries", Kind::Int32),
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
        option("timeoutMs", "timeout_ms", Kind::Int32),
        option("maxRetries", "max_retries", Kind::Int32),
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
            option("until", "until", Kind::List(&Kind::Str)),
            option("intervalMs", "interval_ms", Kind::Int32),
            option("maxIntervalMs", "max_interval_ms", Kind::Int32),
            option("deadlineMs", "deadline_ms", Kind::Int32),
            option("idleTimeoutMs", "idle_timeout_ms", Kind::Int32),
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
