//! Topic taxonomies: named classifiers, swapped atomically on reload.
//!
//! A [`TopicModel`] turns a prepared document into one calibrated probability
//! per label. [`Taxonomies`] holds the loaded models behind an `ArcSwap`, so a
//! reload replaces the whole set at once while requests in flight keep the
//! set they started with.

use std::collections::BTreeMap;
use std::sync::Arc;

use arc_swap::ArcSwap;

use super::document::Document;

/// Facts about a model, shown by `ListTaxonomies`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelInfo {
    /// The labels, in the model's order.
    pub labels: Vec<String>,
    /// Model version (format version and content checksum).
    pub version: String,
    /// Whether several labels can apply at once.
    pub multi_label: bool,
    /// Training metadata (documents, date, source, metrics).
    pub metadata: BTreeMap<String, String>,
}

/// A trained topic classifier.
pub trait TopicModel: Send + Sync + std::fmt::Debug {
    /// What the model is.
    fn info(&self) -> &ModelInfo;
    /// Calibrated probability of each label (same order as `info().labels`).
    fn predict(&self, doc: &Document<'_>) -> Vec<f32>;
}

/// The set of loaded taxonomies.
#[derive(Debug, Clone, Default)]
pub struct TaxonomySet {
    /// Models by name.
    pub models: BTreeMap<String, Arc<dyn TopicModel>>,
    /// The taxonomy used when a request names none.
    pub default: Option<String>,
}

/// Shared, atomically replaceable taxonomies.
#[derive(Debug, Default)]
pub struct Taxonomies {
    current: ArcSwap<TaxonomySet>,
}

impl Taxonomies {
    /// Taxonomies holding `set`.
    pub fn new(set: TaxonomySet) -> Self {
        Self { current: ArcSwap::from_pointee(set) }
    }

    /// The current set (a cheap snapshot that stays valid across reloads).
    pub fn snapshot(&self) -> Arc<TaxonomySet> {
        self.current.load_full()
    }

    /// Replaces the whole set atomically.
    pub fn replace(&self, set: TaxonomySet) {
        self.current.store(Arc::new(set));
    }
}

/// A topic assigned to an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The taxonomy's name.
    pub taxonomy: String,
    /// The label.
    pub label: String,
    /// Calibrated probability.
    pub score: f32,
}
