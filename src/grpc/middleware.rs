//! Small tower layers of our own. The stack itself is assembled in one place,
//! `server::router`; each layer here does one job.
//!
//! - [`AdmissionLayer`]: refuses work the server should not take (draining →
//!   UNAVAILABLE; over the global concurrency limit → RESOURCE_EXHAUSTED at
//!   once, no queueing) and bounds each admitted call by its deadline (the
//!   caller's `grpc-timeout` or the server's request timeout, the shorter).
//! - [`TraceLayer`]: one server span per request with method, status code
//!   and latency, continuing the caller's trace (W3C `traceparent`), and
//!   one log line when it ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::{Request, Response};
use tokio::sync::{Notify, Semaphore};
use tonic::Status;
use tower::{Layer, Service};
use tracing::Instrument;

/// The deadline of a request, put in its extensions by [`AdmissionLayer`]:
/// the caller's `grpc-timeout` or the server's request timeout, the sooner.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

/// The caller's own deadline, when it sent `grpc-timeout`. Streams use only
/// this one: a long batch stream is not cut by the server's per-call timeout.
#[derive(Debug, Clone, Copy)]
pub struct CallerDeadline(pub Instant);

/// Counts work that a graceful shutdown must wait for: admitted calls, and
/// streams until their last response is sent.
#[derive(Debug, Clone, Default)]
pub struct InFlight {
    count: Arc<AtomicUsize>,
    idle: Arc<Notify>,
}

/// Held while one unit of work is in flight.
#[derive(Debug)]
pub struct InFlightGuard(InFlight);

impl InFlight {
    /// Marks one unit of work as started until the guard is dropped.
    pub fn guard(&self) -> InFlightGuard {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(self.clone())
    }

    /// Units of work in flight.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Resolves when nothing is in flight.
    pub async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.count() == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// Shared admission state: the global limit, the draining flag and the
/// in-flight count.
#[derive(Debug, Clone)]
pub struct Admission {
    permits: Arc<Semaphore>,
    draining: Arc<AtomicBool>,
    in_flight: InFlight,
    limit: usize,
    timeout: Duration,
    max_message_bytes: usize,
    prefix: &'static str,
}

impl Admission {
    /// Admission for calls whose path starts with `prefix` (other services,
    /// such as health and reflection, pass untouched).
    pub fn new(limit: usize, timeout: Duration, max_message_bytes: usize, prefix: &'static str) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            draining: Arc::new(AtomicBool::new(false)),
            in_flight: InFlight::default(),
            limit,
            timeout,
            max_message_bytes,
            prefix,
        }
    }

    /// The in-flight tracker (streams hold a guard until they end).
    pub fn tracker(&self) -> &InFlight {
        &self.in_flight
    }

    /// Refuse new calls from now on (graceful shutdown).
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Calls and streams admitted and not yet finished.
    pub fn in_flight(&self) -> usize {
        self.in_flight.count()
    }

    /// Whether the server is draining.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

/// Layer for [`Admission`].
#[derive(Debug, Clone)]
pub struct AdmissionLayer(pub Admission);

impl<S> Layer<S> for AdmissionLayer {
    type Service = AdmissionService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AdmissionService { inner, state: self.0.clone() }
    }
}

/// See [`AdmissionLayer`].
#[derive(Debug, Clone)]
pub struct AdmissionService<S> {
    inner: S,
    state: Admission,
}

type BoxFut<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Parses a `grpc-timeout` header value (`<digits><unit>`).
pub fn parse_grpc_timeout(v: &str) -> Option<Duration> {
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (n, unit) = v.split_at(v.len() - 1);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

impl<S, B, RB> Service<Request<B>> for AdmissionService<S>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    RB: Default + Send + 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = BoxFut<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        // Take the service that was driven to readiness; leave a clone.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        if !req.uri().path().starts_with(self.state.prefix) {
            return Box::pin(inner.call(req));
        }
        if self.state.draining.load(Ordering::SeqCst) {
            crate::metrics::record_shed("draining");
            return Box::pin(async {
                Ok(Status::unavailable("server is shutting down; retry another replica").into_http())
            });
        }
        let Ok(permit) = self.state.permits.clone().try_acquire_owned() else {
            crate::metrics::record_shed("concurrency");
            let limit = self.state.limit;
            return Box::pin(async move {
                Ok(Status::resource_exhausted(format!(
                    "server is at its concurrency limit of {limit} requests; retry with backoff"
                ))
                .into_http())
            });
        };
        let caller = req.headers().get("grpc-timeout").and_then(|v| v.to_str().ok()).and_then(parse_grpc_timeout);
        let budget = caller.map_or(self.state.timeout, |c| c.min(self.state.timeout));
        let deadline = Instant::now() + budget;
        req.extensions_mut().insert(Deadline(deadline));
        if let Some(c) = caller {
            req.extensions_mut().insert(CallerDeadline(Instant::now() + c));
        }
        let guard = self.state.in_flight.guard();
        let max_message = self.state.max_message_bytes;
        Box::pin(async move {
            let out = match tokio::time::timeout_at(deadline.into(), inner.call(req)).await {
                Ok(Ok(r)) => Ok(rewrite_decode_error(rewrite_size_error(r, max_message))),
                Ok(Err(e)) => Err(e),
                Err(_) => Ok(Status::deadline_exceeded(format!("deadline of {budget:?} exceeded")).into_http()),
            };
            drop(permit);
            drop(guard);
            out
        })
    }
}

