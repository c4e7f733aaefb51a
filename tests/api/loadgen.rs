//! The load generator against a test server: counts add up, percentiles are
//! ordered, in closed loop, open loop and stream mode.

use std::path::Path;
use std::time::Duration;

use precis::loadgen::{self, articles, LoadConfig, Report, Rpc};

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
}

#[tokio::test]
async fn wait_ready_sees_serving_and_bad_settings_are_refused() {
    let server = spawn().await;
    let waited = loadgen::wait_ready(&server.addr.to_string(), "", Duration::from_secs(5)).await;
    assert!(waited.is_ok(), "{waited:?}");
    let mut c = config(server.addr);
    c.concurrency = 0;
    assert!(loadgen::run(&c).await.is_err());
}
