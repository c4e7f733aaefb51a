//! Sentence centrality over a sparse, windowed similarity graph.
//!
//! Nodes are sentences; an edge joins two sentences whose TF-ISF cosine is
//! positive and that are at most [`WINDOW`] sentences apart ([`LONG_WINDOW`]
//! in a document of more than [`LONG_DOCUMENT`] sentences). A whole news
//! article (tens of sentences) is therefore a complete graph, while a very
//! long document costs `O(n · LONG_WINDOW)` instead of `O(n²)`: on a
//! 10,000-sentence text the graph has at most 160,000 edges and is never
//! held as a matrix.
//!
//! Two centralities are computed from the same edges:
//! - **LexRank** (Erkan & Radev 2004, continuous variant): PageRank with
//!   damping over the similarity-weighted graph, by power iteration;
//! - **forward degree**, the directed half of PacSum (Zheng & Lapata 2019):
//!   how much a sentence is echoed by the sentences that *follow* it. In news
//!   the sentence that later paragraphs elaborate is the one that states the
//!   story, which is why PacSum weights forward edges over backward ones.

use super::vectors::{Row, Vectors};

/// Neighbours on each side that a sentence is compared with.
pub const WINDOW: usize = 64;

/// Sentences beyond which a document is long: its graph uses
/// [`LONG_WINDOW`]. News (tens of sentences, a few hundred at most) keeps
/// [`WINDOW`], so its summaries do not depend on this.
pub const LONG_DOCUMENT: usize = 256;

/// Neighbours on each side in a long document. An article of 20 sentences
/// compares each with 19 others; with [`WINDOW`] a long text compares each
/// with 128, and its similarity graph and PageRank cost about twice an
/// article's per byte. With 16 a sentence meets 32 neighbours, as in a
/// 33-sentence article, and centrality in a long text is local to a few
/// pages either way.
pub const LONG_WINDOW: usize = 16;

/// The neighbours on each side for a document of `n` sentences.
pub fn window(n: usize) -> usize {
    if n > LONG_DOCUMENT {
        LONG_WINDOW
    } else {
        WINDOW
    }
}

/// PageRank damping factor (the usual 0.85).
const DAMPING: f32 = 0.85;

/// Power iterations at most; they stop earlier once the ranks settle.
const MAX_ITERATIONS: usize = 50;

/// Convergence threshold on the L1 change of the rank vector.
const TOLERANCE: f32 = 1e-5;

/// Centralities of every sentence (raw, not normalised).
#[derive(Debug, Clone, Default)]
pub struct Centrality {
    /// Stationary TextRank probability (word-overlap edges) of each sentence.
    pub textrank: Vec<f32>,
    /// Stationary LexRank probability of each sentence (sums to 1).
    pub lexrank: Vec<f32>,
    /// Sum of similarities to the following sentences in the window.
    pub forward: Vec<f32>,
    /// Sum of similarities to the preceding sentences in the window.
    pub backward: Vec<f32>,
}

/// Computes the centralities of the sentences in `v`.
pub fn compute(v: &Vectors) -> Centrality {
    let n = v.len();
    let mut forward = vec![0.0f32; n];
    let mut backward = vec![0.0f32; n];
    // Edge list i < j with weight > 0.
    let mut tr_forward = vec![0.0f32; n];
    let mut tr_backward = vec![0.0f32; n];
    let window = window(n);
    let cap = n.saturating_mul(window.min(n)) / 2 + 1;
    let mut edges: Vec<(u32, u32, f32)> = Vec::with_capacity(cap);
    let mut tr_edges: Vec<(u32, u32, f32)> = Vec::with_capacity(cap);
    let mut row = Row::default();
    for i in 0..n {
        let hi = i.saturating_add(window + 1).min(n);
        v.row_similarities(i, i + 1..hi, &mut row, |j, s, t| {
            if s > 0.0 {
                if let (Ok(a), Ok(b)) = (u32::try_from(i), u32::try_from(j)) {
                    edges.push((a, b, s));
                    tr_edges.push((a, b, t));
                }
                if let Some(f) = tr_forward.get_mut(i) {
                    *f += t;
                }
                if let Some(b) = tr_backward.get_mut(j) {
                    *b += t;
                }
                if let Some(f) = forward.get_mut(i) {
                    *f += s;
                }
                if let Some(b) = backward.get_mut(j) {
                    *b += s;
                }
            }
        });
    }
    let lexrank = pagerank(n, &edges, &forward, &backward, &[]);
    let self_loops: Vec<f32> = (0..n).map(|i| v.similarities(i, i).1).collect();
    let textrank = pagerank(n, &tr_edges, &tr_forward, &tr_backward, &self_loops);
    Centrality { textrank, lexrank, forward, backward }
}

