//! Server configuration: compiled defaults < config file < `PRECIS_*`
//! environment < command-line flags, validated before anything binds.
//!
//! [`ServeArgs`] is the raw layer (clap reads flags and environment; every
//! field is optional so that a config file can sit underneath). [`FileConfig`]
//! is the TOML file. [`ServeConfig`] is the validated result with real types.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use serde::Deserialize;

/// Flags of `precis serve` (each also read from a `PRECIS_*` variable).
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to serve gRPC on [default: 0.0.0.0:50051].
    #[arg(long, env = "PRECIS_ADDR")]
    pub addr: Option<String>,
    /// TOML config file (keys as the flags, with underscores).
    #[arg(long, env = "PRECIS_CONFIG")]
    pub config: Option<PathBuf>,
    /// Largest article body in bytes [default: 1048576].
    #[arg(long, env = "PRECIS_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Requests processed or queued at once; more are refused with RESOURCE_EXHAUSTED [default: 32 × cpu threads].
    #[arg(long, env = "PRECIS_CONCURRENCY_LIMIT")]
    pub concurrency_limit: Option<usize>,
    /// Target wait for an analysis thread: once the shortest wait of the last
    /// 100 ms was over it (a standing queue, not a burst), unary calls whose
    /// estimated wait is over it are refused with RESOURCE_EXHAUSTED; 0: off
    /// [default: 5ms].
    #[arg(long, env = "PRECIS_MAX_QUEUE_DELAY")]
    pub max_queue_delay: Option<String>,
    /// Longest a request may take, unless the caller's `grpc-timeout` is shorter [default: 30s].
    #[arg(long, env = "PRECIS_REQUEST_TIMEOUT")]
    pub request_timeout: Option<String>,
    /// How long in-flight requests get to finish after SIGTERM [default: 20s].
    #[arg(long, env = "PRECIS_SHUTDOWN_GRACE")]
    pub shutdown_grace: Option<String>,
    /// Threads doing text analysis [default: number of CPUs].
    #[arg(long, env = "PRECIS_CPU_THREADS")]
    pub cpu_threads: Option<usize>,
    /// Async worker threads for network I/O [default: 1 per 4 CPUs, at least 1].
    #[arg(long, env = "PRECIS_WORKER_THREADS")]
    pub worker_threads: Option<usize>,
    /// Articles accepted on one AnalyzeStream call [default: 1000000].
    #[arg(long, env = "PRECIS_MAX_STREAM_ARTICLES")]
    pub max_stream_articles: Option<usize>,
    /// Articles of one stream analysed at once [default: 2].
    #[arg(long, env = "PRECIS_STREAM_CONCURRENCY")]
    pub stream_concurrency: Option<usize>,
    /// Calls whose work is at most this many bytes are analysed on the async
    /// worker that received them, without a hand-off to an analysis thread;
    /// 0: never. Work is the article's bytes (title + body) for a summary, ×2
    /// for tags, ×3 for both [default: 4096 when worker threads ≥ analysis
    /// threads, as on a one-core replica; else 0]. See README "Tuning".
    #[arg(long, env = "PRECIS_INLINE_MAX_BYTES")]
    pub inline_max_bytes: Option<usize>,
    /// Log format: auto (JSON unless on a terminal), json or text [default: auto].
    #[arg(long, env = "PRECIS_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Address of the Prometheus endpoint (`/metrics`); "" or "off" disables it [default: 0.0.0.0:9090].
    #[arg(long, env = "PRECIS_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    /// File of bearer tokens, one per line; calls without one get UNAUTHENTICATED. Re-read on change and SIGHUP.
    #[arg(long, env = "PRECIS_AUTH_TOKENS_FILE")]
    pub auth_tokens_file: Option<PathBuf>,
    /// Require a token for health checks and reflection too.
    #[arg(long, env = "PRECIS_AUTH_HEALTH")]
    pub auth_health: bool,
    /// Serve gRPC over TLS with this PEM certificate chain (needs --tls-key). Reloaded on
    /// change and SIGHUP [default: off, plaintext HTTP/2].
    #[arg(long, env = "PRECIS_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "PRECIS_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// Require client certificates signed by a CA in this PEM file (mutual TLS; needs --tls-cert).
    #[arg(long, env = "PRECIS_TLS_CLIENT_CA")]
    pub tls_client_ca: Option<PathBuf>,
    /// Close each connection gracefully after this long, so clients re-resolve and reach new
    /// replicas; 0 or unset: never [default: off].
    #[arg(long, env = "PRECIS_MAX_CONNECTION_AGE")]
    pub max_connection_age: Option<String>,
    /// Extra taxonomy as NAME=PATH to a model file made by `precis train` (repeatable;
    /// replaces a built-in of the same name). Reloaded on SIGHUP and when the file changes.
    #[arg(long = "taxonomy", env = "PRECIS_TAXONOMIES", value_delimiter = ',')]
    pub taxonomies: Vec<String>,
    /// OpenTelemetry collector to export trace spans to, over OTLP/gRPC (e.g.
    /// http://otel-collector:4317); "" or "off" disables it [default: off].
    #[arg(long, env = "PRECIS_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// HTTP/2 settings (see [`Http2Config`]).
    #[command(flatten)]
    pub http2: Http2Args,
}

