//! Command-line options. Hand-written: a dozen flags do not need a parser crate.

use std::path::PathBuf;

/// The usage text of `--help`.
pub const USAGE: &str = "\
prebuild-sim: a local, stateful Gitpod PrebuildService for development, demos and tests

usage: prebuild-sim [options]

  --host HOST        address to listen on (default 127.0.0.1)
  --port N           port to listen on; 0 picks a free one (default 8787)
  --token T          accept only the bearer token T (default: any non-empty token)
  --seed N           seed of the generated data (default 1)
  --tick-ms MS       lifecycle clock period; a new prebuild completes after 18 ticks
                     (default 1000, about 20 s)
  --prebuilds N      add N older, finished prebuilds (for walks over many pages)
  --www DIR          files served at / (default www)
  --pkg DIR          files served at /pkg/ (default pkg)
  --fault-rate P     answer a share P (0..1) of API calls with 503, 429 or a reset
  --commit-share S   make a share S (0..1) of those faults committed ones: the call is
                     applied, then answered with 500, 502 or a reset (default 0)
  --public-url URL   origin of the prebuilds' status.logUrl, for use behind a proxy
                     (default: the address listened on, as http://HOST:PORT)
  --logs-token-ttl-ms MS
                     lifetime of CreatePrebuildLogsToken's tokens (default 3600000)
  --log-chunk-bytes N
                     write log bodies as pieces of at most N bytes cut anywhere, inside
                     lines and UTF-8 characters (default 0: a piece a line)
  --quiet            no per-request log lines
  -h, --help         this text
  -V, --version      the version

The first line on stdout is `prebuild-sim listening on http://HOST:PORT`.
Per request: header `x-sim-fault: 503|502|500|429|reset|delay=MS|stall[=MS]|malformed|html502`
with optional `;retry-after-ms=MS;times=N;key=K;commit=1` (commit: apply the call, then
fail; with reset, 502, 503, 500, delay=MS and html502).
Logs: GET /logs/{prebuildId} (a prebuild's status.logUrl) with `Authorization: Bearer
<token from CreatePrebuildLogsToken>`, streamed while the prebuild runs. It takes the
faults above but malformed and commit, plus `cut=N`: the stream is dropped after N lines.
CreatePrebuild takes `x-sim-outcome: completed|warning|failed|cancelled`.
";

/// The simulator's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    /// `--host`.
    pub host: String,
    /// `--port`.
    pub port: u16,
    /// `--token`.
    pub token: Option<String>,
    /// `--seed`.
    pub seed: u64,
    /// `--tick-ms`.
    pub tick_ms: u64,
    /// `--prebuilds`.
    pub prebuilds: usize,
    /// `--www`.
    pub www: PathBuf,
    /// `--pkg`.
    pub pkg: PathBuf,
    /// `--fault-rate`.
    pub fault_rate: f64,
    /// `--commit-share`.
    pub commit_share: f64,
    /// `--public-url`, without a trailing `/`.
    pub public_url: Option<String>,
    /// `--logs-token-ttl-ms`.
    pub logs_token_ttl_ms: u64,
    /// `--log-chunk-bytes`.
    pub log_chunk_bytes: usize,
    /// `--quiet`.
    pub quiet: bool,
}

impl Default for Args {
    fn default() -> Args {
        Args {
            host: "127.0.0.1".into(),
            port: 8787,
            token: None,
            seed: 1,
            tick_ms: 1000,
            prebuilds: 0,
            www: "www".into(),
            pkg: "pkg".into(),
            fault_rate: 0.0,
            commit_share: 0.0,
            public_url: None,
            logs_token_ttl_ms: 3_600_000,
            log_chunk_bytes: 0,
            quiet: false,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Run the server.
    Run(Args),
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
}

/// Parses the arguments after the program name; `--flag value` and `--flag=value`.
pub fn parse(argv: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = Args::default();
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--quiet" => args.quiet = true,
            "--host" => args.host = value("--host")?,
            "--port" => args.port = number("--port", &value("--port")?, 0, u64::from(u16::MAX))? as u16,
            "--token" => {
                let t = value("--token")?;
                if t.is_empty() {
                    return Err("--token must not be empty".into());
                }
                args.token = Some(t);
            }
            "--seed" => args.seed = number("--seed", &value("--seed")?, 0, u64::MAX)?,
            "--tick-ms" => args.tick_ms = number("--tick-ms", &value("--tick-ms")?, 1, 1_000_000_000)?,
            "--prebuilds" => args.prebuilds = number("--prebuilds", &value("--prebuilds")?, 0, 1_000_000)? as usize,
            "--www" => args.www = value("--www")?.into(),
            "--pkg" => args.pkg = value("--pkg")?.into(),
            "--fault-rate" => args.fault_rate = share("--fault-rate", &value("--fault-rate")?)?,
            "--commit-share" => args.commit_share = share("--commit-share", &value("--commit-share")?)?,
            "--public-url" => args.public_url = Some(public_url(&value("--public-url")?)?),
            "--logs-token-ttl-ms" => {
                args.logs_token_ttl_ms = number("--logs-token-ttl-ms", &value("--logs-token-ttl-ms")?, 1, MAX_TTL_MS)?
            }
            "--log-chunk-bytes" => {
                args.log_chunk_bytes = number("--log-chunk-bytes", &value("--log-chunk-bytes")?, 0, 1 << 20)? as usize
            }
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    Ok(Command::Run(args))
}

/// The longest logs token lifetime accepted: 30 days.
const MAX_TTL_MS: u64 = 30 * 24 * 3_600_000;

/// An `http://` or `https://` URL with a host and no query or fragment; an optional
/// path (a proxy's prefix) is kept, a trailing `/` dropped.
fn public_url(v: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!("--public-url must be an http:// or https:// URL such as https://sim.example.com, {why}: {v:?}"))
    };
    let Some(rest) = v.strip_prefix("http://").or_else(|| v.strip_prefix("https://")) else {
        return bad("with its scheme");
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return bad("with a host and no user");
    }
    if v.contains(['?', '#']) || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("without a query, a fragment or spaces");
    }
    Ok(v.trim_end_matches('/').to_string())
}

