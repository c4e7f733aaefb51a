//! A gRPC load generator for precis: replays articles against a running
//! server and reports throughput and a latency distribution.
//!
//! Why it exists: capacity planning ("how many replicas?") and latency
//! budgets ("what will callers see?") need figures taken through the real
//! transport, not the in-process pipeline. Two modes:
//! - **closed loop**: `concurrency` workers each send a request, wait for
//!   the answer, send the next — finds the maximum throughput;
//! - **open loop** (`rate`): requests are due at fixed intervals whatever
//!   the answers, and latency runs from the due time, so a stalled server
//!   shows up as latency instead of silently slowing the load (no
//!   coordinated omission).
//!
//! `AnalyzeStream` is driven in closed loop: each stream keeps
//! `concurrency` articles in flight.
//!
//! For fault and overload runs, the open loop can change rate in phases
//! (e.g. 3× the capacity, then half of it) and the report counts outcomes
//! per second and latency per status, so a refusal in 1 ms is not averaged
//! with an answer in 5 ms. Unary calls can be retried on `UNAVAILABLE` with
//! jittered exponential backoff, as a gRPC service config `retryPolicy`
//! would (tonic's client does not apply service-config retries itself).

pub mod articles;
pub mod report;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use prost::Message;
use tokio::sync::{mpsc, Semaphore};
use tonic::transport::{Channel, Endpoint};

use crate::grpc::pb;
use crate::grpc::pb::precis_client::PrecisClient;
pub use report::{Latency, Report, Second};
use report::{Sample, Tally};

/// Which call to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rpc {
    /// `Analyze`: summary and tags in one call.
    Analyze,
    /// `Summarize`.
    Summarize,
    /// `Tag`.
    Tag,
    /// `AnalyzeStream`: articles over long-lived streams.
    Stream,
}

impl Rpc {
    fn name(self) -> &'static str {
        match self {
            Self::Analyze => "analyze",
            Self::Summarize => "summarize",
            Self::Tag => "tag",
            Self::Stream => "stream",
        }
    }
}

/// What to send, how hard, for how long.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// Server address: `HOST:PORT` or a full `http://` URI.
    pub addr: String,
    /// Articles replayed in order, round-robin.
    pub articles: Arc<Vec<pb::Article>>,
    /// The call.
    pub rpc: Rpc,
    /// Requests in flight at most (per stream in stream mode).
    pub concurrency: usize,
    /// HTTP/2 connections; workers are spread over them.
    pub connections: usize,
    /// Streams open at once (stream mode).
    pub streams: usize,
    /// Open loop: requests per second. `None`: closed loop.
    pub rate: Option<f64>,
    /// Measured time.
    pub duration: Duration,
    /// Time before measuring (load is sent, nothing recorded).
    pub warmup: Duration,
    /// Deadline of each call (`grpc-timeout`); whole-stream deadline in
    /// stream mode is the run's length plus this.
    pub timeout: Duration,
    /// Compress requests with gzip and accept gzip responses.
    pub gzip: bool,
    /// TLS to the server (`https://`); `None`: plaintext HTTP/2.
    pub tls: Option<tonic::transport::ClientTlsConfig>,
    /// Open loop: phases run after the first (`rate` for `duration`), back
    /// to back, each at its own rate.
    pub phases: Vec<RatePhase>,
    /// Retry policy for unary calls that end `UNAVAILABLE`.
    pub retry: RetryPolicy,
}

/// One open-loop phase: `rate` requests per second for `duration`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePhase {
    /// Requests per second.
    pub rate: f64,
    /// How long.
    pub duration: Duration,
}

impl std::str::FromStr for RatePhase {
    type Err = String;

    /// `RATE@DURATION`, e.g. `900@10s`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (rate, dur) = s.split_once('@').ok_or_else(|| format!("{s:?}: expected RATE@DURATION, e.g. 900@10s"))?;
        let rate: f64 = rate.trim().parse().map_err(|e| format!("{s:?}: rate: {e}"))?;
        let duration = crate::config::parse_duration(dur.trim()).map_err(|e| format!("{s:?}: duration: {e}"))?;
        Ok(Self { rate, duration })
    }
}

