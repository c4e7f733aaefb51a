//! Loads the taxonomies at start-up and reloads them while serving.
//!
//! A reload (on SIGHUP, or when a model file's modification time changes)
//! builds a whole new set first and swaps it in atomically only if every
//! file loaded: requests in flight keep the set they started with, and a bad
//! new file leaves the old models serving, with the reason logged.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::domain::classify::{self, ModelError};
use crate::domain::taxonomy::{Taxonomies, TaxonomySet};

/// How often model files are checked for changes.
pub const POLL: Duration = Duration::from_secs(5);

/// The built-in taxonomies plus `extra` model files.
///
/// # Errors
/// The first model that fails to load.
pub fn load(extra: &[(String, PathBuf)]) -> Result<TaxonomySet, ModelError> {
    classify::taxonomy_set(extra)
}

fn mtimes(extra: &[(String, PathBuf)]) -> Vec<Option<SystemTime>> {
    extra.iter().map(|(_, p)| crate::watch::modified(p)).collect()
}

/// Rebuilds the set and swaps it in; keeps the old one on failure.
pub fn reload(taxonomies: &Taxonomies, extra: &[(String, PathBuf)], why: &str) -> bool {
    match load(extra) {
        Ok(set) => {
            let names: Vec<String> = set.models.keys().cloned().collect();
            taxonomies.replace(set);
            tracing::info!(reason = why, ?names, "taxonomies reloaded");
            true
        }
        Err(e) => {
            tracing::error!(reason = why, error = %e, "taxonomy reload failed; the previous models keep serving");
            false
        }
    }
}

/// Watches for SIGHUP and for changed model files until the task is dropped.
pub async fn watch(taxonomies: Arc<Taxonomies>, extra: Vec<(String, PathBuf)>) {
    let stamp = || mtimes(&extra);
    crate::watch::on_change(POLL, "model file changed", stamp, |reason| {
        let t = taxonomies.clone();
        let e = extra.clone();
        // Decoding models is CPU work: keep it off the async workers.
        async move {
            let _ = tokio::task::spawn_blocking(move || reload(&t, &e, reason)).await;
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_file_keeps_the_old_models() {
        let dir = std::env::temp_dir().join(format!("precis-reload-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("custom.ptm");
        let Ok(set) = load(&[]) else { panic!("built-ins load") };
        let _ = std::fs::write(&path, crate::domain::classify::NEWS_MODEL);
        let taxonomies = Taxonomies::new(set);
        let extra = vec![("custom".to_string(), path.clone())];
        assert!(reload(&taxonomies, &extra, "test"));
        assert!(taxonomies.snapshot().models.contains_key("custom"));
        let _ = std::fs::write(&path, b"not a model");
        assert!(!reload(&taxonomies, &extra, "test"));
        assert!(taxonomies.snapshot().models.contains_key("custom"), "old set still serving");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
