//! Selection: the best sentences within the budgets, without repeats, with
//! the faithfulness guard.
//!
//! Candidates are taken best first (ties by position). A candidate is skipped
//! when it nearly repeats a chosen sentence ([`REDUNDANT`]) or when it does not
//! fit the budgets; a sentence is never cut. With the guard on, a candidate
//! that depends on the sentence before it brings that sentence along when both
//! fit and the antecedent is a fair candidate itself ([`ANTECEDENT_SHARE`]),
//! and otherwise gives way to the next candidate. An antecedent that itself
//! depends on the sentence before it brings that one too, up to
//! [`MAX_ANTECEDENTS`], so no sentence of the summary opens on a reference
//! to a sentence left out.

use super::guard::depends_on_previous;
use super::vectors::Vectors;
use super::{Order, ScoredSentence, Summary, SummaryOptions, DEFAULT_SENTENCES};
use crate::domain::document::Document;

/// Cosine similarity above which a candidate repeats a chosen sentence.
///
/// News text repeats itself: captions and pull quotes restate body sentences
/// almost word for word. At 0.5 two sentences share most of their weighted
/// content words; ordinary sentences about the same story stay well below.
pub const REDUNDANT: f32 = 0.5;

/// A dependent sentence brings its antecedent along only when the
/// antecedent scores at least this share of the dependent's score, that is,
/// when it is a fair pick in its own right; otherwise the dependent is skipped.
pub const ANTECEDENT_SHARE: f32 = 0.5;

/// Most sentences a dependent brings along: a chain of sentences that each
/// lean on the one before is followed back this far to one that does not;
/// a longer chain, which would crowd out the rest of a summary, gives way.
pub const MAX_ANTECEDENTS: usize = 2;

/// Articles with at most this many sentences come back whole under the
/// default and ratio budgets (an explicit `max_sentences` still applies).
pub const SHORT_ARTICLE: usize = 3;

/// The number of sentences the options allow for an article of `n`.
pub fn sentence_budget(n: usize, opts: &SummaryOptions) -> usize {
    let short = n <= SHORT_ARTICLE;
    let by_ratio = |r: f64| if short { n } else { ratio_count(n, r) };
    let m = match (opts.max_sentences, opts.ratio) {
        (Some(m), Some(r)) => m.min(by_ratio(r)),
        (Some(m), None) => m,
        (None, Some(r)) => by_ratio(r),
        (None, None) => DEFAULT_SENTENCES.max(if short { n } else { 0 }),
    };
    m.min(n)
}

/// Sentences for a ratio: rounded, at least one.
fn ratio_count(n: usize, r: f64) -> usize {
    let k = (n as f64 * r).round();
    if k.is_finite() && k >= 1.0 {
        (k as usize).min(n)
    } else {
        1
    }
}

/// Length of a sentence in the units the budgets count.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    chars: usize,
    words: usize,
}

fn size_of(text: &str) -> Size {
    Size { chars: text.chars().count(), words: text.split_whitespace().count() }
}

/// Running totals against the budgets. Characters count one separator
/// between consecutive sentences, as when they are joined with a space.
struct Budget {
    sentences: usize,
    max_chars: Option<usize>,
    max_words: Option<usize>,
    used: usize,
    chars: usize,
    words: usize,
}

impl Budget {
    fn fits(&self, group: &[Size]) -> bool {
        let k = group.len();
        let chars: usize = group.iter().map(|s| s.chars).sum::<usize>() + k;
        let words: usize = group.iter().map(|s| s.words).sum();
        let sep_adjust = usize::from(self.used == 0);
        self.used + k <= self.sentences
            && self.max_chars.is_none_or(|m| self.chars + chars - sep_adjust <= m)
            && self.max_words.is_none_or(|m| self.words + words <= m)
    }

    fn add(&mut self, s: Size) {
        self.chars += s.chars + usize::from(self.used > 0);
        self.words += s.words;
        self.used += 1;
    }
}

