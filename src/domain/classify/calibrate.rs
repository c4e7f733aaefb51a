//! Probability calibration of SVM decision values, fitted on out-of-fold
//! scores (each training document scored by a model that did not see it).
//!
//! - One label per document: temperature scaling, `p = softmax(β·s)`, with
//!   the single β that minimises the log-loss (Guo et al., 2017). It keeps
//!   the ranking of the labels and only sharpens or softens it.
//! - Several labels per document: Platt scaling per label,
//!   `p = σ(a·s + b)`, with Platt's smoothed targets and a Gaussian prior
//!   that pulls `(a, b)` towards a fit pooled over all labels, so labels
//!   with a handful of documents still get sensible probabilities.

/// Numerically safe logistic function.
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Writes `softmax(beta * scores)` into `out`.
pub fn softmax(scores: &[f32], beta: f32, out: &mut Vec<f32>) {
    out.clear();
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        out.resize(scores.len(), if scores.is_empty() { 0.0 } else { 1.0 / scores.len() as f32 });
        return;
    }
    let mut sum = 0.0;
    for &s in scores {
        let e = (beta * (s - max)).exp();
        sum += e;
        out.push(e);
    }
    if sum > 0.0 {
        for p in out.iter_mut() {
            *p /= sum;
        }
    }
}

/// Log-loss of `softmax(beta * s_i)` against `gold_i`, summed.
fn softmax_nll(scores: &[f32], k: usize, gold: &[usize], beta: f64) -> f64 {
    let mut total = 0.0;
    for (row, &g) in scores.chunks_exact(k).zip(gold) {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let lse = row.iter().map(|&s| (beta * (f64::from(s) - max)).exp()).sum::<f64>().ln();
        let sg = row.get(g).copied().map_or(max, f64::from);
        total += lse - beta * (sg - max);
    }
    total
}

/// Fits the inverse temperature β for `n` rows of `k` scores (row-major)
/// with gold label indices `gold`. Returns 1 when there is nothing to fit.
pub fn fit_temperature(scores: &[f32], k: usize, gold: &[usize]) -> f32 {
    if k < 2 || gold.is_empty() {
        return 1.0;
    }
    // The log-loss is convex in β, so it is unimodal in ln β: golden section.
    let (mut lo, mut hi) = ((1e-3f64).ln(), (1e4f64).ln());
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let f = |lb: f64| softmax_nll(scores, k, gold, lb.exp());
    let mut x1 = hi - r * (hi - lo);
    let mut x2 = lo + r * (hi - lo);
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..60 {
        if f1 <= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - r * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + r * (hi - lo);
            f2 = f(x2);
        }
    }
    (((lo + hi) / 2.0).exp()) as f32
}

/// Platt parameters of one label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Platt {
    /// Slope.
    pub a: f32,
    /// Offset.
    pub b: f32,
}

impl Platt {
    /// The probability of a decision value.
    pub fn apply(&self, s: f32) -> f32 {
        sigmoid(self.a * s + self.b)
    }
}

fn platt_objective(s: &[f32], t: &[f64], a: f64, b: f64, prior: (f64, f64), lambda: f64) -> f64 {
    let mut f = 0.0;
    for (&si, &ti) in s.iter().zip(t) {
        let z = a * f64::from(si) + b;
        // log(1 + e^z) - t z, computed stably.
        let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
        f += softplus - ti * z;
    }
    f + 0.5 * lambda * ((a - prior.0).powi(2) + (b - prior.1).powi(2))
}

/// Fits Platt scaling to decision values `s` with outcomes `y`, by Newton's
/// method with backtracking, under a Gaussian prior of strength `lambda`
/// centred on `prior`.
pub fn fit_platt(s: &[f32], y: &[bool], prior: Platt, lambda: f64) -> Platt {
    let pos = y.iter().filter(|&&v| v).count() as f64;
    let neg = y.len() as f64 - pos;
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let t: Vec<f64> = y.iter().map(|&v| if v { hi } else { lo }).collect();
    let p0 = (f64::from(prior.a), f64::from(prior.b));
    let (mut a, mut b) = p0;
    let mut f = platt_objective(s, &t, a, b, p0, lambda);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-12, 0.0, 1e-12);
        for (&si, &ti) in s.iter().zip(&t) {
            let si = f64::from(si);
            let z = a * si + b;
            let p = if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) };
            let d = p - ti;
            ga += d * si;
            gb += d;
            let w = p * (1.0 - p);
            haa += w * si * si;
            hab += w * si;
            hbb += w;
        }
        ga += lambda * (a - p0.0);
        gb += lambda * (b - p0.1);
        haa += lambda;
        hbb += lambda;
        if ga.abs() < 1e-7 && gb.abs() < 1e-7 {
            break;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = -(hbb * ga - hab * gb) / det;
        let db = -(haa * gb - hab * ga) / det;
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = platt_objective(s, &t, na, nb, p0, lambda);
            if nf < f + 1e-4 * step * (ga * da + gb * db) {
                a = na;
                b = nb;
                f = nf;
                improved = true;
                break;
            }
            step /= 2.0;
        }
        if !improved {
            break;
        }
    }
    Platt { a: a as f32, b: b as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one() {
        let mut out = Vec::new();
        softmax(&[1.0, 2.0, -1.0], 3.0, &mut out);
        assert!((out.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(out[1] > out[0] && out[0] > out[2]);
    }

    #[test]
    fn temperature_sharpens_separable_scores() {
        // Gold always has the higher score by a margin of 1: β should grow.
        let scores: Vec<f32> = (0..50).flat_map(|i| if i % 2 == 0 { [1.0, 0.0] } else { [0.0, 1.0] }).collect();
        let gold: Vec<usize> = (0..50).map(|i| i % 2).collect();
        assert!(fit_temperature(&scores, 2, &gold) > 5.0);
    }

    #[test]
    fn temperature_softens_noisy_scores() {
        // Gold has the higher score only 60 % of the time.
        let scores: Vec<f32> = (0..100).flat_map(|_| [1.0f32, 0.0]).collect();
        let gold: Vec<usize> = (0..100).map(|i| usize::from(i % 5 >= 3)).collect();
        let beta = fit_temperature(&scores, 2, &gold);
        let mut p = Vec::new();
        softmax(&[1.0, 0.0], beta, &mut p);
        assert!((p[0] - 0.6).abs() < 0.02, "{p:?}");
    }

    #[test]
    fn platt_matches_rates() {
        // Score 1 is positive 80 % of the time, score -1 is positive 10 %.
        let mut s = Vec::new();
        let mut y = Vec::new();
        for i in 0..1000 {
            s.push(1.0);
            y.push(i % 10 < 8);
            s.push(-1.0);
            y.push(i % 10 < 1);
        }
        let p = fit_platt(&s, &y, Platt { a: 1.0, b: 0.0 }, 1e-3);
        assert!((p.apply(1.0) - 0.8).abs() < 0.01, "{p:?}");
        assert!((p.apply(-1.0) - 0.1).abs() < 0.01, "{p:?}");
    }
}