/// HTTP/2 flags of `precis serve` (each also read from a `PRECIS_*` variable).
#[derive(Debug, Clone, Default, Args)]
pub struct Http2Args {
    /// Concurrent calls (HTTP/2 streams) allowed per connection [default: 256].
    #[arg(long, env = "PRECIS_HTTP2_MAX_CONCURRENT_STREAMS")]
    pub http2_max_concurrent_streams: Option<u32>,
    /// Initial flow-control window of each stream, bytes [default: 1048576].
    #[arg(long, env = "PRECIS_HTTP2_STREAM_WINDOW")]
    pub http2_stream_window: Option<u32>,
    /// Initial flow-control window of each connection, bytes [default: 4194304].
    #[arg(long, env = "PRECIS_HTTP2_CONNECTION_WINDOW")]
    pub http2_connection_window: Option<u32>,
    /// Let the windows grow with measured bandwidth-delay (BDP), overriding the two above [default: false].
    #[arg(long, env = "PRECIS_HTTP2_ADAPTIVE_WINDOW")]
    pub http2_adaptive_window: Option<bool>,
    /// Interval of HTTP/2 keepalive pings to idle peers; 0 turns them off [default: 30s].
    #[arg(long, env = "PRECIS_HTTP2_KEEPALIVE_INTERVAL")]
    pub http2_keepalive_interval: Option<String>,
    /// How long a keepalive ping may go unanswered before the connection is closed [default: 10s].
    #[arg(long, env = "PRECIS_HTTP2_KEEPALIVE_TIMEOUT")]
    pub http2_keepalive_timeout: Option<String>,
}