/// Ranks (1 = best) from scores; ties go to the earlier sentence.
pub fn ranking(scores: &[f32]) -> (Vec<usize>, Vec<usize>) {
    let mut by_score: Vec<usize> = (0..scores.len()).collect();
    by_score.sort_by(|&a, &b| {
        let (sa, sb) = (scores.get(a).copied().unwrap_or(0.0), scores.get(b).copied().unwrap_or(0.0));
        sb.total_cmp(&sa).then(a.cmp(&b))
    });
    let mut rank = vec![0usize; scores.len()];
    for (r, &i) in by_score.iter().enumerate() {
        if let Some(x) = rank.get_mut(i) {
            *x = r + 1;
        }
    }
    (by_score, rank)
}

/// Builds the summary of `doc` from `scores` (one per sentence, in [0, 1]).
pub fn select(doc: &Document<'_>, vectors: &Vectors, scores: &[f32], opts: &SummaryOptions) -> Summary {
    let n = doc.sentences.len().min(scores.len());
    let (by_score, rank) = ranking(scores.get(..n).unwrap_or_default());
    let make = |i: usize| ScoredSentence {
        index: i,
        span: doc.sentences.get(i).map(|s| s.span).unwrap_or_default(),
        score: scores.get(i).copied().unwrap_or(0.0),
        rank: rank.get(i).copied().unwrap_or(0),
    };
    if opts.all_sentences {
        let sentences = match opts.order {
            Order::Document => (0..n).map(make).collect(),
            Order::Score => by_score.iter().map(|&i| make(i)).collect(),
        };
        return Summary { sentences, total_sentences: n };
    }
    let mut budget = Budget {
        sentences: sentence_budget(n, opts),
        max_chars: opts.max_chars,
        max_words: opts.max_words,
        used: 0,
        chars: 0,
        words: 0,
    };
    // Sizes matter only to a character or word budget; counting the words
    // of every candidate was 7 % of the summariser's time without one.
    let measure = opts.max_chars.is_some() || opts.max_words.is_some();
    let size = |i: usize| if measure { size_of(doc.sentence_text(i)) } else { Size::default() };
    let score_of = |i: usize| scores.get(i).copied().unwrap_or(0.0);
    let mut chosen_flag = vec![false; n];
    // In selection order; an antecedent comes right before its dependent.
    let mut chosen: Vec<usize> = Vec::new();
    for &i in &by_score {
        if budget.used >= budget.sentences {
            break;
        }
        if chosen_flag.get(i).copied().unwrap_or(true) {
            continue;
        }
        if chosen.iter().any(|&c| vectors.similarity(i, c) > REDUNDANT) {
            continue;
        }
        // The candidate and, with the guard, the sentences it leans on: back
        // from the candidate while a sentence depends on one not yet chosen
        // ("However, the company…" after "It lost…" after "But its own…").
        let mut first = i;
        let mut gives_way = false;
        while opts.context_guard
            && first > 0
            && !chosen_flag.get(first - 1).copied().unwrap_or(true)
            && depends_on_previous(doc.sentence_text(first), doc.lang)
        {
            // An antecedent that is itself a fair candidate comes along; a
            // weak one, or too long a chain, does not displace better
            // sentences: the dependent gives way.
            if i - first >= MAX_ANTECEDENTS || score_of(first - 1) < ANTECEDENT_SHARE * score_of(i) {
                gives_way = true;
                break;
            }
            first -= 1;
        }
        if gives_way {
            continue;
        }
        let group = first..=i;
        let sizes: Vec<Size> = group.clone().map(size).collect();
        if !budget.fits(&sizes) {
            continue;
        }
        for (g, &s) in group.zip(&sizes) {
            budget.add(s);
            if let Some(f) = chosen_flag.get_mut(g) {
                *f = true;
            }
            chosen.push(g);
        }
    }
    let mut sentences: Vec<ScoredSentence> = chosen.into_iter().map(make).collect();
    if opts.order == Order::Document {
        sentences.sort_by_key(|s| s.index);
    }
    Summary { sentences, total_sentences: n }
}
