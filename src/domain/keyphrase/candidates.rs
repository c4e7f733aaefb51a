//! Candidate phrases: every run of up to [`MAX_WORDS`] adjacent words inside
//! one sentence that could stand alone as a keyphrase, with the counts the
//! scorer needs.
//!
//! A candidate never starts or ends with a stop word or a number and never
//! spans punctuation (a hyphen excepted: "low-carbon"). Inside a proper name a
//! short lower-case particle is allowed ("Chinese Academy of Sciences",
//! "Robert De Niro"); anywhere else a stop word ends the candidate, so phrases
//! such as "visit to Ganzhou" are never formed.
//!
//! Candidates are keyed by the stems of their words, so "rare earth" and "rare
//! earths" (or "Rare Earths") are one candidate with all their occurrences.
//!
//! Scripts written without spaces are tokenized into overlapping character
//! bigrams; a chain of overlapping bigrams is a candidate string of 3 to 5
//! characters. Repeated strings then win over their bigrams when scoring (see
//! the parent module), which finds the words of the article without a
//! dictionary.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::domain::document::Document;
use crate::domain::lang::Lang;
use crate::domain::text::Span;
use crate::domain::tokenize::{is_unspaced_char, Token};

/// Longest candidate, in words (in bigrams for unspaced scripts).
pub const MAX_WORDS: usize = 4;

/// Lower-case particles allowed inside a proper name between two capitalised
/// words ("Bank of England", "Ludwig van Beethoven", "Institute for Fiscal
/// Studies"). Conjunctions are deliberately absent: "Merkel and Sarkozy" is
/// two names.
const NAME_PARTICLES: &[&str] = &[
    "of", "for", "de", "del", "della", "di", "da", "das", "dos", "do", "des", "du", "van", "von", "der", "den", "la",
    "le", "y", "al", "el", "bin", "ibn", "zu",
];

/// Length in bytes of the longest [`NAME_PARTICLES`] entry: longer words are
/// not looked up.
const PARTICLE_MAX_LEN: usize = 5;

/// The stem sequence that identifies a candidate (unused slots are 0).
pub type Key = [u64; MAX_WORDS];

/// One candidate phrase with its statistics. Its occurrences are kept by
/// [`Candidates`], chained in one flat list, so that collecting the hundreds
/// of candidates of an article costs no allocation per candidate.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Stems of its tokens, in order.
    pub key: Key,
    /// Number of tokens.
    pub len: usize,
    /// Number of occurrences.
    tf: u32,
    /// Sum over its occurrences, in text order, of `1 + 1 / (1 + s)` where
    /// `s` is the index of the occurrence's sentence: each mention counts
    /// one, early ones more.
    pub position_weight: f32,
    /// Where its first occurrence starts in the text.
    pub first_start: usize,
    /// Occurrences written capitalised (every content word) away from the
    /// start of a sentence.
    pub capitalised_inside: u32,
    /// Occurrences with a content word written in lower case.
    pub lower: u32,
    /// Whether the candidate's stems appear, in order, in the title.
    pub in_title: bool,
    /// Whether it is made of character bigrams (unspaced scripts).
    pub unspaced: bool,
    /// Its first and last entries in [`Candidates`]' occurrence chain.
    head: u32,
    tail: u32,
}

impl Candidate {
    /// How often it occurs.
    pub fn tf(&self) -> usize {
        self.tf as usize
    }

    /// Its stems.
    pub fn terms(&self) -> &[u64] {
        self.key.get(..self.len).unwrap_or(&[])
    }
}

/// Most tokens whose candidates [`Candidates::collect`] reserves room for at
/// the start (a long news article).
const RESERVE_TOKENS_MAX: usize = 4096;

/// End of an occurrence chain.
const NO_NEXT: u32 = u32::MAX;

