//! Word tokens with byte offsets: Unicode word segmentation, case folding and
//! normalisation, stop words and Snowball stemming per language.
//!
//! A token keeps its span in the analysed text; its `term` is a stable 64-bit
//! hash (FNV-1a) of the folded, stemmed form, so that the summariser and the
//! classifier compare words without allocating strings. The hash is part of
//! the model file format: do not change it without bumping the model version.
//!
//! Folding: Unicode compatibility normalisation (NFKC, so that "é" typed as
//! `e` + combining accent and the precomposed "é" are one word, and "ﬁ" is
//! "fi"), lower case, typographic apostrophes to `'`, and `ё` to `е`.
//!
//! Word boundaries follow Unicode UAX #29 (`unicode-segmentation`). Most news
//! text is ASCII, so an ASCII span takes a fast path that applies the same
//! UAX #29 rules restricted to ASCII (a property test checks they agree).
//! Each distinct surface form is folded and stemmed once per thread and then
//! served from a cache; forms of up to 15 bytes (nearly all words) are keyed
//! by their bytes packed into a `u128`, so a lookup neither hashes nor
//! compares strings.
//!
//! Scripts written without spaces (Chinese, Japanese, Thai) have no word
//! boundaries to find without a dictionary, so they are tokenised into
//! overlapping character bigrams, a dictionary-free method that works well for
//! similarity and classification.

use std::cell::RefCell;
use std::sync::LazyLock;

use rust_stemmers::Stemmer;
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

use super::lang::{Lang, ENGLISH_FUNCTION_WORDS};
use super::swar;
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
    /// Whether the word is a function word, which says nothing about what
    /// its sentence is about: for English a stop word that is also (by stem)
    /// in [`ENGLISH_FUNCTION_WORDS`], a narrower list; for other languages
    /// any stop word.
    pub function: bool,
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

/// Cache entry: folded+stemmed hash, stop-word and function-word flags of a
/// surface form.
#[derive(Clone, Copy)]
struct Entry {
    term: u64,
    stop: bool,
    function: bool,
}

/// The terms of [`ENGLISH_FUNCTION_WORDS`] as the English tokenizer hashes
/// them (lower-cased and stemmed; built with a stemmer of its own, since it
/// is first used while the word cache is borrowed).
static ENGLISH_FUNCTION_TERMS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| {
    let stemmer = Lang::En.stemmer().map(Stemmer::create);
    ENGLISH_FUNCTION_WORDS
        .iter()
        .map(|w| {
            let folded = w.to_lowercase();
            match &stemmer {
                Some(s) => term_hash(s.stem(&folded).as_bytes()),
                None => term_hash(folded.as_bytes()),
            }
        })
        .collect()
});

/// The cache of one language.
struct LangCache {
    lang: Lang,
    stemmer: Option<Stemmer>,
    /// The most recent short forms, direct-mapped by key: frequent words
    /// are found here without touching the large map, whose lookups miss
    /// the processor caches.
    hot: Box<[Hot]>,
    /// Surface forms of at most [`SHORT_KEY_MAX`] bytes, keyed by
    /// [`short_key`]: most words, looked up without hashing or comparing
    /// strings.
    short: FxHashMap<u128, Entry>,
    /// Longer surface forms.
    words: FxHashMap<Box<str>, Entry>,
}

/// Longest surface form (in bytes) that [`short_key`] packs.
const SHORT_KEY_MAX: usize = 15;

