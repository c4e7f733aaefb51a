//! Runs text analysis off the async worker threads, bounded.
//!
//! Analysis is CPU-bound; running it on tokio's workers would stall every
//! connection. Jobs go to a fixed set of `threads` analysis threads, at most
//! `threads` at a time; a job whose deadline passed while it waited for a
//! thread is not run.
//!
//! Why our own threads rather than tokio's blocking pool: a blocking-pool
//! thread returns to its idle list only after the job's permit is released,
//! so the next job often finds no idle thread and a new one is started (up to
//! the pool's maximum). Each new thread gets its own malloc arena, and the
//! resident set grew with them (73 MB peak with `--cpu-threads 1` and five
//! blocking threads, see BENCHMARKS.md "Serving"). A fixed set keeps one
//! arena per analysis thread.
//!
//! Small jobs can run inline, on the async worker that received the call
//! (`inline_max_bytes`, in units of work: article bytes weighted by what is
//! asked; on by default only where workers are at least as many as analysis
//! threads). A hand-off costs two thread wake-ups and two context
//! switches (worker → analysis thread → worker), which on a busy core is as
//! much as analysing a short article; and a short article queued behind a
//! long one waits for all of it. Run inline, a short article costs no
//! hand-off and shares the core with a long one being analysed on the pool
//! instead of waiting for it. Inline jobs take no pool permit: at most one
//! runs per worker thread, so they are bounded by `worker_threads`. Long
//! jobs still go to the pool, so a worker is never held for long.
//!
//! Admission by queued work (`max_queue_delay`, see [`backlog`](super::backlog)):
//! once the queue for the threads is standing rather than a passing burst,
//! a unary call whose estimated wait is over the target is refused at once
//! with RESOURCE_EXHAUSTED. A stream's articles are never refused this way:
//! a stream already waits for its own articles, `stream_concurrency` at a
//! time.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, Semaphore};
use tonic::Status;

use super::backlog::{Backlog, INTERVAL};

/// A job for an analysis thread.
type Task = Box<dyn FnOnce() + Send>;

/// A bounded pool for CPU-heavy jobs.
#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    /// Jobs for the analysis threads; they stop when the last clone of the
    /// pool is dropped.
    jobs: mpsc::Sender<Task>,
    /// Jobs of at most this much work (article bytes weighted by what is
    /// asked of them) run on the calling worker; 0: none.
    inline_max_bytes: usize,
    /// Analysis threads (at least one).
    threads: u64,
    /// Work waiting for the threads, with the target wait; `None`: no
    /// admission by queued work.
    backlog: Option<Arc<Backlog>>,
}

/// Whether a job may be refused for the queued work ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// A unary call: refused when the queue is standing and its estimated
    /// wait is over `max_queue_delay`.
    Bounded,
    /// An article of a stream: always queued (the stream paces itself).
    Always,
}

impl CpuPool {
    /// A pool of `threads` analysis threads (at least one); jobs of at most
    /// `inline_max_bytes` of work run on the calling thread instead (0: none).
    ///
    /// If the operating system refuses to start a thread, the pool runs with
    /// the threads it got (logged); with none, every call fails with
    /// UNAVAILABLE.
    pub fn new(threads: usize, inline_max_bytes: usize) -> Self {
        Self::with_queue_bound(threads, inline_max_bytes, None)
    }

