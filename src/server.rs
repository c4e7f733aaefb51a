//! Builds the gRPC server and serves it on a given listener until a shutdown
//! future resolves, then drains.
//!
//! The caller binds the listener and owns the shutdown signal, so tests can
//! serve on `127.0.0.1:0` and stop the server with a oneshot.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::codec::CompressionEncoding;
use tonic::transport::server::TcpIncoming;
use tonic::transport::Server;
use tonic_health::ServingStatus;
use tower::ServiceBuilder;

use crate::config::ServeConfig;
use crate::domain::Pipeline;
use crate::grpc::cpu::CpuPool;
use crate::grpc::middleware::{Admission, AdmissionLayer, TraceLayer};
use crate::grpc::pb;
use crate::grpc::pb::precis_server::PrecisServer;
use crate::grpc::service::{PrecisService, StreamLimits};

/// The gRPC service name, as health checks and reflection know it.
pub const SERVICE_NAME: &str = "precis.v1.Precis";

/// Room for the request's other fields on top of the body limit.
const MESSAGE_OVERHEAD: usize = 64 * 1024;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The transport failed.
    #[error("gRPC transport error: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// Reflection could not be built from the descriptor set.
    #[error("cannot build reflection service: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The auth tokens file could not be used.
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    /// The TLS certificate, key or client CA could not be used.
    #[error("TLS: {0}")]
    Tls(#[from] crate::tls::TlsError),
}

/// Aborts a background task when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the server reports while it runs, for tests and the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Serving requests.
    Serving,
    /// Shutdown asked: refusing new calls, finishing admitted ones.
    Draining,
    /// All done.
    Stopped,
}

