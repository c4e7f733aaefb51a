//! Logging and tracing.
//!
//! Logs: JSON lines when not on a terminal (for log collectors), text on a
//! terminal (for people); level from `RUST_LOG` (default `info`).
//!
//! Traces: when an OTLP endpoint is configured, spans of this crate (one
//! server span per RPC, and the pipeline's per-stage spans at `debug`) are
//! exported over OTLP/gRPC by a batch exporter, and flushed by
//! [`Telemetry::shutdown`]. Without an endpoint there is no exporter and no
//! extra subscriber layer, so tracing costs what plain logging costs.
//!
//! Context propagation: [`remote_parent`] reads the W3C `traceparent` and
//! `tracestate` headers of an incoming call, so the server span continues
//! the caller's trace; its trace id is also a field of the request's log
//! lines, with or without export.

use std::fmt;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{SpanContext, TraceContextExt, TracerProvider as _};
use opentelemetry::KeyValue;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use opentelemetry_sdk::Resource;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

use crate::config::LogFormat;

/// Whether spans are exported (an OTLP layer is installed).
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// How long one export to the collector may take.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why tracing export could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The OTLP exporter could not be built (a malformed endpoint).
    #[error("cannot set up OTLP export to {endpoint}: {source}")]
    Exporter {
        /// The configured endpoint.
        endpoint: String,
        /// Why.
        source: opentelemetry_otlp::ExporterBuildError,
    },
}

/// The installed tracing export, to flush at shutdown. Holds nothing when
/// export is off.
#[derive(Debug, Default)]
#[must_use = "call shutdown() to flush spans before exiting"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether spans are exported.
    pub fn is_exporting(&self) -> bool {
        self.provider.is_some()
    }

    /// Exports the spans still queued and stops the exporter. Call it from
    /// outside async code, while the runtime given to [`init_with_otlp`]
    /// still runs (the export uses its reactor).
    pub fn shutdown(self) {
        if let Some(p) = self.provider {
            EXPORTING.store(false, Ordering::SeqCst);
            if let Err(e) = p.shutdown_with_timeout(EXPORT_TIMEOUT * 2) {
                tracing::warn!(error = %e, "could not flush trace spans");
            }
        }
    }
}

/// Whether spans are exported, so callers can skip OpenTelemetry work
/// otherwise.
pub fn exporting() -> bool {
    EXPORTING.load(Ordering::Relaxed)
}

fn fmt_layer(format: LogFormat) -> Box<dyn Layer<Registry> + Send + Sync> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    if json {
        fmt.json().flatten_event(true).with_current_span(true).with_span_list(false).with_filter(filter).boxed()
    } else {
        fmt.with_filter(filter).boxed()
    }
}

/// Installs the global subscriber for logs only. Idempotent: a second call
/// does nothing (tests call it many times).
pub fn init(format: LogFormat) {
    let _ = tracing_subscriber::registry().with(fmt_layer(format)).try_init();
}

/// Installs the global subscriber: logs, and span export to the OTLP/gRPC
/// `endpoint` when there is one. The exporter sends on `runtime` (tonic
/// needs its reactor); keep the runtime alive until [`Telemetry::shutdown`].
///
/// # Errors
/// [`TelemetryError`] when the exporter cannot be built.
pub fn init_with_otlp(
    format: LogFormat,
    endpoint: Option<&str>,
    runtime: &tokio::runtime::Handle,
) -> Result<Telemetry, TelemetryError> {
    let Some(endpoint) = endpoint else {
        init(format);
        return Ok(Telemetry::default());
    };
    let exporter = {
        // The channel is built (lazily) on the runtime.
        let _guard = runtime.enter();
        opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|source| TelemetryError::Exporter { endpoint: endpoint.to_string(), source })?
    };
    let resource = Resource::builder()
        .with_service_name("precis")
        .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
        .build();
    let provider = SdkTracerProvider::builder()
        .with_resource(resource)
        .with_batch_exporter(OnRuntime { inner: exporter, runtime: runtime.clone() })
        .build();
    let tracer = provider.tracer("precis");
    // Only this crate's spans: the request span (info) and the pipeline
    // stages (debug), whatever RUST_LOG says about log lines. Never the
    // transport's own spans (the exporter uses the same transport).
    let spans = Targets::new().with_target("precis", tracing::Level::DEBUG);
    let otel = tracing_opentelemetry::layer().with_tracer(tracer).with_filter(spans).boxed();
    let installed = tracing_subscriber::registry().with(vec![fmt_layer(format), otel]).try_init().is_ok();
    if installed {
        EXPORTING.store(true, Ordering::SeqCst);
        tracing::info!(endpoint, "exporting trace spans over OTLP/gRPC");
    }
    Ok(Telemetry { provider: Some(provider) })
}

