//! `prebuild-sim`: a local, stateful Gitpod PrebuildService over HTTP, for development,
//! the demo page and tests. The simulated service itself is `prebuild-sim-core`, which
//! knows no sockets, tasks or clocks; this binary is the native server around it:
//! hyper and tokio, the `reset` fault's TCP RST, static files, signals, and the wall
//! clock turned into the core's `now_ms` and timers.
//!
//! | module | concern |
//! |---|---|
//! | `args` | command-line options |
//! | `server` | accepting connections, reset, shutdown |
//! | `exchange` | one request: static files, or the core and its answer carried out |
//! | `ctx` | what connections share: the core behind a lock, the change signal |
//! | `log_stream` | a log stream's task, polling the core |
//! | `body` | response bodies: whole, stalled, streamed |
//! | `clock` | the lifecycle clock and the wall-clock time |
//! | `static_files`, `log` | `www/` and `pkg/`; the request log |

mod args;
mod body;
mod clock;
mod ctx;
mod exchange;
mod log;
mod log_stream;
mod server;
mod static_files;

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use prebuild_sim_core::{SimConfig, Simulator};
use tokio::net::TcpListener;

use crate::args::{Args, Command};
use crate::clock::now_ms;
use crate::ctx::Ctx;
use crate::log::Logger;

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

    let sim = Simulator::new(SimConfig {
        seed: args.seed,
        prebuilds: args.prebuilds,
        tick_ms: args.tick_ms,
        fault_rate: args.fault_rate,
        commit_share: args.commit_share,
        token: args.token.clone(),
        logs_token_ttl_ms: args.logs_token_ttl_ms,
        log_chunk_bytes: args.log_chunk_bytes,
        public_url: args.public_url.clone().unwrap_or_else(|| reachable(&url)),
        epoch_ms: now_ms(),
        token_secret: secret(),
    });
    let _ = out.write_all(summary(&args, &url, &sim).as_bytes());
    let _ = out.flush();

    let ctx = Arc::new(Ctx::new(sim, args.www.clone(), args.pkg.clone(), Logger::new(args.quiet)));
    tokio::spawn(clock::run(ctx.clone(), args.tick_ms));
    server::serve(listener, ctx, shutdown_signal()).await;
    eprintln!("prebuild-sim: stopped");
    ExitCode::SUCCESS
}

/// The secret logs tokens are drawn from: the random keys std draws from the operating
/// system for `RandomState`, so tokens cannot be predicted from `--seed`.
fn secret() -> [u64; 2] {
    let state = RandomState::new();
    [state.hash_one(1u8), state.hash_one(2u8)]
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

/// What a developer needs to know at start: where things are, then the core's
/// overview (the seed, the faults and the seeded ids).
fn summary(args: &Args, url: &str, sim: &Simulator) -> String {
    use std::fmt::Write as _;
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
    s.push_str(&sim.overview());
    s
}