/// Retries of unary calls ending `UNAVAILABLE`, the same rule as a gRPC
/// service config `retryPolicy` with `retryableStatusCodes: ["UNAVAILABLE"]`,
/// `maxAttempts = retries + 1`, `initialBackoff = backoff`,
/// `backoffMultiplier = 2`, `maxBackoff = max_backoff`: before retry `n`
/// (1-based) the call waits a random time in `[0, min(backoff × 2^(n-1),
/// max_backoff))`. Every attempt gets the full per-call deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts at most (0: no retries).
    pub retries: u32,
    /// Backoff ceiling before the first retry.
    pub backoff: Duration,
    /// Largest backoff ceiling.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { retries: 0, backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(1) }
    }
}

impl RetryPolicy {
    /// The random wait before retry `n` (1-based), from a uniform `unit` in
    /// `[0, 1)`.
    pub fn wait(&self, n: u32, unit: f64) -> Duration {
        let ceiling = self.backoff.saturating_mul(1u32 << n.saturating_sub(1).min(20)).min(self.max_backoff);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// A uniform number in `[0, 1)` for backoff jitter (not for anything that
/// needs good randomness): a per-process random key hashed with a counter.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    static KEYS: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = KEYS.get_or_init(std::collections::hash_map::RandomState::new).build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

impl LoadConfig {
    /// A closed-loop `Analyze` run of one second on one connection.
    pub fn new(addr: impl Into<String>, articles: Vec<pb::Article>) -> Self {
        Self {
            addr: addr.into(),
            articles: Arc::new(articles),
            rpc: Rpc::Analyze,
            concurrency: 4,
            connections: 1,
            streams: 1,
            rate: None,
            duration: Duration::from_secs(1),
            warmup: Duration::ZERO,
            timeout: Duration::from_secs(30),
            gzip: false,
            tls: None,
            phases: Vec::new(),
            retry: RetryPolicy::default(),
        }
    }
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A setting is out of range.
    #[error("invalid load setting: {0}")]
    Invalid(String),
    /// The address is not a valid URI.
    #[error("invalid address {addr:?}: {reason}")]
    Address {
        /// What was given.
        addr: String,
        /// Why.
        reason: String,
    },
    /// No connection could be made.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        /// The server.
        addr: String,
        /// Why.
        source: tonic::transport::Error,
    },
    /// The server did not report SERVING in time.
    #[error("{addr} not SERVING after {waited:?}")]
    NotReady {
        /// The server.
        addr: String,
        /// How long we polled.
        waited: Duration,
    },
}

fn uri(addr: &str) -> String {
    if addr.contains("://") {
        addr.to_string()
    } else {
        format!("http://{addr}")
    }
}

fn endpoint(addr: &str, tls: Option<&tonic::transport::ClientTlsConfig>) -> Result<Endpoint, LoadError> {
    let uri = match tls {
        Some(_) if !addr.contains("://") => format!("https://{addr}"),
        _ => uri(addr),
    };
    let bad = |e: tonic::transport::Error| LoadError::Address { addr: addr.to_string(), reason: e.to_string() };
    let ep =
        Endpoint::from_shared(uri).map(|e| e.tcp_nodelay(true).connect_timeout(Duration::from_secs(5))).map_err(bad)?;
    match tls {
        Some(t) => ep.tls_config(t.clone()).map_err(bad),
        None => Ok(ep),
    }
}

async fn connect(config: &LoadConfig) -> Result<Vec<PrecisClient<Channel>>, LoadError> {
    let ep = endpoint(&config.addr, config.tls.as_ref())?;
    let mut clients = Vec::with_capacity(config.connections);
    for _ in 0..config.connections {
        // One `connect` = one HTTP/2 connection.
        let channel = ep.connect().await.map_err(|source| LoadError::Connect { addr: config.addr.clone(), source })?;
        let mut client = PrecisClient::new(channel).max_decoding_message_size(64 << 20);
        if config.gzip {
            client = client
                .send_compressed(tonic::codec::CompressionEncoding::Gzip)
                .accept_compressed(tonic::codec::CompressionEncoding::Gzip);
        }
        clients.push(client);
    }
    Ok(clients)
}

/// The `AnalyzeRequest` sent for an article (also the stream item).
pub fn analyze_request(article: &pb::Article) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest { article: Some(article.clone()), ..Default::default() }
}

