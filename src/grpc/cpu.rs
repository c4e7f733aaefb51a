//! Runs text analysis off the async worker threads, bounded.
//!
//! Analysis is CPU-bound; running it on tokio's workers would stall every
//! connection. Jobs go to the blocking pool, at most `threads` at a time; a
//! job whose deadline passed while it waited for a thread is not run.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use tonic::Status;

/// A bounded pool for CPU-heavy jobs.
#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
}

impl CpuPool {
    /// A pool running at most `threads` jobs at once.
    pub fn new(threads: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(threads.max(1))) }
    }

    /// Runs `job` on the blocking pool once a thread is free, unless
    /// `deadline` passes first.
    ///
    /// # Errors
    /// DEADLINE_EXCEEDED when the deadline passed before the job could start;
    /// UNAVAILABLE if the pool is closed; INTERNAL if the job panicked (it
    /// never should; the panic is logged).
    pub async fn run<T, F>(&self, deadline: Option<Instant>, job: F) -> Result<T, Status>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let acquire = self.permits.clone().acquire_owned();
        let permit = match deadline {
            Some(d) => match tokio::time::timeout_at(d.into(), acquire).await {
                Ok(p) => p,
                Err(_) => return Err(Status::deadline_exceeded("deadline passed while the request was queued")),
            },
            None => acquire.await,
        }
        .map_err(|_| Status::unavailable("server is shutting down"))?;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(Status::deadline_exceeded("deadline passed while the request was queued"));
        }
        // The job's spans and log lines belong to the calling request.
        let span = tracing::Span::current();
        let handle = tokio::task::spawn_blocking(move || {
            let out = span.in_scope(job);
            drop(permit);
            out
        });
        handle.await.map_err(|e| {
            tracing::error!(error = %e, "analysis job failed");
            Status::internal("internal error")
        })
    }
}
