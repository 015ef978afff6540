//! Which failures are retried, by method. Every method of the API is an HTTP POST, but
//! they are not all safe to repeat: when the server carried out a createPrebuild and
//! only its answer was lost, a retry starts a second prebuild. So createPrebuild is
//! retried only after a failure that shows the server did not act, and a call that
//! ends without knowing says so (`mayHaveBeenCreated`). createWarmPool cannot
//! duplicate (one pool per project and environment class): it keeps the plain rules,
//! and a retry's `already_exists` after a lost answer is its own pool (see
//! `call::existing_warm_pool`). Every other method keeps the plain rules.
//!
//! The caller's abort counts like a timeout once the attempt was handed over to be sent
//! (to fetch): the server may have received it and acted, so an abort that ends a
//! create then is flagged too. An abort before that (the signal already aborted when
//! the call starts, or aborted during the wait before a retry) adds no doubt of its
//! own: the call is flagged only if an earlier attempt may have acted.

use super::{is_retryable, RetryHeaders};
use crate::api::Method;
use crate::error::Error;
use crate::protocol::Code;

/// Added to a createPrebuild error that a retry could have turned into a second prebuild.
pub const PREBUILD_NOT_RETRIED: &str = "the prebuild may have been created: not retried, because a retry could start a second one; list the project's prebuilds before trying again";
/// Added to a createPrebuild error whose outcome is unknown when no retry was left.
pub const PREBUILD_UNKNOWN: &str =
    "the prebuild may have been created; list the project's prebuilds before trying again";
/// Added to a createPrebuild error under `unsafeRetries` after an unknown outcome.
pub const PREBUILD_UNSAFE: &str = "the prebuild may have been created, perhaps more than once (unsafeRetries retries even when an attempt may have started one); list the project's prebuilds before trying again";
/// Added to a createPrebuild aborted by the caller after its request was handed over.
pub const PREBUILD_ABORTED: &str = "the prebuild may have been created: the call was aborted after its request was sent; list the project's prebuilds before trying again";
/// Added to a createWarmPool error after an unknown outcome.
pub const WARM_POOL_UNKNOWN: &str =
    "the warm pool may have been created; look for it with listWarmPools before trying again";

/// One failed attempt, as the retry rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What the attempt failed with.
    pub error: Error,
    /// Whether the error body itself named its Connect code (false when the code was
    /// derived from the status, and for failures without a response).
    pub code_in_body: bool,
    /// The response's headers that steer retries (empty without a response).
    pub headers: RetryHeaders,
}

impl Failure {
    /// A failure that came without an error response (a timeout, a connection error, a
    /// success whose body could not be read).
    pub fn without_response(error: Error) -> Failure {
        Failure { error, code_in_body: false, headers: RetryHeaders::default() }
    }
}

/// Whether the server may have carried out the request of a failed attempt: true after
/// a timeout or a connection error (the request may have been sent and served), an
/// unreadable success, and every status that the plain rules retry (408, 409 `aborted`,
/// 5xx) unless the failure itself says the server did not act: status 429 or 503, a
/// Connect body that names `unavailable` or `resource_exhausted` under a status other
/// than 500, 502 or 504 (a gateway or a server that may have forwarded or processed the
/// request, whatever body it wrote), or `x-should-retry: true` (the server vouches for a
/// retry). A refusal (400, 401, 403, 404, 409 `already_exists`, 422) did nothing. An
/// abort is not judged here: the call counts it as uncertain when the transport says
/// the request had been handed over ([`TransportError::Aborted`]'s `sent`).
///
/// [`TransportError::Aborted`]: crate::call::TransportError::Aborted
pub fn may_have_acted(failure: &Failure) -> bool {
    match &failure.error {
        Error::Connection { .. } | Error::Timeout { .. } | Error::Decode { .. } => true,
        Error::Api { status, code, .. } => {
            if failure.headers.should_retry.as_deref() == Some("true") {
                return false;
            }
            let said_not_acted = matches!(status, 429 | 503)
                || (failure.code_in_body
                    && matches!(code, Code::Unavailable | Code::ResourceExhausted)
                    && !matches!(status, 500 | 502 | 504));
            !said_not_acted && is_retryable(&failure.error, &RetryHeaders::default())
        }
        Error::Validation { .. } | Error::Aborted | Error::OutcomeUnknown { .. } | Error::WaitTimeout { .. } => false,
    }
}

