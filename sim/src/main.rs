//! `prebuild-sim`: a local, stateful Gitpod PrebuildService over HTTP, for development,
//! the demo page and tests. It validates requests and writes responses with the
//! client library's own code, so client and simulator cannot drift apart.
//!
//! | module | concern |
//! |---|---|
//! | `args` | command-line options |
//! | `server` | accepting connections, reset, shutdown, request log |
//! | `router` | which handler serves a path; control endpoints |
//! | `handlers` | one API call: faults, auth, body, validation, state |
//! | `faults` | `x-sim-fault`, `--fault-rate` and `--commit-share` |
//! | `outcome` | `x-sim-outcome`: how a new prebuild ends |
//! | `logs` | prebuild logs at `/logs/{id}`: text, tokens, streaming |
//! | `stats` | counters of requests, faults and answers for `/_sim/stats` |
//! | `body` | response bodies, whole or stalled |
//! | `cors`, `static_files`, `respond`, `log` | HTTP odds and ends |
//! | `state` | the simulated service: catalog, seed, methods, lifecycle, paging |
//! | `rng`, `time` | deterministic randomness, timestamps |

mod args;
mod body;
mod cors;
mod faults;
mod handlers;
mod log;
mod logs;
mod outcome;
mod respond;
mod rng;
mod router;
mod server;
mod state;
mod static_files;
mod stats;
mod time;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::args::{Args, Command};
use crate::faults::Faults;
use crate::log::Logger;
use crate::server::Ctx;
use crate::state::{SeedConfig, Sim};
use crate::stats::Stats;

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            print!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("prebuild-sim {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("prebuild-sim: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("prebuild-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let listener = match TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("prebuild-sim: cannot listen on {}:{}: {e}", args.host, args.port);
            return ExitCode::FAILURE;
        }
    };
    let url = match listener.local_addr() {
        Ok(SocketAddr::V4(a)) => format!("http://{}:{}", a.ip(), a.port()),
        Ok(SocketAddr::V6(a)) => format!("http://[{}]:{}", a.ip(), a.port()),
        Err(e) => {
            eprintln!("prebuild-sim: cannot read the listening address: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Harnesses start the server with --port 0 and read this line for the port, so it
    // comes first and is flushed at once. Write errors are ignored: a harness may
    // close the pipe after reading it.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "prebuild-sim listening on {url}");
    let _ = out.flush();

    let log_base = args.public_url.clone().unwrap_or_else(|| reachable(&url));
    let sim = Sim::new(SeedConfig {
        seed: args.seed,
        extra_prebuilds: args.prebuilds,
        epoch_ms: time::now_ms(),
        log_base,
        logs_token_ttl_ms: args.logs_token_ttl_ms,
    });
    let _ = out.write_all(summary(&args, &url, &sim).as_bytes());
    let _ = out.flush();

    let ctx = Arc::new(Ctx {
        sim: Mutex::new(sim),
        faults: Faults::new(args.fault_rate, args.seed).with_commit_share(args.commit_share),
        stats: Stats::default(),
        token: args.token.clone(),
        www_dir: args.www.clone(),
        pkg_dir: args.pkg.clone(),
        tick_ms: args.tick_ms,
        log_chunk_bytes: args.log_chunk_bytes,
        changes: tokio::sync::watch::Sender::new(0),
        logger: Logger::new(args.quiet),
    });
    tokio::spawn(clock(ctx.clone(), Duration::from_millis(args.tick_ms)));
    server::serve(listener, ctx, shutdown_signal()).await;
    eprintln!("prebuild-sim: stopped");
    ExitCode::SUCCESS
}

/// Advances the lifecycles every `period`.
async fn clock(ctx: Arc<Ctx>, period: Duration) {
    let mut interval = tokio::time::interval(period);
    // After a stall, carry on at the normal pace instead of catching up in a burst.
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await; // the first tick is immediate
    loop {
        interval.tick().await;
        ctx.sim.lock().unwrap_or_else(|e| e.into_inner()).tick(time::now_ms());
        ctx.changed();
    }
}

/// The listening URL as a client can reach it: a wildcard address (`--host 0.0.0.0`)
/// is no destination, so log URLs name the loopback address instead (`--public-url`
/// names another).
fn reachable(url: &str) -> String {
    url.replacen("http://0.0.0.0:", "http://127.0.0.1:", 1).replacen("http://[::]:", "http://[::1]:", 1)
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    eprintln!("prebuild-sim: shutting down");
}

/// What a developer needs to know at start: where things are and the seeded ids.
fn summary(args: &Args, url: &str, sim: &Sim) -> String {
    use std::fmt::Write as _;
    let cat = sim.catalog();
    let (prebuilds, pools) = sim.counts();
    let dir = |p: &std::path::Path| {
        if p.is_dir() {
            p.display().to_string()
        } else {
            format!("{} (missing: 404)", p.display())
        }
    };
    let mut s = String::new();
    let _ = writeln!(s, "  API       {url}/api/gitpod.v1.PrebuildService/{{Method}}");
    let _ = writeln!(
        s,
        "  logs      {}/logs/{{prebuildId}} with a token from CreatePrebuildLogsToken (valid {} ms)",
        sim.log_base(),
        args.logs_token_ttl_ms
    );
    let _ = writeln!(s, "  static    / from {}, /pkg/ from {}", dir(&args.www), dir(&args.pkg));
    let _ = writeln!(s, "  control   GET /healthz, GET /_sim/info (ids as JSON), GET /_sim/stats, POST /_sim/reset");
    let _ = writeln!(
        s,
        "  auth      {}",
        if args.token.is_some() { "only the --token value" } else { "any non-empty bearer token" }
    );
    let _ = writeln!(
        s,
        "  seed {}    {prebuilds} prebuilds, {pools} warm pools; tick {} ms (a new prebuild completes after 18 ticks)",
        args.seed, args.tick_ms
    );
    if args.fault_rate > 0.0 {
        let _ = writeln!(s, "  faults    {:.0} % of API calls fail at random", args.fault_rate * 100.0);
        if args.commit_share > 0.0 {
            let _ = writeln!(s, "            {:.0} % of those after the call was applied", args.commit_share * 100.0);
        }
    }
    for (o, org) in cat.orgs.iter().enumerate() {
        let _ = writeln!(s, "  organization {}  {}", org.id, org.name);
        for p in cat.projects.iter().filter(|p| p.org == o) {
            let note = if p.prebuilds_enabled {
                format!("{:?}", p.behaviour).to_lowercase()
            } else {
                "prebuilds disabled".into()
            };
            let _ = writeln!(s, "    project {}  {}  ({note})", p.id, p.name);
            for &c in &p.classes {
                let class = &cat.classes[c];
                let default = if c == p.default_class { "  [default]" } else { "" };
                let _ = writeln!(s, "      class {}  {}{default}", class.id, class.name);
            }
        }
        for (i, person) in cat.people.iter().enumerate().filter(|(_, p)| p.org == o) {
            let kind = if person.is_user { "user" } else { "service account" };
            let caller = if cat.caller(o) == i { "  [creates new prebuilds]" } else { "" };
            let _ = writeln!(s, "    {kind} {}  {}{caller}", person.id, person.name);
        }
    }
    let hints = sim.hints();
    let _ = writeln!(
        s,
        "  no warm pool yet (has a completed prebuild): project {} class {}",
        hints.free_pair.0, hints.free_pair.1
    );
    let _ = writeln!(s, "  prebuild with HTML in its messages: {}", hints.html_prebuild_id);
    s
}
