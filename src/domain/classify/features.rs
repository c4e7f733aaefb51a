//! Text features for topic models: word unigrams (stop words left out) and
//! bigrams (stop words kept) of the pipeline's stemmed tokens, plus the
//! title's words in a namespace of their own, weighted by sublinear TF × IDF
//! and L2-normalised. These choices were made on cross-validated accuracy of
//! the training sets, never on test data.
//!
//! Features are 64-bit hashes built from [`Token::term`], so training and
//! serving see exactly the same features as long as both go through
//! `Pipeline::prepare`. A bigram never crosses a sentence boundary, nor the
//! boundary between the title and the body. The hash of a bigram is part of
//! the model file format (see [`bigram`]): changing it needs a new format
//! version.

use rustc_hash::FxHashMap;

use crate::domain::document::Document;
use crate::domain::tokenize::Token;

/// Hash of the bigram `(a, b)`: stable, order-sensitive, and disjoint in
/// practice from unigram hashes (a 64-bit mix of both terms).
pub fn bigram(a: u64, b: u64) -> u64 {
    let mut h = a.rotate_left(23) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 29) ^ 0x5bd1_e995_0000_0000
}

/// Salt that puts title words in a namespace of their own.
const TITLE_SALT: u64 = 0x7117_1e00_0000_0001;

/// Calls `f` with every feature hash of a run of tokens: each unigram that
/// is not a stop word, then each adjacent bigram (stop words included, so
/// that phrases such as "rate of interest" keep their shape).
fn run_features(tokens: &[Token], f: &mut impl FnMut(u64)) {
    let mut prev: Option<u64> = None;
    for t in tokens {
        if !t.stop {
            f(t.term);
        }
        if let Some(p) = prev {
            f(bigram(p, t.term));
        }
        prev = Some(t.term);
    }
}

/// Calls `f` with every feature occurrence of a document: every title word
/// once more in a title namespace (a headline word says more about
/// the topic than a body word), then the features of the title and of each
/// sentence. A feature that occurs twice is reported twice.
pub fn for_each_feature(doc: &Document<'_>, mut f: impl FnMut(u64)) {
    for t in &doc.title_tokens {
        f(t.term ^ TITLE_SALT);
    }
    run_features(&doc.title_tokens, &mut f);
    for i in 0..doc.sentence_token_ranges.len() {
        run_features(doc.sentence_tokens(i), &mut f);
    }
}

/// All feature occurrences of a document, in text order.
pub fn document_features(doc: &Document<'_>) -> Vec<u64> {
    let mut out = Vec::with_capacity(doc.tokens.len() * 2 + doc.title_tokens.len() * 2);
    for_each_feature(doc, |h| out.push(h));
    out
}

/// Sublinear term frequency: `1 + ln(tf)`.
pub fn sublinear_tf(tf: u32) -> f32 {
    if tf <= 1 {
        1.0
    } else {
        1.0 + (tf as f32).ln()
    }
}

/// Smoothed inverse document frequency: `ln((1 + n) / (1 + df)) + 1`.
pub fn idf(documents: usize, df: u32) -> f32 {
    ((1.0 + documents as f64) / (1.0 + f64::from(df))).ln() as f32 + 1.0
}

/// A sparse, L2-normalised feature vector: column indices ascending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    /// Column indices, strictly ascending.
    pub idx: Vec<u32>,
    /// Values, one per index.
    pub val: Vec<f32>,
}

/// Turns feature occurrences into a TF-IDF vector over a vocabulary.
///
/// `columns` receives the column of each known feature (unknown ones are
/// skipped); it is a scratch buffer the caller may reuse.
pub fn vectorize(
    features: impl IntoIterator<Item = u64>,
    index: &FxHashMap<u64, u32>,
    idf: &[f32],
    columns: &mut Vec<u32>,
    out: &mut SparseVec,
) {
    columns.clear();
    columns.extend(features.into_iter().filter_map(|h| index.get(&h).copied()));
    columns.sort_unstable();
    out.idx.clear();
    out.val.clear();
    let mut i = 0;
    while i < columns.len() {
        let c = columns[i];
        let mut j = i + 1;
        while j < columns.len() && columns[j] == c {
            j += 1;
        }
        let w = sublinear_tf((j - i) as u32) * idf.get(c as usize).copied().unwrap_or(1.0);
        out.idx.push(c);
        out.val.push(w);
        i = j;
    }
    let norm = out.val.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for v in &mut out.val {
            *v /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigram_is_order_sensitive() {
        assert_ne!(bigram(1, 2), bigram(2, 1));
        assert_ne!(bigram(7, 7), 7);
    }

    #[test]
    fn vectorize_counts_and_normalises() {
        let mut index = FxHashMap::default();
        index.insert(10u64, 0u32);
        index.insert(20u64, 1u32);
        let idf = [1.0, 2.0];
        let mut cols = Vec::new();
        let mut v = SparseVec::default();
        vectorize([20, 10, 99, 10], &index, &idf, &mut cols, &mut v);
        assert_eq!(v.idx, vec![0, 1]);
        let a = 1.0 + 2f32.ln();
        let b = 2.0;
        let n = (a * a + b * b).sqrt();
        assert!((v.val[0] - a / n).abs() < 1e-6);
        assert!((v.val[1] - b / n).abs() < 1e-6);
    }

    #[test]
    fn vectorize_empty() {
        let index = FxHashMap::default();
        let mut cols = Vec::new();
        let mut v = SparseVec::default();
        vectorize([1, 2], &index, &[], &mut cols, &mut v);
        assert!(v.idx.is_empty());
    }
}
