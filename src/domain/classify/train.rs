//! Training: vocabulary, TF-IDF vectors, one-vs-rest linear SVMs, and
//! calibration fitted on out-of-fold decision values.
//!
//! 1. The vocabulary keeps every feature seen in at least `min_df`
//!    documents; IDF is smoothed.
//! 2. The documents are split into `folds` stratified folds (seeded). For
//!    each fold, one SVM per label is trained on the other folds and scores
//!    the held-out documents, so every training document gets decision
//!    values from a model that never saw it.
//! 3. The calibration (temperature or per-label Platt, see
//!    [`super::calibrate`]) is fitted on those out-of-fold values.
//! 4. The final SVMs are trained on all documents.
//!
//! Labels are trained in parallel over `threads`; each label's result
//! depends only on the data and the seed, so the model is the same whatever
//! the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::calibrate::{self, Platt};
use super::features::{self, SparseVec};
use super::format;
use super::model::{Calibration, LinearModel};
use super::svm::{self, Rows, SplitMix, SvmParams};

/// Training settings. The defaults are what the built-in models use; they
/// are not tuned per data set.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// The SVM solver's settings.
    pub svm: SvmParams,
    /// Folds for the out-of-fold calibration scores (at least 2).
    pub folds: usize,
    /// A feature must occur in this many training documents.
    pub min_df: u32,
    /// Seed of every random choice (fold split, solver order).
    pub seed: u64,
    /// Worker threads (0: one per available core).
    pub threads: usize,
    /// Most weights kept in the model (the largest in magnitude), which
    /// bounds the model file to about 4 bytes per weight plus 16 per
    /// vocabulary feature.
    pub max_weights: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { svm: SvmParams::default(), folds: 5, min_df: 2, seed: 0x5EED, threads: 0, max_weights: 1_500_000 }
    }
}

/// Documents to train on: their features and labels.
#[derive(Debug, Clone, Default)]
pub struct TrainSet {
    /// The label names; documents refer to them by index.
    pub labels: Vec<String>,
    /// Whether documents may carry several labels.
    pub multi_label: bool,
    /// Feature occurrences of each document (see
    /// [`features::document_features`]).
    pub features: Vec<Vec<u64>>,
    /// Label indices of each document (exactly one unless multi-label).
    pub gold: Vec<Vec<u32>>,
}

/// Why a model could not be trained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainError {
    /// There are no documents.
    #[error("no training documents")]
    NoDocuments,
    /// Fewer than two labels, or more than the format holds.
    #[error("{0} labels: need between 2 and 65535")]
    LabelCount(usize),
    /// A document has no label, several in a single-label set, or an
    /// unknown label index.
    #[error("document {0} has an invalid label list")]
    BadLabels(usize),
    /// Features and labels are not of the same length.
    #[error("{features} feature lists for {gold} label lists")]
    Mismatch {
        /// Feature lists.
        features: usize,
        /// Label lists.
        gold: usize,
    },
}

