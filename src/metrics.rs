//! Prometheus metrics: what operators need to see precis at work.
//!
//! The `metrics` facade records; `metrics-exporter-prometheus` renders. The
//! recorder is process-global (installed once, on first use); the text
//! exposition is served on its own small HTTP listener (`--metrics-addr`,
//! path `/metrics`) so that scraping never competes with gRPC admission.
//!
//! Every series is prefixed `precis_`:
//! - `precis_requests_total{method,code}`: finished calls by gRPC code name
//!   (for streams, the status of the response headers: `OK` once the stream
//!   starts);
//! - `precis_request_duration_seconds{method}`: latency histogram;
//! - `precis_requests_in_flight{method}`: calls being served;
//! - `precis_requests_shed_total{reason}`: calls refused by admission
//!   (`concurrency`, `queue`, `draining`);
//! - `precis_queue_wait_seconds`, `precis_queue_standing`: the analysis
//!   queue as each job starts (estimated wait of the work still queued;
//!   1 while the queue is standing over `max_queue_delay`), when the bound
//!   is on;
//! - `precis_tls_handshake_failures_total{reason}`: TLS handshakes that
//!   failed (`error`) or took too long (`timeout`), when TLS is on;
//! - `precis_article_bytes`, `precis_article_sentences`: histograms per
//!   analysed article;
//! - `precis_model_info{taxonomy,version}` and `precis_build_info{version}`:
//!   gauges set to 1.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, RwLock};
use std::task::{Context, Poll};
use std::time::Instant;

use http::{Request, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tower::{Layer, Service};

use crate::domain::taxonomy::Taxonomies;

/// Latency buckets in seconds: 1 ms to 30 s.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// Article size buckets in bytes: 256 B to 16 MiB.
const BYTES_BUCKETS: &[f64] =
    &[256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262_144.0, 1_048_576.0, 4_194_304.0, 16_777_216.0];
/// Sentences-per-article buckets.
const SENTENCE_BUCKETS: &[f64] = &[1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0, 20000.0];

/// Why the recorder could not be installed.
#[derive(Debug, thiserror::Error)]
#[error("cannot install the metrics recorder: {0}")]
pub struct MetricsError(String);

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// Installs the global Prometheus recorder (once per process) and returns the
/// handle that renders it.
///
/// # Errors
/// [`MetricsError`] when another recorder is already installed.
pub fn install() -> Result<PrometheusHandle, MetricsError> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("precis_request_duration_seconds".into()), LATENCY_BUCKETS)
                .and_then(|b| b.set_buckets_for_metric(Matcher::Full("precis_article_bytes".into()), BYTES_BUCKETS))
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("precis_article_sentences".into()), SENTENCE_BUCKETS)
                })
                .map_err(|e| e.to_string())?;
            let handle = builder.install_recorder().map_err(|e| e.to_string())?;
            spawn_upkeep(handle.clone());
            describe();
            metrics::gauge!("precis_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
            Ok(handle)
        })
        .clone()
        .map_err(MetricsError)
}

/// How often histogram samples are folded into their buckets.
const UPKEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// The recorder keeps each histogram sample until upkeep (or a scrape)
/// folds it into the buckets; without a scrape, memory would grow with every
/// call. A small thread runs upkeep every [`UPKEEP_INTERVAL`] for the life of
/// the process.
fn spawn_upkeep(handle: PrometheusHandle) {
    let started = std::thread::Builder::new().name("precis-metrics".into()).spawn(move || loop {
        std::thread::sleep(UPKEEP_INTERVAL);
        handle.run_upkeep();
    });
    if let Err(e) = started {
        tracing::warn!(error = %e, "cannot start the metrics upkeep thread; histograms are drained by scrapes only");
    }
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("precis_requests_total", "gRPC calls finished, by method and status code");
    describe_histogram!("precis_request_duration_seconds", Unit::Seconds, "gRPC call latency, by method");
    describe_gauge!("precis_requests_in_flight", "gRPC calls being served, by method");
    describe_counter!("precis_requests_shed_total", "calls refused by admission, by reason");
    describe_gauge!(
        "precis_queue_wait_seconds",
        Unit::Seconds,
        "estimated wait of the work queued for the analysis threads, as a job starts"
    );
    describe_gauge!("precis_queue_standing", "1 while the analysis queue stands over max_queue_delay, else 0");
    describe_counter!("precis_tls_handshake_failures_total", "TLS handshakes that failed, by reason");
    describe_histogram!("precis_article_bytes", Unit::Bytes, "size of each analysed article body");
    describe_histogram!("precis_article_sentences", "sentences per analysed article");
    describe_gauge!("precis_model_info", "loaded topic models (value 1), by taxonomy and version");
    describe_gauge!("precis_build_info", "build of the running binary (value 1)");
}

