//! What a simulator is built from: the command line's settings, as plain data. The
//! caller supplies what the core cannot get for itself (it reads no clock and no
//! randomness): the start time and the secret that logs tokens are drawn from.

/// A simulator's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// `--seed`: the generated prebuilds and warm pools, and every log's text.
    pub seed: u64,
    /// `--prebuilds`: this many more old, finished prebuilds (large walks).
    pub prebuilds: usize,
    /// `--tick-ms`: the clock period; a new prebuild completes after 18 ticks.
    pub tick_ms: u64,
    /// `--fault-rate`: a share (0..1) of API calls fails with 503, 429 or a reset.
    pub fault_rate: f64,
    /// `--commit-share`: a share (0..1) of those faults come after the call was applied.
    pub commit_share: f64,
    /// `--token`: the only accepted bearer token; `None` accepts any non-empty one.
    pub token: Option<String>,
    /// `--logs-token-ttl-ms`: the lifetime of CreatePrebuildLogsToken's tokens.
    pub logs_token_ttl_ms: u64,
    /// `--log-chunk-bytes`: log bodies as pieces of at most N bytes; 0: a piece a line.
    pub log_chunk_bytes: usize,
    /// Origin (and optional path prefix) of `status.logUrl`, without a trailing `/`:
    /// the server's own URL or `--public-url`.
    pub public_url: String,
    /// The start (Unix ms): seeded timestamps are relative to it, and the clock's first
    /// tick is one period after it.
    pub epoch_ms: i64,
    /// The secret logs tokens are drawn from. A server passes the operating system's
    /// randomness, so tokens cannot be predicted; anything does for tests.
    pub token_secret: [u64; 2],
}

impl Default for SimConfig {
    /// The command line's defaults, a start at the Unix epoch and a zero secret.
    fn default() -> SimConfig {
        SimConfig {
            seed: 1,
            prebuilds: 0,
            tick_ms: 1000,
            fault_rate: 0.0,
            commit_share: 0.0,
            token: None,
            logs_token_ttl_ms: 3_600_000,
            log_chunk_bytes: 0,
            public_url: "http://127.0.0.1:8787".into(),
            epoch_ms: 0,
            token_secret: [0, 0],
        }
    }
}