/// Packs a surface form of at most [`SHORT_KEY_MAX`] bytes into an integer:
/// its bytes, then its length in the last byte. Two words get the same key
/// exactly when they are the same bytes, so the cache stays exact.
///
/// The bytes are gathered with at most two overlapping loads per half
/// (overlapping bytes land on the same place), not copied through a stack
/// buffer: a variable-length copy followed by a wide load stalls the
/// processor's store forwarding on every word.
fn short_key(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let len = b.len();
    if len > SHORT_KEY_MAX {
        return None;
    }
    let (lo, hi) = if len >= 8 {
        let lo = le_u64(b.get(..8)?);
        // Bytes 8..len: the last eight bytes, shifted down past those
        // already in `lo` (none when `len` is 8).
        let hi = if len > 8 { le_u64(b.get(len - 8..)?) >> ((16 - len) * 8) } else { 0 };
        (lo, hi)
    } else if len >= 4 {
        let first = u64::from(le_u32(b.get(..4)?));
        let last = u64::from(le_u32(b.get(len - 4..)?));
        (first | last << ((len - 4) * 8), 0)
    } else if len > 0 {
        let byte = |i: usize| b.get(i).map_or(0, |&x| u64::from(x)) << (i * 8);
        (byte(0) | byte(len / 2) | byte(len - 1), 0)
    } else {
        (0, 0)
    };
    Some(u128::from(lo) | u128::from(hi) << 64 | (len as u128) << 120)
}

/// Little-endian `u64` of exactly eight bytes (0 otherwise).
fn le_u64(b: &[u8]) -> u64 {
    b.try_into().map_or(0, u64::from_le_bytes)
}

/// Little-endian `u32` of exactly four bytes (0 otherwise).
fn le_u32(b: &[u8]) -> u32 {
    b.try_into().map_or(0, u32::from_le_bytes)
}

/// The front-cache slot of a short key.
fn hot_slot(key: u128) -> usize {
    let mixed = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - HOT_SLOTS.trailing_zeros())) as usize
}

/// Slots of the small front cache (a power of two): 4,096 × 32 bytes stay
/// in the processor's second-level cache, which the large maps do not.
const HOT_SLOTS: usize = 4096;

/// A front-cache slot; `key` [`EMPTY_KEY`] when unused.
#[derive(Clone, Copy)]
struct Hot {
    key: u128,
    entry: Entry,
}

/// A key no word has (its length byte is over [`SHORT_KEY_MAX`]).
const EMPTY_KEY: u128 = u128::MAX;

/// Per-thread caches so that each distinct word is folded and stemmed once.
struct Cache {
    /// One cache per language seen by this thread (few in practice).
    langs: Vec<LangCache>,
    /// Scratch buffers for folding.
    fold: String,
    norm: String,
}

/// Bound on each language's cache so a stream of random words cannot grow
/// memory without limit.
const CACHE_MAX: usize = 200_000;

thread_local! {
    static CACHE: RefCell<Cache> =
        const { RefCell::new(Cache { langs: Vec::new(), fold: String::new(), norm: String::new() }) };
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
    /// A span out of range or off character boundaries yields nothing.
    pub fn tokenize(&self, text: &str, span: Span, out: &mut Vec<Token>) {
        let piece = span.slice(text);
        if piece.is_empty() {
            return;
        }
        CACHE.with(|c| {
            let mut guard = c.borrow_mut();
            let cache = &mut *guard;
            let slot = slot_for(&mut cache.langs, self.lang);
            let bytes = piece.as_bytes();
            if piece.is_ascii() {
                ascii_words(bytes, |s, e| {
                    if let Some(word) = piece.get(s..e).filter(|_| !is_char_reference(bytes, s, e)) {
                        out.push(word_token(cache, slot, word, span.start + s));
                    }
                });
                return;
            }
            let before = out.len();
            let simple = simple_words(piece, |s, e| {
                if let Some(word) = piece.get(s..e).filter(|_| !is_char_reference(bytes, s, e)) {
                    out.push(word_token(cache, slot, word, span.start + s));
                }
            });
            if simple {
                return;
            }
            out.truncate(before);
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
                    // Word bounds split these scripts per character: gather
                    // the whole run, then emit bigrams over it.
                    let mut end = off + word.len();
                    while let Some(&(o, w)) = words.peek() {
                        if o == end && w.chars().next().is_some_and(is_unspaced_char) {
                            end += w.len();
                            words.next();
                        } else {
                            break;
                        }
                    }
                    push_bigrams(piece.get(off..end).unwrap_or(""), start, out);
                    continue;
                }
                if !is_char_reference(bytes, off, off + word.len()) {
                    out.push(word_token(cache, slot, word, start));
                }
            }
        });
    }

    /// Tokens of a whole string (convenience for titles and tests).
    pub fn tokens_of(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokenize(text, Span::new(0, text.len()), &mut out);
        out
    }
}