/// One request as a length-prefixed gRPC message (uncompressed), as an HTTP/2
/// load tool replays it as a request body.
pub fn grpc_frame(req: &impl Message) -> Vec<u8> {
    let body = req.encode_to_vec();
    let len = u32::try_from(body.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(0);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// Bytes of a message on the wire with its 5-byte frame header.
fn framed_len(m: &impl Message) -> u64 {
    m.encoded_len() as u64 + 5
}

/// What one unary call (with its retries) came to.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    result: Result<(), tonic::Code>,
    sent: u64,
    received: u64,
    /// The failure came from the transport, not from a server's status.
    transport: bool,
    retries: u32,
}

impl Outcome {
    /// The sample of this call, with its latency (from the due or send
    /// time), service time (from the send) and end (in the window).
    fn sample(&self, latency: Duration, service_time: Duration, ended: Duration) -> Sample {
        Sample {
            latency,
            service_time,
            outcome: self.result,
            sent: self.sent,
            received: self.received,
            ended,
            transport: self.transport,
            retries: self.retries,
        }
    }
}

/// One unary call, retried on `UNAVAILABLE` as `retry` says.
async fn call_with_retries(
    client: &mut PrecisClient<Channel>,
    rpc: Rpc,
    article: &pb::Article,
    timeout: Duration,
    retry: RetryPolicy,
) -> Outcome {
    let mut retries = 0;
    loop {
        let (result, sent, received, transport) = call(client, rpc, article, timeout).await;
        if result != Err(tonic::Code::Unavailable) || retries >= retry.retries {
            return Outcome { result, sent, received, transport, retries };
        }
        retries += 1;
        tokio::time::sleep(retry.wait(retries, jitter())).await;
    }
}

/// One unary call. Returns the outcome, request and response bytes, and
/// whether a failure came from the transport (no status from a server).
async fn call(
    client: &mut PrecisClient<Channel>,
    rpc: Rpc,
    article: &pb::Article,
    timeout: Duration,
) -> (Result<(), tonic::Code>, u64, u64, bool) {
    fn req<T>(m: T, timeout: Duration) -> tonic::Request<T> {
        let mut r = tonic::Request::new(m);
        r.set_timeout(timeout);
        r
    }
    fn done<T: Message>(r: Result<tonic::Response<T>, tonic::Status>) -> (Result<(), tonic::Code>, u64, bool) {
        match r {
            Ok(resp) => (Ok(()), framed_len(resp.get_ref()), false),
            // tonic keeps the underlying error as the source of a status it
            // made from a transport failure; a server's status has none.
            Err(s) => (Err(s.code()), 0, std::error::Error::source(&s).is_some()),
        }
    }
    match rpc {
        Rpc::Analyze | Rpc::Stream => {
            let m = analyze_request(article);
            let sent = framed_len(&m);
            let (o, r, t) = done(client.analyze(req(m, timeout)).await);
            (o, sent, r, t)
        }
        Rpc::Summarize => {
            let m = pb::SummarizeRequest { article: Some(article.clone()), ..Default::default() };
            let sent = framed_len(&m);
            let (o, r, t) = done(client.summarize(req(m, timeout)).await);
            (o, sent, r, t)
        }
        Rpc::Tag => {
            let m = pb::TagRequest { article: Some(article.clone()), ..Default::default() };
            let sent = framed_len(&m);
            let (o, r, t) = done(client.tag(req(m, timeout)).await);
            (o, sent, r, t)
        }
    }
}

/// The run's clock: warm-up ends at `measure_from`, no request is sent
/// after `stop_at`.
#[derive(Debug, Clone, Copy)]
struct Window {
    measure_from: Instant,
    stop_at: Instant,
}

impl Window {
    /// Now, from the start of the measured window (zero during warm-up).
    fn elapsed(&self) -> Duration {
        Instant::now().saturating_duration_since(self.measure_from)
    }
}

/// Runs the load and reports what it measured.
///
/// # Errors
/// [`LoadError`] when a setting is invalid or the server cannot be reached.
/// Failed calls are not errors: they are counted in the report.
pub async fn run(config: &LoadConfig) -> Result<Report, LoadError> {
    validate(config)?;
    let clients = connect(config).await?;
    let start = Instant::now();
    let total = config.phases.iter().fold(config.duration, |t, p| t.saturating_add(p.duration));
    let window = Window { measure_from: start + config.warmup, stop_at: start + config.warmup + total };
    let tally = match (config.rpc, config.rate) {
        (Rpc::Stream, _) => streams(config, &clients, window).await,
        (_, Some(rate)) => open_loop(config, &clients, window, rate).await,
        (_, None) => closed_loop(config, &clients, window).await,
    };
    let end = Instant::now().max(window.stop_at);
    let secs = end.duration_since(window.measure_from).as_secs_f64().max(1e-9);
    let (bytes_sent, bytes_received) = tally.bytes();
    Ok(Report {
        rpc: config.rpc.name().to_string(),
        mode: if config.rate.is_some() && config.rpc != Rpc::Stream { "open" } else { "closed" }.to_string(),
        target_rate: config.rate.filter(|_| config.rpc != Rpc::Stream),
        concurrency: config.concurrency,
        connections: clients.len(),
        streams: (config.rpc == Rpc::Stream).then_some(config.streams),
        duration_s: secs,
        requests: tally.requests(),
        ok: tally.ok(),
        errors: tally.errors().clone(),
        throughput_rps: tally.ok() as f64 / secs,
        latency_ms: tally.latency(),
        service_time_ms: (config.rate.is_some() && config.rpc != Rpc::Stream).then(|| tally.service_time()),
        bytes_sent,
        bytes_received,
        latency_by_status_ms: tally.latency_by_status(),
        transport_errors: tally.transport_errors(),
        retries: tally.retries().0,
        recovered: tally.retries().1,
        per_second: tally.per_second().to_vec(),
    })
}

fn validate(config: &LoadConfig) -> Result<(), LoadError> {
    let bad = |m: &str| Err(LoadError::Invalid(m.to_string()));
    if config.articles.is_empty() {
        return bad("no articles to send");
    }
    if config.concurrency == 0 || config.connections == 0 || config.streams == 0 {
        return bad("concurrency, connections and streams must be at least 1");
    }
    if config.connections > 1024 || config.concurrency > 100_000 || config.streams > 10_000 {
        return bad("concurrency, connections or streams too large");
    }
    if config.rate.is_some_and(|r| !(r.is_finite() && r > 0.0 && r <= 10_000_000.0)) {
        return bad("rate must be a positive number of requests per second");
    }
    if config.rpc == Rpc::Stream && config.rate.is_some() {
        return bad("stream mode is closed loop only (no rate)");
    }
    let week = Duration::from_secs(7 * 86_400);
    if config.duration.is_zero() || config.duration > week {
        return bad("duration must be more than 0 and at most a week");
    }
    if !config.phases.is_empty() && (config.rate.is_none() || config.rpc == Rpc::Stream) {
        return bad("rate phases need an open-loop run (--rate, not stream mode)");
    }
    for p in &config.phases {
        if !(p.rate.is_finite() && p.rate > 0.0 && p.rate <= 10_000_000.0) || p.duration.is_zero() || p.duration > week
        {
            return bad("each phase needs a positive rate and a duration of at most a week");
        }
    }
    if config.retry.retries > 100 || config.retry.max_backoff > Duration::from_secs(3600) {
        return bad("at most 100 retries and a backoff of at most an hour");
    }
    Ok(())
}

/// Closed loop: `concurrency` workers, each one request at a time.
async fn closed_loop(config: &LoadConfig, clients: &[PrecisClient<Channel>], w: Window) -> Tally {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(config.concurrency);
    for i in 0..config.concurrency {
        let mut client = clients[i % clients.len()].clone();
        let (articles, next, rpc, timeout) = (config.articles.clone(), next.clone(), config.rpc, config.timeout);
        let retry = config.retry;
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            loop {
                let t0 = Instant::now();
                if t0 >= w.stop_at {
                    break;
                }
                let k = next.fetch_add(1, Ordering::Relaxed) % articles.len();
                let Some(article) = articles.get(k) else { break };
                let o = call_with_retries(&mut client, rpc, article, timeout, retry).await;
                if t0 >= w.measure_from {
                    let took = t0.elapsed();
                    tally.record(&o.sample(took, took, w.elapsed()));
                }
            }
            tally
        }));
    }
    merge(tasks).await
}

