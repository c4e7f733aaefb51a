//! Keyphrases: multi-word phrases that say what the article is about.
//!
//! Candidates are runs of up to [`MAX_WORDS`] adjacent content words inside
//! one sentence (no stop word at either edge, no punctuation inside but a
//! hyphen). They are grouped by their stemmed form, so "rare earth" and "rare
//! earths" are one phrase, and scored by frequency, how early they first
//! occur, whether they appear in the title, and whether they are written as
//! proper names.

use rustc_hash::FxHashMap;

use super::document::Document;
use super::text::Span;
use super::tokenize::Token;

/// Longest phrase, in words.
pub const MAX_WORDS: usize = 4;

/// A keyphrase with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyphrase {
    /// The phrase as it first appears.
    pub text: String,
    /// Relevance in [0, 1], 1 for the best phrase.
    pub score: f32,
    /// Every occurrence in the analysed text.
    pub occurrences: Vec<Span>,
}

struct Candidate {
    first: Span,
    first_sentence: usize,
    occurrences: Vec<Span>,
    words: usize,
    capitalised: bool,
    in_title: bool,
}

/// Extracts up to `max` keyphrases of `doc`, best first.
pub fn extract(doc: &Document<'_>, max: usize) -> Vec<Keyphrase> {
    if max == 0 {
        return Vec::new();
    }
    let text = doc.text.as_ref();
    let title_terms: Vec<u64> = doc.title_tokens.iter().filter(|t| !t.stop).map(|t| t.term).collect();
    let mut cands: FxHashMap<Vec<u64>, Candidate> = FxHashMap::default();
    let n = doc.sentences.len().max(1);
    for si in 0..doc.sentences.len() {
        let toks = doc.sentence_tokens(si);
        // Split into runs of adjacent content words.
        let mut run: Vec<Token> = Vec::new();
        let flush = |run: &mut Vec<Token>, cands: &mut FxHashMap<Vec<u64>, Candidate>| {
            for start in 0..run.len() {
                for len in 1..=MAX_WORDS.min(run.len() - start) {
                    let words = &run[start..start + len];
                    if words[0].stop || words[len - 1].stop || !words[0].alpha || !words[len - 1].alpha {
                        continue;
                    }
                    let key: Vec<u64> = words.iter().map(|t| t.term).collect();
                    let span = Span::new(words[0].span.start, words[len - 1].span.end);
                    let capitalised = words
                        .iter()
                        .filter(|t| !t.stop)
                        .all(|t| t.span.slice(text).chars().next().is_some_and(char::is_uppercase));
                    let entry = cands.entry(key).or_insert_with(|| Candidate {
                        first: span,
                        first_sentence: si,
                        occurrences: Vec::new(),
                        words: len,
                        capitalised,
                        in_title: false,
                    });
                    entry.occurrences.push(span);
                    entry.in_title = words.iter().all(|t| t.stop || title_terms.contains(&t.term));
                }
            }
            run.clear();
        };
        for t in toks {
            let adjacent = run.last().is_none_or(|prev| {
                let gap = text.get(prev.span.end..t.span.start).unwrap_or(".");
                gap.chars().all(|c| c == ' ' || c == '-')
            });
            if !adjacent {
                flush(&mut run, &mut cands);
            }
            run.push(*t);
        }
        flush(&mut run, &mut cands);
    }
    let mut scored: Vec<(f32, Candidate)> = cands
        .into_values()
        .map(|c| {
            let freq = c.occurrences.len() as f32;
            let early = 1.0 - (c.first_sentence as f32 / n as f32) * 0.5;
            let mut s = freq.ln_1p() * early * (1.0 + 0.3 * (c.words as f32 - 1.0));
            if c.capitalised {
                s *= 1.3;
            }
            if c.in_title {
                s *= 1.5;
            }
            (s, c)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.first.start.cmp(&b.1.first.start))
    });
    let best = scored.first().map_or(1.0, |s| s.0).max(f32::MIN_POSITIVE);
    let mut out: Vec<Keyphrase> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for (s, c) in scored {
        if out.len() >= max {
            break;
        }
        let phrase = c.first.slice(text).to_string();
        let lower = phrase.to_lowercase();
        // Skip a phrase contained in (or containing) one already taken.
        if taken.iter().any(|t| t.contains(&lower) || lower.contains(t.as_str())) {
            continue;
        }
        taken.push(lower);
        out.push(Keyphrase { text: phrase, score: s / best, occurrences: c.occurrences });
    }
    out
}
