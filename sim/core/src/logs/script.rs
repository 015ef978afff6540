//! A prebuild's log as a script: every line it will ever have, each marked with the
//! point of the lifecycle from which it is visible, plus the lines a cancel or a delete
//! adds. What a request sees is a prefix of the script that only grows: the course's
//! lines up to where the prebuild has got (or where it was stopped), then the closing
//! lines. So a client following a running prebuild receives lines over time, and a
//! new request replays the same lines from the first.

use super::content;

/// Points of the lifecycle that lines are marked with. A prebuild at a point sees every
/// line marked at or before it.
pub mod mark {
    /// STARTING, first step: the banner and the git clone.
    pub const CLONE: u32 = 1;
    /// STARTING, second step: the dev container build.
    pub const DEVCONTAINER: u32 = 2;
    /// RUNNING, first of [`TASK_POINTS`] steps: the prebuild tasks.
    pub const TASKS: u32 = 3;
    /// RUNNING has this many steps, one point each.
    pub const TASK_POINTS: u32 = 8;
    /// STOPPING.
    pub const STOPPING: u32 = TASKS + TASK_POINTS;
    /// SNAPSHOTTING at 0 %; each 20 % is one more point, up to 100 %.
    pub const SNAPSHOT: u32 = STOPPING + 1;
    /// COMPLETED or FAILED: the whole course.
    pub const END: u32 = u32::MAX;
}

/// How the course of a prebuild ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// It completes; `warning` is its status' warning message, if any.
    Completes {
        /// Shown where the status gets it, in the middle of the tasks.
        warning: Option<String>,
    },
    /// It fails with this status failure message; the log shows the step that failed.
    Fails {
        /// The prebuild's `failureMessage`.
        message: String,
    },
}

/// What a log's text follows from. Nothing here changes during a prebuild's life, so
/// the script built at the first request is the one every later request sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// `--seed`: the numbers, hashes and names in the text.
    pub seed: u64,
    /// The prebuild's id (with the seed, the source of the text's randomness).
    pub prebuild_id: String,
    /// The project's name, `acme/web-app`.
    pub project: String,
    /// The environment class's display name.
    pub class: String,
    /// The prebuild's `spec.timeout`, `3600s`.
    pub timeout: String,
    /// The snapshot size in bytes, as its status reports it once completed.
    pub size_bytes: u64,
    /// How it ends if nobody stops it.
    pub ending: Ending,
}

/// One line and its line ending.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The first point at which the line is visible.
    pub mark: u32,
    /// The text, without its line ending.
    pub text: String,
    /// `"\n"`, `"\r\n"` (the banner's second line) or `""` (a finished log's last line).
    pub end: &'static str,
}

impl Line {
    /// The bytes sent for this line.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + self.end.len());
        out.extend_from_slice(self.text.as_bytes());
        out.extend_from_slice(self.end.as_bytes());
        out
    }
}

/// Where a cancel or a delete stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Closing {
    /// Not asked for (or asked for once the course had already ended).
    #[default]
    No,
    /// Asked for; the prebuild is stopping.
    Requested,
    /// Done: the prebuild is CANCELLED or DELETED.
    Done,
}

/// Where a prebuild's log has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Course lines marked at or before this are visible.
    pub reached: u32,
    /// A cancel that stopped the course.
    pub cancel: Closing,
    /// A delete that stopped the course (a finished prebuild's delete adds nothing).
    pub delete: Closing,
    /// The prebuild is COMPLETED, FAILED, CANCELLED or DELETED: no line will be added.
    pub finished: bool,
}

/// Every line a prebuild's log can have.
#[derive(Debug, Clone)]
pub struct Script {
    course: Vec<Line>,
    cancel_requested: Line,
    cancelled: Line,
    delete_requested: Line,
    deleted: Line,
}

impl Script {
    /// The script of the prebuild described by `facts`.
    pub fn new(facts: &Facts) -> Script {
        let mut course = content::course(facts);
        // A known line ending in CRLF, so that clients' line splitting is exercised.
        if let Some(banner) = course.get_mut(1) {
            banner.end = "\r\n";
        }
        // A finished log's last line has no line ending, as a process's last output
        // often has none; readers must not drop it.
        if let Some(last) = course.last_mut() {
            last.end = "";
        }
        let closing = |text: String, end: &'static str| Line { mark: mark::END, text, end };
        Script {
            course,
            cancel_requested: closing(content::cancel_requested(), "\n"),
            cancelled: closing(content::cancelled(), ""),
            delete_requested: closing(content::delete_requested(), "\n"),
            deleted: closing(content::deleted(), ""),
        }
    }