/// The config file: the same keys as the flags, with underscores.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// See [`ServeArgs::addr`].
    pub addr: Option<String>,
    /// See [`ServeArgs::max_body_bytes`].
    pub max_body_bytes: Option<usize>,
    /// See [`ServeArgs::concurrency_limit`].
    pub concurrency_limit: Option<usize>,
    /// See [`ServeArgs::max_queue_delay`].
    pub max_queue_delay: Option<String>,
    /// See [`ServeArgs::request_timeout`].
    pub request_timeout: Option<String>,
    /// See [`ServeArgs::shutdown_grace`].
    pub shutdown_grace: Option<String>,
    /// See [`ServeArgs::cpu_threads`].
    pub cpu_threads: Option<usize>,
    /// See [`ServeArgs::worker_threads`].
    pub worker_threads: Option<usize>,
    /// See [`ServeArgs::max_stream_articles`].
    pub max_stream_articles: Option<usize>,
    /// See [`ServeArgs::stream_concurrency`].
    pub stream_concurrency: Option<usize>,
    /// See [`ServeArgs::inline_max_bytes`].
    pub inline_max_bytes: Option<usize>,
    /// See [`ServeArgs::log_format`].
    pub log_format: Option<String>,
    /// See [`ServeArgs::tls_cert`].
    pub tls_cert: Option<PathBuf>,
    /// See [`ServeArgs::tls_key`].
    pub tls_key: Option<PathBuf>,
    /// See [`ServeArgs::tls_client_ca`].
    pub tls_client_ca: Option<PathBuf>,
    /// See [`ServeArgs::metrics_addr`].
    pub metrics_addr: Option<String>,
    /// See [`ServeArgs::auth_tokens_file`].
    pub auth_tokens_file: Option<PathBuf>,
    /// See [`ServeArgs::auth_health`].
    pub auth_health: Option<bool>,
    /// See [`ServeArgs::max_connection_age`].
    pub max_connection_age: Option<String>,
    /// See [`ServeArgs::otlp_endpoint`].
    pub otlp_endpoint: Option<String>,
    /// Extra taxonomies: `[taxonomies]` table of `name = "path"`.
    pub taxonomies: Option<std::collections::BTreeMap<String, PathBuf>>,
    /// See [`Http2Args::http2_max_concurrent_streams`].
    pub http2_max_concurrent_streams: Option<u32>,
    /// See [`Http2Args::http2_stream_window`].
    pub http2_stream_window: Option<u32>,
    /// See [`Http2Args::http2_connection_window`].
    pub http2_connection_window: Option<u32>,
    /// See [`Http2Args::http2_adaptive_window`].
    pub http2_adaptive_window: Option<bool>,
    /// See [`Http2Args::http2_keepalive_interval`].
    pub http2_keepalive_interval: Option<String>,
    /// See [`Http2Args::http2_keepalive_timeout`].
    pub http2_keepalive_timeout: Option<String>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// JSON lines unless standard error is a terminal.
    Auto,
    /// JSON lines.
    Json,
    /// Human-readable text.
    Text,
}

/// The validated server configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeConfig {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Largest body in bytes.
    pub max_body_bytes: usize,
    /// Global concurrency limit.
    pub concurrency_limit: usize,
    /// Target wait of the analysis queue: a unary call over it is refused
    /// while the queue is standing; `None`: no bound.
    pub max_queue_delay: Option<Duration>,
    /// Default and maximum request time.
    pub request_timeout: Duration,
    /// Drain grace period.
    pub shutdown_grace: Duration,
    /// Analysis threads.
    pub cpu_threads: usize,
    /// Async worker threads.
    pub worker_threads: usize,
    /// Articles per stream.
    pub max_stream_articles: usize,
    /// Per-stream parallelism.
    pub stream_concurrency: usize,
    /// Largest article analysed on the async worker itself (0: none).
    pub inline_max_bytes: usize,
    /// Log format.
    pub log_format: LogFormat,
    /// Where to serve Prometheus metrics; `None`: not served.
    pub metrics_addr: Option<SocketAddr>,
    /// Bearer tokens file; `None`: no authentication.
    pub auth_tokens_file: Option<PathBuf>,
    /// Whether health and reflection need a token too.
    pub auth_health: bool,
    /// TLS certificate, key and client CA; `None`: plaintext HTTP/2 (h2c).
    pub tls: Option<crate::tls::TlsFiles>,
    /// Connection recycling age; `None`: never.
    pub max_connection_age: Option<Duration>,
    /// Extra taxonomy model files, by name.
    pub taxonomies: Vec<(String, PathBuf)>,
    /// OTLP/gRPC collector for trace spans; `None`: no export.
    pub otlp_endpoint: Option<String>,
    /// HTTP/2 settings.
    pub http2: Http2Config,
}

/// Validated HTTP/2 settings of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http2Config {
    /// Streams per connection.
    pub max_concurrent_streams: u32,
    /// Initial stream window, bytes.
    pub stream_window: u32,
    /// Initial connection window, bytes.
    pub connection_window: u32,
    /// BDP-adaptive windows.
    pub adaptive_window: bool,
    /// Keepalive ping interval; `None`: off.
    pub keepalive_interval: Option<Duration>,
    /// Keepalive ping timeout.
    pub keepalive_timeout: Duration,
}