/// A token with what candidate generation needs to know about it.
#[derive(Clone, Copy)]
struct Word {
    tok: Token,
    /// First letter is upper case.
    cap: bool,
    /// First token of its sentence.
    initial: bool,
    /// A lower-case name particle such as "of".
    particle: bool,
    /// Ends in a possessive "'s" ("Fincher's"): ends a phrase.
    possessive: bool,
    /// Made of unspaced script (a character bigram).
    unspaced: bool,
}

/// All candidates of a document, and the index of each key.
#[derive(Debug, Default)]
pub struct Candidates {
    /// The candidates, in order of first occurrence.
    pub list: Vec<Candidate>,
    /// Where each key is in `list`.
    pub index: FxHashMap<Key, usize>,
    /// Every occurrence of every candidate, in text order: its span and the
    /// entry of the same candidate's next occurrence ([`NO_NEXT`] after the
    /// last).
    occurrences: Vec<(Span, u32)>,
}

impl Candidates {
    /// The occurrences of `c` (a candidate of this set), in text order.
    pub fn occurrences<'s>(&'s self, c: &Candidate) -> impl Iterator<Item = Span> + 's {
        let mut at = c.head;
        std::iter::from_fn(move || {
            let &(span, next) = self.occurrences.get(at as usize)?;
            at = next;
            Some(span)
        })
    }

    /// Collects the candidates of `doc`'s sentences.
    pub fn collect(doc: &Document<'_>) -> Self {
        let text = doc.text.as_ref();
        let lang = doc.lang;
        // Sized from the token count (news runs to about one candidate and
        // two occurrences per token) so that the maps seldom grow; a long
        // document grows them as it goes instead of reserving all up front.
        let n = doc.tokens.len().min(RESERVE_TOKENS_MAX);
        let mut out = Candidates {
            list: Vec::with_capacity(n),
            index: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            occurrences: Vec::with_capacity(2 * n),
        };
        // Words this document writes in lower case somewhere: a stop word
        // capitalised inside a sentence and never written in lower case
        // ("Li", "US", "WHO") is a name here, not a stop word — unless the
        // language capitalises it everywhere ("I'm", German "Sie").
        let mut lowercase: FxHashSet<u64> = FxHashSet::with_capacity_and_hasher(n / 2, Default::default());
        for t in &doc.tokens {
            if t.span.slice(text).chars().next().is_some_and(char::is_lowercase) {
                lowercase.insert(t.term);
            }
        }
        let mut run: Vec<Word> = Vec::with_capacity(32);
        for si in 0..doc.sentences.len() {
            let toks = doc.sentence_tokens(si);
            run.clear();
            for (i, t) in toks.iter().enumerate() {
                let surface = t.span.slice(text);
                let first = surface.chars().next().unwrap_or(' ');
                let unspaced = is_unspaced_char(first);
                let cap = first.is_uppercase();
                let mut tok = *t;
                if tok.stop
                    && cap
                    && i > 0
                    && surface.chars().nth(1).is_some()
                    && !lowercase.contains(&tok.term)
                    && !lang.always_capitalised(surface)
                {
                    tok.stop = false;
                }
                let w = Word {
                    tok,
                    cap,
                    initial: i == 0,
                    particle: surface.len() <= PARTICLE_MAX_LEN && NAME_PARTICLES.contains(&surface),
                    possessive: trim_possessive(text, t.span) != t.span,
                    unspaced,
                };
                if let Some(prev) = run.last() {
                    if !linked(text, prev, &w) {
                        out.add_run(text, lang, si, &run);
                        run.clear();
                    }
                }
                run.push(w);
            }
            out.add_run(text, lang, si, &run);
        }
        out.mark_title(doc);
        out
    }

    /// Adds every candidate inside one run of linked words.
    fn add_run(&mut self, text: &str, lang: Lang, sentence: usize, run: &[Word]) {
        for start in 0..run.len() {
            for len in 1..=MAX_WORDS.min(run.len() - start) {
                let Some(words) = run.get(start..start + len) else { break };
                match check(text, lang, words) {
                    Check::Ok { capitalised, lower } => self.add(text, words, sentence, capitalised, lower),
                    Check::Skip => {}
                    Check::Stop => break,
                }
            }
        }
    }

    fn add(&mut self, text: &str, words: &[Word], sentence: usize, capitalised: bool, lower: bool) {
        let (Some(first), Some(last)) = (words.first(), words.last()) else { return };
        let mut key: Key = [0; MAX_WORDS];
        for (k, w) in key.iter_mut().zip(words) {
            *k = w.tok.term;
        }
        let span = trim_possessive(text, Span::new(first.tok.span.start, last.tok.span.end));
        let Ok(entry) = u32::try_from(self.occurrences.len()) else { return };
        if entry == NO_NEXT {
            return;
        }
        self.occurrences.push((span, NO_NEXT));
        let idx = *self.index.entry(key).or_insert_with(|| {
            self.list.push(Candidate {
                key,
                len: words.len(),
                tf: 0,
                position_weight: 0.0,
                first_start: span.start,
                capitalised_inside: 0,
                lower: 0,
                in_title: false,
                unspaced: first.unspaced,
                head: entry,
                tail: entry,
            });
            self.list.len() - 1
        });
        if let Some(c) = self.list.get_mut(idx) {
            if c.tf > 0 {
                if let Some(prev) = self.occurrences.get_mut(c.tail as usize) {
                    prev.1 = entry;
                }
                c.tail = entry;
            }
            c.tf += 1;
            c.position_weight += 1.0 + 1.0 / (1.0 + sentence as f32);
            if capitalised && !first.initial {
                c.capitalised_inside += 1;
            }
            if lower {
                c.lower += 1;
            }
        }
    }

    /// Marks candidates whose stems occur in order in the title.
    fn mark_title(&mut self, doc: &Document<'_>) {
        let title: Vec<u64> = doc.title_tokens.iter().map(|t| t.term).collect();
        if title.is_empty() {
            return;
        }
        for c in &mut self.list {
            let terms = c.terms();
            c.in_title = !terms.is_empty() && title.windows(terms.len()).any(|w| w == terms);
        }
    }
}