/// Records one analysed article's size and sentence count.
pub fn record_article(body_bytes: usize, sentences: usize) {
    static ARTICLE: OnceLock<(metrics::Histogram, metrics::Histogram)> = OnceLock::new();
    with_handles(
        &ARTICLE,
        || (metrics::histogram!("precis_article_bytes"), metrics::histogram!("precis_article_sentences")),
        |(bytes, sents)| {
            bytes.record(body_bytes as f64);
            sents.record(sentences as f64);
        },
    );
}

/// Runs `record` with series handles made by `make`: taken once into `cell`
/// when our recorder is installed (see [`method_series`]), made afresh
/// otherwise (a handle taken before installation would record nowhere).
fn with_handles<H>(cell: &'static OnceLock<H>, make: impl FnOnce() -> H, record: impl FnOnce(&H)) {
    if matches!(HANDLE.get(), Some(Ok(_))) {
        record(cell.get_or_init(make));
    } else {
        record(&make());
    }
}

/// Records the analysis queue as a job starts: the estimated wait of the
/// work still queued, and whether the queue is standing.
pub fn record_queue(wait: std::time::Duration, standing: bool) {
    static QUEUE: OnceLock<(metrics::Gauge, metrics::Gauge)> = OnceLock::new();
    with_handles(
        &QUEUE,
        || (metrics::gauge!("precis_queue_wait_seconds"), metrics::gauge!("precis_queue_standing")),
        |(w, s)| {
            w.set(wait.as_secs_f64());
            s.set(if standing { 1.0 } else { 0.0 });
        },
    );
}

/// Records a call refused by admission (`reason`: `concurrency`, `queue`,
/// `draining`).
pub fn record_shed(reason: &'static str) {
    metrics::counter!("precis_requests_shed_total", "reason" => reason).increment(1);
}

/// Records a failed TLS handshake (`reason`: `error`, `timeout`).
pub fn record_tls_handshake_failure(reason: &'static str) {
    metrics::counter!("precis_tls_handshake_failures_total", "reason" => reason).increment(1);
}

/// Publishes `precis_tls_handshake_failures_total` at 0 for both reasons, so
/// that a TLS server's series exist before the first failure.
pub fn register_tls_handshake_failures() {
    for reason in ["error", "timeout"] {
        metrics::counter!("precis_tls_handshake_failures_total", "reason" => reason).increment(0);
    }
}

/// Publishes the loaded topic models as `precis_model_info`.
pub fn record_models(taxonomies: &Taxonomies) {
    let set = taxonomies.snapshot();
    for (name, model) in set.models.iter() {
        let info = model.info();
        metrics::gauge!("precis_model_info", "taxonomy" => name.clone(), "version" => info.version.clone()).set(1.0);
    }
}

/// Serves the text exposition on `listener` (any path but `/metrics` is
/// 404) until the task is dropped. A deliberately tiny HTTP/1.1 responder:
/// one request per connection, no keep-alive.
pub async fn serve(listener: TcpListener, handle: PrometheusHandle) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { continue };
        let handle = handle.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let mut len = 0;
            // Read the request head (bounded), with a timeout.
            let read = async {
                while len < buf.len() {
                    match sock.read(&mut buf[len..]).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => len += n,
                    }
                    if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            };
            if tokio::time::timeout(std::time::Duration::from_secs(5), read).await.is_err() {
                return;
            }
            let head = String::from_utf8_lossy(&buf[..len]);
            let path = head.split_whitespace().nth(1).unwrap_or("");
            let (status, body) = if path == "/metrics" || path.starts_with("/metrics?") {
                ("200 OK", handle.render())
            } else {
                ("404 Not Found", "not found; metrics are at /metrics\n".to_string())
            };
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
            let _ = sock.shutdown().await;
        });
    }
}

/// gRPC code names, indexed by code number.
const CODE_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];
/// Index of `UNKNOWN` in [`CODE_NAMES`].
const UNKNOWN: usize = 2;
/// Index of `UNAVAILABLE` in [`CODE_NAMES`].
const UNAVAILABLE: usize = 14;

