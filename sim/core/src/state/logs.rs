//! The state's side of prebuild logs: where a prebuild's log has got to (from its
//! phase and step), where a cancel or a delete stopped it, what its text follows from,
//! and the logs tokens. The text itself is `crate::logs`'s business.

use gitpod_prebuilds::model::PrebuildPhase;

use super::{Outcome, PrebuildRec, State};
use crate::logs::script::{mark, Closing, Ending, Facts, Progress};
use crate::logs::tokens::Refusal;

/// Where a cancel or a delete stopped a prebuild's log: the course's lines visible then
/// stay, the closing lines follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogStop {
    /// The point the course had reached.
    pub at: u32,
    /// The cancel's closing lines.
    pub cancel: Closing,
    /// The delete's closing lines.
    pub delete: Closing,
}

impl LogStop {
    /// A seeded cancel: stopped during the tasks, at a point that follows from the id
    /// (not from the seed's generator, whose draws make the rest of the seed).
    pub fn seeded_cancel(id: &str, done: bool) -> LogStop {
        let hash = id.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        LogStop {
            at: mark::TASKS + hash % mark::TASK_POINTS,
            cancel: if done { Closing::Done } else { Closing::Requested },
            delete: Closing::No,
        }
    }

    /// The delete of a finished prebuild: the whole course stays, nothing is added.
    pub fn after_the_end() -> LogStop {
        LogStop { at: mark::END, cancel: Closing::No, delete: Closing::No }
    }
}

/// The point a prebuild without a stop has reached: one per lifecycle step (see
/// `lifecycle.rs`), everything once COMPLETED or FAILED.
fn reached(rec: &PrebuildRec) -> u32 {
    use PrebuildPhase as P;
    let step = rec.driver.as_ref().map_or(0, |d| d.step);
    let status = &rec.prebuild.status;
    match status.phase {
        P::Starting => mark::CLONE + step.min(mark::DEVCONTAINER - mark::CLONE),
        P::Running => mark::TASKS + step.min(mark::TASK_POINTS - 1),
        P::Stopping => mark::STOPPING,
        P::Snapshotting => mark::SNAPSHOT + (status.snapshot_completion_percentage.clamp(0, 100) / 20) as u32,
        P::Completed | P::Failed => mark::END,
        _ => 0,
    }
}

/// Stops the log of a prebuild that is being cancelled (call before its phase changes).
pub(super) fn stop_for_cancel(rec: &mut PrebuildRec) {
    if rec.log_stop.is_none() {
        rec.log_stop = Some(LogStop { at: reached(rec), cancel: Closing::Requested, delete: Closing::No });
    }
}

/// Stops the log of a prebuild that is being deleted (call before its phase changes).
/// A finished prebuild's log stays as it is; an unfinished one's gets the delete's lines.
pub(super) fn stop_for_delete(rec: &mut PrebuildRec) {
    use PrebuildPhase as P;
    match (&mut rec.log_stop, &rec.prebuild.status.phase) {
        (Some(stop), P::Cancelling) => stop.delete = Closing::Requested,
        (Some(_), _) => {}
        (None, P::Completed | P::Failed) => rec.log_stop = Some(LogStop::after_the_end()),
        (None, _) => rec.log_stop = Some(LogStop { at: reached(rec), cancel: Closing::No, delete: Closing::Requested }),
    }
}

/// Marks a cancel or a delete done once the prebuild is CANCELLED or DELETED.
pub(super) fn close(rec: &mut PrebuildRec) {
    let phase = rec.prebuild.status.phase.clone();
    if let Some(stop) = &mut rec.log_stop {
        if phase == PrebuildPhase::Cancelled && stop.cancel == Closing::Requested {
            stop.cancel = Closing::Done;
        }
        if phase == PrebuildPhase::Deleted && stop.delete == Closing::Requested {
            stop.delete = Closing::Done;
        }
    }
}

impl State {
    /// How many resets came before this state.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether `token` opens the log of `prebuild_id` at `now`.
    pub fn check_logs_token(&self, token: &str, prebuild_id: &str, now: i64) -> Result<(), Refusal> {
        self.tokens.check(token, prebuild_id, now)
    }

    /// A new logs token for an existing prebuild.
    pub(super) fn mint_logs_token(&mut self, prebuild_id: &str, now: i64) -> String {
        self.tokens.mint(prebuild_id, now)
    }

    fn log_rec(&self, id: &str) -> Option<&PrebuildRec> {
        let seq = self.prebuild_seqs.get(&id.to_ascii_lowercase())?;
        self.prebuilds.get(seq)
    }

    /// What the log of a prebuild follows from; `None` for an unknown or DELETED one,
    /// whose log is gone.
    pub fn log_facts(&self, id: &str) -> Option<Facts> {
        let rec = self.log_rec(id)?;
        let pb = &rec.prebuild;
        if pb.status.phase == PrebuildPhase::Deleted {
            return None;
        }
        let cat = &self.catalog;
        let project = cat.project(&pb.metadata.project_id).map_or("", |p| cat.projects[p].name);
        let class = cat.class(&pb.metadata.environment_class_id).map_or("", |c| cat.classes[c].name);
        let ending = match &rec.course.outcome {
            Outcome::Fail { message } => Ending::Fails { message: message.clone() },
            Outcome::Complete { warning } => Ending::Completes { warning: warning.clone() },
            Outcome::Cancel => Ending::Completes { warning: None },
        };
        Some(Facts {
            seed: self.config.seed,
            prebuild_id: pb.id.to_string(),
            project: project.to_string(),
            class: class.to_string(),
            timeout: pb.spec.timeout.as_deref().unwrap_or("3600s").to_string(),
            size_bytes: rec.course.size_bytes,
            ending,
        })
    }

    /// Where the log of a prebuild has got to; `None` once the prebuild is gone.
    pub fn log_progress(&self, id: &str) -> Option<Progress> {
        let rec = self.log_rec(id)?;
        let finished = matches!(
            rec.prebuild.status.phase,
            PrebuildPhase::Completed | PrebuildPhase::Failed | PrebuildPhase::Cancelled | PrebuildPhase::Deleted
        );
        Some(match rec.log_stop {
            Some(stop) => Progress { reached: stop.at, cancel: stop.cancel, delete: stop.delete, finished },
            None => Progress { reached: reached(rec), cancel: Closing::No, delete: Closing::No, finished },
        })
    }
}
