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

use super::script::{mark, Ending, Facts, Line};
use crate::rng::Rng;

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
fn no_environment(b: &mut Builder, f: &Facts) {
    b.line(step(&format!("Requesting an environment of class {} from its runner", f.class)));
    b.line(warning("The runner has not reported the environment after 120s; still waiting"));
    b.at(mark::END);
    b.line(format!(
        "{RED}error:{RESET} the runner did not report the environment within 300s. It may be out of capacity, \
         stopped, or unable to reach the Gitpod API; check the runner's health in Settings → Runners and its \
         logs (journalctl -u gitpod-runner) for errors around this time."
    ));
    b.line(error("Environment start exited with code 1"));
}

/// Returns true when the clone failed (the course ends there).
fn clone(b: &mut Builder, rng: &mut Rng, f: &Facts, fails: bool) -> bool {
    let url = format!("https://github.com/{}.git", f.project);
    b.line(step(&format!("Cloning {url} (branch main)")));
    b.line(format!("Cloning into '/workspace/{}'...", repo(f)));
    // Plausible and harmless: the repository was renamed once.
    b.line(format!("{YELLOW}warning:{RESET} redirecting to {url}/"));
    if fails {
        b.at(mark::END);
        b.line("remote: Invalid username or token. Password authentication is not supported for Git operations.");
        b.line(format!("fatal: Authentication failed for '{url}/'"));
        b.line(format!(
            "{DIM}hint: the executor's SCM token for github.com has expired. Ask the executor to sign in to \
             github.com again under Settings → Git Providers, or choose another executor for this project's \
             prebuilds under Project settings → Prebuilds → Executor.{RESET}"
        ));
        b.line(error("git clone exited with code 128"));
        return true;
    }
    let objects = rng.between(8_000, 240_000);
    let deltas = objects * rng.between(40, 70) / 100;
    let reused = objects - rng.between(10, 400);
    b.line(format!("remote: Enumerating objects: {objects}, done."));
    b.line(format!("remote: Counting objects: 100% ({n}/{n}), done.", n = rng.between(300, 2_000)));
    b.line(format!("remote: Compressing objects: 100% ({n}/{n}), done.", n = rng.between(150, 900)));
    b.line(format!("remote: Total {objects} (delta {deltas}), reused {reused} (delta {}), pack-reused 0", deltas - 12));
    b.line(format!(
        "Receiving objects: 100% ({objects}/{objects}), {}.{:02} MiB | {}.{:02} MiB/s, done.",
        objects / 900,
        rng.below(100),
        rng.between(8, 60),
        rng.below(100)
    ));
    b.line(format!("Resolving deltas: 100% ({deltas}/{deltas}), done."));
    b.line(ok(&format!(
        "Checked out main at {} in {}.{}s",
        rng.hex(4).get(..7).unwrap_or(""),
        rng.between(2, 19),
        rng.below(10)
    )));
    false
}

/// Returns true when the image pull failed (the course ends there).
fn devcontainer(b: &mut Builder, rng: &mut Rng, fails: bool) -> bool {
    b.at(mark::DEVCONTAINER);
    b.line(step("Building the dev container from .devcontainer/devcontainer.json"));
    b.line(format!(
        "ubuntu-24.04: Pulling from {}",
        IMAGE.trim_start_matches("mcr.microsoft.com/").trim_end_matches(":ubuntu-24.04")
    ));
    let layers: Vec<String> = (0..rng.between(4, 7)).map(|_| rng.hex(6)).collect();
    for layer in &layers {
        b.line(format!("{layer}: Pulling fs layer"));
    }
    if fails {
        b.at(mark::END);
        b.line(format!(
            "Error response from daemon: pull access for {IMAGE}: toomanyrequests: You have reached your pull rate \
             limit as an anonymous user. You may increase the limit by authenticating and upgrading: \
             https://www.docker.com/increase-rate-limit"
        ));
        b.line(error("devcontainer build exited with code 1"));
        return true;
    }
    for layer in &layers {
        b.line(format!("{layer}: Download complete"));
    }
    for layer in &layers {
        b.line(format!("{layer}: Pull complete"));
    }
    b.line(format!("Digest: sha256:{}", rng.hex(32)));
    b.line(format!("Status: Downloaded newer image for {IMAGE}"));
    b.line("#1 [internal] load build definition from Dockerfile");
    b.line(format!("#1 transferring dockerfile: {}B done", rng.between(600, 1_400)));
    b.line(
        "#4 [2/4] RUN apt-get update && export DEBIAN_FRONTEND=noninteractive && apt-get install -y \
         --no-install-recommends postgresql-client redis-tools jq ripgrep build-essential ca-certificates && \
         apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*",
    );
    b.line(format!(
        "#4 {}.{} Fetched {}.{} MB in {}s",
        rng.between(2, 9),
        rng.below(10),
        rng.between(18, 60),
        rng.below(10),
        rng.between(2, 9)
    ));
    b.line("#5 [3/4] COPY --from=node:20-bookworm /usr/local /usr/local");
    b.line("#6 [4/4] RUN npm install -g npm@10.8.3");
    b.line("#7 exporting to image");
    b.line(format!("#7 writing image sha256:{} done", rng.hex(32)));
    b.line(ok(&format!("Dev container ready in {}.{}s 🐳", rng.between(20, 95), rng.below(10))));
    false
}

