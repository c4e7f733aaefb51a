//! What a load run measured, and the per-worker tallies it is merged from.
//!
//! Latencies go into HDR histograms (microsecond resolution, 3 significant
//! digits), so percentiles up to p99.9 are exact to 0.1 % whatever the count.

use std::collections::BTreeMap;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Longest latency a histogram records (longer ones are clamped): 10 minutes.
const MAX_MICROS: u64 = 600_000_000;

/// The JSON report of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Which call was made.
    pub rpc: String,
    /// `closed` (each worker sends its next request when the last one is
    /// answered) or `open` (requests sent at a fixed rate, whatever the
    /// answers).
    pub mode: String,
    /// Requests per second asked for (open loop only).
    pub target_rate: Option<f64>,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// HTTP/2 connections used.
    pub connections: usize,
    /// AnalyzeStream calls open at once (stream mode only).
    pub streams: Option<usize>,
    /// Length of the measured window in seconds (warm-up excluded).
    pub duration_s: f64,
    /// Requests sent in the measured window (`ok` + all `errors`).
    pub requests: u64,
    /// Requests answered with OK.
    pub ok: u64,
    /// Failed requests by gRPC status code name.
    pub errors: BTreeMap<String, u64>,
    /// OK answers per second over the measured window.
    pub throughput_rps: f64,
    /// Latency in milliseconds. In open loop it runs from the time the
    /// request was due to be sent (no coordinated omission); in closed loop
    /// from the time it was sent.
    pub latency_ms: Latency,
    /// Open loop only: latency from the time the request was actually sent
    /// (what the server and network took, without the load generator's own
    /// queueing).
    pub service_time_ms: Option<Latency>,
    /// Request bytes sent (protobuf plus the 5-byte gRPC frame header; HTTP/2
    /// headers not counted).
    pub bytes_sent: u64,
    /// Response bytes received (protobuf plus frame header, as decoded).
    pub bytes_received: u64,
    /// Latency (as in `latency_ms`) of the calls ending with each gRPC status
    /// (`OK`, `RESOURCE_EXHAUSTED`…), so refused calls do not hide in, or
    /// flatter, the latency of the answered ones.
    pub latency_by_status_ms: BTreeMap<String, Latency>,
    /// Failed calls that got no status from the server: the connection could
    /// not be made or broke (counted under `UNAVAILABLE` in `errors` too).
    pub transport_errors: u64,
    /// Extra attempts made by `--retries` (a call retried twice counts 2).
    pub retries: u64,
    /// Calls that failed at first and ended OK after a retry.
    pub recovered: u64,
    /// Outcomes per second of the measured window, by the time each call
    /// ended: shows shedding start and stop, recovery after a load drop, a
    /// drain.
    pub per_second: Vec<Second>,
}

/// What ended within one second of the measured window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Second {
    /// Seconds since the measured window began (this bin is `[s, s+1)`).
    pub s: u64,
    /// Calls that ended OK.
    pub ok: u64,
    /// Failed calls by gRPC status code name.
    pub errors: BTreeMap<String, u64>,
}

/// Latency percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    /// Samples.
    pub count: u64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest.
    pub max: f64,
}

impl Latency {
    /// Percentiles of a histogram of microseconds.
    pub fn from_histogram(h: &Histogram<u64>) -> Self {
        let ms = |us: u64| us as f64 / 1000.0;
        if h.is_empty() {
            return Self::default();
        }
        Self {
            count: h.len(),
            mean: h.mean() / 1000.0,
            p50: ms(h.value_at_quantile(0.50)),
            p90: ms(h.value_at_quantile(0.90)),
            p99: ms(h.value_at_quantile(0.99)),
            p999: ms(h.value_at_quantile(0.999)),
            max: ms(h.max()),
        }
    }
}