/// The neighbours of each node with the edge weights, ascending by
/// neighbour (compressed rows: node `i`'s are `adjacent[offsets[i]..offsets[i + 1]]`).
/// `edges` is sorted by `(i, j)` with `i < j`, so filling rows in edge order
/// keeps each row ascending.
fn adjacency(n: usize, edges: &[(u32, u32, f32)]) -> (Vec<usize>, Vec<(u32, f32)>) {
    let mut offsets = vec![0usize; n + 1];
    for &(i, j, _) in edges {
        for k in [i, j] {
            if let Some(o) = offsets.get_mut(k as usize + 1) {
                *o += 1;
            }
        }
    }
    for k in 1..offsets.len() {
        offsets[k] += offsets[k - 1];
    }
    let mut fill: Vec<usize> = offsets.clone();
    let mut adjacent = vec![(0u32, 0.0f32); offsets.last().copied().unwrap_or(0)];
    for &(i, j, w) in edges {
        for (from, to) in [(j, i), (i, j)] {
            if let Some(f) = fill.get_mut(from as usize) {
                if let Some(slot) = adjacent.get_mut(*f) {
                    *slot = (to, w);
                }
                *f += 1;
            }
        }
    }
    (offsets, adjacent)
}

/// Weighted PageRank on the undirected graph `edges` (degree = forward +
/// backward weight of each node). Isolated sentences spread their mass
/// uniformly, as a random surfer would jump.
fn pagerank(n: usize, edges: &[(u32, u32, f32)], forward: &[f32], backward: &[f32], loops: &[f32]) -> Vec<f32> {
    if n == 0 {
        return Vec::new();
    }
    let degree: Vec<f32> = forward
        .iter()
        .zip(backward)
        .enumerate()
        .map(|(i, (f, b))| f + b + loops.get(i).copied().unwrap_or(0.0))
        .collect();
    let inv_degree: Vec<f32> = degree.iter().map(|&d| if d > 0.0 { 1.0 / d } else { 0.0 }).collect();
    let loops: Vec<f32> = (0..n).map(|i| loops.get(i).copied().unwrap_or(0.0)).collect();
    if n <= DENSE_MAX {
        pagerank_dense(n, edges, &degree, &inv_degree, &loops)
    } else {
        pagerank_sparse(n, edges, &degree, &inv_degree, &loops)
    }
}

/// The nodes without edges, ascending: summing their ranks in this order is
/// the same sum as filtering every node by its degree on each iteration.
fn isolated(degree: &[f32]) -> Vec<usize> {
    degree.iter().enumerate().filter(|(_, &d)| d <= 0.0).map(|(k, _)| k).collect()
}