/// tonic refuses a message over the decoding limit with OUT_OF_RANGE; callers
/// are promised RESOURCE_EXHAUSTED naming the limit, as for a body over
/// `max_body_bytes`.
fn rewrite_size_error<RB: Default>(r: Response<RB>, max_message: usize) -> Response<RB> {
    let is_size = r.headers().get("grpc-status").is_some_and(|v| v == "11")
        && r.headers()
            .get("grpc-message")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|m| m.contains("too large") || m.contains("too%20large"));
    if is_size {
        return size_status(max_message).into_http();
    }
    r
}

/// tonic reports a request message that prost cannot decode (invalid UTF-8
/// in a string field, a malformed frame) as INTERNAL; it is the caller's
/// fault, so callers get INVALID_ARGUMENT with prost's reason.
fn rewrite_decode_error<RB: Default>(r: Response<RB>) -> Response<RB> {
    match Status::from_header_map(r.headers()) {
        Some(s) if is_decode_error(&s) => decode_status(&s).into_http(),
        _ => r,
    }
}

fn is_decode_error(s: &Status) -> bool {
    s.code() == tonic::Code::Internal && s.message().contains("failed to decode")
}

/// INVALID_ARGUMENT for a request message that could not be decoded.
fn decode_status(s: &Status) -> Status {
    Status::invalid_argument(format!("invalid request message: {}", s.message()))
}

/// Maps a failed read of a streamed request message to the status the caller
/// gets: INVALID_ARGUMENT for an undecodable message, RESOURCE_EXHAUSTED
/// naming the limit for one over the size limit, otherwise unchanged.
pub fn inbound_status(s: Status, max_message: usize) -> Status {
    if s.code() == tonic::Code::OutOfRange {
        size_status(max_message)
    } else if is_decode_error(&s) {
        decode_status(&s)
    } else {
        s
    }
}

/// The status for a request message over the decoding limit.
pub fn size_status(max_message: usize) -> Status {
    Status::resource_exhausted(format!(
        "request message is over the limit of {max_message} bytes (max_body_bytes plus room for the other fields)"
    ))
}

/// Layer that traces each request.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = TraceService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TraceService { inner }
    }
}

/// See [`TraceLayer`].
#[derive(Debug, Clone)]
pub struct TraceService<S> {
    inner: S,
}

impl<S, B, RB> Service<Request<B>> for TraceService<S>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display + Send + 'static,
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
        let span = request_span(&req);
        Box::pin(
            async move {
                let start = Instant::now();
                let res = inner.call(req).await;
                let ms = start.elapsed().as_secs_f64() * 1e3;
                let span = tracing::Span::current();
                span.record("latency_ms", ms);
                match &res {
                    Ok(r) => {
                        // Errors are "trailers-only" responses: grpc-status in the
                        // headers. Its absence means the call succeeded (or a
                        // stream started; its own status comes in trailers).
                        let code = r.headers().get("grpc-status").and_then(|v| v.to_str().ok()).unwrap_or("0");
                        span.record("rpc.grpc.status_code", code);
                        if is_server_error(code) {
                            span.record("otel.status_code", "ERROR");
                        }
                        if code == "0" {
                            tracing::info!(latency_ms = ms, grpc_status = code, "request finished");
                        } else {
                            let msg = r.headers().get("grpc-message").and_then(|v| v.to_str().ok()).unwrap_or("");
                            tracing::warn!(latency_ms = ms, grpc_status = code, grpc_message = msg, "request failed");
                        }
                    }
                    Err(e) => {
                        span.record("otel.status_code", "ERROR");
                        tracing::error!(latency_ms = ms, error = %e, "request failed in transport");
                    }
                }
                res
            }
            .instrument(span),
        )
    }
}

/// The server span of one call. Named `request` for logs; exported as
/// `package.Service/Method` with the OpenTelemetry RPC attributes, as a
/// child of the caller's span when the call carries a valid `traceparent`.
/// `trace_id` puts the trace in every log line of the call.
fn request_span<B>(req: &Request<B>) -> tracing::Span {
    let path = req.uri().path();
    let name = path.strip_prefix('/').unwrap_or(path);
    let (service, method) = name.split_once('/').unwrap_or((name, ""));
    let span = tracing::info_span!(
        "request",
        otel.name = name,
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        rpc.system = "grpc",
        rpc.service = service,
        rpc.method = method,
        rpc.grpc.status_code = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
        trace_id = tracing::field::Empty,
    );
    if span.is_disabled() {
        return span;
    }
    let parent = crate::telemetry::remote_parent(req.headers());
    if crate::telemetry::exporting() {
        use opentelemetry::trace::TraceContextExt;
        use tracing_opentelemetry::OpenTelemetrySpanExt;
        if let Some(cx) = parent {
            let _ = span.set_parent(cx);
        }
        let trace_id = span.context().span().span_context().trace_id();
        span.record("trace_id", tracing::field::display(trace_id));
    } else if let Some(cx) = parent {
        span.record("trace_id", tracing::field::display(crate::telemetry::span_context(&cx).trace_id()));
    }
    span
}

/// gRPC codes that mark a server span as failed (OpenTelemetry RPC
/// conventions): UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
/// UNAVAILABLE, DATA_LOSS. Caller errors (INVALID_ARGUMENT…) are not.
fn is_server_error(code: &str) -> bool {
    matches!(code, "2" | "4" | "12" | "13" | "14" | "15")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_header() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("5S"), Some(Duration::from_secs(5)));
        assert_eq!(parse_grpc_timeout("5x"), None);
        assert_eq!(parse_grpc_timeout("S"), None);
    }
}
