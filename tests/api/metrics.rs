//! `/metrics` serves the `precis_` series after calls.

use precis::grpc::pb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

async fn scrape(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).await.expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    out
}

#[tokio::test]
async fn metrics_endpoint_serves_the_series_after_a_call() {
    // With the default queue bound (the test helper turns it off), so the
    // queue's gauges are set; and no inline work, so the call uses the pool.
    let server = spawn_with(|c| {
        c.max_queue_delay = Some(precis::config::DEFAULT_MAX_QUEUE_DELAY);
        c.inline_max_bytes = 0;
    })
    .await;
    let handle = precis::metrics::install().expect("recorder");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(precis::metrics::serve(listener, handle));
    let mut c = server.client();
    c.analyze(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() }).await.expect("analyze");
    let _ = c.analyze(pb::AnalyzeRequest::default()).await.expect_err("invalid");
    let body = scrape(addr, "/metrics").await;
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    for series in [
        "precis_requests_total{method=\"/precis.v1.Precis/Analyze\",code=\"OK\"}",
        "precis_requests_total{method=\"/precis.v1.Precis/Analyze\",code=\"INVALID_ARGUMENT\"}",
        "precis_request_duration_seconds_bucket{method=\"/precis.v1.Precis/Analyze\",le=\"0.001\"}",
        "precis_requests_in_flight{method=\"/precis.v1.Precis/Analyze\"}",
        "precis_article_bytes_bucket",
        "precis_article_sentences_bucket",
        "precis_build_info{version=",
        "precis_queue_wait_seconds ",
        "precis_queue_standing 0",
    ] {
        assert!(body.contains(series), "{series} missing from:\n{body}");
    }
    assert!(body.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).skip(4).all(|l| l.starts_with("precis_")));
    assert!(scrape(addr, "/other").await.starts_with("HTTP/1.1 404"));
    task.abort();
}
