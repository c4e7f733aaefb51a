//! Keyphrases: the words and phrases that say what an article is about.
//!
//! A statistical method in three steps, with no model and no corpus, so that
//! it works in any language the tokenizer handles:
//!
//! 1. **Candidates** ([`candidates`]): runs of up to four adjacent words
//!    inside one sentence, never starting or ending with a stop word, grouped
//!    by stem ("rare earth" = "rare earths").
//! 2. **Score**: each occurrence counts one, plus a bonus that decays with the
//!    sentence it is in (news puts what matters first); phrases in the title
//!    and proper names (written capitalised away from sentence starts, never
//!    in lower case) are boosted.
//! 3. **Absorb, then select**: a longer phrase takes the place of a shorter
//!    one it contains when it accounts for at least half of the shorter one's
//!    occurrences ("rare earths" replaces "rare"), and a multi-word name
//!    takes the place of its first or last name ("Li Qiang" replaces "Li",
//!    "David Mamet" replaces "Mamet") — the standing-alone mentions are the
//!    same person. The absorbing phrase keeps the better score. The best
//!    phrases are then taken in order, skipping any that contains or is
//!    contained in one already taken.
//!
//! Only the document's sentences are read, so page clutter removed before
//! segmentation never yields keyphrases.

pub mod candidates;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use candidates::{Candidate, Candidates, Key, MAX_WORDS};

use super::document::Document;
use super::text::Span;

/// Score factor of a phrase found in the title.
const TITLE_BOOST: f32 = 1.5;
/// Score factor of a proper name.
const NAME_BOOST: f32 = 1.3;
/// Share of a phrase's occurrences a longer phrase must account for (more
/// than) to absorb it: a majority.
const ABSORB_SHARE: f32 = 0.5;
/// Occurrences compared to pick the written form of a phrase.
const FORMS_LOOKED_AT: usize = 32;

/// A keyphrase with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyphrase {
    /// The phrase, in its most frequent written form.
    pub text: String,
    /// Relevance in (0, 1], 1 for the best phrase.
    pub score: f32,
    /// Every occurrence of the phrase (any inflection) in the analysed text.
    pub occurrences: Vec<Span>,
}

/// Extracts up to `max` keyphrases of `doc`, best first.
pub fn extract(doc: &Document<'_>, max: usize) -> Vec<Keyphrase> {
    if max == 0 || doc.sentences.is_empty() {
        return Vec::new();
    }
    let text = doc.text.as_ref();
    let cands = Candidates::collect(doc);
    let list = &cands.list;
    let names: Vec<bool> = list.iter().map(is_name).collect();
    let mut score: Vec<f32> = list.iter().zip(&names).map(|(c, &name)| own_score(c, name)).collect();
    let absorber = absorbers(&cands, &names);
    // Hand scores up the absorption chains, shorter phrases first.
    // (Shortest first, in list order within a length: a stable sort by length.)
    let order =
        (1..=MAX_WORDS).flat_map(|len| (0..list.len()).filter(move |&i| list.get(i).is_some_and(|c| c.len == len)));
    for q in order {
        if let Some(p) = absorber.get(q).copied().flatten() {
            let s = score.get(q).copied().unwrap_or(0.0);
            if let Some(sp) = score.get_mut(p) {
                *sp = sp.max(s);
            }
        }
    }
    let mut ranked: Vec<usize> = (0..list.len())
        .filter(|&i| {
            let (Some(c), Some(&name)) = (list.get(i), names.get(i)) else { return false };
            absorber.get(i).is_some_and(Option::is_none)
                && (c.len == 1 || c.unspaced || c.tf() >= 2 || name || c.in_title)
        })
        .collect();
    let s = |i: usize| score.get(i).copied().unwrap_or(0.0);
    // A total order (two candidates of one length never start at the same
    // place), so an unstable sort gives the one answer.
    ranked.sort_unstable_by(|&a, &b| {
        s(b).partial_cmp(&s(a)).unwrap_or(Ordering::Equal).then_with(|| {
            let (ca, cb) = (list.get(a), list.get(b));
            cb.map_or(0, |c| c.len).cmp(&ca.map_or(0, |c| c.len)).then_with(|| first_start(ca).cmp(&first_start(cb)))
        })
    });
    let best = ranked.first().map_or(1.0, |&i| s(i)).max(f32::MIN_POSITIVE);
    let mut taken: Vec<&Candidate> = Vec::new();
    let mut out = Vec::new();
    for i in ranked {
        if out.len() >= max {
            break;
        }
        let Some(c) = list.get(i) else { continue };
        if taken.iter().any(|t| contains(t.terms(), c.terms()) || contains(c.terms(), t.terms())) {
            continue;
        }
        taken.push(c);
        let occurrences: Vec<Span> = cands.occurrences(c).collect();
        out.push(Keyphrase { text: display(text, &occurrences).to_string(), score: s(i) / best, occurrences });
    }
    out
}