    /// The lines visible at `progress`, in order.
    pub fn lines(&self, progress: &Progress) -> impl Iterator<Item = &Line> {
        let reached = progress.reached;
        let course = self.course.iter().take_while(move |l| l.mark <= reached);
        let cancel = closing(progress.cancel, &self.cancel_requested, &self.cancelled);
        let delete = closing(progress.delete, &self.delete_requested, &self.deleted);
        course.chain(cancel.into_iter().flatten()).chain(delete.into_iter().flatten())
    }
}

/// The closing lines a cancel or a delete adds at `state`.
fn closing<'a>(state: Closing, requested: &'a Line, done: &'a Line) -> [Option<&'a Line>; 2] {
    match state {
        Closing::No => [None, None],
        Closing::Requested => [Some(requested), None],
        Closing::Done => [Some(requested), Some(done)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(ending: Ending) -> Facts {
        Facts {
            seed: 1,
            prebuild_id: "0f6a4a34-9c1e-4c3b-8d2f-2a8c51e1a0b7".into(),
            project: "acme/web-app".into(),
            class: "Large".into(),
            timeout: "3600s".into(),
            size_bytes: 4_200_000_000,
            ending,
        }
    }

    fn text(script: &Script, p: &Progress) -> String {
        script.lines(p).map(|l| String::from_utf8(l.bytes()).unwrap()).collect()
    }

    fn at(reached: u32) -> Progress {
        Progress { reached, cancel: Closing::No, delete: Closing::No, finished: false }
    }

    #[test]
    fn the_log_only_grows_as_the_lifecycle_advances() {
        for ending in [
            Ending::Completes { warning: None },
            Ending::Completes { warning: Some("postCreateCommand exited with code 2".into()) },
            Ending::Fails { message: crate::state::seed::FAILURES[0].into() },
        ] {
            let script = Script::new(&facts(ending.clone()));
            let points: Vec<u32> = (0..=mark::SNAPSHOT + 5).chain([mark::END]).collect();
            let mut previous = String::new();
            let mut growths = 0;
            for p in points {
                let now = text(&script, &at(p));
                assert!(now.starts_with(&previous), "{ending:?} at {p}");
                growths += usize::from(now.len() > previous.len());
                previous = now;
            }
            assert!(growths >= 8, "lines come at many points, not all at once: {growths} for {ending:?}");
            assert_eq!(text(&script, &at(0)), "", "nothing before the environment starts");
        }
    }

    #[test]
    fn closing_lines_follow_where_the_course_stopped() {
        let script = Script::new(&facts(Ending::Completes { warning: None }));
        let stopped = |cancel, delete| Progress { reached: mark::TASKS + 2, cancel, delete, finished: false };
        let course = text(&script, &at(mark::TASKS + 2));
        let requested = text(&script, &stopped(Closing::Requested, Closing::No));
        let done = text(&script, &stopped(Closing::Done, Closing::No));
        assert!(requested.starts_with(&course) && requested.len() > course.len());
        assert!(done.starts_with(&requested) && done.contains("cancelled") && !done.ends_with('\n'));
        let deleted = text(&script, &stopped(Closing::Requested, Closing::Done));
        assert!(deleted.starts_with(&requested) && deleted.contains("deleted") && !deleted.ends_with('\n'));
    }

    #[test]
    fn a_finished_log_ends_without_a_newline_and_the_banner_with_crlf() {
        let script = Script::new(&facts(Ending::Completes { warning: None }));
        let all = text(&script, &at(mark::END));
        assert!(!all.ends_with('\n'));
        let second = all.split_inclusive('\n').nth(1).unwrap();
        assert!(second.ends_with("\r\n") && second.contains("acme/web-app"), "{second:?}");
        assert_eq!(all.matches("\r\n").count(), 1, "only the known line");
    }
}
