//! Test-set metrics of a topic model: accuracy, macro- and micro-F1,
//! per-label precision and recall, and expected calibration error.
//!
//! Conventions follow scikit-learn so figures compare with other tools:
//! macro-F1 averages over the labels present in the truth or the
//! predictions; a label with no prediction has precision 0.
//! One label per document: the prediction is the most probable label.
//! Several labels: every label with probability ≥ 0.5 is predicted, and the
//! F1 figures count only labels that the model knows and the test set uses.

use std::collections::BTreeMap;

/// Scores of one label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMetrics {
    /// The label.
    pub label: String,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Test documents with this label.
    pub support: usize,
}

/// Scores of a model on a test set.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Test documents.
    pub documents: usize,
    /// Share of documents whose prediction is exactly right (for several
    /// labels: the predicted set equals the true set).
    pub accuracy: f64,
    /// Unweighted mean of per-label F1.
    pub macro_f1: f64,
    /// F1 over all (document, label) decisions (several labels only).
    pub micro_f1: Option<f64>,
    /// Expected calibration error of the top label's probability (15 equal
    /// bins): does a topic scored 0.8 turn out right 80 % of the time?
    pub ece: f64,
    /// ECE over every (document, label) probability (several labels only).
    pub ece_all_labels: Option<f64>,
    /// Per-label scores, by label name.
    pub per_label: Vec<LabelMetrics>,
}

const BINS: usize = 15;

/// Expected calibration error of (confidence, correct) pairs.
pub fn ece(pairs: &[(f32, bool)]) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let mut count = [0usize; BINS];
    let mut conf = [0f64; BINS];
    let mut hits = [0f64; BINS];
    for &(p, ok) in pairs {
        let b = ((f64::from(p) * BINS as f64) as usize).min(BINS - 1);
        count[b] += 1;
        conf[b] += f64::from(p);
        hits[b] += f64::from(u8::from(ok));
    }
    let n = pairs.len() as f64;
    (0..BINS).filter(|&b| count[b] > 0).map(|b| (conf[b] - hits[b]).abs() / n).sum()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn f1(c: Counts) -> (f64, f64, f64) {
    let p = if c.tp + c.fp == 0 { 0.0 } else { c.tp as f64 / (c.tp + c.fp) as f64 };
    let r = if c.tp + c.fn_ == 0 { 0.0 } else { c.tp as f64 / (c.tp + c.fn_) as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

/// Scores predictions. `probs[i]` are the model's probabilities for
/// document `i` (in `labels` order), `gold[i]` its true labels by name
/// (labels the model does not know count as misses).
pub fn evaluate(labels: &[String], multi_label: bool, probs: &[Vec<f32>], gold: &[Vec<String>]) -> Metrics {
    let n = probs.len().min(gold.len());
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut correct = 0usize;
    let mut top = Vec::with_capacity(n);
    let mut all_pairs = Vec::new();
    let best = |p: &[f32]| {
        p.iter().enumerate().fold(None, |acc: Option<(usize, f32)>, (i, &v)| match acc {
            Some((_, bv)) if bv >= v => acc,
            _ => Some((i, v)),
        })
    };
    for (p, g) in probs.iter().zip(gold).take(n) {
        let (bi, bp) = best(p).unwrap_or((0, 0.0));
        let top_label = labels.get(bi).map_or("", String::as_str);
        top.push((bp, g.iter().any(|x| x == top_label)));
        if multi_label {
            let predicted: Vec<&str> =
                labels.iter().zip(p).filter(|(_, &v)| v >= 0.5).map(|(l, _)| l.as_str()).collect();
            let mut exact = predicted.len() == g.len();
            for l in &predicted {
                let c = counts.entry(l).or_default();
                if g.iter().any(|x| x == l) {
                    c.tp += 1;
                } else {
                    c.fp += 1;
                    exact = false;
                }
            }
            for x in g {
                if !predicted.contains(&x.as_str()) {
                    counts.entry(x).or_default().fn_ += 1;
                    exact = false;
                }
            }
            correct += usize::from(exact);
            for (l, &v) in labels.iter().zip(p) {
                all_pairs.push((v, g.contains(l)));
            }
        } else {
            let truth = g.first().map_or("", String::as_str);
            if truth == top_label {
                correct += 1;
                counts.entry(truth).or_default().tp += 1;
            } else {
                counts.entry(top_label).or_default().fp += 1;
                counts.entry(truth).or_default().fn_ += 1;
            }
        }
    }
    if multi_label {
        // Only labels the model knows and the test set uses.
        let used: Vec<&str> = gold.iter().flatten().map(String::as_str).collect();
        counts.retain(|l, _| labels.iter().any(|x| x == l) && used.contains(l));
    }
    let per_label: Vec<LabelMetrics> = counts
        .iter()
        .map(|(l, &c)| {
            let (precision, recall, f1) = f1(c);
            LabelMetrics { label: (*l).to_owned(), precision, recall, f1, support: c.tp + c.fn_ }
        })
        .collect();
    let macro_f1 =
        if per_label.is_empty() { 0.0 } else { per_label.iter().map(|m| m.f1).sum::<f64>() / per_label.len() as f64 };
    let micro_f1 = multi_label.then(|| {
        let total = counts.values().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        });
        f1(total).2
    });
    Metrics {
        documents: n,
        accuracy: if n == 0 { 0.0 } else { correct as f64 / n as f64 },
        macro_f1,
        micro_f1,
        ece: ece(&top),
        ece_all_labels: multi_label.then(|| ece(&all_pairs)),
        per_label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn single_label_accuracy_and_f1() {
        let labels = s(&["a", "b"]);
        let probs = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.6, 0.4]];
        let gold = vec![s(&["a"]), s(&["b"]), s(&["b"])];
        let m = evaluate(&labels, false, &probs, &gold);
        assert!((m.accuracy - 2.0 / 3.0).abs() < 1e-9);
        // a: P 1/2 R 1 F 2/3; b: P 1 R 1/2 F 2/3.
        assert!((m.macro_f1 - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(m.micro_f1, None);
    }

    #[test]
    fn unknown_gold_label_is_a_miss() {
        let labels = s(&["a", "b"]);
        let m = evaluate(&labels, false, &[vec![0.9, 0.1]], &[s(&["zzz"])]);
        assert_eq!(m.accuracy, 0.0);
        assert_eq!(m.per_label.len(), 2);
    }

    #[test]
    fn multi_label_micro_f1() {
        let labels = s(&["a", "b", "c"]);
        let probs = vec![vec![0.9, 0.7, 0.1], vec![0.1, 0.2, 0.9]];
        let gold = vec![s(&["a"]), s(&["b", "c"])];
        let m = evaluate(&labels, true, &probs, &gold);
        // tp 2 (a, c), fp 1 (b in doc 0), fn 1 (b in doc 1).
        assert!((m.micro_f1.unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(m.accuracy, 0.0);
    }

    #[test]
    fn ece_of_perfect_calibration_is_zero() {
        let pairs: Vec<(f32, bool)> = (0..10).map(|i| (0.5, i % 2 == 0)).collect();
        assert!(ece(&pairs) < 1e-9);
        assert!((ece(&[(1.0, false)]) - 1.0).abs() < 1e-9);
    }
}
