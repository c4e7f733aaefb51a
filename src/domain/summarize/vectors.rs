//! Sentence term vectors: TF-ISF weights over stemmed content words.
//!
//! Each sentence becomes a sparse vector sorted by term hash, L2-normalised,
//! so that the similarity of two sentences is a merge-join dot product (their
//! cosine). Inverse sentence frequency (ISF) is the article-local analogue of
//! IDF: a word found in every sentence says little about any one of them.
//! All vectors share one flat buffer to keep allocation per article constant.

use std::cmp::Ordering;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::super::document::Document;
use super::super::tokenize::Token;

/// The TF-ISF vectors of an article's sentences and of its title.
#[derive(Debug, Clone, Default)]
pub struct Vectors {
    /// `(term, weight)` pairs of all sentences, one sorted run per sentence.
    entries: Vec<(u64, f32)>,
    /// Occurrences of each entry's term in its sentence (parallel to `entries`).
    counts: Vec<f32>,
    /// Each entry's term as a dense per-article id in `0..vocabulary`
    /// (parallel to `entries`), so that a sentence can be spread into a
    /// dense array and compared by direct look-up.
    ids: Vec<u32>,
    /// Distinct terms in the sentences.
    vocabulary: usize,
    /// For each sentence, its run in `entries`.
    ranges: Vec<Range<usize>>,
    /// The title's vector (empty when there is no title).
    title: Vec<(u64, f32)>,
    /// Content words per sentence (tokens that are not stop words).
    content_words: Vec<u32>,
    /// `ln max(1, content words)` per sentence (TextRank's length norm),
    /// computed once instead of once per pair.
    ln_words: Vec<f32>,
}

/// Dense scratch for [`Vectors::row_similarities`]: one sentence spread
/// over the article's term ids as `(weight, count)`. All zero between calls:
/// each call clears the cells it set, so a row costs its own terms, not
/// the whole vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Row {
    cells: Vec<(f32, f32)>,
}

