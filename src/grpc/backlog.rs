//! The analysis pool's backlog: how much work waits for a thread, what a
//! unit of it costs, and whether the queue is standing or a passing burst.
//!
//! Admission by queued work (`max_queue_delay`) follows CoDel's rule (Nichols
//! and Jacobson, "Controlling Queue Delay", 2012), used for RPC queues as
//! "adaptive CoDel": a queue is bad only when it does not drain. Every
//! [`INTERVAL`] the shortest wait of the jobs that started in it is compared
//! with the target: if even the luckiest job waited longer, the queue is
//! standing — the offered load is over what the threads can do — and unary
//! calls whose estimated wait is over the target are refused until it
//! drains. A burst (a stall of a few milliseconds, then the calls that
//! arrived during it) leaves short waits in the same interval, so it is
//! queued, not refused. The estimate is in time, from the units of work
//! queued and the measured cost of a unit, whatever the mix of article
//! sizes: one 25 KB article is as much work as a dozen short ones.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long the shortest wait must stay over the target before calls are
/// refused, and how often that is decided: CoDel's 100 ms.
pub const INTERVAL: Duration = Duration::from_millis(100);

/// The starting cost of a unit of work, 1/1024 ns: 32 ns, about what a BBC
/// article costs per byte for each of summary and tags on one core of the
/// development machine (57 µs for a summary of 2.2 KB). Replaced by
/// measurement after a few jobs.
const INITIAL_UNIT_COST: u64 = 32 << 10;

/// Weight of a new measurement in the smoothed cost: 1/8.
const COST_SMOOTHING_SHIFT: u32 = 3;

/// Work waiting for the analysis threads, its cost, and the queue's state.
#[derive(Debug)]
pub struct Backlog {
    /// Units of work handed to the pool and not started. Running jobs are
    /// left out: a long one would otherwise refuse calls that a free thread
    /// could take.
    queued: AtomicU64,
    /// Smoothed wall-clock cost of one unit on an analysis thread, in
    /// 1/1024 ns (fixed point, so short articles keep their precision).
    cost: AtomicU64,
    /// Origin of the interval clock.
    epoch: Instant,
    /// Length of an interval (see [`INTERVAL`]).
    interval: Duration,
    /// Start of the current interval, ns since `epoch`.
    interval_start: AtomicU64,
    /// Shortest wait of a job started in the current interval, ns.
    interval_min: AtomicU64,
    /// Whether the last interval's shortest wait was over the target.
    standing: AtomicBool,
    /// The target wait: `max_queue_delay`.
    target: Duration,
}

impl Backlog {
    /// An empty backlog judged against `target`, deciding every `interval`.
    pub fn new(target: Duration, interval: Duration) -> Self {
        Self {
            queued: AtomicU64::new(0),
            cost: AtomicU64::new(INITIAL_UNIT_COST),
            epoch: Instant::now(),
            interval,
            interval_start: AtomicU64::new(0),
            interval_min: AtomicU64::new(u64::MAX),
            standing: AtomicBool::new(false),
            target,
        }
    }

    /// Estimated time the waiting work keeps `threads` threads busy.
    pub fn wait(&self, threads: u64) -> Duration {
        let queued = self.queued.load(Ordering::Relaxed);
        let ns = u128::from(queued) * u128::from(self.cost.load(Ordering::Relaxed)) / 1024 / u128::from(threads.max(1));
        Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX))
    }

    /// Whether a call that would wait `wait` should be refused: only while
    /// the queue is standing, and only when it is over the target.
    pub fn refuses(&self, wait: Duration) -> bool {
        self.standing.load(Ordering::Relaxed) && wait > self.target
    }

    /// Whether the last interval judged the queue standing.
    pub fn is_standing(&self) -> bool {
        self.standing.load(Ordering::Relaxed)
    }

    /// Sets the queue's state as an interval would (tests of the pool).
    #[cfg(test)]
    pub(crate) fn force_standing(&self, standing: bool) {
        self.standing.store(standing, Ordering::Relaxed);
    }

    /// The target wait.
    pub fn target(&self) -> Duration {
        self.target
    }

    /// Adds `units` of work to the queue until the guard is dropped (when
    /// its job starts, or never runs).
    pub fn enqueue(self: &std::sync::Arc<Self>, units: u64) -> Queued {
        self.queued.fetch_add(units, Ordering::Relaxed);
        Queued { backlog: self.clone(), units, at: Instant::now() }
    }

    /// Records that a job started after waiting `waited`, closing the
    /// interval if it is over.
    fn started(&self, waited: Duration) {
        let waited = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        let now = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let start = self.interval_start.load(Ordering::Relaxed);
        let interval = u64::try_from(self.interval.as_nanos()).unwrap_or(u64::MAX);
        if now.saturating_sub(start) >= interval
            && self.interval_start.compare_exchange(start, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            // This job opens the next interval; the closed one's shortest
            // wait decides (a job racing here may land in either: harmless).
            let min = self.interval_min.swap(waited, Ordering::Relaxed);
            let target = u64::try_from(self.target.as_nanos()).unwrap_or(u64::MAX);
            self.standing.store(min != u64::MAX && min > target, Ordering::Relaxed);
        } else {
            self.interval_min.fetch_min(waited, Ordering::Relaxed);
        }
    }

    /// The queue emptied: it is not standing (as CoDel leaves its dropping
    /// state when the queue empties), and the interval under way has had a
    /// wait of zero. Without this, a queue judged standing just before the
    /// load stopped would refuse the first burst after a quiet spell.
    fn drained(&self) {
        self.standing.store(false, Ordering::Relaxed);
        self.interval_min.store(0, Ordering::Relaxed);
    }

    /// Folds one job's measured cost into the smoothed cost per unit.
    pub fn observe(&self, units: u64, took: Duration) {
        if units == 0 {
            return;
        }
        let old = self.cost.load(Ordering::Relaxed);
        // A job whose thread lost the core for a moment says little about the
        // cost of work: one sample moves the estimate up at most 1/8 of its
        // own value, so a stall cannot multiply it (a slower machine still
        // shows in a few dozen jobs).
        let sample = u64::try_from(took.as_nanos().saturating_mul(1024) / u128::from(units))
            .unwrap_or(u64::MAX)
            .min(old.saturating_mul(2));
        // Races between threads lose a sample at worst.
        let new = if sample >= old {
            old.saturating_add((sample - old) >> COST_SMOOTHING_SHIFT)
        } else {
            old - ((old - sample) >> COST_SMOOTHING_SHIFT)
        };
        // At least 1 ns per unit, so the estimate can always grow again.
        self.cost.store(new.max(1 << 10), Ordering::Relaxed);
    }
}

