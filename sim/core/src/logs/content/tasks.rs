//! The prebuild tasks (`npm ci`, `npm run build`, `npm test`) over the RUNNING steps,
//! with the failures that happen inside them: a dependency conflict, a failed build,
//! a test run that outlives the timeout.

use super::{error, ok, repo, task, warning, Builder, Failure, BOLD, CYAN, DIM, GREEN, RED, RESET, YELLOW};
use crate::logs::script::{mark, Ending, Facts};
use crate::rng::Rng;

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
pub(super) fn tasks(b: &mut Builder, rng: &mut Rng, f: &Facts, failure: Option<Failure>) -> bool {
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
