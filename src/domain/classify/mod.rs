//! Topic classification: calibrated linear models over the pipeline's
//! tokens.
//!
//! A document's features are the unigrams and bigrams of its stemmed tokens
//! (title and sentences, never across a sentence), weighted by sublinear
//! TF × IDF and L2-normalised ([`features`]). One linear SVM per label
//! ([`svm`], one-vs-rest) scores them; the decision values become
//! probabilities through a calibration fitted on out-of-fold scores of the
//! training data ([`calibrate`]): a softmax temperature when each document
//! has one label, per-label Platt scaling when it may have several.
//! [`train`] builds a model from features; [`format`] reads and writes the
//! versioned, checksummed model file; [`metrics`] scores a test set.
//!
//! Features come from `Pipeline::prepare`, for training and serving alike,
//! so both see exactly the same features.

pub mod calibrate;
pub mod features;
pub mod format;
pub mod metrics;
pub mod model;
pub mod svm;
pub mod train;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::domain::taxonomy::{TaxonomySet, TopicModel};

pub use format::ModelError;
pub use metrics::{evaluate, Metrics};
pub use model::LinearModel;
pub use train::{train, Progress, TrainError, TrainOptions, TrainSet};

/// Reads a model from the bytes of a model file.
///
/// # Errors
/// A [`ModelError`] for a file that is truncated, corrupt, of another
/// format version, or not a model at all.
pub fn load(bytes: &[u8]) -> Result<LinearModel, ModelError> {
    format::decode(bytes)
}

/// Reads a model file.
///
/// # Errors
/// [`ModelError::Io`] when the file cannot be read, else as [`load`].
pub fn load_path(path: &Path) -> Result<LinearModel, ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io { path: path.display().to_string(), source })?;
    load(&bytes)
}

impl LinearModel {
    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::encode(self)
    }

    /// Adds (or replaces) a metadata entry and refreshes the model's info.
    pub fn set_metadata(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.metadata.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.metadata.push((key.to_owned(), value)),
        }
        let bytes = format::encode(self);
        self.info = format::info_of(self, format::checksum_of(&bytes).unwrap_or(0));
    }
}

/// The built-in `news` taxonomy (AG News + BBC topics), embedded.
pub const NEWS_MODEL: &[u8] = include_bytes!("../../../models/news.ptm");
/// The built-in `reuters` taxonomy (Reuters-21578 topics, multi-label),
/// embedded.
pub const REUTERS_MODEL: &[u8] = include_bytes!("../../../models/reuters.ptm");
/// The taxonomy used when a request names none.
pub const DEFAULT_TAXONOMY: &str = "news";

/// The built-in taxonomies: `news` (the default) and `reuters`.
///
/// # Errors
/// A [`ModelError`] if an embedded model does not decode (a build defect;
/// the tests decode both).
pub fn builtin_taxonomies() -> Result<TaxonomySet, ModelError> {
    taxonomy_set(&[])
}

/// The built-in taxonomies plus the model files `extra` (`(name, path)`),
/// which add taxonomies or replace built-in ones of the same name. The
/// default stays `news`. Meant for start-up and for reloads: build the new
/// set, then swap it in with [`Taxonomies::replace`](crate::domain::taxonomy::Taxonomies::replace)
/// only if this succeeded.
///
/// # Errors
/// The first [`ModelError`] met (unreadable, corrupt or foreign file).
pub fn taxonomy_set(extra: &[(String, PathBuf)]) -> Result<TaxonomySet, ModelError> {
    let mut models: BTreeMap<String, Arc<dyn TopicModel>> = BTreeMap::new();
    models.insert("news".to_owned(), Arc::new(load(NEWS_MODEL)?));
    models.insert("reuters".to_owned(), Arc::new(load(REUTERS_MODEL)?));
    for (name, path) in extra {
        models.insert(name.clone(), Arc::new(load_path(path)?));
    }
    Ok(TaxonomySet { models, default: Some(DEFAULT_TAXONOMY.to_owned()) })
}
#[cfg(test)]
mod tests;