/// Whether `next` continues the phrase that `prev` ends: same script kind,
/// and only spaces or one hyphen between them (bigrams of unspaced scripts
/// link when they overlap).
fn linked(text: &str, prev: &Word, next: &Word) -> bool {
    if prev.unspaced || next.unspaced {
        return prev.unspaced
            && next.unspaced
            && prev.tok.span.start < next.tok.span.start
            && next.tok.span.start < prev.tok.span.end;
    }
    match text.get(prev.tok.span.end..next.tok.span.start) {
        Some(gap) => gap == "-" || (!gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')),
        None => false,
    }
}

enum Check {
    /// A candidate; whether every content word is capitalised, whether one
    /// is in lower case.
    Ok { capitalised: bool, lower: bool },
    /// Not a candidate, but a longer one from the same start may be.
    Skip,
    /// Neither this nor any longer one from the same start.
    Stop,
}

fn check(text: &str, lang: Lang, words: &[Word]) -> Check {
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return Check::Stop };
    if first.unspaced {
        return check_unspaced(text, lang, first, last);
    }
    if first.tok.stop || first.particle || !first.tok.alpha {
        return Check::Stop;
    }
    // A stop word inside is only allowed as a particle between capitalised
    // words of a name.
    if words.iter().take(words.len() - 1).any(|w| w.possessive) {
        return Check::Stop;
    }
    for (i, w) in words.iter().enumerate().skip(1) {
        if w.tok.stop || w.particle {
            let prev_content = words.get(i - 1).is_some_and(|p| p.cap && !p.tok.stop && !p.particle);
            if !(w.particle && prev_content && words.iter().take(i).all(|p| p.cap || p.particle)) {
                return Check::Stop;
            }
        }
    }
    if last.tok.stop || last.particle || !last.tok.alpha {
        return Check::Skip;
    }
    if words.len() == 1 && last.tok.span.slice(text).chars().nth(1).is_none() {
        return Check::Skip; // a lone letter
    }
    let content = words.iter().filter(|w| !w.tok.stop && !w.particle);
    let capitalised = content.clone().all(|w| w.cap);
    let lower = content.clone().any(|w| !w.cap);
    if words.iter().any(|w| w.particle) && !capitalised {
        return Check::Skip;
    }
    Check::Ok { capitalised, lower }
}

