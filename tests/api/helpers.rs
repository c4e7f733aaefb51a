//! Starting a test server and a client for it.

use std::sync::Arc;
use std::time::Duration;

use precis::config::ServeConfig;
use precis::domain::taxonomy::{Taxonomies, TaxonomySet};
use precis::domain::{Limits, Pipeline};
use precis::grpc::pb;
use precis::grpc::pb::precis_client::PrecisClient;
use precis::server::{serve, Phase};
use tokio::sync::{oneshot, watch};
use tonic::transport::Channel;

/// The built-in taxonomies, decoded once for the whole test binary.
pub fn builtin() -> &'static TaxonomySet {
    static SET: std::sync::OnceLock<TaxonomySet> = std::sync::OnceLock::new();
    SET.get_or_init(|| precis::reload::load(&[]).expect("built-in models decode"))
}

/// The seed article: first line is the title.
pub const SEED: &str = include_str!("../data/seed-article.txt");

/// Title and body of the seed article.
pub fn seed() -> (String, String) {
    let (t, b) = SEED.split_once('\n').unwrap_or(("", SEED));
    (t.trim().to_string(), b.to_string())
}

/// A running test server.
pub struct TestServer {
    #[allow(dead_code)]
    pub addr: std::net::SocketAddr,
    pub channel: Channel,
    shutdown: Option<oneshot::Sender<()>>,
    pub phase: watch::Receiver<Phase>,
    #[allow(dead_code)]
    pub handle: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub fn client(&self) -> PrecisClient<Channel> {
        PrecisClient::new(self.channel.clone())
    }

    /// Asks the server to shut down (drain).
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts a server with the default configuration.
pub async fn spawn() -> TestServer {
    spawn_with(|_| {}).await
}

/// Starts a server with a configuration adjusted by `f`.
///
/// The base is the default configuration without the queue-delay bound:
/// these are debug builds on a busy test machine, tens of times slower than
/// a release build, where a 5 ms bound would refuse calls that the tests
/// expect answered. The test of the bound sets it.
pub async fn spawn_with(f: impl FnOnce(&mut ServeConfig)) -> TestServer {
    if std::env::var_os("TEST_LOG").is_some() {
        precis::telemetry::init(precis::config::LogFormat::Text);
    }
    let mut config =
        ServeConfig { shutdown_grace: Duration::from_secs(2), max_queue_delay: None, ..ServeConfig::default() };
    f(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let limits = Limits { max_body_bytes: config.max_body_bytes, ..Limits::default() };
    let pipeline = Arc::new(Pipeline::new(limits, Arc::new(Taxonomies::new(builtin().clone()))));
    let (tx, rx) = oneshot::channel::<()>();
    let (phase_tx, mut phase) = watch::channel(Phase::Stopped);
    let handle = tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        serve(listener, &config, pipeline, shutdown, Some(phase_tx)).await.expect("serve");
    });
    phase.wait_for(|p| *p == Phase::Serving).await.expect("server starts");
    let channel = Channel::from_shared(format!("http://{addr}")).expect("uri").connect().await.expect("connect");
    TestServer { addr, channel, shutdown: Some(tx), phase, handle }
}

/// An article message.
pub fn article(id: &str, title: &str, body: &str) -> pb::Article {
    pb::Article { id: id.into(), title: title.into(), body: body.into(), ..Default::default() }
}

/// An `AnalyzeRequest` for the seed article under `id`, default options.
pub fn seed_request(id: &str) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest { article: Some(pb::Article { id: id.into(), ..seed_article() }), ..Default::default() }
}

/// The seed article as a message.
pub fn seed_article() -> pb::Article {
    let (t, b) = seed();
    article("seed", &t, &b)
}

/// Phrases of the seed article's trailing clutter.
pub const CLUTTER: &[&str] =
    &["Related Posts", "Continue reading", "Leave a Reply", "Your email address", "Lenovo", "carmakers"];

/// The field violations of a status's BadRequest detail.
pub fn violations(status: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt;
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

/// A long article of real-looking sentences: the seed article `n` times,
/// each copy's lines numbered ("(3) China's premier…") so that no line
/// repeats another (cleaning leaves out the earlier copy of a repeated
/// paragraph, which would make the text short again).
pub fn long_body(n: usize) -> String {
    let (_, b) = seed();
    let clean = b.split("  • Related Posts").next().unwrap_or("");
    let mut out = String::new();
    for i in 0..n {
        for line in clean.lines() {
            if !line.trim().is_empty() {
                out.push_str(&format!("({i}) {line}"));
            }
            out.push('\n');
        }
        out.push_str("\n\n");
    }
    out
}