async fn merge(tasks: Vec<tokio::task::JoinHandle<Tally>>) -> Tally {
    let mut all = Tally::default();
    for t in tasks {
        if let Ok(t) = t.await {
            all.merge(&t);
        }
    }
    all
}

/// The open-loop schedule: `(start, end, interval)` of each phase, back to
/// back from `start`; the first phase also covers the warm-up.
fn schedule(config: &LoadConfig, rate: f64, start: Instant, w: Window) -> Vec<(Instant, Instant, Duration)> {
    let mut out = vec![(start, w.measure_from + config.duration, Duration::from_secs_f64(1.0 / rate))];
    let mut t = w.measure_from + config.duration;
    for p in &config.phases {
        out.push((t, t + p.duration, Duration::from_secs_f64(1.0 / p.rate)));
        t += p.duration;
    }
    out
}

/// Open loop: request `k` of a phase is due at `phase start + k / rate`
/// (phases run back to back); a dedicated thread
/// sleeps to each due time (finer than the async timer's millisecond) and
/// hands the call to the runtime. At most `concurrency` calls are in
/// flight; when they are all busy the next call waits, and that wait counts
/// in its latency.
async fn open_loop(config: &LoadConfig, clients: &[PrecisClient<Channel>], w: Window, rate: f64) -> Tally {
    let (tx, mut rx) = mpsc::unbounded_channel::<Option<Sample>>();
    let permits = Arc::new(Semaphore::new(config.concurrency));
    let handle = tokio::runtime::Handle::current();
    let clients = clients.to_vec();
    let (articles, rpc, timeout, retry) = (config.articles.clone(), config.rpc, config.timeout, config.retry);
    let phases = schedule(config, rate, Instant::now(), w);
    let dispatcher = std::thread::Builder::new().name("loadgen-dispatch".into()).spawn(move || {
        let mut k: u64 = 0;
        let mut phases = phases.into_iter();
        let Some(mut phase) = phases.next() else { return };
        let mut in_phase: u64 = 0;
        loop {
            let (start, end, interval) = phase;
            let due = start + interval.mul_f64(in_phase as f64);
            if due >= end.min(w.stop_at) {
                match phases.next() {
                    Some(p) => {
                        phase = p;
                        in_phase = 0;
                        continue;
                    }
                    None => break,
                }
            }
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            let Ok(permit) = handle.block_on(permits.clone().acquire_owned()) else { break };
            let idx = usize::try_from(k).unwrap_or(0);
            let Some(mut client) = clients.get(idx % clients.len()).cloned() else { break };
            let Some(article) = articles.get(idx % articles.len()).cloned() else { break };
            let tx = tx.clone();
            handle.spawn(async move {
                let sent_at = Instant::now();
                let o = call_with_retries(&mut client, rpc, &article, timeout, retry).await;
                drop(permit);
                let sample = (due >= w.measure_from).then(|| o.sample(due.elapsed(), sent_at.elapsed(), w.elapsed()));
                let _ = tx.send(sample);
            });
            k += 1;
            in_phase += 1;
        }
    });
    let mut tally = Tally::default();
    // Every spawned call holds a sender; the channel closes when the
    // dispatcher and all calls are done.
    while let Some(s) = rx.recv().await {
        if let Some(s) = s {
            tally.record(&s);
        }
    }
    if let Ok(d) = dispatcher {
        let _ = tokio::task::spawn_blocking(move || d.join()).await;
    }
    tally
}