impl Vectors {
    /// Builds the vectors of `doc`.
    pub fn new(doc: &Document<'_>) -> Self {
        let n = doc.sentences.len();
        // Function words say nothing about what a sentence is about (see
        // `Token::function`: for English a narrower list than the stop words,
        // which would also drop news words such as "government").
        let skip = |t: &Token| t.function;
        let mut entries: Vec<(u64, f32)> = Vec::with_capacity(doc.tokens.len());
        let mut ranges = Vec::with_capacity(n);
        let mut content_words = Vec::with_capacity(n);
        // Term -> dense id, and sentence frequency by id.
        let mut id_of: FxHashMap<u64, u32> = FxHashMap::default();
        id_of.reserve(doc.tokens.len() / 2);
        let mut sf: Vec<u32> = Vec::with_capacity(doc.tokens.len() / 2);
        let mut ids: Vec<u32> = Vec::with_capacity(doc.tokens.len());
        // One sentence's content terms, sorted alone (8-byte keys, not
        // 16-byte pairs) and then counted into `entries`: every count is a
        // small integer, exact in `f32`, so it equals summing `1.0` per
        // occurrence.
        let mut terms: Vec<u64> = Vec::new();
        for i in 0..n {
            let start = entries.len();
            let toks = doc.sentence_tokens(i);
            terms.clear();
            terms.reserve(toks.len());
            for t in toks {
                if !skip(t) {
                    terms.push(t.term);
                }
            }
            content_words.push(u32::try_from(terms.len()).unwrap_or(u32::MAX));
            terms.sort_unstable();
            count_runs(&terms, &mut entries);
            for &(t, _) in entries.get(start..).unwrap_or_default() {
                let next = u32::try_from(sf.len()).unwrap_or(u32::MAX);
                let id = *id_of.entry(t).or_insert(next);
                match sf.get_mut(id as usize) {
                    Some(f) => *f += 1,
                    None => sf.push(1),
                }
                ids.push(id);
            }
            ranges.push(start..entries.len());
        }
        let counts: Vec<f32> = entries.iter().map(|p| p.1).collect();
        let nf = n as f32;
        let isf_of = |f: u32| -> f32 { (1.0 + nf / f.max(1) as f32).ln() };
        // One logarithm per distinct term, not per entry: the same values.
        let isf_by_id: Vec<f32> = sf.iter().map(|&f| isf_of(f)).collect();
        let isf = |t: u64| -> f32 { isf_of(id_of.get(&t).and_then(|&id| sf.get(id as usize)).copied().unwrap_or(1)) };
        for r in &ranges {
            let (Some(run), Some(run_ids)) = (entries.get_mut(r.clone()), ids.get(r.clone())) else { continue };
            for (p, &id) in run.iter_mut().zip(run_ids) {
                let w = isf_by_id.get(id as usize).copied().unwrap_or(0.0);
                // ln 1 = 0, so a single occurrence weighs exactly its ISF.
                p.1 = if p.1 == 1.0 { w } else { (1.0 + p.1.ln()) * w };
            }
            normalise(run);
        }
        let title = title_vector(&doc.title_tokens, &isf, &skip);
        let ln_words = content_words.iter().map(|&w| (w.max(1) as f32).ln()).collect();
        Self { entries, counts, ids, vocabulary: sf.len(), ranges, title, content_words, ln_words }
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether there are no sentences.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The vector of sentence `i` (empty when out of range).
    pub fn sentence(&self, i: usize) -> &[(u64, f32)] {
        self.ranges.get(i).and_then(|r| self.entries.get(r.clone())).unwrap_or_default()
    }

    /// Cosine similarity of sentences `i` and `j`.
    pub fn similarity(&self, i: usize, j: usize) -> f32 {
        dot(self.sentence(i), self.sentence(j))
    }

    /// Both similarities of sentences `i` and `j` in one pass: the cosine of
    /// their TF-ISF vectors, and TextRank's word overlap (Mihalcea & Tarau
    /// 2004): shared occurrences `Σ c_i(w)·c_j(w)` over
    /// `ln |S_i| + ln |S_j|` (lengths in content words).
    pub fn similarities(&self, i: usize, j: usize) -> (f32, f32) {
        let (Some(ri), Some(rj)) = (self.ranges.get(i), self.ranges.get(j)) else { return (0.0, 0.0) };
        let (a, b) =
            (self.entries.get(ri.clone()).unwrap_or_default(), self.entries.get(rj.clone()).unwrap_or_default());
        let (ca, cb) =
            (self.counts.get(ri.clone()).unwrap_or_default(), self.counts.get(rj.clone()).unwrap_or_default());
        let (mut x, mut y, mut cos, mut shared) = (0usize, 0usize, 0.0f32, 0.0f32);
        while let (Some(p), Some(q)) = (a.get(x), b.get(y)) {
            match p.0.cmp(&q.0) {
                Ordering::Less => x += 1,
                Ordering::Greater => y += 1,
                Ordering::Equal => {
                    cos += p.1 * q.1;
                    shared += ca.get(x).copied().unwrap_or(0.0) * cb.get(y).copied().unwrap_or(0.0);
                    x += 1;
                    y += 1;
                }
            }
        }
        (cos, overlap(shared, self.ln_words(i) + self.ln_words(j)))
    }

    /// [`Vectors::similarities`] of sentence `i` with each sentence `j` in
    /// `others`, passed to `each(j, cosine, overlap)` in order, with the
    /// same results bit for bit.
    ///
    /// Sentence `i` is spread once into `row` (dense by term id), then each
    /// `j` is one pass over its own terms with direct look-ups instead of a
    /// branchy merge. Matches are visited in the same ascending term order
    /// as the merge, and a term `i` lacks adds `0 · x = +0`, which leaves
    /// the (non-negative) sums unchanged, so every sum is the same.
    pub fn row_similarities(
        &self,
        i: usize,
        others: Range<usize>,
        row: &mut Row,
        mut each: impl FnMut(usize, f32, f32),
    ) {
        let Some(ri) = self.ranges.get(i) else { return };
        if row.cells.len() < self.vocabulary {
            row.cells.resize(self.vocabulary, (0.0, 0.0));
        }
        let (a, ca, ia) = (
            self.entries.get(ri.clone()).unwrap_or_default(),
            self.counts.get(ri.clone()).unwrap_or_default(),
            self.ids.get(ri.clone()).unwrap_or_default(),
        );
        for ((p, &c), &id) in a.iter().zip(ca).zip(ia) {
            if let Some(cell) = row.cells.get_mut(id as usize) {
                *cell = (p.1, c);
            }
        }
        let ln_i = self.ln_words(i);
        for j in others {
            let Some(rj) = self.ranges.get(j) else { continue };
            let (b, cb, ib) = (
                self.entries.get(rj.clone()).unwrap_or_default(),
                self.counts.get(rj.clone()).unwrap_or_default(),
                self.ids.get(rj.clone()).unwrap_or_default(),
            );
            let (mut cos, mut shared) = (0.0f32, 0.0f32);
            for ((q, &c), &id) in b.iter().zip(cb).zip(ib) {
                let (w, k) = row.cells.get(id as usize).copied().unwrap_or((0.0, 0.0));
                cos += w * q.1;
                shared += k * c;
            }
            each(j, cos, overlap(shared, ln_i + self.ln_words(j)));
        }
        for &id in ia {
            if let Some(cell) = row.cells.get_mut(id as usize) {
                *cell = (0.0, 0.0);
            }
        }
    }

    /// Cosine similarity of sentence `i` to the title (0 without a title).
    pub fn title_similarity(&self, i: usize) -> f32 {
        dot(self.sentence(i), &self.title)
    }

    /// Whether the article has a title with content words.
    pub fn has_title(&self) -> bool {
        !self.title.is_empty()
    }

    /// `ln max(1, content words)` of sentence `i` (0 when out of range).
    fn ln_words(&self, i: usize) -> f32 {
        self.ln_words.get(i).copied().unwrap_or(0.0)
    }

    /// Content words (non-stop tokens) of sentence `i`.
    pub fn content_words(&self, i: usize) -> u32 {
        self.content_words.get(i).copied().unwrap_or(0)
    }
}

/// Appends each distinct term of the sorted `terms` to `out` with its number
/// of occurrences.
fn count_runs(terms: &[u64], out: &mut Vec<(u64, f32)>) {
    let mut rest = terms;
    while let Some(&t) = rest.first() {
        let same = rest.iter().take_while(|&&x| x == t).count();
        out.push((t, same as f32));
        rest = rest.get(same..).unwrap_or_default();
    }
}

fn title_vector(tokens: &[Token], isf: &dyn Fn(u64) -> f32, skip: &dyn Fn(&Token) -> bool) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = tokens.iter().filter(|t| !skip(t)).map(|t| (t.term, 1.0)).collect();
    v.sort_unstable_by_key(|p| p.0);
    v.dedup_by_key(|p| p.0);
    for p in v.iter_mut() {
        p.1 = isf(p.0);
    }
    normalise(&mut v);
    v
}