/// Whether the word at `s..e` of `b` is the name or number of an HTML
/// character reference (`&amp;`, `&quot;`, `&#8217;`, `&#x2019;`) left in
/// scraped text: it is markup, not a word, and would otherwise become a
/// term, even a keyphrase ("quot"). The text itself is never rewritten.
/// Names are 2 to 10 letters or digits after `&`, so "AT&T;" keeps its "T".
#[inline(always)]
fn is_char_reference(b: &[u8], s: usize, e: usize) -> bool {
    if b.get(e) != Some(&b';') || s == 0 {
        return false;
    }
    let Some(word) = b.get(s..e) else { return false };
    match b.get(s - 1) {
        Some(b'&') => {
            (2..=10).contains(&word.len())
                && word.first().is_some_and(u8::is_ascii_alphabetic)
                && word.iter().all(u8::is_ascii_alphanumeric)
        }
        Some(b'#') if s >= 2 && b.get(s - 2) == Some(&b'&') => match word.split_first() {
            Some((b'x' | b'X', hex)) => (1..=6).contains(&hex.len()) && hex.iter().all(u8::is_ascii_hexdigit),
            _ => (1..=7).contains(&word.len()) && word.iter().all(u8::is_ascii_digit),
        },
        _ => false,
    }
}

/// Index of the cache for `lang`, created on first use.
fn slot_for(langs: &mut Vec<LangCache>, lang: Lang) -> usize {
    if let Some(i) = langs.iter().position(|l| l.lang == lang) {
        return i;
    }
    langs.push(LangCache {
        lang,
        stemmer: lang.stemmer().map(Stemmer::create),
        hot: vec![Hot { key: EMPTY_KEY, entry: Entry { term: 0, stop: false, function: false } }; HOT_SLOTS]
            .into_boxed_slice(),
        short: FxHashMap::default(),
        words: FxHashMap::default(),
    });
    langs.len() - 1
}

/// Inlined so the token is built in registers: returned through memory, the
/// caller's copy of it into the output reads back stores still in flight.
#[inline(always)]
fn word_token(cache: &mut Cache, slot: usize, word: &str, start: usize) -> Token {
    let alpha = word.chars().next().is_some_and(char::is_alphabetic);
    let entry = lookup(cache, slot, word);
    Token {
        span: Span::new(start, start + word.len()),
        term: entry.term,
        stop: entry.stop,
        function: entry.function,
        alpha,
    }
}

/// [`simple_words`] for ASCII text, on bytes: letters, digits and `_` join;
/// `:` `.` `'` join letters on both sides; `,` `;` `.` `'` join digits.
#[inline(always)]
fn ascii_words(s: &[u8], mut emit: impl FnMut(usize, usize)) {
    let n = s.len();
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < n {
        if !word_byte(s[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            j = word_run_end(s, j);
            if j + 1 < n && j > start {
                let (prev, mid, next) = (s[j - 1], s[j], s[j + 1]);
                let letters =
                    prev.is_ascii_alphabetic() && next.is_ascii_alphabetic() && matches!(mid, b':' | b'.' | b'\'');
                let digits =
                    prev.is_ascii_digit() && next.is_ascii_digit() && matches!(mid, b',' | b';' | b'.' | b'\'');
                if letters || digits {
                    j += 1;
                    continue;
                }
            }
            break;
        }
        if s[start].is_ascii_alphanumeric() {
            emit(start, j);
        }
        i = j;
    }
}

/// The end of the run of word bytes (letters, digits, `_`) of ASCII `s`
/// that starts at `j`: eight bytes at a time, then byte by byte.
#[inline(always)]
fn word_run_end(s: &[u8], j: usize) -> usize {
    swar::find(s, j, |x| !swar::ascii_word_bytes(x) & swar::HIGH, |b| !(b.is_ascii_alphanumeric() || b == b'_'))
}

/// Word-boundary classes of UAX #29 that the fast path knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Digit,
    ExtendNumLet,
    MidLetter,
    MidNumLet,
    MidNum,
    Other,
}