/// Stream mode: `streams` AnalyzeStream calls, each keeping `concurrency`
/// articles in flight. Answers come back in order, so send times queue up
/// and are matched first in, first out.
async fn streams(config: &LoadConfig, clients: &[PrecisClient<Channel>], w: Window) -> Tally {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(config.streams);
    for i in 0..config.streams {
        let client = clients[i % clients.len()].clone();
        let (articles, next) = (config.articles.clone(), next.clone());
        let (depth, timeout) = (config.concurrency, config.timeout);
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < w.stop_at {
                one_stream(client.clone(), &articles, &next, depth, timeout, w, &mut tally).await;
            }
            tally
        }));
    }
    merge(tasks).await
}

async fn one_stream(
    mut client: PrecisClient<Channel>,
    articles: &[pb::Article],
    next: &AtomicUsize,
    depth: usize,
    timeout: Duration,
    w: Window,
    tally: &mut Tally,
) {
    let (tx, rx) = mpsc::channel::<pb::AnalyzeRequest>(depth);
    let mut req = tonic::Request::new(tokio_stream::wrappers::ReceiverStream::new(rx));
    req.set_timeout(w.stop_at.saturating_duration_since(Instant::now()) + timeout);
    let mut pending: VecDeque<(Instant, u64)> = VecDeque::with_capacity(depth);
    let mut tx = Some(tx);
    let fill = |tx: &Option<mpsc::Sender<pb::AnalyzeRequest>>, pending: &mut VecDeque<(Instant, u64)>| {
        while pending.len() < depth && Instant::now() < w.stop_at {
            let k = next.fetch_add(1, Ordering::Relaxed) % articles.len();
            let (Some(tx), Some(a)) = (tx, articles.get(k)) else { return };
            let m = analyze_request(a);
            let sent = framed_len(&m);
            // The channel holds `depth` items and at most `depth` are
            // pending, so this never waits.
            if tx.try_send(m).is_err() {
                return;
            }
            pending.push_back((Instant::now(), sent));
        }
    };
    fill(&tx, &mut pending);
    let mut inbound = match client.analyze_stream(req).await {
        Ok(r) => r.into_inner(),
        Err(s) => {
            fail_all(&mut pending, s.code(), w, tally);
            return;
        }
    };
    loop {
        if Instant::now() >= w.stop_at {
            // Half-close: no more articles; drain the answers.
            tx = None;
        }
        if pending.is_empty() && tx.is_none() {
            break;
        }
        match inbound.message().await {
            Ok(Some(resp)) => {
                let Some((t0, sent)) = pending.pop_front() else { break };
                let outcome = match &resp.error {
                    Some(e) if e.code != 0 => Err(tonic::Code::from_i32(e.code)),
                    _ => Ok(()),
                };
                if t0 >= w.measure_from {
                    let took = t0.elapsed();
                    tally.record(&Sample {
                        latency: took,
                        service_time: took,
                        outcome,
                        sent,
                        received: framed_len(&resp),
                        ended: w.elapsed(),
                        transport: false,
                        retries: 0,
                    });
                }
                fill(&tx, &mut pending);
            }
            Ok(None) => {
                fail_all(&mut pending, tonic::Code::Unknown, w, tally);
                break;
            }
            Err(s) => {
                fail_all(&mut pending, s.code(), w, tally);
                break;
            }
        }
    }
}

