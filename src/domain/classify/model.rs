//! A trained linear topic model: a vocabulary of feature hashes with their
//! IDF, one sparse weight vector and bias per label, and the calibration
//! that turns decision values into probabilities.
//!
//! Weights are stored by feature (for each vocabulary column, the labels it
//! votes for), so scoring a document touches only the weights of the
//! features it contains.

use rustc_hash::FxHashMap;

use super::calibrate::{self, Platt};
use super::features::{self, SparseVec};
use crate::domain::document::Document;
use crate::domain::taxonomy::{ModelInfo, TopicModel};

/// How decision values become probabilities.
#[derive(Debug, Clone, PartialEq)]
pub enum Calibration {
    /// One label per document: `softmax(beta · s)`.
    Softmax {
        /// Inverse temperature.
        beta: f32,
    },
    /// Independent labels: `σ(a_k · s_k + b_k)` for each label `k`.
    Sigmoid(Vec<Platt>),
}

/// A linear model over sparse TF-IDF features of unigrams and bigrams.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub(crate) name: String,
    pub(crate) labels: Vec<String>,
    pub(crate) multi_label: bool,
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) calibration: Calibration,
    pub(crate) bias: Vec<f32>,
    /// Feature hashes of the vocabulary, strictly ascending.
    pub(crate) terms: Vec<u64>,
    pub(crate) idf: Vec<f32>,
    /// For column `c`, its weights are `offsets[c]..offsets[c + 1]`.
    pub(crate) offsets: Vec<u32>,
    /// Weights are stored as i16 multiples of this.
    pub(crate) weight_scale: f32,
    /// `(label, weight)` of each column's weights, the weight as its i16
    /// multiple of `weight_scale` (as in the file): four bytes a pair, side
    /// by side, so that scoring a feature reads one small place of memory.
    pub(crate) weights: Vec<(u16, i16)>,
    /// Feature hash → column (built from `terms`).
    pub(crate) index: FxHashMap<u64, u32>,
    /// Filled when the model is encoded or decoded.
    pub(crate) info: ModelInfo,
}

impl LinearModel {
    /// The model's name (the taxonomy it was trained as).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The labels, in output order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Whether labels are independent (several may apply).
    pub fn multi_label(&self) -> bool {
        self.multi_label
    }

    /// Training metadata, in insertion order.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// Number of vocabulary features.
    pub fn vocabulary_len(&self) -> usize {
        self.terms.len()
    }

    /// The TF-IDF vector of a document over this model's vocabulary.
    pub fn vectorize(&self, doc: &Document<'_>) -> SparseVec {
        let mut cols = Vec::with_capacity(doc.tokens.len() * 2);
        let mut v = SparseVec::default();
        let mut feats = Vec::with_capacity(doc.tokens.len() * 2);
        features::for_each_feature(doc, |h| feats.push(h));
        features::vectorize(feats, &self.index, &self.idf, &mut cols, &mut v);
        v
    }

    /// Decision values (one per label) of a feature vector.
    pub fn decision_values(&self, v: &SparseVec) -> Vec<f32> {
        let mut s = self.bias.clone();
        for (&c, &x) in v.idx.iter().zip(&v.val) {
            let c = c as usize;
            let (Some(&from), Some(&to)) = (self.offsets.get(c), self.offsets.get(c + 1)) else {
                continue;
            };
            let range = from as usize..to as usize;
            let Some(weights) = self.weights.get(range) else {
                continue;
            };
            for &(l, q) in weights {
                if let Some(sl) = s.get_mut(usize::from(l)) {
                    *sl += self.weight(q) * x;
                }
            }
        }
        s
    }

    /// A stored weight's value: the same `f32` that training ended with
    /// (training quantizes its weights to these steps before it stops).
    pub(crate) fn weight(&self, q: i16) -> f32 {
        f32::from(q) * self.weight_scale
    }

    /// Calibrated probabilities of decision values.
    pub fn probabilities(&self, scores: &[f32]) -> Vec<f32> {
        match &self.calibration {
            Calibration::Softmax { beta } => {
                let mut out = Vec::with_capacity(scores.len());
                calibrate::softmax(scores, *beta, &mut out);
                out
            }
            Calibration::Sigmoid(platt) => scores.iter().zip(platt).map(|(&s, p)| p.apply(s)).collect(),
        }
    }

    /// Calibrated probability of each label for a feature vector.
    pub fn predict_vector(&self, v: &SparseVec) -> Vec<f32> {
        self.probabilities(&self.decision_values(v))
    }
}

impl TopicModel for LinearModel {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn predict(&self, doc: &Document<'_>) -> Vec<f32> {
        self.predict_vector(&self.vectorize(doc))
    }
}
