//! The text of a prebuild's log: the banner, git clone, the dev container build (image
//! layers, build steps), the prebuild tasks (`npm ci`, `npm run build`, `npm test`),
//! the snapshot upload, and the last line. A failed prebuild's log shows the step that
//! its failure message names failing with an error and a non-zero exit code.
//!
//! Deliberately awkward for clients, as real logs are: ANSI colours and bold, UTF-8
//! beyond ASCII (✔, →, ·, │, emoji), empty lines, a CRLF line and lines far longer than
//! 200 characters. Every number, hash and name comes from a generator seeded by the
//! simulator's seed and the prebuild's id, so a log is the same on every request and
//! every run with that seed.
//!
//! Here: the styles, the line builder and the course from first line to last; the
//! stages around the tasks are in `stages`, the tasks in `tasks`.

mod stages;
mod tasks;

use super::script::{mark, Ending, Facts, Line};
use crate::rng::Rng;
use stages::{clone, devcontainer, no_environment, snapshot};
use tasks::tasks;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The base image of every project's dev container (the failure message of a pull that
/// hit the registry's rate limit names it).
const IMAGE: &str = "mcr.microsoft.com/devcontainers/base:ubuntu-24.04";

/// Which step a failure message says failed. The messages are the simulator's own
/// (`state::seed::FAILURES`); any other text is a failed build step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Clone,
    ImagePull,
    NoEnvironment,
    NpmCi,
    Build,
    Timeout,
    Snapshot,
}

fn classify(message: &str) -> Failure {
    const KNOWN: [(&str, Failure); 6] = [
        ("git clone failed", Failure::Clone),
        ("devcontainer build failed", Failure::ImagePull),
        ("environment did not start", Failure::NoEnvironment),
        ("prebuild task 'npm ci'", Failure::NpmCi),
        ("prebuild timed out", Failure::Timeout),
        ("snapshot creation failed", Failure::Snapshot),
    ];
    KNOWN.iter().find(|(prefix, _)| message.starts_with(prefix)).map_or(Failure::Build, |&(_, f)| f)
}

/// Collects lines, each marked with the point it becomes visible at.
struct Builder {
    lines: Vec<Line>,
    mark: u32,
}

impl Builder {
    /// From now on, lines are visible from `mark` (never earlier than the last ones).
    fn at(&mut self, mark: u32) -> &mut Builder {
        self.mark = self.mark.max(mark);
        self
    }

    fn line(&mut self, text: impl Into<String>) -> &mut Builder {
        self.lines.push(Line { mark: self.mark, text: text.into(), end: "\n" });
        self
    }
}

fn ok(text: &str) -> String {
    format!("{GREEN}✔{RESET} {text}")
}

fn step(text: &str) -> String {
    format!("{CYAN}→{RESET} {text}")
}

fn warning(text: &str) -> String {
    format!("{YELLOW}⚠ {text}{RESET}")
}

fn error(text: &str) -> String {
    format!("{RED}✘ {text}{RESET}")
}

fn task(n: u32, command: &str) -> String {
    format!("{BOLD}▶ Task {n}/3 · {command}{RESET}")
}

/// Every line of the prebuild's course, the last one saying how it ended.
pub fn course(f: &Facts) -> Vec<Line> {
    let mut rng = Rng::new(f.seed ^ fnv1a(f.prebuild_id.as_bytes()));
    let failure = match &f.ending {
        Ending::Fails { message } => Some(classify(message)),
        Ending::Completes { .. } => None,
    };
    let mut b = Builder { lines: Vec::new(), mark: mark::CLONE };
    b.line(format!("{BOLD}Gitpod prebuild {}{RESET}", f.prebuild_id));
    b.line(format!("project {} · class {} · timeout {}", f.project, f.class, f.timeout));
    let finished_early = match failure {
        Some(Failure::NoEnvironment) => {
            no_environment(&mut b, f);
            true
        }
        _ => clone(&mut b, &mut rng, f, failure == Some(Failure::Clone)),
    } || devcontainer(&mut b, &mut rng, failure == Some(Failure::ImagePull))
        || tasks(&mut b, &mut rng, f, failure);
    if !finished_early {
        snapshot(&mut b, &mut rng, f, failure == Some(Failure::Snapshot));
    }
    b.at(mark::END);
    match &f.ending {
        Ending::Completes { .. } => {
            b.line(format!("{GREEN}{BOLD}✔ Prebuild completed{RESET} · snapshot {} 📦", size(f.size_bytes)))
        }
        Ending::Fails { message } => b.line(format!("{RED}{BOLD}✘ Prebuild failed:{RESET} {message}")),
    };
    b.lines
}

