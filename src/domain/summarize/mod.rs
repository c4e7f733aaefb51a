//! Extractive summaries: score every sentence, then select within budgets.
//!
//! # Scoring
//! Each sentence gets a linear combination of evidence that news
//! summarisation research has found to matter, with weights fitted on the
//! development data by `precis eval summarize --fit` (see [`fitted`]):
//! - **centrality** ([`centrality`]): LexRank (PageRank over TF-ISF cosine
//!   similarities) and PacSum's forward degree (how much the following
//!   sentences echo this one), over a graph windowed to
//!   [`centrality::WINDOW`] neighbours ([`centrality::LONG_WINDOW`] past
//!   [`centrality::LONG_DOCUMENT`] sentences) so cost is linear in length;
//! - **position**: news is written lead first, so the prior decays with the
//!   sentence index as `(i + 1)^-lead_decay`, and paragraph openings (topic
//!   sentences) get a bonus;
//! - **title similarity**: the headline says what the article is about
//!   (0 when there is no title);
//! - **fragments**: a line that is not a sentence (a heading, caption, date
//!   line or list item left in scraped text, see [`is_fragment`]) or a
//!   sentence of fewer than [`MIN_CONTENT_WORDS`] content words has its
//!   score scaled by [`FRAGMENT_FACTOR`].
//!
//! The combination is divided by its maximum, so **scores lie in [0, 1] and
//! the best sentence of an article scores 1**. Scores compare sentences of the
//! same article only; they are not probabilities and not comparable across
//! articles.
//!
//! # Selection
//! See [`select`](self::select::select): best first, near-repeats skipped,
//! budgets never exceeded, sentences never cut, and the faithfulness guard
//! ([`guard`]) for sentences that lean on the one before them.
//!
//! # Determinism
//! No hash-map iteration order reaches a result: vectors are sorted by term,
//! sums run in sentence order and ties are broken by sentence index.

pub mod centrality;
pub mod fitted;
pub mod guard;
mod select;
pub mod vectors;

use std::sync::LazyLock;

use super::document::Document;
use super::segment;
use super::text::Span;

pub use guard::depends_on_previous;
pub use select::{ranking, sentence_budget, REDUNDANT, SHORT_ARTICLE};
pub use vectors::Vectors;

/// Weights of the score components (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Weight of TextRank centrality (max-normalised per article).
    pub textrank: f32,
    /// Weight of LexRank centrality (max-normalised per article).
    pub lexrank: f32,
    /// Weight of forward (PacSum) centrality (max-normalised per article).
    pub forward: f32,
    /// Weight of the lead prior `(i + 1)^-lead_decay`.
    pub position: f32,
    /// Exponent of the lead prior's decay.
    pub lead_decay: f32,
    /// Bonus for the first sentence of a paragraph other than the first.
    pub paragraph: f32,
    /// Weight of the cosine similarity to the title.
    pub title: f32,
    /// Weight of backward centrality (max-normalised; PacSum gives it a
    /// negative weight: a sentence that echoes earlier ones restates them).
    pub backward: f32,
    /// Weight of the length prior (content words over the article's longest).
    pub length: f32,
    /// Weight of the cosine similarity to the first sentence (1 for itself).
    pub lead: f32,
}

impl Default for Weights {
    fn default() -> Self {
        fitted::WEIGHTS
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

/// Per-sentence evidence, before weighting.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// TextRank centrality, divided by the article's maximum.
    pub textrank: Vec<f32>,
    /// LexRank centrality, divided by the article's maximum.
    pub lexrank: Vec<f32>,
    /// Forward centrality, divided by the article's maximum.
    pub forward: Vec<f32>,
    /// Cosine similarity to the title.
    pub title: Vec<f32>,
    /// Whether the sentence opens a paragraph (and is not the first).
    pub paragraph_start: Vec<bool>,
    /// Backward centrality, divided by the article's maximum.
    pub backward: Vec<f32>,
    /// Content words, divided by the article's maximum.
    pub length: Vec<f32>,
    /// Cosine similarity to the first sentence (1 for the first).
    pub lead: Vec<f32>,
    /// Whether the sentence is a line rather than a sentence (see
    /// [`is_fragment`]) or has fewer than [`MIN_CONTENT_WORDS`] content words.
    pub fragment: Vec<bool>,
}

impl Features {
    /// Computes the features of `doc` from its sentence vectors.
    pub fn new(doc: &Document<'_>, v: &Vectors) -> Self {
        Self::weighted(doc, v, None)
    }

    /// Computes the features that `w` gives a weight to (all when `w` is
    /// `None`); a feature weighted 0 is left empty, which [`Features::combine`]
    /// reads as 0 everywhere: `0 · x` adds nothing to the (non-negative) sum,
    /// so the scores are the same bit for bit, without its cost.
    fn weighted(doc: &Document<'_>, v: &Vectors, w: Option<&Weights>) -> Self {
        let wanted = |weight: fn(&Weights) -> f32| w.is_none_or(|w| weight(w) != 0.0);
        let n = v.len();
        let c = centrality::compute(v);
        let mut textrank = c.textrank;
        scale_max(&mut textrank);
        let mut lexrank = c.lexrank;
        let mut forward = c.forward;
        let mut backward = c.backward;
        scale_max(&mut lexrank);
        scale_max(&mut forward);
        scale_max(&mut backward);
        let mut length: Vec<f32> =
            if wanted(|w| w.length) { (0..n).map(|i| v.content_words(i) as f32).collect() } else { Vec::new() };
        scale_max(&mut length);
        let lead = if wanted(|w| w.lead) {
            (0..n).map(|i| if i == 0 { 1.0 } else { v.similarity(0, i) }).collect()
        } else {
            Vec::new()
        };
        let title = if wanted(|w| w.title) { (0..n).map(|i| v.title_similarity(i)).collect() } else { Vec::new() };
        let paragraph_start = if wanted(|w| w.paragraph) {
            (0..n).map(|i| i > 0 && doc.sentences.get(i).is_some_and(|s| s.first_in_paragraph)).collect()
        } else {
            Vec::new()
        };
        let fragment = (0..n).map(|i| is_fragment(doc, i) || v.content_words(i) < MIN_CONTENT_WORDS).collect();
        Self { textrank, lexrank, forward, title, paragraph_start, backward, length, lead, fragment }
    }

