//! What ends a wait and how often to look: the `until`, `intervalMs`,
//! `maxIntervalMs` and `deadlineMs` options of the wait and watch helpers, and the
//! `idleTimeoutMs` of a log stream.

use crate::api::{read_error, Method};
use crate::error::Error;
use crate::schema::messages::{self, PREBUILD_PHASE, WARM_POOL_PHASE};
use crate::schema::text::{parse_i64, push_i64};
use crate::schema::{Setup, Source};
use crate::validate;

/// The first gap between two polls when none is given.
pub const DEFAULT_INTERVAL_MS: u32 = 1_000;
/// The longest gap between two polls when none is given (or the first gap, if longer).
pub const DEFAULT_MAX_INTERVAL_MS: u32 = 10_000;
/// How long a log stream may send nothing before it is reconnected, when not given.
pub const DEFAULT_IDLE_TIMEOUT_MS: u32 = 30_000;

/// What is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A prebuild (`getPrebuild`).
    Prebuild,
    /// A warm pool (`getWarmPool`).
    WarmPool,
}

impl Subject {
    /// The method that reads one.
    pub fn get_method(self) -> Method {
        match self {
            Subject::Prebuild => Method::GetPrebuild,
            Subject::WarmPool => Method::GetWarmPool,
        }
    }

    /// Its name in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Subject::Prebuild => "prebuild",
            Subject::WarmPool => "warm pool",
        }
    }

    /// The phases after which nothing more happens: a wait ends there by default.
    pub fn final_phases(self) -> &'static [&'static str] {
        match self {
            Subject::Prebuild => &[
                "PREBUILD_PHASE_COMPLETED",
                "PREBUILD_PHASE_FAILED",
                "PREBUILD_PHASE_CANCELLED",
                "PREBUILD_PHASE_DELETED",
            ],
            // READY and DEGRADED are where a warm pool settles; DELETED is its end.
            Subject::WarmPool => &["WARM_POOL_PHASE_READY", "WARM_POOL_PHASE_DEGRADED", "WARM_POOL_PHASE_DELETED"],
        }
    }

    /// The wire names of its phases, and the prefix they share.
    fn phase_names(self) -> (impl Iterator<Item = &'static str>, &'static str) {
        let (e, prefix) = match self {
            Subject::Prebuild => (&PREBUILD_PHASE, "PREBUILD_PHASE_"),
            Subject::WarmPool => (&WARM_POOL_PHASE, "WARM_POOL_PHASE_"),
        };
        (e.values.iter().map(|(_, name)| *name), prefix)
    }

    /// A phase by its wire name (`PREBUILD_PHASE_COMPLETED`) or short name
    /// (`COMPLETED`, any case).
    fn phase(self, name: &str) -> Option<&'static str> {
        let (mut names, prefix) = self.phase_names();
        let upper = name.to_ascii_uppercase();
        let full = if upper.starts_with(prefix) { upper } else { String::from(prefix) + &upper };
        names.find(|n| *n == full && !n.ends_with("_UNSPECIFIED"))
    }
}

/// The checked settings of one wait, watch or log stream.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowSettings {
    /// The phases (wire names) that end the wait.
    pub until: Vec<&'static str>,
    /// The first gap between polls.
    pub interval_ms: u32,
    /// The longest gap between polls.
    pub max_interval_ms: u32,
    /// How long the whole wait may take; none means no limit.
    pub deadline_ms: Option<u32>,
    /// Log streams only: how long an open stream may send nothing (while the prebuild
    /// runs) before it is given up and reconnected.
    pub idle_timeout_ms: u32,
}

/// A whole number of milliseconds from 1 up, or the default.
fn millis(field: &str, value: Option<&str>) -> Result<Option<u32>, Error> {
    match value.and_then(parse_i64) {
        None => Ok(None),
        Some(ms) if ms >= 1 => Ok(u32::try_from(ms).ok()),
        Some(ms) => Err(Error::validation(field, validate::out_of_range(1, i32::MAX, ms))),
    }
}