/// The UAX #29 class of `c`, for ASCII, Latin letters and the typographic
/// punctuation of news text; `None` for anything else.
fn wb_class(c: char) -> Option<Wb> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Wb::Letter,
        '0'..='9' => Wb::Digit,
        '_' => Wb::ExtendNumLet,
        ':' | '\u{00B7}' => Wb::MidLetter,
        '.' | '\'' | '\u{2018}' | '\u{2019}' | '\u{2024}' => Wb::MidNumLet,
        ',' | ';' => Wb::MidNum,
        '\u{00D7}' | '\u{00F7}' => Wb::Other,
        '\u{00C0}'..='\u{024F}' => Wb::Letter,
        c if c.is_ascii() => Wb::Other,
        '\u{00A3}' | '\u{00A5}' | '\u{00A7}' | '\u{00A9}' | '\u{00AB}' | '\u{00AE}' | '\u{00B0}' | '\u{00B6}'
        | '\u{00BB}' | '\u{2013}' | '\u{2014}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2022}' | '\u{2026}'
        | '\u{2039}' | '\u{203A}' | '\u{20AC}' => Wb::Other,
        _ => return None,
    })
}

/// Calls `emit(start, end)` for each word that starts with a letter or digit,
/// with the word boundaries of UAX #29 for text made only of the characters
/// [`wb_class`] knows: letters, digits and `_` join; `:` `·` join letters on
/// both sides; `.` `'` `’` join letters or digits on both sides; `,` `;` join
/// digits on both sides. Returns `false` (having emitted some words) at the
/// first other character: the caller then starts over with full UAX #29.
fn simple_words(text: &str, mut emit: impl FnMut(usize, usize)) -> bool {
    let mut it = text.char_indices().peekable();
    // The current word: start, class of its last character, and a pending
    // middle character (position, class) that joins only if a matching class
    // follows.
    let mut word: Option<(usize, Wb)> = None;
    let mut mid: Option<(usize, Wb)> = None;
    let mut first_alnum = false;
    let mut end = 0usize;
    while let Some((i, c)) = it.next() {
        let Some(k) = wb_class(c) else {
            return false;
        };
        let len = c.len_utf8();
        let joins_word = matches!(k, Wb::Letter | Wb::Digit | Wb::ExtendNumLet);
        match (word, mid) {
            (Some((ws, last)), Some((_, m))) => {
                let ok = (last == Wb::Letter && k == Wb::Letter && matches!(m, Wb::MidLetter | Wb::MidNumLet))
                    || (last == Wb::Digit && k == Wb::Digit && matches!(m, Wb::MidNum | Wb::MidNumLet));
                mid = None;
                if ok {
                    word = Some((ws, k));
                    end = i + len;
                    continue;
                }
                if first_alnum {
                    emit(ws, end);
                }
                word = None;
            }
            (Some((ws, last)), None) => {
                if joins_word {
                    word = Some((ws, k));
                    end = i + len;
                    continue;
                }
                let can_mid = (last == Wb::Letter && matches!(k, Wb::MidLetter | Wb::MidNumLet))
                    || (last == Wb::Digit && matches!(k, Wb::MidNum | Wb::MidNumLet));
                if can_mid && it.peek().is_some() {
                    mid = Some((i, k));
                    continue;
                }
                if first_alnum {
                    emit(ws, end);
                }
                word = None;
            }
            _ => {}
        }
        if word.is_none() && joins_word {
            word = Some((i, k));
            first_alnum = k != Wb::ExtendNumLet;
            end = i + len;
        }
    }
    if let Some((ws, _)) = word {
        if first_alnum {
            emit(ws, end);
        }
    }
    true
}