    /// As [`CpuPool::new`], refusing unary jobs ([`Admit::Bounded`]) whose
    /// estimated wait is over `max_queue_delay` while the queue is standing
    /// (`None`: never).
    pub fn with_queue_bound(threads: usize, inline_max_bytes: usize, max_queue_delay: Option<Duration>) -> Self {
        let threads = threads.max(1);
        let (jobs, queue) = mpsc::channel::<Task>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            let started = std::thread::Builder::new().name(format!("precis-cpu-{i}")).spawn(move || loop {
                // Only one idle thread waits on the queue at a time; the
                // permits keep the queue at most `threads` long.
                let next = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                match next {
                    Ok(task) => task(),
                    Err(_) => return,
                }
            });
            if let Err(e) = started {
                tracing::error!(error = %e, "cannot start an analysis thread");
            }
        }
        Self {
            permits: Arc::new(Semaphore::new(threads)),
            jobs,
            inline_max_bytes,
            threads: threads as u64,
            backlog: max_queue_delay.map(|target| Arc::new(Backlog::new(target, INTERVAL))),
        }
    }

    /// The estimated time the work now waiting for a thread keeps the pool
    /// busy (jobs already running not counted; zero without a bound).
    pub fn queued_for(&self) -> Duration {
        self.backlog.as_ref().map_or(Duration::ZERO, |b| b.wait(self.threads))
    }

    /// Runs `job`, of `size` units of work: on the calling thread when
    /// `size` is at most the pool's `inline_max_bytes`, otherwise on an
    /// analysis thread once one is free, unless `deadline` passes first.
    ///
    /// # Errors
    /// RESOURCE_EXHAUSTED for an [`Admit::Bounded`] job when the queue is
    /// standing and the work ahead of it is estimated to take longer than
    /// `max_queue_delay`;
    /// DEADLINE_EXCEEDED when the deadline passed before the job could start;
    /// UNAVAILABLE if the pool is closed; INTERNAL if the job panicked (it
    /// never should; the panic is logged).
    pub async fn run<T, F>(&self, deadline: Option<Instant>, size: usize, admit: Admit, job: F) -> Result<T, Status>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        if size <= self.inline_max_bytes {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(queued_too_long());
            }
            return std::panic::catch_unwind(AssertUnwindSafe(job)).map_err(|_| panicked());
        }
        let queued = match &self.backlog {
            Some(b) => {
                // With a thread free the job starts at once, whatever is queued.
                if admit == Admit::Bounded && self.permits.available_permits() == 0 {
                    let wait = b.wait(self.threads);
                    if b.refuses(wait) {
                        crate::metrics::record_shed("queue");
                        return Err(Status::resource_exhausted(format!(
                            "server is overloaded: its queue has stood over its max_queue_delay of {} ms for {} ms, and about {} ms of analysis is queued; retry with backoff",
                            b.target().as_millis(),
                            INTERVAL.as_millis(),
                            wait.as_millis()
                        )));
                    }
                }
                Some(b.enqueue(size as u64))
            }
            None => None,
        };
        let acquire = self.permits.clone().acquire_owned();
        let permit = match deadline {
            Some(d) => match tokio::time::timeout_at(d.into(), acquire).await {
                Ok(p) => p,
                Err(_) => return Err(queued_too_long()),
            },
            None => acquire.await,
        }
        .map_err(|_| Status::unavailable("server is shutting down"))?;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(queued_too_long());
        }
        let (tx, rx) = oneshot::channel();
        // The job's spans and log lines belong to the calling request.
        let span = tracing::Span::current();
        let threads = self.threads;
        let task: Task = Box::new(move || {
            let started = queued.map(|q| q.start());
            if let Some((backlog, _)) = &started {
                crate::metrics::record_queue(backlog.wait(threads), backlog.is_standing());
            }
            let t0 = Instant::now();
            let out = std::panic::catch_unwind(AssertUnwindSafe(|| span.in_scope(job)));
            if let Some((backlog, units)) = started {
                backlog.observe(units, t0.elapsed());
            }
            drop(permit);
            let _ = tx.send(out);
        });
        self.jobs.send(task).map_err(|_| Status::unavailable("server is shutting down"))?;
        match rx.await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(_)) => Err(panicked()),
            // The thread went away without answering (it cannot, short of
            // a panic outside the job).
            Err(_) => Err(Status::unavailable("server is shutting down")),
        }
    }
}

/// The status of a call whose deadline passed before its job could start.
fn queued_too_long() -> Status {
    Status::deadline_exceeded("deadline passed while the request was queued")
}