impl Default for Http2Config {
    fn default() -> Self {
        Self {
            max_concurrent_streams: 256,
            stream_window: 1 << 20,
            connection_window: 4 << 20,
            adaptive_window: false,
            keepalive_interval: Some(Duration::from_secs(30)),
            keepalive_timeout: Duration::from_secs(10),
        }
    }
}

impl Http2Config {
    /// Flags over file over defaults, validated.
    fn resolve(args: &Http2Args, file: &Http2Args) -> Result<Self, ConfigError> {
        let d = Self::default();
        let max_concurrent_streams =
            args.http2_max_concurrent_streams.or(file.http2_max_concurrent_streams).unwrap_or(d.max_concurrent_streams);
        if max_concurrent_streams == 0 {
            return Err(invalid("http2_max_concurrent_streams", "must be at least 1"));
        }
        // RFC 9113 §6.9.2: windows are 2^16-1 at least, 2^31-1 at most.
        let window = |key: &'static str, v: Option<u32>, def: u32| match v.unwrap_or(def) {
            w @ 65_535..=0x7fff_ffff => Ok(w),
            _ => Err(invalid(key, "must be between 65535 and 2147483647")),
        };
        let stream_window =
            window("http2_stream_window", args.http2_stream_window.or(file.http2_stream_window), d.stream_window)?;
        let connection_window = window(
            "http2_connection_window",
            args.http2_connection_window.or(file.http2_connection_window),
            d.connection_window,
        )?;
        let adaptive_window = args.http2_adaptive_window.or(file.http2_adaptive_window).unwrap_or(d.adaptive_window);
        let dur = |key: &'static str, v: Option<&String>| -> Result<Option<Duration>, ConfigError> {
            v.map(|s| parse_duration(s).map_err(|e| invalid(key, e))).transpose()
        };
        let keepalive_interval = match dur(
            "http2_keepalive_interval",
            args.http2_keepalive_interval.as_ref().or(file.http2_keepalive_interval.as_ref()),
        )? {
            Some(z) if z.is_zero() => None,
            Some(i) => Some(i),
            None => d.keepalive_interval,
        };
        let keepalive_timeout = dur(
            "http2_keepalive_timeout",
            args.http2_keepalive_timeout.as_ref().or(file.http2_keepalive_timeout.as_ref()),
        )?
        .unwrap_or(d.keepalive_timeout);
        if keepalive_timeout.is_zero() {
            return Err(invalid("http2_keepalive_timeout", "must be more than 0"));
        }
        Ok(Self {
            max_concurrent_streams,
            stream_window,
            connection_window,
            adaptive_window,
            keepalive_interval,
            keepalive_timeout,
        })
    }
}

/// A configuration problem, found before binding.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not valid TOML for this schema.
    #[error("invalid config file {path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<toml::de::Error>,
    },
    /// A value is out of range or malformed.
    #[error("invalid {key}: {reason}")]
    Invalid {
        /// The setting.
        key: &'static str,
        /// Why.
        reason: String,
    },
}

fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, reason: reason.into() }
}