fn fail_all(pending: &mut VecDeque<(Instant, u64)>, code: tonic::Code, w: Window, tally: &mut Tally) {
    for (t0, sent) in pending.drain(..) {
        if t0 >= w.measure_from {
            let took = t0.elapsed();
            tally.record(&Sample {
                latency: took,
                service_time: took,
                outcome: Err(code),
                sent,
                received: 0,
                ended: w.elapsed(),
                transport: false,
                retries: 0,
            });
        }
    }
}

/// Polls the standard health service until `service` (empty: the whole
/// server) is SERVING. Returns how long that took. Connection refusals are
/// retried every 2 ms, so this also measures start-up from a cold exec.
///
/// # Errors
/// [`LoadError::NotReady`] after `timeout`; [`LoadError::Address`] for a bad
/// address.
pub async fn wait_ready(addr: &str, service: &str, timeout: Duration) -> Result<Duration, LoadError> {
    wait_ready_tls(addr, service, timeout, None).await
}

/// [`wait_ready`] over TLS when `tls` is set.
///
/// # Errors
/// As [`wait_ready`].
pub async fn wait_ready_tls(
    addr: &str,
    service: &str,
    timeout: Duration,
    tls: Option<&tonic::transport::ClientTlsConfig>,
) -> Result<Duration, LoadError> {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;
    let ep = endpoint(addr, tls)?.connect_timeout(Duration::from_millis(200));
    let start = Instant::now();
    let mut client: Option<HealthClient<Channel>> = None;
    while start.elapsed() < timeout {
        if client.is_none() {
            client = ep.connect().await.ok().map(HealthClient::new);
        }
        if let Some(c) = client.as_mut() {
            let mut req = tonic::Request::new(HealthCheckRequest { service: service.to_string() });
            req.set_timeout(Duration::from_millis(500));
            match c.check(req).await {
                Ok(r) if r.get_ref().status == ServingStatus::Serving as i32 => return Ok(start.elapsed()),
                Ok(_) => {}
                Err(_) => client = None,
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err(LoadError::NotReady { addr: addr.to_string(), waited: start.elapsed() })
}