impl FollowSettings {
    /// Reads and checks the wait options for `subject`; `null` reads as `{}`.
    pub fn read<S: Source>(subject: Subject, options: S) -> Result<FollowSettings, Error> {
        let setup = Setup { rules: true, record_top: true, null_root: true, ..Setup::default() };
        let o = options.read(&messages::WAIT_OPTIONS, setup).map_err(read_error)?;
        let mut until = Vec::new();
        for r in o.records.iter().filter(|r| r.field.json == "until") {
            let Some(phase) = subject.phase(&r.value) else {
                let (names, prefix) = subject.phase_names();
                let mut m = String::from("must be a ");
                m.push_str(subject.noun());
                m.push_str(" phase: one of ");
                let allowed = names.filter_map(|n| n.strip_prefix(prefix)).filter(|n| *n != "UNSPECIFIED");
                for (i, name) in allowed.enumerate() {
                    if i > 0 {
                        m.push_str(", ");
                    }
                    m.push_str(name);
                }
                m.push_str(" (with or without the ");
                m.push_str(prefix);
                m.push_str(" prefix), got ");
                m.push_str(&validate::quoted(&r.value));
                let mut field = String::from("until[");
                push_i64(&mut field, i64::from(r.item));
                field.push(']');
                return Err(Error::validation(field, m));
            };
            until.push(phase);
        }
        if until.is_empty() {
            until = subject.final_phases().to_vec();
        }
        let interval_ms = millis("intervalMs", o.value("intervalMs"))?.unwrap_or(DEFAULT_INTERVAL_MS);
        let max_interval_ms = match millis("maxIntervalMs", o.value("maxIntervalMs"))? {
            Some(max) if max < interval_ms => {
                let mut m = String::from("must be at least intervalMs (");
                push_i64(&mut m, i64::from(interval_ms));
                m.push_str("), got ");
                push_i64(&mut m, i64::from(max));
                return Err(Error::validation("maxIntervalMs", m));
            }
            Some(max) => max,
            None => DEFAULT_MAX_INTERVAL_MS.max(interval_ms),
        };
        Ok(FollowSettings {
            until,
            interval_ms,
            max_interval_ms,
            deadline_ms: millis("deadlineMs", o.value("deadlineMs"))?,
            idle_timeout_ms: millis("idleTimeoutMs", o.value("idleTimeoutMs"))?.unwrap_or(DEFAULT_IDLE_TIMEOUT_MS),
        })
    }

    /// [`FollowSettings::read`] from a `serde_json::Value`.
    pub fn from_value(subject: Subject, options: &serde_json::Value) -> Result<FollowSettings, Error> {
        FollowSettings::read(subject, options)
    }

    /// The settings of a wait with no options.
    pub fn defaults(subject: Subject) -> FollowSettings {
        FollowSettings {
            until: subject.final_phases().to_vec(),
            interval_ms: DEFAULT_INTERVAL_MS,
            max_interval_ms: DEFAULT_MAX_INTERVAL_MS,
            deadline_ms: None,
            idle_timeout_ms: DEFAULT_IDLE_TIMEOUT_MS,
        }
    }