/// Parses durations such as `250ms`, `30s`, `2m`, or a bare number of seconds.
///
/// # Errors
/// A message saying what is wrong.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, "s"),
    };
    let n: f64 = num.parse().map_err(|_| format!("{s:?} is not a duration (e.g. 500ms, 30s, 2m)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("unknown unit {unit:?} in {s:?} (use ms, s, m or h)")),
    };
    if !secs.is_finite() || !(0.0..=86_400.0).contains(&secs) {
        return Err(format!("{s:?} is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Both or neither of certificate and key; a client CA only with them; the
/// files read and checked (PEM, key matching the certificate) now, so that a
/// mistake stops the server before it binds.
fn resolve_tls(
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    client_ca: Option<PathBuf>,
) -> Result<Option<crate::tls::TlsFiles>, ConfigError> {
    let set = |p: Option<PathBuf>| p.filter(|p| !p.as_os_str().is_empty());
    let (cert, key, client_ca) = (set(cert), set(key), set(client_ca));
    let files = match (cert, key) {
        (Some(cert), Some(key)) => crate::tls::TlsFiles { cert, key, client_ca },
        (None, None) if client_ca.is_some() => {
            return Err(invalid("tls_client_ca", "needs tls_cert and tls_key (mutual TLS is on top of TLS)"))
        }
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(invalid("tls_key", "tls_cert is set without tls_key; set both or neither")),
        (None, Some(_)) => return Err(invalid("tls_cert", "tls_key is set without tls_cert; set both or neither")),
    };
    crate::tls::server_config(&files).map_err(|e| invalid(e.key(), e.to_string()))?;
    Ok(Some(files))
}

/// Checks an OTLP/gRPC collector address: `http://HOST:PORT` (plaintext
/// HTTP/2, as to a collector or agent beside the server; TLS is not built in).
///
/// # Errors
/// A message saying what is wrong.
pub fn parse_otlp_endpoint(s: &str) -> Result<String, String> {
    let uri: http::Uri = s.parse().map_err(|_| format!("{s:?} is not a URL (e.g. http://otel-collector:4317)"))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => return Err(format!("{s:?}: https is not supported; use http:// to a collector or agent")),
        _ => return Err(format!("{s:?} is not an http:// URL (e.g. http://otel-collector:4317)")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("{s:?} has no host"));
    }
    Ok(s.to_string())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The default `worker_threads`: one per four CPUs, at least one (network
/// I/O needs far less CPU than analysis).
fn default_worker_threads() -> usize {
    (cpus() / 4).max(1)
}

impl ServeConfig {
    /// Resolves flags and environment over the config file over defaults,
    /// and validates the result.
    ///
    /// # Errors
    /// [`ConfigError`] for an unreadable file or an invalid value.
    pub fn resolve(args: &ServeArgs) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => Self::read_file(path)?,
            None => FileConfig::default(),
        };
        let file_http2 = Http2Args {
            http2_max_concurrent_streams: file.http2_max_concurrent_streams,
            http2_stream_window: file.http2_stream_window,
            http2_connection_window: file.http2_connection_window,
            http2_adaptive_window: file.http2_adaptive_window,
            http2_keepalive_interval: file.http2_keepalive_interval.clone(),
            http2_keepalive_timeout: file.http2_keepalive_timeout.clone(),
        };
        let addr_s = args.addr.clone().or(file.addr).unwrap_or_else(|| "0.0.0.0:50051".to_string());
        let addr: SocketAddr =
            addr_s.parse().map_err(|_| invalid("addr", format!("{addr_s:?} is not HOST:PORT (e.g. 0.0.0.0:50051)")))?;
        let max_body_bytes = args.max_body_bytes.or(file.max_body_bytes).unwrap_or(1 << 20);
        if !(1..=64 << 20).contains(&max_body_bytes) {
            return Err(invalid("max_body_bytes", "must be between 1 and 67108864"));
        }
        let dur = |key: &'static str, v: Option<String>, default: Duration| -> Result<Duration, ConfigError> {
            match v {
                Some(s) => parse_duration(&s).map_err(|e| invalid(key, e)),
                None => Ok(default),
            }
        };
        let request_timeout =
            dur("request_timeout", args.request_timeout.clone().or(file.request_timeout), Duration::from_secs(30))?;
        if request_timeout.is_zero() {
            return Err(invalid("request_timeout", "must be more than 0"));
        }
        let max_queue_delay =
            dur("max_queue_delay", args.max_queue_delay.clone().or(file.max_queue_delay), DEFAULT_MAX_QUEUE_DELAY)?;
        let max_queue_delay = Some(max_queue_delay).filter(|d| !d.is_zero());
        let shutdown_grace =
            dur("shutdown_grace", args.shutdown_grace.clone().or(file.shutdown_grace), Duration::from_secs(20))?;
        let cpu_threads = args.cpu_threads.or(file.cpu_threads).unwrap_or_else(cpus);
        if !(1..=1024).contains(&cpu_threads) {
            return Err(invalid("cpu_threads", "must be between 1 and 1024"));
        }
        let concurrency_limit =
            args.concurrency_limit.or(file.concurrency_limit).unwrap_or_else(|| default_concurrency_limit(cpu_threads));
        if concurrency_limit == 0 {
            return Err(invalid("concurrency_limit", "must be at least 1"));
        }
        let worker_threads = args.worker_threads.or(file.worker_threads).unwrap_or_else(default_worker_threads);
        if !(1..=1024).contains(&worker_threads) {
            return Err(invalid("worker_threads", "must be between 1 and 1024"));
        }
        let inline_max_bytes = args
            .inline_max_bytes
            .or(file.inline_max_bytes)
            .unwrap_or_else(|| default_inline_max_bytes(cpu_threads, worker_threads));
        let max_stream_articles = args.max_stream_articles.or(file.max_stream_articles).unwrap_or(1_000_000);
        if max_stream_articles == 0 {
            return Err(invalid("max_stream_articles", "must be at least 1"));
        }
        let stream_concurrency = args.stream_concurrency.or(file.stream_concurrency).unwrap_or(2);
        if !(1..=256).contains(&stream_concurrency) {
            return Err(invalid("stream_concurrency", "must be between 1 and 256"));
        }
        let log_format = match args.log_format.clone().or(file.log_format).as_deref() {
            None | Some("auto") => LogFormat::Auto,
            Some("json") => LogFormat::Json,
            Some("text") => LogFormat::Text,
            Some(other) => return Err(invalid("log_format", format!("{other:?}: use auto, json or text"))),
        };
        let metrics_addr = match args.metrics_addr.clone().or(file.metrics_addr).as_deref().map(str::trim) {
            None => Some(SocketAddr::from(([0, 0, 0, 0], 9090))),
            Some("" | "off") => None,
            Some(a) => {
                Some(a.parse().map_err(|_| invalid("metrics_addr", format!("{a:?} is not HOST:PORT, \"\" or off")))?)
            }
        };
        let auth_tokens_file = args.auth_tokens_file.clone().or(file.auth_tokens_file);
        let auth_health = args.auth_health || file.auth_health.unwrap_or(false);
        let tls = resolve_tls(
            args.tls_cert.clone().or(file.tls_cert),
            args.tls_key.clone().or(file.tls_key),
            args.tls_client_ca.clone().or(file.tls_client_ca),
        )?;
        let max_connection_age = match args.max_connection_age.clone().or(file.max_connection_age.clone()) {
            Some(v) => Some(parse_duration(&v).map_err(|e| invalid("max_connection_age", e))?),
            None => None,
        }
        .filter(|d| !d.is_zero());
        let taxonomies = if args.taxonomies.is_empty() {
            file.taxonomies.unwrap_or_default().into_iter().collect()
        } else {
            let mut out = Vec::new();
            for spec in &args.taxonomies {
                let Some((name, path)) = spec.split_once('=') else {
                    return Err(invalid("taxonomy", format!("{spec:?} is not NAME=PATH")));
                };
                out.push((name.trim().to_string(), PathBuf::from(path.trim())));
            }
            out
        };
        let otlp_endpoint = match args.otlp_endpoint.as_deref().or(file.otlp_endpoint.as_deref()).map(str::trim) {
            None | Some("" | "off") => None,
            Some(url) => Some(parse_otlp_endpoint(url).map_err(|e| invalid("otlp_endpoint", e))?),
        };
        for (name, _) in &taxonomies {
            let ok = !name.is_empty()
                && name.len() <= 64
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(invalid("taxonomy", format!("name {name:?}: use 1-64 letters, digits, - or _")));
            }
        }
        Ok(Self {
            auth_tokens_file,
            auth_health,
            tls,
            metrics_addr,
            addr,
            max_body_bytes,
            concurrency_limit,
            max_queue_delay,
            request_timeout,
            shutdown_grace,
            cpu_threads,
            worker_threads,
            max_stream_articles,
            stream_concurrency,
            inline_max_bytes,
            log_format,
            max_connection_age,
            taxonomies,
            otlp_endpoint,
            http2: Http2Config::resolve(&args.http2, &file_http2)?,
        })
    }

    fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        toml::from_str(&text)
            .map_err(|source| ConfigError::Parse { path: path.to_path_buf(), source: Box::new(source) })
    }
}

