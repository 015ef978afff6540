//! The stages of a course around the tasks: the environment request, git clone, the
//! dev container build, and the snapshot upload. Each that can fail says whether it
//! did, and then the course ends there.

use super::{error, ok, step, warning, Builder, DIM, IMAGE, RED, RESET, YELLOW};
use super::{repo, size};
use crate::logs::script::{mark, Facts};
use crate::rng::Rng;

/// The runner never reported the environment: no clone, no build.
pub(super) fn no_environment(b: &mut Builder, f: &Facts) {
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
pub(super) fn clone(b: &mut Builder, rng: &mut Rng, f: &Facts, fails: bool) -> bool {
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
pub(super) fn devcontainer(b: &mut Builder, rng: &mut Rng, fails: bool) -> bool {
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

/// STOPPING, then the upload over the SNAPSHOTTING steps (0 % to 100 % by 20).
pub(super) fn snapshot(b: &mut Builder, rng: &mut Rng, f: &Facts, fails: bool) {
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