/// Runs the OTLP exporter's sends on the server's runtime: the batch
/// exporter works on a thread of its own, and tonic needs a reactor.
struct OnRuntime {
    inner: opentelemetry_otlp::SpanExporter,
    runtime: tokio::runtime::Handle,
}

impl fmt::Debug for OnRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnRuntime").field("inner", &self.inner).finish_non_exhaustive()
    }
}

impl SpanExporter for OnRuntime {
    fn export(&self, batch: Vec<SpanData>) -> impl std::future::Future<Output = OTelSdkResult> + Send {
        // Called on the batch exporter's own thread, never on the runtime.
        let result = self.runtime.block_on(self.inner.export(batch));
        std::future::ready(result)
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        let _guard = self.runtime.enter();
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        let _guard = self.runtime.enter();
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

/// Reads propagation headers from an HTTP header map.
struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// The caller's span from the W3C `traceparent` header (with `tracestate`),
/// or `None` when the header is missing or invalid (a new trace starts).
pub fn remote_parent(headers: &http::HeaderMap) -> Option<opentelemetry::Context> {
    let traceparent = headers.get("traceparent")?.to_str().ok()?;
    if !well_formed(traceparent.trim()) {
        return None;
    }
    let cx = TraceContextPropagator::new().extract(&Headers(headers));
    cx.span().span_context().is_valid().then_some(cx)
}

/// The field lengths W3C Trace Context requires (`2-32-16-2` lowercase hex
/// digits; more fields only after a later version), which the propagator
/// does not check itself.
fn well_formed(traceparent: &str) -> bool {
    let b = traceparent.as_bytes();
    let hex =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    let dash = |i: usize| b.get(i) == Some(&b'-');
    let shape = hex(0..2) && dash(2) && hex(3..35) && dash(35) && hex(36..52) && dash(52) && hex(53..55);
    let rest_ok = match b.get(..2) {
        Some(b"00") => b.len() == 55,
        _ => b.len() == 55 || dash(55),
    };
    shape && rest_ok
}

/// The span context of an OpenTelemetry context (its trace and span ids).
pub fn span_context(cx: &opentelemetry::Context) -> SpanContext {
    cx.span().span_context().clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = http::HeaderValue::from_str(v) {
                h.insert(*k, v);
            }
        }
        h
    }

    #[test]
    fn valid_traceparent_gives_the_callers_span() {
        let h = headers(&[
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("tracestate", "vendor=opaque"),
        ]);
        let sc = remote_parent(&h).map(|cx| span_context(&cx));
        let sc = sc.as_ref();
        assert_eq!(sc.map(|s| s.trace_id().to_string()).as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        assert_eq!(sc.map(|s| s.span_id().to_string()).as_deref(), Some("00f067aa0ba902b7"));
        assert_eq!(sc.map(|s| (s.is_remote(), s.is_sampled())), Some((true, true)));
        assert_eq!(sc.and_then(|s| s.trace_state().get("vendor").map(str::to_string)).as_deref(), Some("opaque"));
    }

    #[test]
    fn invalid_traceparent_starts_a_new_trace() {
        for bad in [
            "",
            "garbage",
            // all-zero trace id, all-zero span id
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            // version ff is forbidden; upper-case hex; short trace id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            // version 00 has exactly four fields
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
            "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",
        ] {
            assert!(remote_parent(&headers(&[("traceparent", bad)])).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn later_versions_may_add_fields() {
        let h = headers(&[("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")]);
        assert!(remote_parent(&h).is_some());
        let h = headers(&[("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")]);
        assert!(remote_parent(&h).is_none());
    }

    #[test]
    fn missing_traceparent_is_no_parent() {
        assert!(remote_parent(&http::HeaderMap::new()).is_none());
        assert!(remote_parent(&headers(&[("tracestate", "vendor=opaque")])).is_none());
    }

    #[test]
    fn no_endpoint_installs_no_exporter() {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().build() else { return };
        let t = init_with_otlp(LogFormat::Text, None, rt.handle());
        assert!(t.as_ref().is_ok_and(|t| !t.is_exporting()));
        assert!(!exporting());
    }
}