/// Calls admitted per analysis thread when `concurrency_limit` is not set.
/// A backstop on memory (each admitted call holds its article) and on the
/// work of calls that never reach the pool; the queue's wait is bounded by
/// [`DEFAULT_MAX_QUEUE_DELAY`], which measures work rather than calls. 8
/// per thread, the earlier default, refused 0.2–0.9 % of `Analyze` calls at
/// half load on one core, whenever a stall of a few milliseconds let 8
/// arrive at once (BENCHMARKS.md, "Admission by queued work").
pub const CALLS_PER_CPU_THREAD: usize = 32;

/// The default `max_queue_delay`: while the queue for the analysis threads
/// is standing over this (see [`crate::grpc::backlog`]), a unary call whose
/// estimated wait is longer is refused. 5 ms is about 25 BBC articles
/// analysed on one core; with it and 32 calls per thread the server refused
/// nothing at half load and kept admitted calls near 10 ms at 3 × overload
/// (BENCHMARKS.md, "Admission by queued work").
pub const DEFAULT_MAX_QUEUE_DELAY: Duration = Duration::from_millis(5);

/// The default `inline_max_bytes` where it applies (see
/// [`default_inline_max_bytes`]): a summary of an article up to 4 KiB (94 %
/// of the BBC articles), tags up to 2 KiB, both up to 1.3 KiB run on the
/// worker — jobs of about 100 µs or less, about twice what a hand-off's two
/// wake-ups and context switches cost (≈ 45 µs of core per call), so the
/// other calls on the worker wait little for them. On a one-core
/// replica this cut the server CPU per `Summarize` by a third; inlining
/// every `Analyze` up to 4 KiB as well lengthened its tail at half load
/// (BENCHMARKS.md, "Serving").
pub const DEFAULT_INLINE_MAX_BYTES: usize = 4096;

