//! Binary linear SVM (L2-regularised, squared hinge loss) trained by dual
//! coordinate descent with shrinking, as in Hsieh et al. (ICML 2008) and
//! LIBLINEAR's default solver. The bias is a constant feature of value 1,
//! regularised like the other weights.
//!
//! Dual coordinate descent touches each training vector once per pass and
//! converges in a few passes on text, which is what makes training seconds,
//! not minutes. The pass order is shuffled with a seeded generator, so the
//! same data gives the same weights.

/// Rows of a sparse design matrix (compressed sparse rows).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Start of each row in `idx`/`val`, plus the end.
    pub offsets: Vec<usize>,
    /// Column indices.
    pub idx: Vec<u32>,
    /// Values.
    pub val: Vec<f32>,
}

impl Rows {
    /// An empty matrix.
    pub fn new() -> Self {
        Self { offsets: vec![0], idx: Vec::new(), val: Vec::new() }
    }

    /// Appends a row.
    pub fn push(&mut self, idx: &[u32], val: &[f32]) {
        self.idx.extend_from_slice(idx);
        self.val.extend_from_slice(val);
        self.offsets.push(self.idx.len());
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as (indices, values); empty when out of range.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (Some(&s), Some(&e)) = (self.offsets.get(i), self.offsets.get(i + 1)) else {
            return (&[], &[]);
        };
        (self.idx.get(s..e).unwrap_or(&[]), self.val.get(s..e).unwrap_or(&[]))
    }
}

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SvmParams {
    /// Inverse regularisation strength.
    pub c: f32,
    /// Stopping tolerance on the projected gradient.
    pub epsilon: f32,
    /// Most passes over the data.
    pub max_passes: usize,
}

impl Default for SvmParams {
    fn default() -> Self {
        Self { c: 1.0, epsilon: 0.1, max_passes: 1000 }
    }
}

/// SplitMix64: a small, seedable, portable generator.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Shuffles `v` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Trains a binary SVM on the rows `subset` of `x` with targets `y` (`true` =
/// positive), over `dim` columns. Returns `(weights, bias)`.
pub fn train_binary(
    x: &Rows,
    subset: &[usize],
    y: &[bool],
    dim: usize,
    params: &SvmParams,
    seed: u64,
) -> (Vec<f32>, f32) {
    let mut w = vec![0f32; dim];
    let mut bias = 0f32;
    let n = subset.len();
    if n == 0 {
        return (w, bias);
    }
    let d = 0.5 / params.c.max(1e-6);
    let sign = |i: usize| if y.get(i).copied().unwrap_or(false) { 1f32 } else { -1f32 };
    let qd: Vec<f32> = subset
        .iter()
        .map(|&i| {
            let (_, v) = x.row(i);
            v.iter().map(|a| a * a).sum::<f32>() + 1.0 + d
        })
        .collect();
    let mut alpha = vec![0f32; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut active = n;
    let mut pg_max_old = f32::INFINITY;
    let mut rng = SplitMix::new(seed);
    for _ in 0..params.max_passes {
        let mut pg_max = f32::NEG_INFINITY;
        let mut pg_min = f32::INFINITY;
        rng.shuffle(&mut order[..active]);
        let mut s = 0;
        while s < active {
            let k = order[s];
            let i = subset[k];
            let yi = sign(i);
            let (idx, val) = x.row(i);
            let mut dot = bias;
            for (&c, &v) in idx.iter().zip(val) {
                dot += w.get(c as usize).copied().unwrap_or(0.0) * v;
            }
            let g = yi * dot - 1.0 + d * alpha[k];
            let mut pg = 0.0;
            if alpha[k] == 0.0 {
                if g > pg_max_old {
                    active -= 1;
                    order.swap(s, active);
                    continue;
                } else if g < 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[k];
                let new = (old - g / qd[k]).max(0.0);
                alpha[k] = new;
                let delta = (new - old) * yi;
                for (&c, &v) in idx.iter().zip(val) {
                    if let Some(wc) = w.get_mut(c as usize) {
                        *wc += delta * v;
                    }
                }
                bias += delta;
            }
            s += 1;
        }
        if pg_max - pg_min <= params.epsilon {
            if active == n {
                break;
            }
            active = n;
            pg_max_old = f32::INFINITY;
            continue;
        }
        pg_max_old = if pg_max <= 0.0 { f32::INFINITY } else { pg_max };
    }
    (w, bias)
}

/// The decision value `w·x + b` of one sparse row.
pub fn decision(w: &[f32], bias: f32, idx: &[u32], val: &[f32]) -> f32 {
    let mut s = bias;
    for (&c, &v) in idx.iter().zip(val) {
        s += w.get(c as usize).copied().unwrap_or(0.0) * v;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_a_toy_problem() {
        let mut x = Rows::new();
        // column 0 marks positives, column 1 negatives, column 2 is shared.
        for i in 0..20 {
            if i % 2 == 0 {
                x.push(&[0, 2], &[0.8, 0.6]);
            } else {
                x.push(&[1, 2], &[0.8, 0.6]);
            }
        }
        let y: Vec<bool> = (0..20).map(|i| i % 2 == 0).collect();
        let subset: Vec<usize> = (0..20).collect();
        let (w, b) = train_binary(&x, &subset, &y, 3, &SvmParams::default(), 1);
        for (i, &yi) in y.iter().enumerate() {
            let (idx, val) = x.row(i);
            assert_eq!(decision(&w, b, idx, val) > 0.0, yi);
        }
    }

    #[test]
    fn same_seed_same_weights() {
        let mut x = Rows::new();
        for i in 0..30u32 {
            x.push(&[i % 5, 5 + i % 3], &[0.7, 0.7]);
        }
        let y: Vec<bool> = (0..30).map(|i| i % 5 < 2).collect();
        let subset: Vec<usize> = (0..30).collect();
        let a = train_binary(&x, &subset, &y, 8, &SvmParams::default(), 9);
        let b = train_binary(&x, &subset, &y, 8, &SvmParams::default(), 9);
        assert_eq!(a, b);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut v: Vec<usize> = (0..100).collect();
        SplitMix::new(3).shuffle(&mut v);
        let mut s = v.clone();
        s.sort_unstable();
        assert_eq!(s, (0..100).collect::<Vec<_>>());
    }
}