/// Receives training progress (from several threads).
pub trait Progress: Sync {
    /// A stage starts with `total` steps.
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps are done.
    fn advance(&self, n: u64);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// One trained label: sparse weights, bias, and the decision values of the
/// documents it was asked to score.
struct LabelFit {
    weights: Vec<(u32, f32)>,
    bias: f32,
    scores: Vec<f32>,
}

/// The vocabulary and TF-IDF rows of a training set.
struct Vectors {
    terms: Vec<u64>,
    idf: Vec<f32>,
    rows: Rows,
}

fn vectorize_all(set: &TrainSet, min_df: u32) -> Vectors {
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    let mut seen = Vec::new();
    for doc in &set.features {
        seen.clear();
        seen.extend_from_slice(doc);
        seen.sort_unstable();
        seen.dedup();
        for &h in &seen {
            *df.entry(h).or_insert(0) += 1;
        }
    }
    let mut terms: Vec<u64> = df.iter().filter(|(_, &d)| d >= min_df.max(1)).map(|(&h, _)| h).collect();
    terms.sort_unstable();
    let n = set.features.len();
    let idf: Vec<f32> = terms.iter().map(|h| features::idf(n, df.get(h).copied().unwrap_or(0))).collect();
    let index: FxHashMap<u64, u32> = terms.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    let mut rows = Rows::new();
    let mut cols = Vec::new();
    let mut v = SparseVec::default();
    for doc in &set.features {
        features::vectorize(doc.iter().copied(), &index, &idf, &mut cols, &mut v);
        rows.push(&v.idx, &v.val);
    }
    Vectors { terms, idf, rows }
}

/// Stratified fold of each document: shuffled, then dealt round-robin in
/// order of first label.
fn assign_folds(set: &TrainSet, folds: usize, seed: u64) -> Vec<usize> {
    let n = set.gold.len();
    let mut order: Vec<usize> = (0..n).collect();
    SplitMix::new(seed).shuffle(&mut order);
    order.sort_by_key(|&i| set.gold.get(i).and_then(|g| g.first()).copied().unwrap_or(u32::MAX));
    let mut fold = vec![0; n];
    for (j, &i) in order.iter().enumerate() {
        if let Some(f) = fold.get_mut(i) {
            *f = j % folds;
        }
    }
    fold
}

/// Trains every label on `subset` and scores `score_rows`, in parallel.
#[allow(clippy::too_many_arguments)]
fn fit_labels(
    rows: &Rows,
    targets: &[Vec<bool>],
    subset: &[usize],
    score_rows: &[usize],
    dim: usize,
    opts: &TrainOptions,
    seed: u64,
    progress: &dyn Progress,
) -> Vec<LabelFit> {
    let k = targets.len();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, LabelFit)>> = Mutex::new(Vec::with_capacity(k));
    let threads =
        if opts.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { opts.threads }
            .clamp(1, k.max(1));
    let work = || loop {
        let label = next.fetch_add(1, Ordering::Relaxed);
        let Some(y) = targets.get(label) else {
            break;
        };
        let s = seed ^ (label as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (w, bias) = svm::train_binary(rows, subset, y, dim, &opts.svm, s);
        let scores = score_rows
            .iter()
            .map(|&i| {
                let (idx, val) = rows.row(i);
                svm::decision(&w, bias, idx, val)
            })
            .collect();
        let weights = w.iter().enumerate().filter(|(_, &x)| x != 0.0).map(|(c, &x)| (c as u32, x)).collect();
        if let Ok(mut r) = results.lock() {
            r.push((label, LabelFit { weights, bias, scores }));
        }
        progress.advance(1);
    };
    std::thread::scope(|sc| {
        for _ in 1..threads {
            sc.spawn(work);
        }
        work();
    });
    let mut r = results.into_inner().unwrap_or_default();
    r.sort_by_key(|(l, _)| *l);
    r.into_iter().map(|(_, f)| f).collect()
}

/// Keeps the `budget` weights of largest magnitude and rounds every weight
/// to a multiple of the returned scale (the stored precision).
fn prune_and_quantize(fits: &mut [LabelFit], budget: usize) -> f32 {
    let total: usize = fits.iter().map(|f| f.weights.len()).sum();
    if total > budget {
        let mut mags: Vec<f32> = fits.iter().flat_map(|f| f.weights.iter().map(|&(_, w)| w.abs())).collect();
        let cut = total - budget;
        let (_, &mut tau, _) = mags.select_nth_unstable_by(cut, f32::total_cmp);
        for f in fits.iter_mut() {
            f.weights.retain(|&(_, w)| w.abs() > tau);
        }
    }
    let all: Vec<f32> = fits.iter().flat_map(|f| f.weights.iter().map(|&(_, w)| w)).collect();
    let scale = format::scale_for(&all);
    for f in fits.iter_mut() {
        for (_, w) in f.weights.iter_mut() {
            *w = f32::from(format::quantize(*w, scale)) * scale;
        }
        f.weights.retain(|&(_, w)| w != 0.0);
    }
    scale
}

/// Cross-validated quality from out-of-fold decision values: accuracy of
/// the best label (one label per document) or micro-F1 of positive decision
/// values (several labels).
fn cv_score(oof: &[f32], k: usize, gold: &[Vec<u32>], multi_label: bool) -> f64 {
    let (mut tp, mut fp, mut fn_, mut hits) = (0usize, 0usize, 0usize, 0usize);
    for (row, g) in oof.chunks_exact(k).zip(gold) {
        if multi_label {
            for (l, &s) in row.iter().enumerate() {
                match (s > 0.0, g.contains(&(l as u32))) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
        } else {
            let best =
                row.iter().enumerate().fold((0, f32::NEG_INFINITY), |a, (i, &s)| if s > a.1 { (i, s) } else { a });
            hits += usize::from(g.first() == Some(&(best.0 as u32)));
        }
    }
    if multi_label {
        2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64
    } else {
        hits as f64 / gold.len().max(1) as f64
    }
}

/// Strength of the prior that pulls each label's Platt fit towards the
/// pooled fit (in units of documents).
const PLATT_PRIOR: f64 = 5.0;

/// Trains a calibrated model.
///
/// # Errors
/// [`TrainError`] when the set is empty, has fewer than two labels, or a
/// document's labels are invalid.
pub fn train(
    set: &TrainSet,
    name: &str,
    metadata: Vec<(String, String)>,
    opts: &TrainOptions,
    progress: &dyn Progress,
) -> Result<LinearModel, TrainError> {
    let n = set.features.len();
    let k = set.labels.len();
    if n == 0 {
        return Err(TrainError::NoDocuments);
    }
    if set.gold.len() != n {
        return Err(TrainError::Mismatch { features: n, gold: set.gold.len() });
    }
    if !(2..=usize::from(u16::MAX)).contains(&k) {
        return Err(TrainError::LabelCount(k));
    }
    for (i, g) in set.gold.iter().enumerate() {
        let bad_count = if set.multi_label { false } else { g.len() != 1 };
        if bad_count || g.iter().any(|&l| l as usize >= k) {
            return Err(TrainError::BadLabels(i));
        }
    }
    progress.stage("vocabulary", 1);
    let vectors = vectorize_all(set, opts.min_df);
    progress.advance(1);
    let dim = vectors.terms.len();
    let targets: Vec<Vec<bool>> = (0..k as u32).map(|l| set.gold.iter().map(|g| g.contains(&l)).collect()).collect();

    let folds = opts.folds.max(2).min(n.max(2));
    let fold = assign_folds(set, folds, opts.seed);
    let mut oof = vec![0f32; n * k];
    progress.stage("calibration folds", (folds * k) as u64);
    for f in 0..folds {
        let train_rows: Vec<usize> = (0..n).filter(|&i| fold.get(i) != Some(&f)).collect();
        let held: Vec<usize> = (0..n).filter(|&i| fold.get(i) == Some(&f)).collect();
        let fits =
            fit_labels(&vectors.rows, &targets, &train_rows, &held, dim, opts, opts.seed ^ (f as u64 + 1), progress);
        for (l, fit) in fits.iter().enumerate() {
            for (&i, &s) in held.iter().zip(&fit.scores) {
                if let Some(slot) = oof.get_mut(i * k + l) {
                    *slot = s;
                }
            }
        }
    }
    let cv = cv_score(&oof, k, &set.gold, set.multi_label);
    let calibration = if set.multi_label {
        let all_y: Vec<bool> = (0..n).flat_map(|i| (0..k).map(move |l| (i, l))).map(|(i, l)| targets[l][i]).collect();
        let pooled = calibrate::fit_platt(&oof, &all_y, Platt { a: 1.0, b: 0.0 }, 1e-3);
        let platt = (0..k)
            .map(|l| {
                let s: Vec<f32> = (0..n).map(|i| oof[i * k + l]).collect();
                calibrate::fit_platt(&s, &targets[l], pooled, PLATT_PRIOR)
            })
            .collect();
        Calibration::Sigmoid(platt)
    } else {
        let gold: Vec<usize> = set.gold.iter().map(|g| g.first().copied().unwrap_or(0) as usize).collect();
        Calibration::Softmax { beta: calibrate::fit_temperature(&oof, k, &gold) }
    };

    progress.stage("final model", k as u64);
    let all: Vec<usize> = (0..n).collect();
    let mut fits = fit_labels(&vectors.rows, &targets, &all, &[], dim, opts, opts.seed, progress);
    let weight_scale = prune_and_quantize(&mut fits, opts.max_weights);
    // Transpose the per-label weights into per-feature lists.
    let mut counts = vec![0u32; dim + 1];
    for fit in &fits {
        for &(c, _) in &fit.weights {
            if let Some(x) = counts.get_mut(c as usize + 1) {
                *x += 1;
            }
        }
    }
    for c in 1..counts.len() {
        counts[c] += counts[c - 1];
    }
    let offsets = counts.clone();
    let nnz = offsets.last().copied().unwrap_or(0) as usize;
    let mut weights = vec![(0u16, 0i16); nnz];
    let mut fill = counts;
    for (l, fit) in fits.iter().enumerate() {
        for &(c, w) in &fit.weights {
            if let Some(pos) = fill.get_mut(c as usize) {
                let p = *pos as usize;
                if let Some(slot) = weights.get_mut(p) {
                    *slot = (l as u16, format::quantize(w, weight_scale));
                }
                *pos += 1;
            }
        }
    }
    let bias = fits.iter().map(|f| f.bias).collect();
    let index = vectors.terms.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    let mut model = LinearModel {
        name: name.to_owned(),
        labels: set.labels.clone(),
        multi_label: set.multi_label,
        metadata,
        calibration,
        bias,
        terms: vectors.terms,
        idf: vectors.idf,
        offsets,
        weight_scale,
        weights,
        index,
        info: Default::default(),
    };
    model.metadata.push(("cv_score".to_owned(), format!("{cv:.4}")));
    let bytes = format::encode(&model);
    model.info = format::info_of(&model, format::checksum_of(&bytes).unwrap_or(0));
    Ok(model)
}
