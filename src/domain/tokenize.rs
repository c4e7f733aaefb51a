//! Word tokens with byte offsets: Unicode word segmentation, case folding,
//! stop words and Snowball stemming per language.
//!
//! A token keeps its span in the analysed text; its `term` is a stable 64-bit
//! hash (FNV-1a) of the folded, stemmed form, so that the summariser and the
//! classifier compare words without allocating strings. The hash is part of
//! the model file format: do not change it without bumping the model version.
//!
//! Scripts written without spaces (Chinese, Japanese, Thai) have no word
//! boundaries to find without a dictionary, so they are tokenised into
//! overlapping character bigrams, a dictionary-free method that works well for
//! similarity and classification.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

use super::lang::Lang;
use super::text::Span;

/// One word of the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where the word is in the analysed text.
    pub span: Span,
    /// Stable hash of the folded and stemmed word (see [`term_hash`]).
    pub term: u64,
    /// Whether the word is a stop word of the language.
    pub stop: bool,
    /// Whether the word starts with a letter (not a number).
    pub alpha: bool,
}

/// FNV-1a, 64 bits: stable across platforms and releases.
pub fn term_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Cache entry: folded+stemmed hash and stop-word flag of a surface form.
#[derive(Clone, Copy)]
struct Entry {
    term: u64,
    stop: bool,
}

/// Per-thread caches so that each distinct word is folded and stemmed once.
struct Cache {
    /// One map per language seen by this thread (few in practice).
    words: Vec<(Lang, FxHashMap<Box<str>, Entry>)>,
    fold: String,
}

/// Bound on the cache so a stream of random words cannot grow memory.
const CACHE_MAX: usize = 200_000;

thread_local! {
    static CACHE: RefCell<Cache> = const { RefCell::new(Cache { words: Vec::new(), fold: String::new() }) };
}

/// Whether a character belongs to a script written without spaces.
pub fn is_unspaced_char(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x0E00..=0x0E7F // Thai
        | 0x0E80..=0x0EFF // Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x20000..=0x2FFFF)
}

/// Splits text into tokens for one language.
#[derive(Debug, Clone, Copy)]
pub struct Tokenizer {
    lang: Lang,
}

impl Tokenizer {
    /// A tokenizer for `lang`.
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The language it tokenizes for.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Appends the tokens of `text[span]` to `out`, with absolute offsets.
    pub fn tokenize(&self, text: &str, span: Span, out: &mut Vec<Token>) {
        let piece = span.slice(text);
        let mut words = piece.split_word_bound_indices().peekable();
        while let Some((off, word)) = words.next() {
            let Some(first) = word.chars().next() else {
                continue;
            };
            if !first.is_alphanumeric() {
                continue;
            }
            let start = span.start + off;
            if is_unspaced_char(first) {
                // Word bounds split these scripts per character: gather the
                // whole run, then emit bigrams over it.
                let mut end = off + word.len();
                while let Some(&(o, w)) = words.peek() {
                    if o == end && w.chars().next().is_some_and(is_unspaced_char) {
                        end += w.len();
                        words.next();
                    } else {
                        break;
                    }
                }
                self.push_bigrams(&piece[off..end], start, out);
                continue;
            }
            if let Some(tok) = self.word_token(word, start) {
                out.push(tok);
            }
        }
    }

    /// Tokens of a whole string (convenience for titles and tests).
    pub fn tokens_of(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokenize(text, Span::new(0, text.len()), &mut out);
        out
    }

    fn word_token(&self, word: &str, start: usize) -> Option<Token> {
        let alpha = word.chars().next().is_some_and(char::is_alphabetic);
        let entry = CACHE.with(|c| lookup(&mut c.borrow_mut(), self.lang, word));
        Some(Token { span: Span::new(start, start + word.len()), term: entry.term, stop: entry.stop, alpha })
    }

    /// Overlapping character bigrams of a run of unspaced script (a single
    /// character stands alone).
    fn push_bigrams(&self, word: &str, start: usize, out: &mut Vec<Token>) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() == 1 {
            let (i, c) = chars[0];
            let s = Span::new(start + i, start + i + c.len_utf8());
            out.push(Token { span: s, term: term_hash(word.as_bytes()), stop: false, alpha: true });
            return;
        }
        for w in chars.windows(2) {
            let (i, _) = w[0];
            let (j, c2) = w[1];
            let s = Span::new(start + i, start + j + c2.len_utf8());
            let piece = &word[i..j + c2.len_utf8()];
            out.push(Token { span: s, term: term_hash(piece.as_bytes()), stop: false, alpha: true });
        }
    }
}

fn lookup(c: &mut Cache, lang: Lang, word: &str) -> Entry {
    // Look up by surface form first: most words repeat.
    let slot = match c.words.iter().position(|(l, _)| *l == lang) {
        Some(i) => i,
        None => {
            c.words.push((lang, FxHashMap::default()));
            c.words.len() - 1
        }
    };
    if let Some(e) = c.words[slot].1.get(word) {
        return *e;
    }
    c.fold.clear();
    for ch in word.chars() {
        // Fold case and typographic apostrophes.
        match ch {
            '\u{2019}' | '\u{2018}' => c.fold.push('\''),
            _ => c.fold.extend(ch.to_lowercase()),
        }
    }
    let stop = lang.is_stop_word(&c.fold);
    let term = match lang.stemmer() {
        Some(alg) => {
            let stemmer = rust_stemmers::Stemmer::create(alg);
            term_hash(stemmer.stem(&c.fold).as_bytes())
        }
        None => term_hash(c.fold.as_bytes()),
    };
    let e = Entry { term, stop };
    let map = &mut c.words[slot].1;
    if map.len() >= CACHE_MAX {
        map.clear();
    }
    map.insert(Box::from(word), e);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_stems() {
        let t = Tokenizer::new(Lang::En);
        let text = "Rare earths, rare earth: the U.S. mines.";
        let toks = t.tokens_of(text);
        let words: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
        assert_eq!(words, ["Rare", "earths", "rare", "earth", "the", "U.S", "mines"]);
        assert_eq!(toks[1].term, toks[3].term, "earths and earth share a stem");
        assert!(toks[4].stop);
    }

    #[test]
    fn chinese_bigrams() {
        let t = Tokenizer::new(Lang::Zh);
        let text = "中国总理";
        let toks = t.tokens_of(text);
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[0].span.slice(text), "中国");
    }
}