/// The index in [`CODE_NAMES`] of a numeric `grpc-status` (`UNKNOWN` for
/// anything else).
fn code_index(code: &[u8]) -> usize {
    let n = match code {
        [d] if d.is_ascii_digit() => usize::from(d - b'0'),
        [b'1', d] if d.is_ascii_digit() => 10 + usize::from(d - b'0'),
        _ => return UNKNOWN,
    };
    if n < CODE_NAMES.len() {
        n
    } else {
        UNKNOWN
    }
}

/// The series of one method label, registered once and then updated through
/// handles: a call costs atomic updates, not a registry lookup (with its key
/// allocation and hashing) per series.
struct MethodSeries {
    label: String,
    in_flight: metrics::Gauge,
    duration: metrics::Histogram,
    /// `precis_requests_total` by code, registered on first use so only
    /// codes that occurred appear in the exposition.
    codes: [OnceLock<metrics::Counter>; 17],
}

impl MethodSeries {
    fn new(label: String) -> Self {
        Self {
            in_flight: metrics::gauge!("precis_requests_in_flight", "method" => label.clone()),
            duration: metrics::histogram!("precis_request_duration_seconds", "method" => label.clone()),
            codes: Default::default(),
            label,
        }
    }

    fn finished(&self, code: usize) {
        let i = if code < CODE_NAMES.len() { code } else { UNKNOWN };
        let name = CODE_NAMES.get(i).copied().unwrap_or("UNKNOWN");
        if let Some(slot) = self.codes.get(i) {
            slot.get_or_init(
                || metrics::counter!("precis_requests_total", "method" => self.label.clone(), "code" => name),
            )
            .increment(1);
        }
    }
}

/// Method labels seen so far (bounded by [`method_label`] and by
/// [`MAX_CACHED_METHODS`]).
static SERIES: OnceLock<RwLock<HashMap<String, Arc<MethodSeries>>>> = OnceLock::new();
/// Beyond this many labels, series are looked up per call instead of cached.
const MAX_CACHED_METHODS: usize = 64;

/// The series for the call to `path`. Handles are cached only once our
/// recorder is installed (a handle taken before would stay a no-op).
fn method_series(path: &str) -> Arc<MethodSeries> {
    let label = method_label(path);
    if !matches!(HANDLE.get(), Some(Ok(_))) {
        return Arc::new(MethodSeries::new(label.to_string()));
    }
    let map = SERIES.get_or_init(Default::default);
    if let Some(s) = map.read().ok().and_then(|m| m.get(label).cloned()) {
        return s;
    }
    let Ok(mut m) = map.write() else { return Arc::new(MethodSeries::new(label.to_string())) };
    if let Some(s) = m.get(label) {
        return s.clone();
    }
    let s = Arc::new(MethodSeries::new(label.to_string()));
    if m.len() < MAX_CACHED_METHODS {
        m.insert(label.to_string(), s.clone());
    }
    s
}

/// Layer that counts and times every call (outermost, so that refused calls
/// are counted too).
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricsLayer;

impl<S> Layer<S> for MetricsLayer {
    type Service = MetricsService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        MetricsService { inner }
    }
}

/// See [`MetricsLayer`].
#[derive(Debug, Clone)]
pub struct MetricsService<S> {
    inner: S,
}

type BoxFut<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Keeps method labels bounded: only our own services' paths are used as
/// labels; anything else is `other`.
fn method_label(path: &str) -> &str {
    let known = ["/precis.v1.Precis/", "/grpc.health.v1.Health/", "/grpc.reflection."];
    if known.iter().any(|k| path.starts_with(k)) && path.len() <= 128 {
        path
    } else {
        "other"
    }
}

impl<S, B, RB> Service<Request<B>> for MetricsService<S>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    RB: Send + 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = BoxFut<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let series = method_series(req.uri().path());
        Box::pin(async move {
            series.in_flight.increment(1.0);
            let start = Instant::now();
            let res = inner.call(req).await;
            series.in_flight.decrement(1.0);
            let code = match &res {
                Ok(r) => r.headers().get("grpc-status").map_or(0, |v| code_index(v.as_bytes())),
                Err(_) => UNAVAILABLE,
            };
            series.duration.record(start.elapsed().as_secs_f64());
            series.finished(code);
            res
        })
    }
}
