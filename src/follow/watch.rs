//! Polling one prebuild or warm pool until it reaches a phase in `until`, handing out
//! each new state once: the first state seen, then every change (a new
//! `statusVersion`, or a new phase), the last one being the state that ended it.

use crate::api::{Call, Method};
use crate::call::{call_capturing, CallOptions, ClientConfig, Transport};
use crate::error::Error;
use crate::schema::messages::{PREBUILD_STATUS, WARM_POOL_STATUS};
use crate::schema::{Capture, Ctx};

use super::gaps::PollGaps;
use super::settings::{FollowSettings, Subject};

/// What a poll of a prebuild reads: its phase, status version and log URL.
static PREBUILD_STATE: [Capture; 3] = [(&PREBUILD_STATUS, 0), (&PREBUILD_STATUS, 5), (&PREBUILD_STATUS, 3)];
/// What a poll of a warm pool reads: its phase and status version.
static WARM_POOL_STATE: [Capture; 2] = [(&WARM_POOL_STATUS, 0), (&WARM_POOL_STATUS, 2)];

/// One state read by a poll.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Seen {
    /// The phase's wire name.
    pub(crate) phase: String,
    /// `status.statusVersion`.
    pub(crate) version: String,
    /// `status.logUrl` (prebuilds only).
    pub(crate) log_url: String,
    /// The prebuild or warm pool as canonical JSON text.
    pub(crate) item: String,
}

impl Seen {
    /// The fields a poll of `subject` records.
    pub(crate) fn capture(subject: Subject) -> &'static [Capture] {
        match subject {
            Subject::Prebuild => &PREBUILD_STATE,
            Subject::WarmPool => &WARM_POOL_STATE,
        }
    }

    /// Reads a `getPrebuild` or `getWarmPool` answer, read with [`Seen::capture`].
    pub(crate) fn read(subject: Subject, answer: Ctx) -> Seen {
        let value = |i: usize, default: &str| {
            answer.values(i).next().map_or_else(|| default.to_string(), |(_, v)| v.to_string())
        };
        let (phase, version, log_url) = match subject {
            Subject::Prebuild => (value(0, "PREBUILD_PHASE_UNSPECIFIED"), value(1, "0"), value(2, "")),
            Subject::WarmPool => (value(0, "WARM_POOL_PHASE_UNSPECIFIED"), value(1, "0"), String::new()),
        };
        // The answer is `{"prebuild":ITEM}` or `{"warmPool":ITEM}`: the item is inside.
        let text = answer.out;
        let item = text.find(':').and_then(|colon| text.get(colon + 1..text.len().saturating_sub(1)));
        Seen { phase, version, log_url, item: item.unwrap_or_default().to_string() }
    }
}

/// A wait in progress. Each [`Watch::next`] polls until something new is seen.
#[derive(Debug, Clone)]
pub struct Watch {
    subject: Subject,
    id: String,
    get: Call,
    settings: FollowSettings,
    gaps: PollGaps,
    /// Whether the first poll was made.
    started: bool,
    /// When the deadline passes (Unix ms), counted from the first poll.
    deadline_at: Option<f64>,
    last: Option<Seen>,
    finished: bool,
}

impl Watch {
    /// A watch of what `get` (a validated `getPrebuild` or `getWarmPool` request)
    /// reads.
    pub fn new(get: Call, settings: FollowSettings) -> Result<Watch, Error> {
        let (subject, id) = match get.method {
            Method::GetPrebuild => (Subject::Prebuild, get.value("prebuildId")),
            Method::GetWarmPool => (Subject::WarmPool, get.value("warmPoolId")),
            other => {
                return Err(Error::validation(
                    "method",
                    String::from(other.name()) + " reads no prebuild or warm pool to follow",
                ))
            }
        };
        let id = id.unwrap_or_default().to_string();
        let gaps = PollGaps::new(settings.interval_ms, settings.max_interval_ms);
        Ok(Watch { subject, id, get, settings, gaps, started: false, deadline_at: None, last: None, finished: false })
    }

    /// Whether the last state handed out ended the wait.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The last state seen, as JSON text.
    pub fn last_seen(&self) -> Option<&str> {
        self.last.as_ref().map(|s| s.item.as_str())
    }

    fn timed_out(&self) -> Error {
        Error::WaitTimeout {
            awaited: String::from(self.subject.noun()) + " " + &self.id + " to reach " + &self.settings.until_text(),
            deadline_ms: self.settings.deadline_ms.unwrap_or_default(),
            last_seen: self.last.as_ref().map(|s| s.item.clone()),
        }
    }

    /// Polls until a new state is seen and returns it (as JSON text), or `None` once
    /// the wait has ended. Fails with the poll's error (a 404 when the prebuild is
    /// gone), with [`Error::WaitTimeout`] past the deadline, or [`Error::Aborted`].
    pub async fn next<T: Transport>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<Option<String>, Error> {
        if self.finished {
            return Ok(None);
        }
        loop {
            if self.started {
                let mut gap = self.gaps.next(transport.random());
                if let Some(at) = self.deadline_at {
                    let left = at - transport.now_ms();
                    if left <= 0.0 {
                        return Err(self.timed_out());
                    }
                    gap = gap.min(left);
                }
                transport.sleep(gap).await.map_err(|_| Error::Aborted)?;
            } else {
                self.started = true;
                self.deadline_at = self.settings.deadline_ms.map(|d| transport.now_ms() + f64::from(d));
            }
            let answer = call_capturing(transport, config, &self.get, options, Seen::capture(self.subject)).await?;
            let seen = Seen::read(self.subject, answer);
            let ended = self.settings.until.contains(&seen.phase.as_str());
            let changed = self.last.as_ref().is_none_or(|l| l.version != seen.version || l.phase != seen.phase);
            let item = seen.item.clone();
            self.last = Some(seen);
            if ended {
                self.finished = true;
            }
            if changed {
                self.gaps.reset();
                return Ok(Some(item));
            }
            if ended {
                return Ok(None);
            }
        }
    }
}