/// Overlapping character bigrams of a run of unspaced script (a single
/// character stands alone).
fn push_bigrams(word: &str, start: usize, out: &mut Vec<Token>) {
    let mut chars = word.char_indices();
    let Some((_, mut prev)) = chars.next() else {
        return;
    };
    let mut prev_i = 0usize;
    let mut any = false;
    for (j, c) in chars {
        let end = j + c.len_utf8();
        let piece = word.get(prev_i..end).unwrap_or("");
        out.push(Token {
            span: Span::new(start + prev_i, start + end),
            term: term_hash(piece.as_bytes()),
            stop: false,
            function: false,
            alpha: true,
        });
        any = true;
        prev_i = j;
        prev = c;
    }
    if !any {
        let s = Span::new(start, start + prev.len_utf8());
        out.push(Token { span: s, term: term_hash(word.as_bytes()), stop: false, function: false, alpha: true });
    }
}

/// Folds `word` into `out`: NFKC when needed, lower case, apostrophes, `ё`.
fn fold_into(word: &str, norm: &mut String, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let src: &str = if is_nfkc_quick(word.chars()) == IsNormalized::Yes {
        word
    } else {
        norm.clear();
        norm.extend(word.nfkc());
        norm.as_str()
    };
    for ch in src.chars() {
        match ch {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
            'ё' | 'Ё' => out.push('е'),
            _ => out.extend(ch.to_lowercase()),
        }
    }
}