const PACKAGES: [&str; 12] = [
    "react",
    "react-dom",
    "typescript",
    "vite",
    "vitest",
    "@types/node",
    "eslint",
    "zod",
    "date-fns",
    "lodash-es",
    "@tanstack/react-query",
    "react-beautiful-dnd",
];

const TEST_FILES: [&str; 10] = [
    "src/lib/date",
    "src/lib/money",
    "src/api/client",
    "src/components/Button",
    "src/components/Table",
    "src/hooks/useSession",
    "src/store/cart",
    "src/routes/checkout",
    "src/lib/i18n",
    "src/utils/retry",
];

/// The three prebuild tasks over the RUNNING steps. Returns true when a task failed
/// (the course ends there).
fn tasks(b: &mut Builder, rng: &mut Rng, f: &Facts, failure: Option<Failure>) -> bool {
    let name = repo(f);
    let version = format!("1.{}.{}", rng.below(20), rng.below(10));
    b.at(mark::TASKS);
    b.line(task(1, "npm ci"));
    // The warning every log has: npm's, word for word as it prints it.
    b.line(format!(
        "npm {YELLOW}warn{RESET} deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do \
         not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key \
         value, which is much more comprehensive and powerful."
    ));
    b.line(format!("npm {YELLOW}warn{RESET} deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported"));
    if failure == Some(Failure::NpmCi) {
        // Dependency resolution takes every running step, then gives up.
        for point in 1..mark::TASK_POINTS {
            b.at(mark::TASKS + point);
            for _ in 0..2 {
                let package = rng.pick(&PACKAGES);
                b.line(format!(
                    "npm http fetch GET 200 https://registry.npmjs.org/{package} {}ms (cache miss)",
                    rng.between(40, 900)
                ));
            }
        }
        b.at(mark::END);
        b.line(format!("npm {RED}error{RESET} code ERESOLVE"));
        b.line(format!("npm {RED}error{RESET} ERESOLVE unable to resolve dependency tree"));
        b.line(format!("npm {RED}error{RESET}"));
        b.line(format!("npm {RED}error{RESET} While resolving: {name}@{version}"));
        b.line(format!("npm {RED}error{RESET} Found: react@18.3.1"));
        b.line(format!("npm {RED}error{RESET} Could not resolve dependency:"));
        b.line(format!("npm {RED}error{RESET} peer react@\"^16.8.5 || ^17.0.0\" from react-beautiful-dnd@13.1.1"));
        b.line(format!(
            "npm {RED}error{RESET} Fix the upstream dependency conflict, or retry this command with --force or \
             --legacy-peer-deps to accept an incorrect (and potentially broken) dependency resolution."
        ));
        b.line(error("Task 1/3 · npm ci exited with code 1"));
        return true;
    }
    b.at(mark::TASKS + 1);
    let packages = rng.between(600, 1_800);
    let ci_secs = rng.between(18, 90);
    b.line(format!("added {packages} packages, and audited {} packages in {ci_secs}s", packages + 1));
    b.line(format!("{} packages are looking for funding", rng.between(80, 260)));
    b.line("  run `npm fund` for details");
    b.line(format!("found {GREEN}{BOLD}0{RESET} vulnerabilities"));
    b.line(ok(&format!("npm ci ({ci_secs}s)")));

    b.at(mark::TASKS + 2);
    b.line(task(2, "npm run build"));
    b.line(format!("> {name}@{version} build"));
    b.line("> tsc -b && vite build");
    b.line("");
    b.line(format!("{CYAN}vite v5.4.8{RESET} {GREEN}building for production...{RESET}"));
    b.line("transforming...");
    b.at(mark::TASKS + 3);
    b.line(format!("{GREEN}✓{RESET} {} modules transformed.", rng.between(300, 2_500)));
    if failure == Some(Failure::Build) {
        let Ending::Fails { message } = &f.ending else { return true };
        b.at(mark::END);
        b.line(format!("{RED}x{RESET} Build failed in {}.{:02}s", rng.between(2, 9), rng.below(100)));
        b.line(format!("{RED}error during build:{RESET}"));
        b.line(message.clone());
        b.line(error("Task 2/3 · npm run build exited with code 1"));
        return true;
    }
    b.line("rendering chunks...");
    b.line("computing gzip size...");
    let build_secs = format!("{}.{:02}s", rng.between(4, 40), rng.below(100));
    for (file, kb, gzip) in [
        ("index.html".to_string(), 0.46, 0.30),
        (format!("assets/index-{}.css", rng.hex(4)), 21.84, 4.91),
        (format!("assets/index-{}.js", rng.hex(4)), 412.37, 131.02),
    ] {
        b.line(format!("{DIM}dist/{RESET}{file:<28} {kb:>7.2} kB {DIM}│ gzip: {gzip:>6.2} kB{RESET}"));
    }
    b.line(format!("{GREEN}✓ built in {build_secs}{RESET}"));
    b.line(ok(&format!("npm run build ({build_secs})")));

    // The status gets its warning at the same step (state::lifecycle, WARNING_AT_STEP).
    b.at(mark::TASKS + 4);
    if let Ending::Completes { warning: Some(w) } = &f.ending {
        b.line(warning(w));
    }
    b.line(task(3, "npm test"));
    b.line(format!("> {name}@{version} test"));
    b.line("> vitest run");
    b.line("");
    b.line(format!(" {CYAN}{BOLD}RUN{RESET} {CYAN}v2.1.2 /workspace/{name}{RESET}"));
    b.line("");
    if failure == Some(Failure::Timeout) {
        for point in 5..mark::TASK_POINTS {
            b.at(mark::TASKS + point);
            b.line(format!("Waiting for Postgres at localhost:5432… (attempt {})", point * 12 + rng.below(12) as u32));
        }
        b.at(mark::END);
        b.line(format!("{RED}npm test was stopped: the prebuild ran longer than its timeout of {}{RESET}", f.timeout));
        b.line(error("Task 3/3 · npm test exited with code 124"));
        return true;
    }
    let mut tests = 0;
    let files = rng.between(6, TEST_FILES.len() as i64) as usize;
    for (i, file) in TEST_FILES.iter().take(files).enumerate() {
        b.at(mark::TASKS + 5 + u32::from(i >= files / 2));
        let n = rng.between(3, 40);
        tests += n;
        b.line(format!(" {GREEN}✓{RESET} {file}.test.ts ({n} tests) {DIM}{}ms{RESET}", rng.between(4, 900)));
    }
    b.at(mark::TASKS + 7);
    let test_secs = format!("{}.{:02}s", rng.between(5, 60), rng.below(100));
    b.line("");
    b.line(format!(" Test Files  {GREEN}{BOLD}{files} passed{RESET} ({files})"));
    b.line(format!("      Tests  {GREEN}{BOLD}{tests} passed{RESET} ({tests})"));
    b.line(format!("   Duration  {test_secs}"));
    b.line(ok(&format!("npm test ({test_secs})")));
    b.line(ok("All 3 tasks finished 🎉"));
    false
}

/// STOPPING, then the upload over the SNAPSHOTTING steps (0 % to 100 % by 20).
fn snapshot(b: &mut Builder, rng: &mut Rng, f: &Facts, fails: bool) {
    b.at(mark::STOPPING);
    b.line(step("Stopping the environment"));
    b.line(step("Creating the snapshot of /workspace and the container image"));
    let speed = rng.between(90, 400);
    for (i, percent) in (0..=100u64).step_by(20).enumerate() {
        b.at(mark::SNAPSHOT + i as u32);
        let done = f.size_bytes / 100 * percent;
        b.line(format!("Uploading snapshot: {percent:>3}% ({} of {}) · {speed} MB/s", size(done), size(f.size_bytes)));
        if fails && percent == 40 {
            b.at(mark::END);
            b.line(format!(
                "{RED}Error:{RESET} creating the volume snapshot: SnapshotQuotaExceeded: the maximum number of \
                 snapshots allowed for the region has been reached (request id {}). Delete unused snapshots or ask \
                 for a higher quota, then run the prebuild again.",
                rng.hex(8)
            ));
            b.line(error("snapshot upload exited with code 1"));
            return;
        }
    }
}

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
