//! Extractive summaries: score every sentence, then select within budgets.
//!
//! Score = weighted sum of
//! - **centrality**: how similar the sentence is to the rest of the article
//!   (TF-ISF cosine over stemmed content words; degree centrality of the
//!   similarity graph). Each sentence is compared with at most
//!   [`WINDOW`] neighbours on each side, so cost is linear in length;
//! - **position**: news puts the important facts first (lead bias), and
//!   paragraph openings carry topic sentences;
//! - **title similarity**: the headline says what the article is about.
//!
//! Selection is greedy by score with redundancy control (a candidate too
//! similar to one already chosen is skipped), a faithfulness guard for
//! sentences that lean on the one before them, and budgets that are never
//! exceeded and never cut a sentence.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::document::Document;
use super::text::Span;

/// Neighbours compared on each side of a sentence.
pub const WINDOW: usize = 100;

/// Weights of the score components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Weight of centrality.
    pub centrality: f32,
    /// Weight of the position prior.
    pub position: f32,
    /// Weight of similarity to the title.
    pub title: f32,
    /// Similarity above which a candidate is redundant with a chosen sentence.
    pub redundancy: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Self { centrality: 0.45, position: 0.40, title: 0.15, redundancy: 0.6 }
    }
}

/// Order of the returned sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// As they appear in the article.
    #[default]
    Document,
    /// Best first.
    Score,
}

/// What summary to make. Budgets combine; the tightest wins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryOptions {
    /// Maximum sentences (explicit). `None`: the default of 3, unless `ratio`.
    pub max_sentences: Option<usize>,
    /// Fraction of the article's sentences, in (0, 1].
    pub ratio: Option<f64>,
    /// Maximum characters in the selected sentences.
    pub max_chars: Option<usize>,
    /// Maximum words in the selected sentences.
    pub max_words: Option<usize>,
    /// Order of the result.
    pub order: Order,
    /// Return every sentence with its score and rank (budgets ignored).
    pub all_sentences: bool,
    /// Bring along (or skip) sentences that depend on the one before.
    pub context_guard: bool,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            max_sentences: None,
            ratio: None,
            max_chars: None,
            max_words: None,
            order: Order::Document,
            all_sentences: false,
            context_guard: true,
        }
    }
}

/// Default number of summary sentences.
pub const DEFAULT_SENTENCES: usize = 3;

/// One sentence with its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredSentence {
    /// Position in the article (0-based).
    pub index: usize,
    /// Where it is in the analysed text.
    pub span: Span,
    /// Score in [0, 1].
    pub score: f32,
    /// Rank by score, 1 = best.
    pub rank: usize,
}

/// A summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// The sentences, in the requested order.
    pub sentences: Vec<ScoredSentence>,
    /// How many sentences the article has.
    pub total_sentences: usize,
}

/// Sparse term vector, sorted by term, L2-normalised.
type Vector = Vec<(u64, f32)>;

fn dot(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Scores every sentence of `doc` with `w`. Returns one score per sentence in
/// [0, 1] (the best sentence scores 1).
pub fn score(doc: &Document<'_>, w: &Weights) -> Vec<f32> {
    let n = doc.sentences.len();
    if n == 0 {
        return Vec::new();
    }
    // Sentence frequency of each term.
    let mut sf: FxHashMap<u64, u32> = FxHashMap::default();
    let mut tf: Vec<Vec<(u64, f32)>> = Vec::with_capacity(n);
    for i in 0..n {
        let mut v: Vec<(u64, f32)> = doc.sentence_tokens(i).iter().filter(|t| !t.stop).map(|t| (t.term, 1.0)).collect();
        v.sort_unstable_by_key(|p| p.0);
        v.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        for &(t, _) in &v {
            *sf.entry(t).or_insert(0) += 1;
        }
        tf.push(v);
    }
    let nf = n as f32;
    let isf = |t: u64| -> f32 { (1.0 + nf / (*sf.get(&t).unwrap_or(&1) as f32)).ln() };
    let vectors: Vec<Vector> = tf
        .into_iter()
        .map(|v| {
            let mut v: Vector = v.into_iter().map(|(t, c)| (t, (1.0 + c.ln()) * isf(t))).collect();
            normalise(&mut v);
            v
        })
        .collect();
    // Title vector.
    let mut title: Vector = doc.title_tokens.iter().filter(|t| !t.stop).map(|t| (t.term, 1.0)).collect();
    title.sort_unstable_by_key(|p| p.0);
    title.dedup_by_key(|p| p.0);
    for p in title.iter_mut() {
        p.1 = isf(p.0);
    }
    normalise(&mut title);

    // Degree centrality over a banded similarity graph.
    let mut central = vec![0.0f32; n];
    for i in 0..n {
        let hi = (i + WINDOW + 1).min(n);
        for j in i + 1..hi {
            let s = dot(&vectors[i], &vectors[j]);
            central[i] += s;
            central[j] += s;
        }
    }
    scale_max(&mut central);
    let mut out = Vec::with_capacity(n);
    for (i, s) in doc.sentences.iter().enumerate() {
        let pos = 1.0 / ((i as f32) + 1.0).sqrt();
        let para = if s.first_in_paragraph { 0.1 } else { 0.0 };
        let position = (pos + para).min(1.0);
        let t = if title.is_empty() { 0.0 } else { dot(&vectors[i], &title) };
        out.push(w.centrality * central[i] + w.position * position + w.title * t);
    }
    scale_max(&mut out);
    // Store vectors for redundancy control through a side channel: recompute
    // cheaply in `select` instead (kept simple here).
    out
}

fn normalise(v: &mut Vector) {
    let norm = v.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for p in v.iter_mut() {
            p.1 /= norm;
        }
    }
}