    /// The phases that end the wait, for messages: `COMPLETED, FAILED or CANCELLED`.
    pub(crate) fn until_text(&self) -> String {
        let short: Vec<&str> =
            self.until.iter().map(|p| p.rsplit_once("_PHASE_").map_or(*p, |(_, short)| short)).collect();
        match short.split_last() {
            Some((last, rest)) if !rest.is_empty() => rest.join(", ") + " or " + last,
            _ => short.join(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(subject: Subject, v: serde_json::Value) -> Result<FollowSettings, Error> {
        FollowSettings::from_value(subject, &v)
    }

    #[test]
    fn defaults_end_at_the_final_phases() {
        let s = read(Subject::Prebuild, json!(null)).unwrap();
        assert_eq!(s, FollowSettings::defaults(Subject::Prebuild));
        assert_eq!(s.until_text(), "COMPLETED, FAILED, CANCELLED or DELETED");
        let w = read(Subject::WarmPool, json!({})).unwrap();
        assert_eq!(w.until, ["WARM_POOL_PHASE_READY", "WARM_POOL_PHASE_DEGRADED", "WARM_POOL_PHASE_DELETED"]);
        assert_eq!(w.max_interval_ms, 10_000);
    }

    #[test]
    fn phases_are_taken_by_wire_or_short_name() {
        let s = read(Subject::Prebuild, json!({"until": ["PREBUILD_PHASE_RUNNING", "completed"]})).unwrap();
        assert_eq!(s.until, ["PREBUILD_PHASE_RUNNING", "PREBUILD_PHASE_COMPLETED"]);
        assert_eq!(s.until_text(), "RUNNING or COMPLETED");
        let w = read(Subject::WarmPool, json!({"until": ["READY"]})).unwrap();
        assert_eq!(w.until_text(), "READY");
    }

    #[test]
    fn a_phase_of_the_other_subject_or_unknown_is_refused_with_the_allowed_ones() {
        let e = read(Subject::Prebuild, json!({"until": ["COMPLETED", "READY"]})).unwrap_err();
        assert!(matches!(&e, Error::Validation { field, .. } if field == "until[1]"), "{e:?}");
        assert!(e.to_string().contains("PENDING, STARTING, RUNNING"), "{e}");
        assert!(e.to_string().contains("got \"READY\""), "{e}");
        for bad in ["UNSPECIFIED", "PREBUILD_PHASE_UNSPECIFIED", "WARM_POOL_PHASE_READY"] {
            assert!(read(Subject::Prebuild, json!({ "until": [bad] })).is_err(), "{bad}");
        }
        let e = read(Subject::Prebuild, json!({"until": "COMPLETED"})).unwrap_err();
        assert!(matches!(&e, Error::Validation { field, .. } if field == "until"), "{e:?}");
    }

    #[test]
    fn intervals_and_the_deadline_are_checked() {
        let s = read(Subject::Prebuild, json!({"intervalMs": 20, "deadlineMs": 5000})).unwrap();
        assert_eq!((s.interval_ms, s.max_interval_ms, s.deadline_ms), (20, 10_000, Some(5000)));
        let s = read(Subject::Prebuild, json!({"intervalMs": 30_000})).unwrap();
        assert_eq!(s.max_interval_ms, 30_000, "the cap is never below the first gap");
        assert_eq!(s.idle_timeout_ms, DEFAULT_IDLE_TIMEOUT_MS);
        assert_eq!(read(Subject::Prebuild, json!({"idleTimeoutMs": 300})).unwrap().idle_timeout_ms, 300);
        assert_eq!(read(Subject::Prebuild, json!({"idleTimeoutMs": 1})).unwrap().idle_timeout_ms, 1);
        let e = read(Subject::Prebuild, json!({"idleTimeoutMs": 0})).unwrap_err();
        assert_eq!(e.to_string(), "idleTimeoutMs must be from 1 to 2147483647, got 0");
        for (v, field) in [
            (json!({"intervalMs": 0}), "intervalMs"),
            (json!({"intervalMs": 1.5}), "intervalMs"),
            (json!({"deadlineMs": -1}), "deadlineMs"),
            (json!({"idleTimeoutMs": 0}), "idleTimeoutMs"),
            (json!({"idleTimeoutMs": 2.5}), "idleTimeoutMs"),
            (json!({"idleTimeoutMs": -300}), "idleTimeoutMs"),
            (json!({"intervalMs": 500, "maxIntervalMs": 100}), "maxIntervalMs"),
        ] {
            let e = read(Subject::Prebuild, v.clone()).unwrap_err();
            assert!(matches!(&e, Error::Validation { field: f, .. } if f == field), "{v}: {e:?}");
        }
        let e = read(Subject::Prebuild, json!({"deadline": 5})).unwrap_err();
        assert!(e.to_string().contains("deadline"), "{e}");
    }
}