fn share(flag: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{flag} must be a number from 0 to 1, got {v:?}")),
    }
}

fn number(flag: &str, v: &str, lo: u64, hi: u64) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!("{flag} must be a whole number from {lo} to {hi}, got {v:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        assert_eq!(run(&[]).unwrap(), Command::Run(Args::default()));
        let Command::Run(a) =
            run(&["--port", "0", "--token=t", "--tick-ms", "20", "--quiet", "--fault-rate", "0.5"]).unwrap()
        else {
            panic!()
        };
        assert_eq!((a.port, a.token.as_deref(), a.tick_ms, a.quiet, a.fault_rate), (0, Some("t"), 20, true, 0.5));
        assert_eq!(a.commit_share, 0.0);
        let Command::Run(a) = run(&["--commit-share=0.25"]).unwrap() else { panic!() };
        assert_eq!(a.commit_share, 0.25);
        assert_eq!((a.public_url, a.logs_token_ttl_ms, a.log_chunk_bytes), (None, 3_600_000, 0));
        let Command::Run(a) = run(&[
            "--public-url",
            "https://sim.example.com/prefix/",
            "--logs-token-ttl-ms=250",
            "--log-chunk-bytes",
            "3",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.public_url.as_deref(), Some("https://sim.example.com/prefix"));
        assert_eq!((a.logs_token_ttl_ms, a.log_chunk_bytes), (250, 3));
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(run(&["--port", "70000"]).is_err());
        assert!(run(&["--tick-ms", "0"]).is_err());
        assert!(run(&["--fault-rate", "2"]).is_err());
        assert!(run(&["--commit-share", "-0.1"]).is_err());
        assert!(run(&["--commit-share", "x"]).is_err());
        assert!(run(&["--seed"]).is_err());
        assert!(run(&["--frobnicate"]).is_err());
        assert!(run(&["--token="]).is_err());
        for url in ["sim.example.com", "ftp://x", "http://", "http://a@b", "http://x/?q", "http://x/#f", "http://x y"] {
            let e = run(&["--public-url", url]).unwrap_err();
            assert!(e.contains("--public-url must be an http:// or https:// URL"), "{url}: {e}");
        }
        assert!(run(&["--logs-token-ttl-ms", "0"]).is_err());
        assert!(run(&["--log-chunk-bytes", "-1"]).is_err());
        assert_eq!(run(&["--help"]).unwrap(), Command::Help);
    }
}