/// A new latency histogram (1 µs to 10 min, 3 significant digits).
pub fn histogram() -> Histogram<u64> {
    // The bounds are constants that `new_with_bounds` accepts; the fallback
    // (auto-resizing) is never taken.
    Histogram::new_with_bounds(1, MAX_MICROS, 3).unwrap_or_else(|_| {
        let mut h = Histogram::new(3).unwrap_or_else(|_| unreachable_histogram());
        h.auto(true);
        h
    })
}

#[allow(clippy::panic)]
fn unreachable_histogram() -> Histogram<u64> {
    // `Histogram::new(3)` fails only for sigfig > 5.
    panic!("hdrhistogram refused 3 significant digits")
}

/// The outcome of one request.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// From the due (open loop) or actual (closed loop) send time to the answer.
    pub latency: Duration,
    /// From the actual send time to the answer.
    pub service_time: Duration,
    /// `Ok` or the failing status code.
    pub outcome: Result<(), tonic::Code>,
    /// Request bytes.
    pub sent: u64,
    /// Response bytes.
    pub received: u64,
    /// When the call ended, from the start of the measured window.
    pub ended: Duration,
    /// No status came from the server (connect or connection failure).
    pub transport: bool,
    /// Extra attempts made before this outcome.
    pub retries: u32,
}

/// What one worker saw; merged into the report at the end.
#[derive(Debug, Clone)]
pub struct Tally {
    latency: Histogram<u64>,
    service: Histogram<u64>,
    by_status: BTreeMap<String, Histogram<u64>>,
    ok: u64,
    errors: BTreeMap<String, u64>,
    sent: u64,
    received: u64,
    transport: u64,
    retries: u64,
    recovered: u64,
    seconds: Vec<Second>,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            latency: histogram(),
            service: histogram(),
            by_status: BTreeMap::new(),
            ok: 0,
            errors: BTreeMap::new(),
            sent: 0,
            received: 0,
            transport: 0,
            retries: 0,
            recovered: 0,
            seconds: Vec::new(),
        }
    }
}

/// Longest run the per-second table covers (longer runs fold their tail
/// into the last second): a day.
const MAX_SECONDS: u64 = 86_400;

/// Applies `f` to the bin of second `s`, growing the table as needed.
fn in_second(seconds: &mut Vec<Second>, s: u64, f: impl FnOnce(&mut Second)) {
    let i = usize::try_from(s.min(MAX_SECONDS)).unwrap_or(0);
    while seconds.len() <= i {
        let next = seconds.len() as u64;
        seconds.push(Second { s: next, ..Second::default() });
    }
    if let Some(bin) = seconds.get_mut(i) {
        f(bin);
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).clamp(1, MAX_MICROS)
}

impl Tally {
    /// Adds one request's outcome.
    pub fn record(&mut self, s: &Sample) {
        self.latency.saturating_record(micros(s.latency));
        self.service.saturating_record(micros(s.service_time));
        let name = code_name(s.outcome.err().unwrap_or(tonic::Code::Ok));
        self.by_status.entry(name.clone()).or_insert_with(histogram).saturating_record(micros(s.latency));
        match s.outcome {
            Ok(()) => {
                self.ok += 1;
                self.recovered += u64::from(s.retries > 0);
                in_second(&mut self.seconds, s.ended.as_secs(), |b| b.ok += 1);
            }
            Err(_) => {
                in_second(&mut self.seconds, s.ended.as_secs(), |b| *b.errors.entry(name.clone()).or_default() += 1);
                *self.errors.entry(name).or_default() += 1;
            }
        }
        self.transport += u64::from(s.transport && s.outcome.is_err());
        self.retries += u64::from(s.retries);
        self.sent += s.sent;
        self.received += s.received;
    }

