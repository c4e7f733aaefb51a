//! Trace export end to end: the `precis` binary serving with
//! `--otlp-endpoint` pointed at a small OTLP/gRPC collector in this test,
//! called with a W3C `traceparent`; the server span must reach the collector
//! as a child of the caller's span, and the trace id must be in the logs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{TraceService, TraceServiceServer};
use opentelemetry_proto::tonic::collector::trace::v1::{ExportTraceServiceRequest, ExportTraceServiceResponse};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use opentelemetry_proto::tonic::trace::v1::Span;
use precis::grpc::pb;
use precis::grpc::pb::precis_client::PrecisClient;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

use crate::helpers::seed_article;

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";

/// Collects every export request it receives.
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<ExportTraceServiceRequest>>>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        self.0.lock().unwrap().push(request.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse { partial_success: None }))
    }
}

impl Collector {
    /// Serves on 127.0.0.1:0; returns the collector and its URL.
    async fn start() -> (Self, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let collector = Self::default();
        let service = TraceServiceServer::new(collector.clone());
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(service)
                .serve_with_incoming(TcpListenerStream::new(listener)),
        );
        (collector, format!("http://{addr}"))
    }

    fn requests(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// Every span received, with the `service.name` of its resource.
    fn spans(&self) -> Vec<(Option<String>, Span)> {
        let mut out = Vec::new();
        for req in self.0.lock().unwrap().iter() {
            for rs in &req.resource_spans {
                let service = rs.resource.as_ref().and_then(|r| {
                    r.attributes.iter().find(|kv| kv.key == "service.name").and_then(|kv| {
                        match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                            Some(Value::StringValue(s)) => Some(s.clone()),
                            _ => None,
                        }
                    })
                });
                for ss in &rs.scope_spans {
                    out.extend(ss.spans.iter().map(|s| (service.clone(), s.clone())));
                }
            }
        }
        out
    }
}

/// The `precis serve` process and its log lines.
struct Server {
    child: Child,
    logs: Arc<Mutex<Vec<String>>>,
    addr: String,
}

impl Server {
    async fn start(otlp_endpoint: Option<&str>, extra_env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_precis"));
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--log-format", "json"])
            .args(["--shutdown-grace", "2s", "--cpu-threads", "1", "--worker-threads", "1"])
            .env_remove("PRECIS_OTLP_ENDPOINT")
            .env_remove("PRECIS_CONFIG")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = otlp_endpoint {
            cmd.args(["--otlp-endpoint", url]);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start precis serve");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let started = Instant::now();
        let addr = loop {
            let found = logs.lock().unwrap().iter().find_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).ok()?;
                (v["message"] == "serving").then(|| v["addr"].as_str().map(str::to_string)).flatten()
            });
            if let Some(a) = found {
                break a;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "server did not start: {:?}", logs.lock().unwrap());
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Self { child, logs, addr }
    }

    /// Calls Summarize with a W3C `traceparent` of our trace.
    async fn summarize_in_trace(&self) {
        let mut client = PrecisClient::connect(format!("http://{}", self.addr)).await.expect("connect");
        let mut req = tonic::Request::new(pb::SummarizeRequest { article: Some(seed_article()), ..Default::default() });
        let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
        req.metadata_mut().insert("traceparent", traceparent.parse().unwrap());
        req.metadata_mut().insert("tracestate", "caller=1".parse().unwrap());
        client.summarize(req).await.expect("summarize");
    }

    /// SIGTERM, then wait for a clean exit (the exporter flushes on the way).
    async fn stop(mut self) -> Vec<String> {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                assert!(s.success(), "exit status {s:?}");
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("server did not stop");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Let the reader thread take the last lines.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let logs = self.logs.lock().unwrap().clone();
        logs
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The trace id of the "request finished" log line of a call.
fn logged_trace_id(logs: &[String]) -> Option<String> {
    logs.iter().find_map(|l| {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        (v["message"] == "request finished" && v["span"]["rpc.method"] == "Summarize")
            .then(|| v["span"]["trace_id"].as_str().map(str::to_string))
            .flatten()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_span_continues_the_callers_trace_and_is_exported() {
    let (collector, url) = Collector::start().await;
    let server = Server::start(Some(&url), &[]).await;
    server.summarize_in_trace().await;
    let logs = server.stop().await;

    let spans = collector.spans();
    let ours: Vec<_> = spans.iter().filter(|(_, s)| hex(&s.trace_id) == TRACE_ID).collect();
    let rpc = ours
        .iter()
        .find(|(_, s)| s.name == "precis.v1.Precis/Summarize")
        .unwrap_or_else(|| panic!("no server span of our trace among {spans:?}"));
    assert_eq!(rpc.0.as_deref(), Some("precis"), "service.name");
    assert_eq!(hex(&rpc.1.parent_span_id), PARENT_ID, "child of the caller's span");
    assert_eq!(rpc.1.kind, SpanKind::Server as i32);
    let attr = |name: &str| {
        rpc.1.attributes.iter().find(|kv| kv.key == name).and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            Value::StringValue(s) => Some(s.clone()),
            other => Some(format!("{other:?}")),
        })
    };
    assert_eq!(attr("rpc.method").as_deref(), Some("Summarize"));
    assert_eq!(attr("rpc.grpc.status_code").as_deref(), Some("0"));
    // The pipeline's stages, run on the analysis threads, are in the same trace.
    let summarize_stage = ours.iter().find(|(_, s)| s.name == "summarize");
    assert!(summarize_stage.is_some(), "stage spans in the trace: {ours:?}");
    assert_eq!(logged_trace_id(&logs).as_deref(), Some(TRACE_ID), "trace id in the request's log line");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_exported_without_an_endpoint() {
    let (collector, url) = Collector::start().await;
    // The standard OpenTelemetry variable alone does not turn export on.
    let server = Server::start(None, &[("OTEL_EXPORTER_OTLP_ENDPOINT", &url)]).await;
    server.summarize_in_trace().await;
    let logs = server.stop().await;
    assert_eq!(collector.requests(), 0, "no export without --otlp-endpoint");
    assert_eq!(logged_trace_id(&logs).as_deref(), Some(TRACE_ID), "the caller's trace id is still logged");
}