/// The default `inline_max_bytes` for `cpu_threads` analysis threads and
/// `worker_threads` async workers: [`DEFAULT_INLINE_MAX_BYTES`] when there
/// are at least as many workers as analysis threads (a one-core replica);
/// otherwise 0, since work done on fewer workers would leave analysis
/// threads idle.
pub fn default_inline_max_bytes(cpu_threads: usize, worker_threads: usize) -> usize {
    if worker_threads >= cpu_threads {
        DEFAULT_INLINE_MAX_BYTES
    } else {
        0
    }
}

/// The default `concurrency_limit` for `cpu_threads` analysis threads.
pub fn default_concurrency_limit(cpu_threads: usize) -> usize {
    cpu_threads.saturating_mul(CALLS_PER_CPU_THREAD)
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([0, 0, 0, 0], 50051)),
            max_body_bytes: 1 << 20,
            concurrency_limit: default_concurrency_limit(cpus()),
            max_queue_delay: Some(DEFAULT_MAX_QUEUE_DELAY),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(20),
            cpu_threads: cpus(),
            worker_threads: default_worker_threads(),
            max_stream_articles: 1_000_000,
            stream_concurrency: 2,
            inline_max_bytes: default_inline_max_bytes(cpus(), default_worker_threads()),
            log_format: LogFormat::Auto,
            metrics_addr: Some(SocketAddr::from(([0, 0, 0, 0], 9090))),
            auth_tokens_file: None,
            tls: None,
            auth_health: false,
            max_connection_age: None,
            taxonomies: Vec::new(),
            otlp_endpoint: None,
            http2: Http2Config::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_layers() {
        let c = ServeConfig::resolve(&ServeArgs::default()).unwrap_or_default();
        assert_eq!(c.addr.port(), 50051);
        let dir = std::env::temp_dir().join(format!("precis-cfg-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let f = dir.join("c.toml");
        let _ = std::fs::write(&f, "addr = \"127.0.0.1:7000\"\nconcurrency_limit = 5\n");
        let args = ServeArgs { config: Some(f.clone()), concurrency_limit: Some(9), ..Default::default() };
        let c = ServeConfig::resolve(&args).map_err(|e| e.to_string());
        let c = c.as_ref().map(|c| (c.addr.port(), c.concurrency_limit));
        assert_eq!(c, Ok((7000, 9)), "flag beats file, file beats default");
        let _ = std::fs::write(&f, "adr = \"x\"\n");
        assert!(ServeConfig::resolve(&ServeArgs { config: Some(f.clone()), ..Default::default() }).is_err());
        let _ = std::fs::write(&f, "http2_max_concurrent_streams = 8\nhttp2_keepalive_interval = \"0\"\n");
        let c = ServeConfig::resolve(&ServeArgs { config: Some(f.clone()), ..Default::default() })
            .map(|c| (c.http2.max_concurrent_streams, c.http2.keepalive_interval))
            .map_err(|e| e.to_string());
        assert_eq!(c, Ok((8, None)), "HTTP/2 keys read from the file; 0 turns keepalive off");
        let _ = std::fs::write(&f, "http2_stream_window = 10\n");
        assert!(ServeConfig::resolve(&ServeArgs { config: Some(f), ..Default::default() }).is_err());
    }

    #[test]
    fn inline_work_is_on_by_default_only_with_a_worker_per_analysis_thread() {
        assert_eq!(default_inline_max_bytes(1, 1), DEFAULT_INLINE_MAX_BYTES);
        assert_eq!(default_inline_max_bytes(2, 1), 0, "analysis threads would idle");
        let one_core = ServeArgs { cpu_threads: Some(1), worker_threads: Some(1), ..Default::default() };
        let c = ServeConfig::resolve(&one_core).map(|c| c.inline_max_bytes).map_err(|e| e.to_string());
        assert_eq!(c, Ok(DEFAULT_INLINE_MAX_BYTES));
        let off = ServeArgs { inline_max_bytes: Some(0), ..one_core };
        let c = ServeConfig::resolve(&off).map(|c| c.inline_max_bytes).map_err(|e| e.to_string());
        assert_eq!(c, Ok(0), "an explicit 0 turns it off");
    }

    #[test]
    fn otlp_endpoint_layers_and_validation() {
        let c = ServeConfig::resolve(&ServeArgs::default()).map(|c| c.otlp_endpoint).map_err(|e| e.to_string());
        assert_eq!(c, Ok(None), "off by default");
        let dir = tempfile::tempdir().ok();
        let f = dir.as_ref().map(|d| d.path().join("c.toml")).unwrap_or_default();
        let _ = std::fs::write(&f, "otlp_endpoint = \"http://collector:4317\"\n");
        let from_file = ServeArgs { config: Some(f.clone()), ..Default::default() };
        let c = ServeConfig::resolve(&from_file).map(|c| c.otlp_endpoint).map_err(|e| e.to_string());
        assert_eq!(c, Ok(Some("http://collector:4317".to_string())), "read from the file");
        let off = ServeArgs { otlp_endpoint: Some("off".into()), ..from_file };
        let c = ServeConfig::resolve(&off).map(|c| c.otlp_endpoint).map_err(|e| e.to_string());
        assert_eq!(c, Ok(None), "a flag of off beats the file");
        for bad in ["collector:4317", "https://collector:4317", "ftp://x", "http://", "not a url"] {
            let a = ServeArgs { otlp_endpoint: Some(bad.into()), ..Default::default() };
            assert!(ServeConfig::resolve(&a).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert!(parse_duration("5 parsecs").is_err());
    }
}
