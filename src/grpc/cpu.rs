//! Runs text analysis off the async worker threads, bounded — or, for small
//! articles when that loses no parallelism, on the worker itself.
//!
//! Analysis is CPU-bound; long jobs on tokio's workers would stall every
//! connection. Jobs go to the blocking pool, at most `threads` at a time; a
//! job whose deadline passed while it waited for a thread is not run.
//!
//! The hand-off costs two cross-thread wake-ups per call (worker → blocking
//! thread → worker), which on a news article is a large share of a call once
//! analysis itself takes ~100 µs. So when the async workers are at least as
//! many as the analysis threads (the hand-off buys no extra parallelism), a
//! job for an article of at most [`INLINE_MAX_BYTES`] runs on the worker that
//! received it, still under the same permit bound. Such a job takes well under
//! a millisecond, which keeps the executor responsive; longer articles still
//! go to the pool.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use tonic::Status;

/// Articles (body bytes) up to this size are analysed on the async worker
/// when inline running is on. Chosen from `bench/knobs.sh` (see
/// BENCHMARKS.md "Serving"): covers ~99 % of news articles.
pub const INLINE_MAX_BYTES: usize = 8 * 1024;

/// A bounded pool for CPU-heavy jobs.
#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    threads: usize,
    inline_max: usize,
}

impl CpuPool {
    /// A pool running at most `threads` jobs at once. Small jobs run inline
    /// (see the module docs) when called inside a tokio runtime with at
    /// least `threads` workers.
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let workers = tokio::runtime::Handle::try_current().map_or(0, |h| h.metrics().num_workers());
        let inline_max = if workers >= threads { INLINE_MAX_BYTES } else { 0 };
        Self { permits: Arc::new(Semaphore::new(threads)), threads, inline_max }
    }

    /// Sets the largest article (body bytes) run inline; 0 turns inline
    /// running off.
    #[must_use]
    pub fn with_inline_max(mut self, bytes: usize) -> Self {
        self.inline_max = bytes;
        self
    }

    /// [`CpuPool::with_inline_max`] when `bytes` is set; otherwise the
    /// automatic choice of [`CpuPool::new`] stays.
    #[must_use]
    pub fn with_inline_max_or_auto(self, bytes: Option<usize>) -> Self {
        match bytes {
            Some(b) => self.with_inline_max(b),
            None => self,
        }
    }

    /// Analysis threads (jobs running at once at most).
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Whether a job over `size` bytes of input would run on the calling
    /// worker.
    pub fn runs_inline(&self, size: usize) -> bool {
        size <= self.inline_max
    }

    /// Runs `job` once a permit is free, unless `deadline` passes first: on
    /// the calling task when `size` (the article's bytes) is small enough
    /// (see [`CpuPool::runs_inline`]), otherwise on the blocking pool.
    ///
    /// # Errors
    /// DEADLINE_EXCEEDED when the deadline passed before the job could start;
    /// UNAVAILABLE if the pool is closed; INTERNAL if the job panicked (it
    /// never should; the panic is logged).
    pub async fn run<T, F>(&self, deadline: Option<Instant>, size: usize, job: F) -> Result<T, Status>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let acquire = self.permits.clone().acquire_owned();
                match deadline {
                    Some(d) => match tokio::time::timeout_at(d.into(), acquire).await {
                        Ok(p) => p,
                        Err(_) => return Err(queued_too_long()),
                    },
                    None => acquire.await,
                }
                .map_err(|_| Status::unavailable("server is shutting down"))?
            }
        };
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(queued_too_long());
        }
        if self.runs_inline(size) {
            let out = std::panic::catch_unwind(AssertUnwindSafe(job));
            drop(permit);
            return out.map_err(|_| {
                tracing::error!("analysis job panicked");
                Status::internal("internal error")
            });
        }
        let handle = tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        });
        handle.await.map_err(|e| {
            tracing::error!(error = %e, "analysis job failed");
            Status::internal("internal error")
        })
    }
}

fn queued_too_long() -> Status {
    Status::deadline_exceeded("deadline passed while the request was queued")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn small_jobs_run_inline_large_ones_on_the_pool() {
        // A current-thread test runtime has one worker: a one-thread pool
        // runs small jobs inline.
        let pool = CpuPool::new(1);
        assert!(pool.runs_inline(100));
        assert!(!pool.runs_inline(INLINE_MAX_BYTES + 1));
        let here = std::thread::current().id();
        let inline = pool.run(None, 100, move || std::thread::current().id() == here).await;
        assert_eq!(inline.ok(), Some(true));
        let pooled = pool.run(None, INLINE_MAX_BYTES + 1, move || std::thread::current().id() == here).await;
        assert_eq!(pooled.ok(), Some(false));
    }

    #[tokio::test]
    async fn more_threads_than_workers_never_inline() {
        let pool = CpuPool::new(2);
        assert!(!pool.runs_inline(0));
        let off = CpuPool::new(1).with_inline_max(0);
        assert!(!off.runs_inline(1));
    }

    #[tokio::test]
    async fn an_inline_panic_is_internal() {
        let pool = CpuPool::new(1);
        let r: Result<(), Status> = pool.run(None, 1, || panic!("boom")).await;
        assert_eq!(r.err().map(|s| s.code()), Some(tonic::Code::Internal));
    }
}