    /// Combines the features with `w` into scores in [0, 1] (best = 1).
    pub fn combine(&self, w: &Weights) -> Vec<f32> {
        let mut out: Vec<f32> = (0..self.lexrank.len())
            .map(|i| {
                let get = |v: &[f32]| v.get(i).copied().unwrap_or(0.0);
                let position = lead_prior(i, w.lead_decay);
                let para = if self.paragraph_start.get(i).copied().unwrap_or(false) { 1.0 } else { 0.0 };
                let evidence = w.textrank * get(&self.textrank)
                    + w.lexrank * get(&self.lexrank)
                    + w.forward * get(&self.forward)
                    + w.position * position
                    + w.paragraph * para
                    + w.title * get(&self.title)
                    + w.backward * get(&self.backward)
                    + w.length * get(&self.length)
                    + w.lead * get(&self.lead);
                if self.fragment.get(i).copied().unwrap_or(false) {
                    evidence * FRAGMENT_FACTOR
                } else {
                    evidence
                }
            })
            .map(|x| if x.is_finite() { x.max(0.0) } else { 0.0 })
            .collect();
        scale_max(&mut out);
        out
    }
}

/// Factor on the score of a fragment ([`is_fragment`]): headings, captions,
/// date lines and list items are poor summary sentences, so they rank below
/// any sentence of comparable evidence; an article made only of such lines
/// keeps its ranking, since every score is scaled alike.
pub const FRAGMENT_FACTOR: f32 = 0.5;

/// Content words (not function words) a sentence needs not to count as a
/// fragment. TextRank's overlap divides by the logarithm of the sentence
/// length and cosine rewards a short vector, so a two-word piece that shares
/// the article's main names ("The VW ID." split off a product name, "Mr
/// Smith said.") can outrank every real sentence; it says nothing on its own.
pub const MIN_CONTENT_WORDS: u32 = 3;

/// Whether sentence `i` of `doc` is a line rather than a sentence: a
/// paragraph of its own that does not end like a sentence (`.`, `!`, `?`,
/// `…` and their CJK and Arabic forms, before any closing quotes or
/// brackets). Scraped pages leave these in the text: "Cover image: …",
/// "September 10, 2018 |", "4) Blade Runner (4K Ultra HD)".
pub fn is_fragment(doc: &Document<'_>, i: usize) -> bool {
    let paragraph = |k: usize| doc.sentences.get(k).map(|s| s.paragraph);
    let Some(p) = paragraph(i) else { return false };
    let alone = (i == 0 || paragraph(i - 1) != Some(p)) && paragraph(i + 1) != Some(p);
    alone && !segment::ends_with_mark(doc.sentence_text(i))
}

/// Sentences whose default lead prior is kept in a table.
const LEAD_PRIOR_TABLE: usize = 256;

/// `(i + 1)^-decay`, from a table for the default decay (the same `powf`
/// values, computed once) and computed otherwise.
fn lead_prior(i: usize, decay: f32) -> f32 {
    static TABLE: LazyLock<Vec<f32>> =
        LazyLock::new(|| (0..LEAD_PRIOR_TABLE).map(|i| ((i + 1) as f32).powf(-fitted::WEIGHTS.lead_decay)).collect());
    match TABLE.get(i) {
        Some(&p) if decay.to_bits() == fitted::WEIGHTS.lead_decay.to_bits() => p,
        _ => ((i + 1) as f32).powf(-decay),
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

/// Scores every sentence of `doc` with `w`: one score per sentence in
/// [0, 1], the best sentence scoring 1.
pub fn score(doc: &Document<'_>, w: &Weights) -> Vec<f32> {
    let v = Vectors::new(doc);
    Features::weighted(doc, &v, Some(w)).combine(w)
}

/// Builds the summary of `doc` from `scores` (as returned by [`score`]).
pub fn select(doc: &Document<'_>, scores: &[f32], opts: &SummaryOptions) -> Summary {
    let v = Vectors::new(doc);
    select::select(doc, &v, scores, opts)
}

/// Scores and selects in one pass (the sentence vectors are built once).
pub fn summarize(doc: &Document<'_>, w: &Weights, opts: &SummaryOptions) -> Summary {
    let v = Vectors::new(doc);
    let scores = Features::weighted(doc, &v, Some(w)).combine(w);
    select::select(doc, &v, &scores, opts)
}

/// Selects from precomputed vectors and scores (used when fitting weights,
/// where the vectors are built once and many weightings are tried).
pub fn select_with(doc: &Document<'_>, v: &Vectors, scores: &[f32], opts: &SummaryOptions) -> Summary {
    select::select(doc, v, scores, opts)
}

#[cfg(test)]
mod tests;