/// Whether a candidate reads as a proper name: capitalised at least once
/// away from a sentence start and never in lower case.
fn is_name(c: &Candidate) -> bool {
    !c.unspaced && c.lower == 0 && c.capitalised_inside > 0
}

/// A candidate's own score: each occurrence counts one plus a bonus of
/// 1 / (1 + sentence index), so early mentions weigh more.
fn own_score(c: &Candidate, name: bool) -> f32 {
    let mut s = c.position_weight;
    if c.in_title {
        s *= TITLE_BOOST;
    }
    if name {
        s *= NAME_BOOST;
    }
    s
}

/// For each candidate, the longer candidate that absorbs it, if any.
fn absorbers(cands: &Candidates, names: &[bool]) -> Vec<Option<usize>> {
    let list = &cands.list;
    // (absorber, its tf, its length, ambiguous)
    let mut best: Vec<Option<(usize, usize, usize, bool)>> = vec![None; list.len()];
    for (p, c) in list.iter().enumerate() {
        if c.len < 2 {
            continue;
        }
        let name = names.get(p).copied().unwrap_or(false);
        if c.tf() < 2 && !name {
            continue;
        }
        let terms = c.terms();
        for start in 0..terms.len() {
            for end in start + 1..=terms.len() {
                if end - start == terms.len() {
                    continue;
                }
                let Some(sub) = terms.get(start..end) else { continue };
                let mut key: Key = [0; MAX_WORDS];
                for (k, t) in key.iter_mut().zip(sub) {
                    *k = *t;
                }
                let Some(&q) = cands.index.get(&key) else { continue };
                let Some(qc) = list.get(q) else { continue };
                let share = c.tf() as f32 / qc.tf().max(1) as f32;
                // A single name standing for the whole name: first or last
                // word of a two-word name, last word of a longer one.
                let name_part = name
                    && qc.len == 1
                    && names.get(q).copied().unwrap_or(false)
                    && (end == terms.len() || (start == 0 && terms.len() == 2));
                if share <= ABSORB_SHARE && !name_part {
                    continue;
                }
                let slot = &mut best[q];
                *slot = match *slot {
                    None => Some((p, c.tf(), c.len, false)),
                    Some((bp, btf, blen, amb)) => match (c.tf().cmp(&btf), blen.cmp(&c.len)) {
                        (Ordering::Greater, _) | (Ordering::Equal, Ordering::Greater) => {
                            Some((p, c.tf(), c.len, false))
                        }
                        (Ordering::Equal, Ordering::Equal) if bp != p => Some((bp, btf, blen, true)),
                        _ => Some((bp, btf, blen, amb)),
                    },
                };
            }
        }
    }
    best.into_iter().map(|b| b.and_then(|(p, _, _, amb)| (!amb).then_some(p))).collect()
}

/// Whether `needle` occurs as a contiguous run in `hay`.
fn contains(hay: &[u64], needle: &[u64]) -> bool {
    !needle.is_empty() && needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

fn first_start(c: Option<&Candidate>) -> usize {
    c.map_or(usize::MAX, |c| c.first_start)
}

/// The most frequent written form of a candidate, given its occurrences
/// (the first on ties).
fn display<'t>(text: &'t str, occurrences: &[Span]) -> &'t str {
    // The first few occurrences are enough to tell, and keep this bounded.
    let occ = occurrences.get(..occurrences.len().min(FORMS_LOOKED_AT)).unwrap_or(&[]);
    let mut best: (&str, usize) = ("", 0);
    for (i, o) in occ.iter().enumerate() {
        let form = o.slice(text);
        if occ.iter().take(i).any(|o| o.slice(text) == form) {
            continue;
        }
        let n = occ.iter().skip(i).filter(|o| o.slice(text) == form).count();
        if n > best.1 {
            best = (form, n);
        }
    }
    best.0
}
