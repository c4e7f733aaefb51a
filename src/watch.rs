//! Following files that change while serving: auth tokens, TLS certificates
//! and taxonomy models are all re-read on SIGHUP and when a file's
//! modification time changes (a poll, so it works on every filesystem and
//! with Kubernetes' symlink-swapped Secret and ConfigMap volumes).

use std::future::Future;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The modification time of `path`, if it can be read.
#[must_use]
pub fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Calls `reload(reason)` on SIGHUP (`"SIGHUP"`) and whenever `stamp()`
/// differs from the value after the last load (`changed`), checking every
/// `every`; runs until the task is dropped or aborted.
pub async fn on_change<S, F, Fut>(every: Duration, changed: &'static str, mut stamp: impl FnMut() -> S, mut reload: F)
where
    S: PartialEq,
    F: FnMut(&'static str) -> Fut,
    Fut: Future<Output = ()>,
{
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut seen = stamp();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        #[cfg(unix)]
        let hup_recv = async {
            match hup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let hup_recv = std::future::pending::<()>();
        let reason = tokio::select! {
            _ = hup_recv => "SIGHUP",
            _ = tick.tick() => {
                if stamp() == seen {
                    continue;
                }
                changed
            }
        };
        reload(reason).await;
        seen = stamp();
    }
}