/// The runner never reported the environment: no clone, no build.
/// The line a cancel adds at once.
pub fn cancel_requested() -> String {
    warning("Cancellation requested: stopping the prebuild")
}

/// The last line of a cancelled prebuild's log.
pub fn cancelled() -> String {
    format!("{YELLOW}{BOLD}⊘ Prebuild cancelled{RESET}")
}

/// The line the delete of an unfinished prebuild adds at once.
pub fn delete_requested() -> String {
    warning("The prebuild is being deleted: stopping the environment")
}

/// The last line of a prebuild deleted before it finished.
pub fn deleted() -> String {
    format!("{YELLOW}{BOLD}⊘ Prebuild deleted before it finished{RESET}")
}

/// `acme/web-app` → `web-app`.
fn repo(f: &Facts) -> &str {
    f.project.rsplit('/').next().unwrap_or(&f.project)
}

/// Bytes as GB with one decimal, as the upload progress shows them.
fn size(bytes: u64) -> String {
    format!("{}.{} GB", bytes / 1_000_000_000, bytes % 1_000_000_000 / 100_000_000)
}

/// FNV-1a, to turn an id into a seed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::seed::{FAILURES, WARNINGS};

    fn facts(seed: u64, ending: Ending) -> Facts {
        Facts {
            seed,
            prebuild_id: "5b0e3c1a-7d2f-4e8a-9b6c-1f2e3d4c5b6a".into(),
            project: "acme/web-app".into(),
            class: "Large".into(),
            timeout: "3600s".into(),
            size_bytes: 4_256_000_000,
            ending,
        }
    }

    fn text(lines: &[Line]) -> String {
        lines.iter().map(|l| format!("{}{}", l.text, l.end)).collect()
    }

    #[test]
    fn every_failure_message_shows_its_step_failing_with_an_exit_code() {
        let mut kinds = Vec::new();
        for message in FAILURES.iter().copied().chain(["build step failed: <b>x</b> (see the logs)"]) {
            kinds.push(classify(message));
            let lines = course(&facts(1, Ending::Fails { message: message.into() }));
            let all = text(&lines);
            assert!(all.contains("exited with code"), "{message}: {all}");
            assert!(all.contains(RED), "{message}");
            assert!(lines.last().unwrap().text.contains(message), "the last line names the failure: {message}");
            assert!(lines.iter().any(|l| l.text.chars().count() > 200), "a long line: {message}");
            assert!(lines.iter().any(|l| l.text.contains("warn") || l.text.contains('⚠')), "a warning line: {message}");
            assert!(!all.contains("Prebuild completed"));
        }
        kinds.sort_by_key(|k| format!("{k:?}"));
        kinds.dedup();
        assert_eq!(kinds.len(), FAILURES.len() + 1, "each message has its own step");
    }

    #[test]
    fn a_completed_course_has_every_stage_and_its_warning() {
        let w = WARNINGS[1];
        let lines = course(&facts(1, Ending::Completes { warning: Some(w.into()) }));
        let all = text(&lines);
        for needle in [
            "Cloning into",
            "Pull complete",
            "npm ci",
            "npm run build",
            "Test Files",
            "Uploading snapshot: 100%",
            "Prebuild completed",
            "4.2 GB",
            "🐳",
            "🎉",
            "│",
        ] {
            assert!(all.contains(needle), "{needle}");
        }
        assert!(all.contains(w));
        let warning_line = lines.iter().find(|l| l.text.contains(w)).unwrap();
        assert_eq!(warning_line.mark, mark::TASKS + 4, "where the status gets it");
        let marks: Vec<u32> = lines.iter().map(|l| l.mark).collect();
        assert!(marks.windows(2).all(|m| m[0] <= m[1]), "marks never go back");
        for point in mark::TASKS..mark::SNAPSHOT + 6 {
            assert!(marks.contains(&point), "lines at point {point}");
        }
    }

    #[test]
    fn the_text_follows_from_the_seed_and_the_id() {
        let a = text(&course(&facts(1, Ending::Completes { warning: None })));
        assert_eq!(a, text(&course(&facts(1, Ending::Completes { warning: None }))));
        assert_ne!(a, text(&course(&facts(2, Ending::Completes { warning: None }))));
        let mut other = facts(1, Ending::Completes { warning: None });
        other.prebuild_id = "5b0e3c1a-7d2f-4e8a-9b6c-1f2e3d4c5b6b".into();
        assert_ne!(a, text(&course(&other)));
    }
}