/// The status of a call whose job panicked (logged: it never should).
fn panicked() -> Status {
    tracing::error!("analysis job panicked");
    Status::internal("internal error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_analysis_threads() {
        let pool = CpuPool::new(2, 0);
        let name = pool.run(None, 1, Admit::Always, || std::thread::current().name().map(str::to_string)).await;
        assert!(name.ok().flatten().is_some_and(|n| n.starts_with("precis-cpu-")));
    }

    #[tokio::test]
    async fn a_panicking_job_is_internal_and_the_pool_keeps_working() {
        let pool = CpuPool::new(1, 0);
        let r: Result<(), Status> = pool.run(None, 1, Admit::Always, || panic!("boom")).await;
        assert_eq!(r.err().map(|s| s.code()), Some(tonic::Code::Internal));
        assert_eq!(pool.run(None, 1, Admit::Always, || 7).await.ok(), Some(7));
    }

    #[tokio::test]
    async fn a_passed_deadline_is_not_run() {
        let pool = CpuPool::new(1, 0);
        let past = Instant::now();
        let r = pool.run(Some(past), 1, Admit::Always, || ()).await;
        assert_eq!(r.err().map(|s| s.code()), Some(tonic::Code::DeadlineExceeded));
    }

    #[tokio::test]
    async fn small_jobs_run_inline_and_large_ones_on_the_pool() {
        let pool = CpuPool::new(1, 100);
        let here = std::thread::current().id();
        assert_eq!(
            pool.run(None, 100, Admit::Always, move || std::thread::current().id() == here).await.ok(),
            Some(true)
        );
        assert_eq!(
            pool.run(None, 101, Admit::Always, move || std::thread::current().id() == here).await.ok(),
            Some(false)
        );
        let r: Result<(), Status> = pool.run(None, 1, Admit::Always, || panic!("boom")).await;
        assert_eq!(r.err().map(|s| s.code()), Some(tonic::Code::Internal));
        let r = pool.run(Some(Instant::now()), 1, Admit::Always, || ()).await;
        assert_eq!(r.err().map(|s| s.code()), Some(tonic::Code::DeadlineExceeded));
    }

    #[tokio::test]
    async fn unary_jobs_are_refused_only_behind_a_standing_queue() {
        let pool = CpuPool::with_queue_bound(1, 0, Some(Duration::from_millis(1)));
        let (release, blocked) = mpsc::channel::<()>();
        let (started, running) = oneshot::channel::<()>();
        let p = pool.clone();
        let first = tokio::spawn(async move {
            p.run(None, 1, Admit::Always, move || {
                let _ = started.send(());
                let _ = blocked.recv();
            })
            .await
        });
        assert!(running.await.is_ok(), "the first job runs");
        // The only thread is busy but nothing waits.
        assert_eq!(pool.queued_for(), Duration::ZERO);
        // A stream's article of a lot of work waits for the thread.
        let p = pool.clone();
        let queued = tokio::spawn(async move { p.run(None, 1_000_000_000, Admit::Always, || 1).await });
        for _ in 0..1000 {
            if !pool.queued_for().is_zero() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(pool.queued_for() > Duration::from_secs(1), "{:?}", pool.queued_for());
        // A burst (no standing queue): the unary call queues too.
        let p = pool.clone();
        let burst = tokio::spawn(async move { p.run(None, 1, Admit::Bounded, || 2).await });
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(!burst.is_finished(), "queued, not refused");
        // A standing queue: a unary call is refused at once, a stream's is not.
        assert!(pool.backlog.is_some(), "a pool with a queue bound has a backlog");
        if let Some(b) = &pool.backlog {
            b.force_standing(true);
        }
        let r = tokio::time::timeout(Duration::from_secs(5), pool.run(None, 1, Admit::Bounded, || 3)).await;
        let refused = r.ok().and_then(Result::err);
        assert_eq!(refused.as_ref().map(Status::code), Some(tonic::Code::ResourceExhausted));
        assert!(refused.is_some_and(|s| s.message().contains("max_queue_delay of 1 ms")));
        let p = pool.clone();
        let streamed = tokio::spawn(async move { p.run(None, 1, Admit::Always, || 4).await });
        let _ = release.send(());
        assert!(matches!(first.await, Ok(Ok(()))));
        assert_eq!(queued.await.ok().and_then(Result::ok), Some(1));
        assert_eq!(burst.await.ok().and_then(Result::ok), Some(2));
        assert_eq!(streamed.await.ok().and_then(Result::ok), Some(4));
        // Nothing queued: taken even while the queue counts as standing.
        assert_eq!(pool.queued_for(), Duration::ZERO);
        assert_eq!(pool.run(None, 1, Admit::Bounded, || 5).await.ok(), Some(5));
    }
}