/// Serves `pipeline` on `listener` until `shutdown` resolves, then drains
/// for at most `config.shutdown_grace`. `phase` (optional) is told when the
/// server is serving and when it drains.
///
/// # Errors
/// [`ServeError`] when the transport or reflection fails.
pub async fn serve(
    listener: TcpListener,
    config: &ServeConfig,
    pipeline: Arc<Pipeline>,
    shutdown: impl Future<Output = ()> + Send,
    phase: Option<watch::Sender<Phase>>,
) -> Result<(), ServeError> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_service_status("", ServingStatus::NotServing).await;
    health.set_service_status(SERVICE_NAME, ServingStatus::NotServing).await;

    // Reflection in both versions: grpcurl 1.8 speaks only v1alpha.
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;

    let max_message = config.max_body_bytes + MESSAGE_OVERHEAD;
    let admission = Admission::new(config.concurrency_limit, config.request_timeout, max_message, "/precis.v1.Precis/");
    let pipeline_taxonomies = pipeline.taxonomies().clone();
    let service = PrecisService::new(
        pipeline,
        CpuPool::with_queue_bound(config.cpu_threads, config.inline_max_bytes, config.max_queue_delay),
        StreamLimits {
            max_articles: config.max_stream_articles,
            concurrency: config.stream_concurrency,
            max_message_bytes: max_message,
        },
        admission.tracker().clone(),
    );
    let precis = PrecisServer::new(service)
        // Messages over the body limit (plus room for the other fields) are
        // refused while decoding, before any work.
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(config.max_body_bytes * 4 + MESSAGE_OVERHEAD)
        // gzip accepted from clients and used for responses when the client
        // accepts it.
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip);

    // The middleware stack, outermost first:
    // Metrics: the recorder is process-global; serving `/metrics` is the
    // binary's job (its own listener, see `metrics::serve`).
    if let Err(e) = crate::metrics::install() {
        tracing::warn!(error = %e, "metrics disabled");
    }
    crate::metrics::record_models(pipeline_taxonomies.as_ref());
    // Bearer tokens, when configured; the watcher reloads them on change
    // and SIGHUP for as long as the server runs.
    let tokens = match &config.auth_tokens_file {
        Some(path) => Some(crate::auth::Tokens::load(path, config.auth_health)?),
        None => None,
    };
    let _watcher = tokens.as_ref().map(|t| AbortOnDrop(t.spawn_watcher()));
    // TLS, when configured: certificate, key and client CA reloaded on
    // change and SIGHUP, like the tokens.
    let tls = config.tls.as_ref().map(crate::tls::ServerTls::load).transpose()?;
    let _tls_watcher = tls.as_ref().map(|t| AbortOnDrop(t.spawn_watcher()));
    let layers = ServiceBuilder::new()
        // 0. Metrics: counts and times every call, refused ones included.
        .layer(crate::metrics::MetricsLayer)
        // 1. One span per request: method, gRPC status code, latency.
        .layer(TraceLayer)
        // 1b. Authentication (when configured): no valid bearer token →
        //     UNAUTHENTICATED, before admission spends a permit.
        .layer(crate::auth::AuthLayer(tokens))
        // 2. Admission: draining → UNAVAILABLE; over the global concurrency
        //    limit → RESOURCE_EXHAUSTED at once (no queue); each admitted
        //    call bounded by min(grpc-timeout, request_timeout) →
        //    DEADLINE_EXCEEDED. Health and reflection pass untouched.
        .layer(AdmissionLayer(admission.clone()))
        .into_inner();

    let h2 = config.http2;
    let mut builder = Server::builder();
    if let Some(age) = config.max_connection_age {
        // Recycle connections so clients re-resolve and reach new replicas
        // (headless Service + client-side balancing); calls in flight finish.
        builder = builder.max_connection_age(age).max_connection_age_grace(config.shutdown_grace);
    }
    let router = builder
        // HTTP/2 keepalive: notice dead peers behind NATs and load balancers.
        .http2_keepalive_interval(h2.keepalive_interval)
        .http2_keepalive_timeout(Some(h2.keepalive_timeout))
        // Flow control and per-connection parallelism (see README "Tuning").
        .max_concurrent_streams(Some(h2.max_concurrent_streams))
        .initial_stream_window_size(Some(h2.stream_window))
        .initial_connection_window_size(Some(h2.connection_window))
        .http2_adaptive_window(Some(h2.adaptive_window))
        .tcp_nodelay(true)
        .layer(layers)
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(precis);

    // Graceful shutdown, in order: health NOT_SERVING and new calls refused
    // with UNAVAILABLE (connections stay open so callers get a clean status);
    // admitted calls and open streams finish, up to the grace period; then
    // the transport closes its connections.
    let grace = config.shutdown_grace;
    let drain_health = health.clone();
    let drain_admission = admission.clone();
    let drain_phase = phase.clone();
    let (closing_tx, closing_rx) = tokio::sync::oneshot::channel::<tokio::time::Instant>();
    let signal = async move {
        shutdown.await;
        let started = tokio::time::Instant::now();
        tracing::info!(in_flight = drain_admission.in_flight(), ?grace, "shutdown requested: draining");
        drain_health.set_service_status("", ServingStatus::NotServing).await;
        drain_health.set_service_status(SERVICE_NAME, ServingStatus::NotServing).await;
        drain_admission.start_draining();
        if let Some(p) = &drain_phase {
            let _ = p.send(Phase::Draining);
        }
        if tokio::time::timeout(grace, drain_admission.tracker().idle()).await.is_err() {
            tracing::warn!(in_flight = drain_admission.in_flight(), "grace period over with calls in flight");
        }
        let _ = closing_tx.send(started);
    };

    health.set_service_status("", ServingStatus::Serving).await;
    health.set_service_status(SERVICE_NAME, ServingStatus::Serving).await;
    if let Some(p) = &phase {
        let _ = p.send(Phase::Serving);
    }
    let tls_mode = match (&tls, config.tls.as_ref().and_then(|t| t.client_ca.as_ref())) {
        (None, _) => "off",
        (Some(_), None) => "on",
        (Some(_), Some(_)) => "mutual",
    };
    match listener.local_addr() {
        Ok(addr) => tracing::info!(%addr, tls = tls_mode, "serving"),
        Err(_) => tracing::info!(tls = tls_mode, "serving"),
    }
    // TCP_NODELAY on every accepted connection: `Server::tcp_nodelay` only
    // applies to listeners tonic binds itself. Without it, Nagle holds a
    // unary response's trailers until the client's delayed ACK (~40 ms per call).
    // With TLS, precis runs the handshakes itself (see `tls`), so that a
    // reloaded certificate applies to new connections.
    let serve: std::pin::Pin<Box<dyn Future<Output = Result<(), tonic::transport::Error>> + Send>> = match &tls {
        Some(tls) => {
            Box::pin(router.serve_with_incoming_shutdown(tls.incoming(listener, crate::tls::HANDSHAKE_TIMEOUT), signal))
        }
        None => {
            Box::pin(router.serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), signal))
        }
    };
    tokio::pin!(serve);
    let result = tokio::select! {
        r = &mut serve => r.map_err(ServeError::from),
        _ = async {
            // Once the transport is closing, give connections (e.g. health
            // watchers) what is left of the grace period, at least a second.
            let Ok(started) = closing_rx.await else { return std::future::pending().await };
            let left = grace.saturating_sub(started.elapsed()).max(std::time::Duration::from_secs(1));
            tokio::time::sleep(left).await;
        } => {
            tracing::warn!("connections still open after the grace period; closing them");
            Ok(())
        }
    };
    if let Some(p) = &phase {
        let _ = p.send(Phase::Stopped);
    }
    tracing::info!("stopped");
    result
}