fn lookup(c: &mut Cache, slot: usize, word: &str) -> Entry {
    let Some(lc) = c.langs.get_mut(slot) else {
        return Entry { term: term_hash(word.as_bytes()), stop: false, function: false };
    };
    let key = short_key(word);
    let hit = match key {
        Some(k) => {
            let slot = lc.hot.get_mut(hot_slot(k));
            if let Some(h) = slot.as_deref() {
                if h.key == k {
                    return h.entry;
                }
            }
            let found = lc.short.get(&k).copied();
            if let (Some(h), Some(e)) = (slot, found) {
                *h = Hot { key: k, entry: e };
            }
            found
        }
        None => lc.words.get(word).copied(),
    };
    if let Some(e) = hit {
        return e;
    }
    fold_into(word, &mut c.norm, &mut c.fold);
    // An ASCII word with capitals ("Said") has the entry of its lower-case
    // form ("said"), which is often cached already: stemming is most of the
    // cost of a miss. (ASCII folding is lower-casing, so the lower-case form
    // folds to itself and its entry is the same.)
    let folded_key = if word.is_ascii() && c.fold != word { short_key(&c.fold) } else { None };
    let known = folded_key.and_then(|fk| lc.short.get(&fk).copied());
    let e = match known {
        Some(e) => e,
        None => {
            let stop = lc.lang.is_stop_word(&c.fold);
            let term = match &lc.stemmer {
                Some(stemmer) => term_hash(stemmer.stem(&c.fold).as_bytes()),
                None => term_hash(c.fold.as_bytes()),
            };
            let function = stop && (lc.lang != Lang::En || ENGLISH_FUNCTION_TERMS.contains(&term));
            let e = Entry { term, stop, function };
            if let Some(fk) = folded_key {
                if lc.short.len() < CACHE_MAX {
                    lc.short.insert(fk, e);
                }
            }
            e
        }
    };
    match key {
        Some(k) => {
            if lc.short.len() >= CACHE_MAX {
                lc.short.clear();
            }
            lc.short.insert(k, e);
            if let Some(h) = lc.hot.get_mut(hot_slot(k)) {
                *h = Hot { key: k, entry: e };
            }
        }
        None => {
            if lc.words.len() >= CACHE_MAX {
                lc.words.clear();
            }
            lc.words.insert(Box::from(word), e);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let one = t.tokens_of("中");
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn short_keys_are_exact() {
        assert_eq!(short_key(""), Some(0));
        assert_ne!(short_key("a"), short_key("a\0"));
        assert_ne!(short_key("ab"), short_key("ba"));
        assert!(short_key("fifteen_bytes__").is_some());
        assert!(short_key("sixteen_bytes___").is_none());
        // Long and short forms of a word are folded alike.
        let t = Tokenizer::new(Lang::En);
        let long = t.tokens_of("internationalisations");
        assert_eq!(long.len(), 1);
        assert_eq!(long[0].term, t.tokens_of("INTERNATIONALISATIONS")[0].term);
    }

    proptest! {
        #[test]
        fn short_keys_pack_bytes_then_length(s in "[a-zA-Z0-9'.é]{0,16}") {
            let b = s.as_bytes();
            let expected = (b.len() <= SHORT_KEY_MAX).then(|| {
                let mut buf = [0u8; 16];
                buf[..b.len()].copy_from_slice(b);
                buf[15] = b.len() as u8;
                u128::from_le_bytes(buf)
            });
            prop_assert_eq!(short_key(&s), expected);
        }
    }

    #[test]
    fn html_character_references_are_not_words() {
        let t = Tokenizer::new(Lang::En);
        let text = "The council&#8217;s plan &amp; &quot;vote&quot; cost 15&nbsp;percent at AT&T; R&D&#x2019;s";
        let words: Vec<&str> = t.tokens_of(text).iter().map(|k| k.span.slice(text)).collect();
        assert_eq!(
            words,
            ["The", "council", "s", "plan", "vote", "cost", "15", "percent", "at", "AT", "T", "R", "D", "s"]
        );
        // Other scripts take the same rule on the slower paths.
        let text = "Заявление&nbsp;министра &laquo;важно&raquo; — 中文&amp;";
        let words: Vec<&str> = t.tokens_of(text).iter().map(|k| k.span.slice(text)).collect();
        assert!(!words.iter().any(|w| ["nbsp", "laquo", "raquo", "amp"].contains(w)), "{words:?}");
    }

    #[test]
    fn hashes_are_stable() {
        // The model format depends on these values.
        assert_eq!(term_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(term_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        let t = Tokenizer::new(Lang::En);
        assert_eq!(t.tokens_of("Running")[0].term, term_hash(b"run"));
        assert_eq!(Tokenizer::new(Lang::Other("und")).tokens_of("Ab")[0].term, term_hash(b"ab"));
    }

    /// UAX #29 words that start with a letter or digit, as the slow path sees them.
    fn uax29(s: &str) -> Vec<(usize, usize)> {
        s.split_word_bound_indices()
            .filter(|(_, w)| w.chars().next().is_some_and(char::is_alphanumeric))
            .map(|(o, w)| (o, o + w.len()))
            .collect()
    }

    proptest! {
        #[test]
        fn fast_path_matches_uax29(s in "[a-zA-Z0-9_ .,;:'\"!?()\\-/$%\néüßçÀ×·‘’“”–—…£€«»•]{0,80}") {
            let mut fast = Vec::new();
            let simple = simple_words(&s, |a, b| fast.push((a, b)));
            prop_assert!(simple);
            prop_assert_eq!(fast, uax29(&s));
        }

        #[test]
        fn ascii_path_matches_uax29_on_long_words(s in "([a-zA-Z0-9_@`\\[{]{0,19}[ .,;:'\\-\x7f]{0,2}){0,8}") {
            let mut fast = Vec::new();
            ascii_words(s.as_bytes(), |a, b| fast.push((a, b)));
            prop_assert_eq!(fast, uax29(&s));
        }

        #[test]
        fn ascii_path_matches_uax29(s in "[a-zA-Z0-9_ .,;:'\"!?()\\-/$%\n]{0,80}") {
            let mut fast = Vec::new();
            ascii_words(s.as_bytes(), |a, b| fast.push((a, b)));
            prop_assert_eq!(fast, uax29(&s));
        }

        #[test]
        fn fast_path_declines_other_scripts(s in "[a-z .]{0,10}[а-я中\u{301}][a-z .]{0,10}") {
            let simple = simple_words(&s, |_, _| ());
            prop_assert!(!simple);
        }
    }
}