fn normalise(v: &mut [(u64, f32)]) {
    let norm = v.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for p in v.iter_mut() {
            p.1 /= norm;
        }
    }
}

/// TextRank's edge weight from the shared occurrences and `ln |S_i| + ln |S_j|`
/// (the shared count itself when both sentences have one content word).
fn overlap(shared: f32, norm: f32) -> f32 {
    if shared == 0.0 {
        0.0
    } else if norm > 1e-6 {
        shared / norm
    } else {
        shared
    }
}

/// Dot product of two sparse vectors sorted by term.
pub fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0usize, 0usize, 0.0f32);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.0.cmp(&y.0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += x.1 * y.1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::pipeline::{Article, Limits, Pipeline};
    use crate::domain::taxonomy::Taxonomies;

    #[test]
    fn row_similarities_match_the_merge_bit_for_bit() {
        let p = Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()));
        let body = include_str!("../../../tests/data/seed-article.txt");
        let doc =
            p.prepare(&Article { title: "Rare earths", body, ..Article::default() }).unwrap_or_else(|e| panic!("{e}"));
        let v = Vectors::new(&doc);
        assert!(v.len() > 5);
        let mut row = Row::default();
        let mut pairs = 0;
        for i in 0..v.len() {
            v.row_similarities(i, 0..v.len(), &mut row, |j, cos, overlap| {
                let (c, o) = v.similarities(i, j);
                assert_eq!((cos.to_bits(), overlap.to_bits()), (c.to_bits(), o.to_bits()), "{i} {j}");
                pairs += 1;
            });
        }
        assert_eq!(pairs, v.len() * v.len());
    }
}