/// A job's units in the backlog, taken out when it starts or is dropped
/// unrun (its caller gave up or its deadline passed).
#[derive(Debug)]
pub struct Queued {
    backlog: std::sync::Arc<Backlog>,
    units: u64,
    at: Instant,
}

impl Queued {
    /// The job starts now: its units leave the queue and its wait is
    /// recorded. Returns what [`Backlog::observe`] needs afterwards.
    pub fn start(self) -> (std::sync::Arc<Backlog>, u64) {
        self.backlog.started(self.at.elapsed());
        (self.backlog.clone(), self.units)
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        let before = self.backlog.queued.fetch_sub(self.units, Ordering::Relaxed);
        if before == self.units {
            self.backlog.drained();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_stalled_job_moves_the_cost_estimate_a_little() {
        let b = Backlog::new(Duration::from_millis(5), INTERVAL);
        // 1,000 units in a second: a stall, capped at twice the estimate.
        b.observe(1000, Duration::from_secs(1));
        assert_eq!(b.cost.load(Ordering::Relaxed), INITIAL_UNIT_COST + INITIAL_UNIT_COST / 8);
        // Faster jobs bring it down.
        for _ in 0..200 {
            b.observe(1000, Duration::from_micros(10));
        }
        let ns_per_unit = b.cost.load(Ordering::Relaxed) as f64 / 1024.0;
        assert!((9.0..=11.0).contains(&ns_per_unit), "{ns_per_unit}");
        b.queued.store(1_000_000, Ordering::Relaxed);
        let ms = b.wait(2).as_secs_f64() * 1000.0;
        assert!((4.5..=5.5).contains(&ms), "a million units at 10 ns on two threads: {ms} ms");
    }

    #[test]
    fn only_a_standing_queue_refuses() {
        // Interval zero: each start closes the interval before it, which
        // held one job, so the decision follows the previous job's wait.
        let b = Arc::new(Backlog::new(Duration::from_millis(5), Duration::ZERO));
        let long = Duration::from_millis(50);
        assert!(!b.refuses(long), "no interval closed yet");
        b.started(Duration::from_millis(20));
        assert!(!b.refuses(long), "the interval closed empty");
        b.started(Duration::from_micros(100));
        assert!(b.refuses(long), "the closed interval's shortest wait, 20 ms, was over 5 ms");
        assert!(!b.refuses(Duration::from_millis(4)), "calls under the target are taken");
        b.started(Duration::ZERO);
        assert!(!b.refuses(long), "its shortest wait, 0.1 ms, was under the target: drained");
        // A queue that empties is not standing, whatever the last interval said.
        b.started(Duration::from_millis(20));
        b.started(Duration::from_millis(20));
        assert!(b.refuses(long));
        drop(b.enqueue(10));
        assert!(!b.refuses(long), "the queue emptied");
        b.started(Duration::from_millis(20));
        assert!(!b.refuses(long), "the interval under way had a zero wait");
        // The guard takes its units out whether the job starts or not.
        let q = b.enqueue(1000);
        assert!(b.wait(1) > Duration::ZERO);
        drop(q);
        assert_eq!(b.wait(1), Duration::ZERO);
        let q = b.enqueue(1000);
        let (_, units) = q.start();
        assert_eq!((units, b.wait(1)), (1000, Duration::ZERO));
    }

    #[test]
    fn the_shortest_wait_of_an_interval_decides() {
        let b = Backlog::new(Duration::from_millis(5), Duration::from_secs(3600));
        // A burst within one (long) interval: long waits, and one short one.
        b.started(Duration::from_millis(50));
        b.started(Duration::from_millis(1));
        b.started(Duration::from_millis(60));
        assert_eq!(b.interval_min.load(Ordering::Relaxed), 1_000_000);
        assert!(!b.refuses(Duration::from_secs(1)), "nothing decided within an interval");
        // Closing it: its shortest wait, 1 ms, is under the target.
        b.interval_start.store(0, Ordering::Relaxed);
        let b = Backlog { interval: Duration::ZERO, ..b };
        b.started(Duration::from_millis(70));
        assert!(!b.refuses(Duration::from_secs(1)), "a burst is not a standing queue");
    }
}
