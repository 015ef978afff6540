//! Polling one prebuild or warm pool until it reaches a phase in `until`, handing out
//! each new state once: the first state seen, then every change (a new
//! `statusVersion`, or a new phase), the last one being the state that ended it.

use crate::api::{PrebuildResponse, Request, WarmPoolResponse};
use crate::call::{call, CallOptions, ClientConfig, Transport};
use crate::error::Error;
use crate::model::ProtoEnum;
use crate::wire;

use super::gaps::PollGaps;
use super::settings::{FollowSettings, Subject};

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
    /// Reads a `getPrebuild` or `getWarmPool` response (as `call` returns it).
    pub(crate) fn read(subject: Subject, text: &str) -> Result<Seen, Error> {
        let decode = |e: wire::ReadError| Error::Decode { message: format!("{} {}", e.path, e.message) };
        let write = |e: serde_json::Error| Error::Decode { message: e.to_string() };
        match subject {
            Subject::Prebuild => {
                let r: PrebuildResponse<'_> = wire::from_str(text).map_err(decode)?;
                let s = &r.prebuild.status;
                Ok(Seen {
                    phase: s.phase.as_str().to_string(),
                    version: s.status_version.to_string(),
                    log_url: s.log_url.to_string(),
                    item: serde_json::to_string(&r.prebuild).map_err(write)?,
                })
            }
            Subject::WarmPool => {
                let r: WarmPoolResponse<'_> = wire::from_str(text).map_err(decode)?;
                let s = &r.warm_pool.status;
                Ok(Seen {
                    phase: s.phase.as_str().to_string(),
                    version: s.status_version.to_string(),
                    log_url: String::new(),
                    item: serde_json::to_string(&r.warm_pool).map_err(write)?,
                })
            }
        }
    }
}

/// A wait in progress. Each [`Watch::next`] polls until something new is seen.
#[derive(Debug, Clone)]
pub struct Watch {
    subject: Subject,
    id: String,
    get: Request,
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
    pub fn new(get: Request, settings: FollowSettings) -> Result<Watch, Error> {
        let (subject, id) = match &get {
            Request::GetPrebuild(r) => (Subject::Prebuild, r.prebuild_id.clone()),
            Request::GetWarmPool(r) => (Subject::WarmPool, r.warm_pool_id.clone()),
            other => {
                return Err(Error::validation(
                    "method",
                    format!("{} reads no prebuild or warm pool to follow", other.method().name()),
                ))
            }
        };
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
            awaited: format!("{} {} to reach {}", self.subject.noun(), self.id, self.settings.until_text()),
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
            let text = call(transport, config, &self.get, options).await?;
            let seen = Seen::read(self.subject, &text)?;
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