/// How a call's attempts ended without a success.
#[derive(Debug, Clone, PartialEq)]
pub struct Ended {
    /// The error of the last attempt (or [`Error::Aborted`]).
    pub error: Error,
    /// Whether some attempt's outcome is unknown ([`may_have_acted`], or aborted after
    /// it was handed over).
    pub uncertain: bool,
    /// Whether the plain rules would have retried the last failure, with retries left,
    /// and only the createPrebuild rule stopped them.
    pub withheld: bool,
}

/// The retry rules of one call: by method, and whether the caller opted out of the
/// createPrebuild rule (`unsafeRetries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    method: Method,
    unsafe_retries: bool,
}

impl Policy {
    /// The rules for a call of `method`; `unsafe_retries` gives a create the plain rules.
    pub fn new(method: Method, unsafe_retries: bool) -> Policy {
        Policy { method, unsafe_retries }
    }

    /// Whether this call retries only failures that show the server did not act.
    fn guards_against_duplicates(&self) -> bool {
        self.method == Method::CreatePrebuild && !self.unsafe_retries
    }

    /// Whether a failed attempt is worth another (when retries are left): the plain
    /// rules ([`is_retryable`]), and for createPrebuild only if the server did not act.
    /// `x-should-retry` decides either way.
    pub fn retries(&self, failure: &Failure) -> bool {
        is_retryable(&failure.error, &failure.headers) && !(self.guards_against_duplicates() && may_have_acted(failure))
    }

    /// Whether a createWarmPool that ended in `already_exists` should look for the pool
    /// that an earlier attempt, whose answer was lost, may have created.
    pub fn looks_for_existing_warm_pool(&self, ended: &Ended) -> bool {
        self.method == Method::CreateWarmPool
            && ended.uncertain
            && matches!(ended.error, Error::Api { status: 409, code: Code::AlreadyExists, .. })
    }

    /// The error a call ends with: the last one, marked [`Error::OutcomeUnknown`] when
    /// the call creates something and some attempt's outcome is unknown.
    pub fn final_error(&self, ended: Ended) -> Error {
        if !ended.uncertain {
            return ended.error;
        }
        let advice = match self.method {
            Method::CreatePrebuild if self.unsafe_retries => PREBUILD_UNSAFE,
            Method::CreatePrebuild if ended.error == Error::Aborted => PREBUILD_ABORTED,
            Method::CreatePrebuild if ended.withheld => PREBUILD_NOT_RETRIED,
            Method::CreatePrebuild => PREBUILD_UNKNOWN,
            Method::CreateWarmPool => WARM_POOL_UNKNOWN,
            _ => return ended.error,
        };
        Error::OutcomeUnknown { error: Box::new(ended.error), advice }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: Code, code_in_body: bool, should_retry: Option<&str>) -> Failure {
        Failure {
            error: Error::Api { status, code, message: String::new(), details: "[]".into() },
            code_in_body,
            headers: RetryHeaders { should_retry: should_retry.map(Into::into), ..Default::default() },
        }
    }

    fn derived(status: u16) -> Failure {
        api(status, Code::from_status(status), false, None)
    }

    const CREATE: Policy = Policy { method: Method::CreatePrebuild, unsafe_retries: false };

    #[test]
    fn create_prebuild_is_retried_only_when_the_server_did_not_act() {
        for retried in [
            derived(429),
            derived(503),
            api(503, Code::Internal, true, None),
            api(429, Code::ResourceExhausted, true, None),
            api(408, Code::Unavailable, true, None),
            api(409, Code::ResourceExhausted, true, None),
            api(500, Code::Internal, true, Some("true")),
            api(502, Code::Unknown, false, Some("true")),
            api(400, Code::InvalidArgument, true, Some("true")),
        ] {
            assert!(CREATE.retries(&retried), "{retried:?}");
            assert!(!may_have_acted(&retried), "{retried:?}");
        }
        for not_retried in [
            Failure::without_response(Error::Timeout { timeout_ms: 1 }),
            Failure::without_response(Error::Connection { message: "reset".into() }),
            derived(500),
            derived(502),
            derived(504),
            derived(408),
            api(500, Code::Unavailable, true, None),
            api(502, Code::Unavailable, true, None),
            api(504, Code::ResourceExhausted, true, None),
            api(501, Code::Unimplemented, true, None),
            api(409, Code::Aborted, true, None),
        ] {
            assert!(!CREATE.retries(&not_retried), "{not_retried:?}");
            assert!(may_have_acted(&not_retried), "{not_retried:?}");
            assert!(Policy::new(Method::GetPrebuild, false).retries(&not_retried), "reads keep the plain rules");
        }
    }

