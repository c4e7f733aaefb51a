//! The load generator against a test server: counts add up, percentiles are
//! ordered, in closed loop, open loop and stream mode; latency per status,
//! per-second counts, rate phases and retries on UNAVAILABLE (against a
//! stand-in server that refuses every other call).

use std::path::Path;
use std::time::Duration;

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use precis::grpc::pb;
use precis::loadgen::{self, articles, LoadConfig, RatePhase, Report, RetryPolicy, Rpc};
use tonic::{Request, Response, Status, Streaming};

use crate::helpers::spawn;

fn config(addr: std::net::SocketAddr) -> LoadConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/loadgen-articles.jsonl");
    let articles = articles::read_jsonl(&path, None).expect("test articles");
    assert_eq!(articles.len(), 3);
    let mut c = LoadConfig::new(addr.to_string(), articles);
    c.duration = Duration::from_millis(800);
    c.warmup = Duration::from_millis(100);
    c
}

fn check(r: &Report) {
    let errors: u64 = r.errors.values().sum();
    assert_eq!(r.requests, r.ok + errors, "{r:?}");
    assert!(r.ok > 0, "{r:?}");
    assert!(errors == 0, "no failures expected against a healthy server: {r:?}");
    let l = &r.latency_ms;
    assert_eq!(l.count, r.requests);
    assert!(0.0 < l.p50 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, "{l:?}");
    assert!(r.throughput_rps > 0.0 && r.bytes_sent > 0 && r.bytes_received > 0, "{r:?}");
    // Per status: only OK here, with every call; per second: every call once.
    assert_eq!(r.latency_by_status_ms.keys().collect::<Vec<_>>(), ["OK"], "{r:?}");
    assert_eq!(r.latency_by_status_ms.get("OK").map(|l| l.count), Some(r.ok));
    let per_second: u64 = r.per_second.iter().map(|s| s.ok + s.errors.values().sum::<u64>()).sum();
    assert_eq!(per_second, r.requests, "{r:?}");
    assert_eq!((r.transport_errors, r.retries, r.recovered), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_loop_counts_add_up() {
    let server = spawn().await;
    let mut c = config(server.addr);
    c.connections = 2;
    let r = loadgen::run(&c).await.expect("run");
    check(&r);
    assert_eq!((r.mode.as_str(), r.connections), ("closed", 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_loop_sends_at_the_rate() {
    let server = spawn().await;
    let mut c = config(server.addr);
    c.rpc = Rpc::Summarize;
    c.rate = Some(200.0);
    let r = loadgen::run(&c).await.expect("run");
    check(&r);
    assert_eq!(r.mode, "open");
    // 200/s over 0.8 s measured: 160 due; allow for the boundaries.
    assert!((150..=170).contains(&r.requests), "{r:?}");
    let s = r.service_time_ms.expect("service time in open loop");
    assert!(s.p50 <= r.latency_ms.p50 + 1e-9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_mode_counts_add_up() {
    let server = spawn().await;
    let mut c = config(server.addr);
    c.rpc = Rpc::Stream;
    c.streams = 2;
    let r = loadgen::run(&c).await.expect("run");
    check(&r);
    assert_eq!(r.streams, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_counted_by_status() {
    let server = spawn().await;
    let mut c = config(server.addr);
    c.rpc = Rpc::Tag;
    // An empty body is refused with INVALID_ARGUMENT.
    c.articles = std::sync::Arc::new(vec![precis::grpc::pb::Article { id: "e".into(), ..Default::default() }]);
    c.duration = Duration::from_millis(300);
    let r = loadgen::run(&c).await.expect("run");
    assert_eq!(r.ok, 0);
    assert!(r.requests > 0);
    assert_eq!(r.errors.get("INVALID_ARGUMENT"), Some(&r.requests), "{r:?}");
    let by = &r.latency_by_status_ms;
    assert_eq!(by.get("INVALID_ARGUMENT").map(|l| l.count), Some(r.requests), "{r:?}");
    assert!(!by.contains_key("OK"));
    assert_eq!(r.transport_errors, 0, "the server answered every call: {r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phases_change_the_open_loop_rate() {
    // Room for every call a slow (debug, busy) server may have in flight.
    let server = crate::helpers::spawn_with(|c| c.concurrency_limit = 256).await;
    let mut c = config(server.addr);
    c.rpc = Rpc::Tag;
    c.rate = Some(100.0);
    c.concurrency = 64;
    c.duration = Duration::from_millis(400);
    c.phases = vec!["400@600ms".parse::<RatePhase>().expect("phase")];
    let r = loadgen::run(&c).await.expect("run");
    check(&r);
    // 100/s for 0.4 s then 400/s for 0.6 s: 40 + 240 due.
    assert!((265..=290).contains(&r.requests), "{r:?}");
    // Measured from the start to the last answer: at least both phases.
    assert!(r.duration_s >= 0.99, "{r:?}");
    assert!("400".parse::<RatePhase>().is_err() && "x@1s".parse::<RatePhase>().is_err());
    // Phases need an open loop.
    c.rate = None;
    assert!(loadgen::run(&c).await.is_err());
}

/// A stand-in server that answers UNAVAILABLE to every other call.
#[derive(Default)]
struct Flaky(AtomicU64);

impl Flaky {
    fn turn<T: Default>(&self) -> Result<Response<T>, Status> {
        if self.0.fetch_add(1, Ordering::Relaxed).is_multiple_of(2) {
            Err(Status::unavailable("every other call"))
        } else {
            Ok(Response::new(T::default()))
        }
    }
}

type Answers = Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::AnalyzeResponse, Status>> + Send>>;

#[tonic::async_trait]
impl pb::precis_server::Precis for Flaky {
    async fn summarize(&self, _: Request<pb::SummarizeRequest>) -> Result<Response<pb::SummarizeResponse>, Status> {
        self.turn()
    }
    async fn tag(&self, _: Request<pb::TagRequest>) -> Result<Response<pb::TagResponse>, Status> {
        self.turn()
    }
    async fn analyze(&self, _: Request<pb::AnalyzeRequest>) -> Result<Response<pb::AnalyzeResponse>, Status> {
        self.turn()
    }
    type AnalyzeStreamStream = Answers;
    async fn analyze_stream(
        &self,
        _: Request<Streaming<pb::AnalyzeRequest>>,
    ) -> Result<Response<Self::AnalyzeStreamStream>, Status> {
        Err(Status::unimplemented("not in this stand-in"))
    }
    async fn list_taxonomies(
        &self,
        _: Request<pb::ListTaxonomiesRequest>,
    ) -> Result<Response<pb::ListTaxonomiesResponse>, Status> {
        self.turn()
    }
}

async fn spawn_flaky() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(pb::precis_server::PrecisServer::new(Flaky::default()))
            .serve_with_incoming(incoming),
    );
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_turn_unavailable_into_ok_and_are_counted() {
    let addr = spawn_flaky().await;
    let mut c = config(addr);
    c.duration = Duration::from_millis(400);
    c.concurrency = 1;
    // Without retries: half the calls fail, each with a status from the server.
    let r = loadgen::run(&c).await.expect("run");
    let failed = r.errors.get("UNAVAILABLE").copied().unwrap_or(0);
    assert_eq!(failed + r.ok, r.requests, "{r:?}");
    assert!(failed.abs_diff(r.ok) <= 1 && r.ok > 0, "{r:?}");
    assert_eq!((r.transport_errors, r.retries, r.recovered), (0, 0, 0), "{r:?}");
    assert_eq!(r.latency_by_status_ms.get("UNAVAILABLE").map(|l| l.count), Some(failed));
    // One retry: every call ends OK; with one worker the calls alternate, so
    // each refused first attempt is followed by an OK retry.
    c.retry = RetryPolicy { retries: 1, backoff: Duration::from_millis(2), max_backoff: Duration::from_millis(10) };
    let r = loadgen::run(&c).await.expect("run");
    assert_eq!(r.ok, r.requests, "{r:?}");
    assert!(r.retries > 0 && r.retries == r.recovered, "{r:?}");
    assert!(r.retries.abs_diff(r.requests) <= 1, "every call (or every other) needed a retry: {r:?}");
}

#[test]
fn retry_backoff_grows_to_its_ceiling() {
    let p = RetryPolicy { retries: 5, backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(1) };
    let ceiling = |n| p.wait(n, 0.999_999);
    assert!(ceiling(1) <= Duration::from_millis(100) && ceiling(1) > Duration::from_millis(99));
    assert!(ceiling(2) > Duration::from_millis(199) && ceiling(3) > Duration::from_millis(399));
    assert!(ceiling(5) <= Duration::from_secs(1) && ceiling(30) <= Duration::from_secs(1));
    assert_eq!(p.wait(3, 0.0), Duration::ZERO);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_to_a_stopped_server_are_transport_errors() {
    let mut server = spawn().await;
    let mut c = config(server.addr);
    c.rpc = Rpc::Tag;
    c.rate = Some(200.0);
    c.duration = Duration::from_millis(900);
    let run = tokio::spawn(async move { loadgen::run(&c).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.shutdown();
    let r = run.await.expect("join").expect("run");
    // After the server has gone, calls find no server: failures without a
    // status from one, mostly UNAVAILABLE (a call cut mid-flight by the
    // closing connection can end otherwise). Counted with the errors too.
    let failed = r.requests - r.ok;
    assert!(r.transport_errors > 0 && r.transport_errors <= failed, "{r:?}");
    assert!(r.errors.get("UNAVAILABLE").copied().unwrap_or(0) > 0, "{r:?}");
}