    /// Adds another worker's tally to this one.
    pub fn merge(&mut self, other: &Self) {
        // Both histograms have the same bounds, so `add` cannot fail; a
        // failure would only lose samples, never panic.
        let _ = self.latency.add(&other.latency);
        let _ = self.service.add(&other.service);
        self.ok += other.ok;
        for (k, v) in &other.errors {
            *self.errors.entry(k.clone()).or_default() += v;
        }
        self.sent += other.sent;
        self.received += other.received;
        for (k, h) in &other.by_status {
            let _ = self.by_status.entry(k.clone()).or_insert_with(histogram).add(h);
        }
        self.transport += other.transport;
        self.retries += other.retries;
        self.recovered += other.recovered;
        for o in &other.seconds {
            in_second(&mut self.seconds, o.s, |bin| {
                bin.ok += o.ok;
                for (k, v) in &o.errors {
                    *bin.errors.entry(k.clone()).or_default() += v;
                }
            });
        }
    }

    /// Requests recorded.
    pub fn requests(&self) -> u64 {
        self.ok + self.errors.values().sum::<u64>()
    }

    /// Successful requests recorded.
    pub fn ok(&self) -> u64 {
        self.ok
    }

    /// Failures by status name.
    pub fn errors(&self) -> &BTreeMap<String, u64> {
        &self.errors
    }

    /// Latency percentiles.
    pub fn latency(&self) -> Latency {
        Latency::from_histogram(&self.latency)
    }

    /// Service-time percentiles.
    pub fn service_time(&self) -> Latency {
        Latency::from_histogram(&self.service)
    }

    /// Request and response bytes.
    pub fn bytes(&self) -> (u64, u64) {
        (self.sent, self.received)
    }

    /// Latency percentiles of the calls ending with each status.
    pub fn latency_by_status(&self) -> BTreeMap<String, Latency> {
        self.by_status.iter().map(|(k, h)| (k.clone(), Latency::from_histogram(h))).collect()
    }

    /// Failures without a status from the server.
    pub fn transport_errors(&self) -> u64 {
        self.transport
    }

    /// Extra attempts, and calls that a retry turned into OK.
    pub fn retries(&self) -> (u64, u64) {
        (self.retries, self.recovered)
    }

    /// Outcomes per second, by the time each call ended.
    pub fn per_second(&self) -> &[Second] {
        &self.seconds
    }
}

/// The gRPC name of a status code, e.g. `RESOURCE_EXHAUSTED`.
pub fn code_name(code: tonic::Code) -> String {
    use tonic::Code;
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_and_orders_percentiles() {
        let mut a = Tally::default();
        let mut b = Tally::default();
        for i in 1..=1000u64 {
            let s = Sample {
                latency: Duration::from_micros(i * 10),
                service_time: Duration::from_micros(i),
                outcome: if i % 100 == 0 { Err(tonic::Code::Unavailable) } else { Ok(()) },
                sent: 10,
                received: 20,
                ended: Duration::from_millis(i * 3),
                transport: false,
                retries: u32::from(i % 250 == 0),
            };
            if i % 2 == 0 {
                a.record(&s)
            } else {
                b.record(&s)
            }
        }
        a.merge(&b);
        assert_eq!(a.requests(), 1000);
        assert_eq!(a.ok(), 990);
        assert_eq!(a.errors().get("UNAVAILABLE"), Some(&10));
        let l = a.latency();
        assert!(l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max);
        assert!((l.p50 - 5.0).abs() < 0.05, "p50 {}", l.p50);
        assert_eq!(a.bytes(), (10_000, 20_000));
        let by = a.latency_by_status();
        assert_eq!(by.get("OK").map(|l| l.count), Some(990));
        assert_eq!(by.get("UNAVAILABLE").map(|l| l.count), Some(10));
        // i = 250, 750 are OK after a retry; 500 and 1000 failed after one.
        assert_eq!(a.retries(), (4, 2));
        // Ended at i × 3 ms: seconds 0, 1, 2 full (333 or 334 calls), then 3000 ms.
        let secs = a.per_second();
        assert_eq!(secs.len(), 4);
        assert_eq!(secs.iter().map(|s| s.ok + s.errors.values().sum::<u64>()).sum::<u64>(), 1000);
        assert!(secs.iter().enumerate().all(|(i, s)| s.s == i as u64));
    }
}