    #[test]
    fn x_should_retry_false_forbids_a_retry_even_of_a_503() {
        let refused = api(503, Code::Unavailable, true, Some("false"));
        assert!(!CREATE.retries(&refused));
        assert!(!may_have_acted(&refused), "a 503 still says the server did not act");
        assert!(may_have_acted(&api(500, Code::Internal, true, Some("false"))));
    }

    #[test]
    fn refusals_are_neither_retried_nor_uncertain() {
        for status in [400, 401, 403, 404, 422] {
            let f = derived(status);
            assert!(!CREATE.retries(&f) && !may_have_acted(&f), "{status}");
        }
        let exists = api(409, Code::AlreadyExists, true, None);
        assert!(!CREATE.retries(&exists) && !may_have_acted(&exists));
        assert!(!may_have_acted(&Failure::without_response(Error::Aborted)));
        assert!(may_have_acted(&Failure::without_response(Error::Decode { message: "x".into() })));
    }

    #[test]
    fn every_other_method_and_the_opt_in_keep_the_plain_rules() {
        let failures = [
            Failure::without_response(Error::Timeout { timeout_ms: 1 }),
            Failure::without_response(Error::Connection { message: "x".into() }),
            derived(502),
            derived(500),
            derived(503),
            derived(400),
            api(503, Code::Unavailable, true, Some("false")),
            api(409, Code::AlreadyExists, true, None),
        ];
        let mut policies: Vec<Policy> = Method::ALL.iter().map(|&m| Policy::new(m, false)).collect();
        policies.retain(|p| p.method != Method::CreatePrebuild);
        policies.push(Policy::new(Method::CreatePrebuild, true));
        for policy in policies {
            for f in &failures {
                assert_eq!(policy.retries(f), is_retryable(&f.error, &f.headers), "{policy:?} {f:?}");
            }
        }
    }

    fn ended(error: Error, uncertain: bool, withheld: bool) -> Ended {
        Ended { error, uncertain, withheld }
    }

    #[test]
    fn a_create_that_may_have_acted_ends_marked_with_advice() {
        let timeout = Error::Timeout { timeout_ms: 9 };
        let marked = |policy: Policy, withheld: bool| policy.final_error(ended(timeout.clone(), true, withheld));
        let advice = |e: Error| match e {
            Error::OutcomeUnknown { error, advice } => {
                assert_eq!(*error, timeout);
                advice
            }
            other => panic!("not marked: {other:?}"),
        };
        assert_eq!(advice(marked(CREATE, true)), PREBUILD_NOT_RETRIED);
        assert_eq!(advice(marked(CREATE, false)), PREBUILD_UNKNOWN);
        assert_eq!(advice(marked(Policy::new(Method::CreatePrebuild, true), false)), PREBUILD_UNSAFE);
        assert_eq!(advice(marked(Policy::new(Method::CreateWarmPool, false), false)), WARM_POOL_UNKNOWN);
        let aborted = CREATE.final_error(ended(Error::Aborted, true, false));
        assert_eq!(aborted, Error::OutcomeUnknown { error: Box::new(Error::Aborted), advice: PREBUILD_ABORTED });
        assert_eq!(CREATE.final_error(ended(Error::Aborted, false, false)), Error::Aborted, "nothing went out");
        assert!(PREBUILD_NOT_RETRIED.contains("may have been created") && PREBUILD_NOT_RETRIED.contains("not retried"));
    }

    #[test]
    fn nothing_else_is_marked() {
        let timeout = Error::Timeout { timeout_ms: 9 };
        assert_eq!(CREATE.final_error(ended(timeout.clone(), false, false)), timeout, "no attempt was uncertain");
        for m in [Method::GetPrebuild, Method::CancelPrebuild, Method::DeleteWarmPool, Method::UpdateWarmPool] {
            assert_eq!(Policy::new(m, false).final_error(ended(timeout.clone(), true, false)), timeout, "{m:?}");
        }
    }

    #[test]
    fn only_an_uncertain_create_warm_pool_looks_for_its_pool() {
        let exists = api(409, Code::AlreadyExists, true, None).error;
        let pool = Policy::new(Method::CreateWarmPool, false);
        assert!(pool.looks_for_existing_warm_pool(&ended(exists.clone(), true, false)));
        assert!(!pool.looks_for_existing_warm_pool(&ended(exists.clone(), false, false)), "a first attempt's 409");
        assert!(!CREATE.looks_for_existing_warm_pool(&ended(exists, true, false)));
        let aborted = api(409, Code::Aborted, true, None).error;
        assert!(!pool.looks_for_existing_warm_pool(&ended(aborted, true, false)), "409 aborted is no pool");
    }
}