fn scale_max(v: &mut [f32]) {
    let max = v.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        for x in v.iter_mut() {
            *x /= max;
        }
    }
}

/// Openers that make a sentence lean on the one before it.
const DEPENDENT_OPENERS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "his",
    "her",
    "its",
    "their",
    "this",
    "these",
    "those",
    "that",
    "such",
    "however",
    "but",
    "and",
    "also",
    "meanwhile",
    "moreover",
    "furthermore",
    "therefore",
    "thus",
    "still",
    "yet",
    "instead",
    "nevertheless",
    "nonetheless",
    "besides",
    "then",
    "there",
    "so",
    "the company",
    "the firm",
    "the group",
];

/// Whether the sentence opens with a word that refers back.
pub fn depends_on_previous(sentence: &str) -> bool {
    let s = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower: String = s.chars().take(24).flat_map(char::to_lowercase).collect();
    DEPENDENT_OPENERS
        .iter()
        .any(|o| lower.starts_with(o) && lower[o.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// Builds the summary of `doc` from `scores`.
pub fn select(doc: &Document<'_>, scores: &[f32], opts: &SummaryOptions) -> Summary {
    let n = doc.sentences.len();
    let mut by_score: Vec<usize> = (0..n).collect();
    by_score.sort_by(|&a, &b| scores[b].partial_cmp(&scores[a]).unwrap_or(Ordering::Equal).then(a.cmp(&b)));
    let mut rank = vec![0usize; n];
    for (r, &i) in by_score.iter().enumerate() {
        rank[i] = r + 1;
    }
    let make = |i: usize| ScoredSentence { index: i, span: doc.sentences[i].span, score: scores[i], rank: rank[i] };
    if opts.all_sentences {
        let mut sentences: Vec<_> = (0..n).map(make).collect();
        if opts.order == Order::Score {
            sentences.sort_by_key(|s| s.rank);
        }
        return Summary { sentences, total_sentences: n };
    }
    let mut max_sent = match (opts.max_sentences, opts.ratio) {
        (Some(m), Some(r)) => m.min(ratio_count(n, r)),
        (Some(m), None) => m,
        (None, Some(r)) => ratio_count(n, r),
        (None, None) => DEFAULT_SENTENCES,
    };
    max_sent = max_sent.min(n);
    let text = doc.text.as_ref();
    let chars_of = |i: usize| doc.sentences[i].span.slice(text).chars().count();
    let words_of = |i: usize| doc.sentences[i].span.slice(text).split_whitespace().count();
    let mut chosen: Vec<usize> = Vec::new();
    let (mut chars, mut words) = (0usize, 0usize);
    let fits = |extra: &[usize], chars: usize, words: usize, chosen_len: usize| -> bool {
        let c: usize = extra.iter().map(|&i| chars_of(i)).sum();
        let w: usize = extra.iter().map(|&i| words_of(i)).sum();
        chosen_len + extra.len() <= max_sent
            && opts.max_chars.is_none_or(|m| chars + c <= m)
            && opts.max_words.is_none_or(|m| words + w <= m)
    };
    let sim_tokens = |i: usize| -> Vec<u64> {
        let mut v: Vec<u64> = doc.sentence_tokens(i).iter().filter(|t| !t.stop).map(|t| t.term).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut chosen_terms: Vec<Vec<u64>> = Vec::new();
    for &i in &by_score {
        if chosen.len() >= max_sent {
            break;
        }
        if chosen.contains(&i) {
            continue;
        }
        let terms = sim_tokens(i);
        if chosen_terms.iter().any(|c| jaccard(c, &terms) > 0.6) {
            continue;
        }
        let mut group = vec![i];
        if opts.context_guard
            && i > 0
            && !chosen.contains(&(i - 1))
            && depends_on_previous(doc.sentences[i].span.slice(text))
        {
            if doc.sentences[i].first_in_paragraph && i == 0 {
                // nothing to bring along
            } else if fits(&[i - 1, i], chars, words, chosen.len()) {
                group = vec![i - 1, i];
            } else {
                continue;
            }
        }
        if !fits(&group, chars, words, chosen.len()) {
            continue;
        }
        for g in group {
            chars += chars_of(g);
            words += words_of(g);
            chosen_terms.push(sim_tokens(g));
            chosen.push(g);
        }
    }
    // Never return nothing when something fits: a single sentence too long
    // for max_chars yields an empty summary (a sentence is never cut).
    let mut sentences: Vec<_> = chosen.into_iter().map(make).collect();
    match opts.order {
        Order::Document => sentences.sort_by_key(|s| s.index),
        Order::Score => sentences.sort_by_key(|s| s.rank),
    }
    Summary { sentences, total_sentences: n }
}

fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f32 / (a.len() + b.len() - inter) as f32
}

/// Sentences for a ratio: at least one.
fn ratio_count(n: usize, r: f64) -> usize {
    ((n as f64 * r).round() as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependent_openers() {
        assert!(depends_on_previous("He said it was over."));
        assert!(depends_on_previous("However, prices rose."));
        assert!(!depends_on_previous("Hermann said it was over."));
        assert!(!depends_on_previous("Prices rose."));
    }
}