/// The power iterations shared by both representations: `gather(base,
/// share, next)` must set each `next[i]` to `base + loop_i·share_i` plus its
/// neighbours' `w · share_j` in ascending `j`, so both give the same bits.
fn power_iterate(
    n: usize,
    degree: &[f32],
    inv_degree: &[f32],
    mut gather: impl FnMut(f32, &[f32], &mut [f32]),
) -> Vec<f32> {
    let nf = n as f32;
    let isolated = isolated(degree);
    let mut rank = vec![1.0 / nf; n];
    let mut next = vec![0.0f32; n];
    let mut share = vec![0.0f32; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f32 = isolated.iter().map(|&k| rank.get(k).copied().unwrap_or(0.0)).sum();
        let base = (1.0 - DAMPING) / nf + DAMPING * dangling / nf;
        for ((s, r), inv) in share.iter_mut().zip(&rank).zip(inv_degree) {
            *s = DAMPING * r * inv;
        }
        gather(base, &share, &mut next);
        let change: f32 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    rank
}

/// The power iterations of [`pagerank`] over sparse rows (any size).
fn pagerank_sparse(n: usize, edges: &[(u32, u32, f32)], degree: &[f32], inv_degree: &[f32], loops: &[f32]) -> Vec<f32> {
    let (offsets, adjacent) = adjacency(n, edges);
    power_iterate(n, degree, inv_degree, |base, share, next| {
        // Each node gathers from its neighbours in ascending order: the same
        // additions, in the same order, as scattering the edge list.
        for (i, ((x, l), s)) in next.iter_mut().zip(loops).zip(share).enumerate() {
            let row = offsets.get(i..i + 2).map_or(0..0, |o| o[0]..o[1]);
            let mut acc = base + l * s;
            for &(j, w) in adjacent.get(row).unwrap_or_default() {
                acc += w * share.get(j as usize).copied().unwrap_or(0.0);
            }
            *x = acc;
        }
    })
}

/// Largest graph whose PageRank runs on a dense matrix (256 KiB of weights
/// at most); larger ones use the sparse rows.
const DENSE_MAX: usize = 256;

/// [`pagerank`] on a dense symmetric weight matrix, with the same ranks bit
/// for bit.
///
/// Node `i` still receives `base + loop·share_i`, then its neighbours'
/// `w · share_j` in ascending `j`; a missing edge (and the diagonal) has
/// weight 0 and adds `0 · share_j = +0` to a positive sum, which changes
/// nothing. The weights are symmetric, so column `i` is row `i` and the
/// update for every node at once is, for each `j` in order, one
/// contiguous `next += row_j · share_j`, which the compiler vectorises
/// without reordering any node's additions.
fn pagerank_dense(n: usize, edges: &[(u32, u32, f32)], degree: &[f32], inv_degree: &[f32], loops: &[f32]) -> Vec<f32> {
    let mut matrix = vec![0.0f32; n * n];
    for &(i, j, w) in edges {
        let (i, j) = (i as usize, j as usize);
        for k in [i * n + j, j * n + i] {
            if let Some(m) = matrix.get_mut(k) {
                *m = w;
            }
        }
    }
    power_iterate(n, degree, inv_degree, |base, share, next| {
        for ((x, l), s) in next.iter_mut().zip(loops).zip(share) {
            *x = base + l * s;
        }
        // Four rows per pass over `next`: each node still adds row 4k's
        // term, then 4k+1's, 4k+2's and 4k+3's, in that order, but `next`
        // is loaded and stored once per four rows instead of once per row.
        let blocks = matrix.chunks_exact(4 * n);
        let tail_rows = blocks.remainder();
        let mut shares = share.chunks_exact(4);
        for (block, s) in blocks.zip(shares.by_ref()) {
            let (Some(r0), Some(r1), Some(r2), Some(r3)) =
                (block.get(..n), block.get(n..2 * n), block.get(2 * n..3 * n), block.get(3 * n..))
            else {
                continue;
            };
            let &[s0, s1, s2, s3] = s else { continue };
            let rows = r0.iter().zip(r1).zip(r2.iter().zip(r3));
            for (x, ((&w0, &w1), (&w2, &w3))) in next.iter_mut().zip(rows) {
                *x = *x + w0 * s0 + w1 * s1 + w2 * s2 + w3 * s3;
            }
        }
        for (row, &s) in tail_rows.chunks_exact(n).zip(shares.remainder()) {
            for (x, &w) in next.iter_mut().zip(row) {
                *x += w * s;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn news_keeps_the_wide_window_and_long_texts_narrow_it() {
        assert_eq!(window(20), WINDOW);
        assert_eq!(window(LONG_DOCUMENT), WINDOW);
        assert_eq!(window(LONG_DOCUMENT + 1), LONG_WINDOW);
        const { assert!(LONG_WINDOW < WINDOW) };
    }

    /// A windowed graph on `n` nodes: edge `(i, j)` for `i < j` when its
    /// weight is positive (weights of 0 stand for no edge), as `compute`
    /// builds it.
    fn graph(n: usize, weights: &[f32]) -> Vec<(u32, u32, f32)> {
        let mut edges = Vec::new();
        let mut k = 0usize;
        for i in 0..n {
            for j in i + 1..n {
                let w = weights.get(k % weights.len().max(1)).copied().unwrap_or(0.0);
                k += 1;
                if w > 0.0 {
                    edges.push((i as u32, j as u32, w));
                }
            }
        }
        edges
    }

    proptest! {
        #[test]
        fn dense_and_sparse_ranks_are_identical(
            n in 1usize..40,
            weights in proptest::collection::vec(prop_oneof![Just(0.0f32), 0.0f32..2.0], 1..64),
            loops in proptest::collection::vec(0.0f32..1.5, 0..40),
        ) {
            let edges = graph(n, &weights);
            let mut degree = vec![0.0f32; n];
            for &(i, j, w) in &edges {
                degree[i as usize] += w;
                degree[j as usize] += w;
            }
            let loops: Vec<f32> = (0..n).map(|i| loops.get(i).copied().unwrap_or(0.0)).collect();
            for (d, l) in degree.iter_mut().zip(&loops) {
                *d += l;
            }
            let inv: Vec<f32> = degree.iter().map(|&d| if d > 0.0 { 1.0 / d } else { 0.0 }).collect();
            let dense = pagerank_dense(n, &edges, &degree, &inv, &loops);
            let sparse = pagerank_sparse(n, &edges, &degree, &inv, &loops);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&dense), bits(&sparse));
        }
    }
}