fn check_unspaced(text: &str, lang: Lang, first: &Word, last: &Word) -> Check {
    let span = Span::new(first.tok.span.start, last.tok.span.end);
    let s = span.slice(text);
    let (Some(a), Some(z)) = (s.chars().next(), s.chars().next_back()) else { return Check::Stop };
    if s.chars().nth(1).is_none() {
        return Check::Stop; // a lone character
    }
    if weak_edge(lang, a) {
        return Check::Stop;
    }
    if weak_edge(lang, z) {
        return Check::Skip;
    }
    Check::Ok { capitalised: false, lower: false }
}

/// Characters that do not begin or end a keyphrase in unspaced scripts:
/// one-character stop words of the language (的, 了, 是…) and Japanese kana
/// particles and inflections (hiragana).
fn weak_edge(lang: Lang, c: char) -> bool {
    let mut buf = [0u8; 4];
    matches!(c as u32, 0x3040..=0x309F) || lang.is_stop_word(c.encode_utf8(&mut buf))
}

/// `span` without a final possessive "'s" ("China's" → "China"): the stem
/// already ignores it, and the phrase reads better without it.
fn trim_possessive(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    for suffix in ["'s", "\u{2019}s"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            if !rest.is_empty() {
                return Span::new(span.start, span.start + rest.len());
            }
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_particle_is_longer_than_the_length_checked_first() {
        assert!(NAME_PARTICLES.iter().all(|p| p.len() <= PARTICLE_MAX_LEN));
    }

    #[test]
    fn each_candidate_has_its_own_occurrences_in_text_order() {
        use std::sync::Arc;

        use crate::domain::taxonomy::Taxonomies;
        use crate::domain::{Article, Format, Limits, Pipeline};

        let body = "Rare earths matter. Copper prices rose. Rare earth mines opened, and copper fell. \
                    Rare earths again.";
        let pipeline = Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()));
        let article = Article { title: "", body, format: Format::Text, language: Some("en") };
        let doc = pipeline.prepare(&article).unwrap_or_else(|e| panic!("{e}"));
        let text = doc.text.as_ref();
        let cands = Candidates::collect(&doc);
        let find = |words: &str| {
            cands.list.iter().find(|c| cands.occurrences(c).next().is_some_and(|o| o.slice(text) == words))
        };
        let rare = find("Rare earths").unwrap_or_else(|| panic!("no rare earths"));
        let spans: Vec<&str> = cands.occurrences(rare).map(|o| o.slice(text)).collect();
        assert_eq!(spans, ["Rare earths", "Rare earth", "Rare earths"]);
        assert_eq!(rare.tf(), 3);
        assert_eq!(rare.first_start, 0);
        let copper = find("Copper").unwrap_or_else(|| panic!("no copper"));
        let spans: Vec<&str> = cands.occurrences(copper).map(|o| o.slice(text)).collect();
        assert_eq!(spans, ["Copper", "copper"]);
        // 1 + 1/(1 + sentence) per occurrence: sentences 0, 2 and 3.
        assert!((rare.position_weight - (2.0 + 4.0 / 3.0 + 1.25)).abs() < 1e-6);
        let total: usize = cands.list.iter().map(Candidate::tf).sum();
        assert_eq!(total, cands.occurrences.len());
    }
}
