//! Languages: detection, BCP-47 codes, stemmers and stop words.
//!
//! Detection runs on every request without a language, so it must be cheap.
//! It looks at a bounded prefix of the text (cost does not grow with article
//! size) and first counts function words that are frequent in one supported
//! Latin-script language and rare in the others ("the", "und", "les", "los",
//! "della", "não", "het", "och"): a clear winner settles it in about a
//! microsecond. Anything less clear (other scripts, short or mixed text,
//! languages precis has no rules for) goes to `whatlang`'s trigram model.
//! Stop-word lists come from the `stop-words` crate and are loaded once per
//! language.

use std::sync::{LazyLock, OnceLock};

use rust_stemmers::Algorithm;
use rustc_hash::FxHashSet;

use super::error::{Error, Result};
use super::swar;

/// How many bytes of text language detection looks at.
const DETECT_PREFIX: usize = 1_024;

/// Function-word votes needed for a fast decision, and the lead over the
/// runner-up (a factor).
const MIN_VOTES: u32 = 6;
const LEAD_FACTOR: u32 = 3;

/// A language precis knows how to analyse. Anything else is analysed with
/// language-neutral rules (`Other`): no stemming, no stop words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Portuguese.
    Pt,
    /// Dutch.
    Nl,
    /// Russian.
    Ru,
    /// Swedish.
    Sv,
    /// Chinese.
    Zh,
    /// Arabic.
    Ar,
    /// Japanese (split on its sentence marks; character n-grams).
    Ja,
    /// Korean.
    Ko,
    /// Thai (no spaces between words; character n-grams).
    Th,
    /// Any other language, identified by its ISO 639-3 code.
    Other(&'static str),
}

impl Lang {
    /// The BCP-47 code returned to callers.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Pt => "pt",
            Lang::Nl => "nl",
            Lang::Ru => "ru",
            Lang::Sv => "sv",
            Lang::Zh => "zh",
            Lang::Ar => "ar",
            Lang::Ja => "ja",
            Lang::Ko => "ko",
            Lang::Th => "th",
            Lang::Other(code) => code,
        }
    }

    /// Parses a BCP-47 hint such as `en`, `en-GB`, `zh-Hant`, `pt_BR`. Only
    /// the primary subtag matters. Unknown but well-formed tags give `Other`.
    ///
    /// # Errors
    /// [`Error::InvalidLanguage`] when the tag is not of the BCP-47 shape.
    pub fn from_tag(tag: &str) -> Result<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let well_formed = (2..=8).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            && tag.len() <= 64
            && tag
                .split(['-', '_'])
                .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !well_formed {
            return Err(Error::InvalidLanguage(tag.chars().take(64).collect()));
        }
        let lower = primary.to_ascii_lowercase();
        Ok(match lower.as_str() {
            "en" | "eng" => Lang::En,
            "de" | "deu" | "ger" => Lang::De,
            "fr" | "fra" | "fre" => Lang::Fr,
            "es" | "spa" => Lang::Es,
            "it" | "ita" => Lang::It,
            "pt" | "por" => Lang::Pt,
            "nl" | "nld" | "dut" => Lang::Nl,
            "ru" | "rus" => Lang::Ru,
            "sv" | "swe" => Lang::Sv,
            "zh" | "zho" | "chi" | "cmn" | "yue" => Lang::Zh,
            "ar" | "ara" => Lang::Ar,
            "ja" | "jpn" => Lang::Ja,
            "ko" | "kor" => Lang::Ko,
            "th" | "tha" => Lang::Th,
            "no" => Lang::Other("nb"),
            _ => match whatlang::Lang::from_code(lower.as_str()).or_else(|| whatlang_of_bcp47(&lower)) {
                Some(l) => Self::from_whatlang(l),
                None => Lang::Other("und"),
            },
        })
    }

    fn from_whatlang(l: whatlang::Lang) -> Self {
        use whatlang::Lang as W;
        match l {
            W::Eng => Lang::En,
            W::Deu => Lang::De,
            W::Fra => Lang::Fr,
            W::Spa => Lang::Es,
            W::Ita => Lang::It,
            W::Por => Lang::Pt,
            W::Nld => Lang::Nl,
            W::Rus => Lang::Ru,
            W::Swe => Lang::Sv,
            W::Cmn => Lang::Zh,
            W::Ara => Lang::Ar,
            W::Jpn => Lang::Ja,
            W::Kor => Lang::Ko,
            W::Tha => Lang::Th,
            other => Lang::Other(bcp47_of_whatlang(other.code())),
        }
    }

    /// Detects the language of `text` from its first kilobyte. Falls back to
    /// English when Latin-script text is too short or ambiguous to tell.
    pub fn detect(text: &str) -> Self {
        let mut end = text.len().min(DETECT_PREFIX);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sample = text.get(..end).unwrap_or("");
        if let Some(lang) = detect_by_function_words(sample) {
            return lang;
        }
        match whatlang::detect(sample) {
            Some(info) if info.is_reliable() || info.confidence() > 0.5 => Self::from_whatlang(info.lang()),
            // Other scripts: the script itself is strong evidence.
            Some(info) if info.script() != whatlang::Script::Latin => Self::from_whatlang(info.lang()),
            _ => Lang::En,
        }
    }

    /// The Snowball stemmer for the language, if there is one.
    pub fn stemmer(&self) -> Option<Algorithm> {
        Some(match self {
            Lang::En => Algorithm::English,
            Lang::De => Algorithm::German,
            Lang::Fr => Algorithm::French,
            Lang::Es => Algorithm::Spanish,
            Lang::It => Algorithm::Italian,
            Lang::Pt => Algorithm::Portuguese,
            Lang::Nl => Algorithm::Dutch,
            Lang::Ru => Algorithm::Russian,
            Lang::Sv => Algorithm::Swedish,
            Lang::Ar => Algorithm::Arabic,
            Lang::Other(code) => match *code {
                "da" => Algorithm::Danish,
                "fi" => Algorithm::Finnish,
                "el" => Algorithm::Greek,
                "hu" => Algorithm::Hungarian,
                "nb" => Algorithm::Norwegian,
                "ro" => Algorithm::Romanian,
                "ta" => Algorithm::Tamil,
                "tr" => Algorithm::Turkish,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Whether words are not separated by spaces, so that similarity must
    /// use character n-grams.
    pub fn is_unspaced(&self) -> bool {
        matches!(self, Lang::Zh | Lang::Ja | Lang::Th)
    }

    /// Whether the language's spelling capitalises `word` (as written)
    /// wherever it stands, so that a capital inside a sentence says nothing
    /// of a name: English "I" and its contractions ("I'm", "I’ve"), German
    /// formal address ("Sie", "Ihnen", "Ihre"…).
    pub fn always_capitalised(&self, word: &str) -> bool {
        match self {
            Lang::En => word == "I" || word.starts_with("I'") || word.starts_with("I\u{2019}"),
            Lang::De => matches!(word, "Sie" | "Ihnen" | "Ihr" | "Ihre" | "Ihrem" | "Ihren" | "Ihrer" | "Ihres"),
            _ => false,
        }
    }

    /// Whether `word` (lower-cased) is a stop word of the language.
    pub fn is_stop_word(&self, word: &str) -> bool {
        stop_words_for(*self).is_some_and(|set| set.contains(word))
    }
}

/// English function words (NLTK's list plus reporting verbs and titles):
/// the words a sentence vector leaves out.
///
/// The tokenizer's stop list is the large stopwords-iso one (1,298 English
/// words), made for keyword extraction: it also drops news content words such
/// as "million", "government", "world", "research" or "state". Similarity of
/// sentences needs them, so for English a token is a function word only when
/// it is both on that list and (by stem) on this one.
pub const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
    "d",
    "ll",
    "m",
    "o",
    "re",
    "ve",
    "y",
    "would",
    "could",
    "also",
    "said",
    "says",
    "say",
    "mr",
    "mrs",
    "ms",
];

/// Languages with a function-word vote, in vote-array order.
const VOTERS: [Lang; 8] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::It, Lang::Pt, Lang::Nl, Lang::Sv];

/// Function words of each voter (same order as [`VOTERS`]): words that are
/// frequent in one language and absent or rare in the others (including
/// neighbours without rules here: Danish, Norwegian, Catalan). A word listed
/// twice votes for the first language that lists it. Every word is at most
/// [`VOTE_KEY_MAX`] bytes.
const FUNCTION_WORDS: [&[&str]; VOTERS.len()] = [
    &[
        "the", "and", "of", "to", "is", "that", "with", "was", "for", "said", "have", "has", "this", "from", "are",
        "were", "which", "been", "would", "will", "its", "their", "they",
    ],
    &[
        "der", "und", "ist", "nicht", "mit", "sich", "auf", "für", "eine", "dem", "wird", "auch", "sind", "wurde",
        "bei", "einen", "einer", "nach", "werden", "durch", "über",
    ],
    &[
        "le", "les", "et", "est", "une", "du", "dans", "pour", "qui", "sur", "pas", "au", "aux", "ont", "été", "cette",
        "avec", "sont", "ses", "leur",
    ],
    &[
        "el", "los", "las", "y", "fue", "más", "pero", "según", "también", "está", "hasta", "desde", "sus", "este",
        "cuando", "muy", "porque", "sin", "ya",
    ],
    &[
        "di", "che", "della", "sono", "gli", "alla", "nel", "anche", "è", "questo", "dalla", "delle", "più", "dei",
        "degli", "nella", "stato", "essere",
    ],
    &[
        "os", "em", "um", "não", "com", "uma", "ao", "foi", "pelo", "pela", "são", "às", "seu", "sua", "já", "muito",
        "também", "ou", "quando",
    ],
    &[
        "het", "een", "van", "niet", "zijn", "voor", "ook", "wordt", "bij", "naar", "heeft", "deze", "werd", "maar",
        "worden", "uit", "hun",
    ],
    &["och", "att", "är", "inte", "från", "för", "till", "också", "hade", "detta"],
];

/// Longest function word, in bytes (UTF-8).
const VOTE_KEY_MAX: usize = 8;

/// A word of at most [`VOTE_KEY_MAX`] bytes packed into an integer (bytes
/// in order, zero-padded). Words are made of letters, which never encode to a
/// zero byte, so distinct words get distinct keys.
fn vote_key(word: &[u8]) -> Option<u64> {
    if word.len() > VOTE_KEY_MAX {
        return None;
    }
    let mut buf = [0u8; VOTE_KEY_MAX];
    buf.get_mut(..word.len())?.copy_from_slice(word);
    Some(u64::from_le_bytes(buf))
}

/// Slots of [`VOTE_TABLE`] (a power of two): about fourteen per word, so a
/// multiplier that gives every word a slot of its own is found in a few
/// hundred tries.
const VOTE_SLOTS: usize = 2048;

/// What a slot without a word, or a word that is not a function word,
/// votes for: a counter after the voters' that no decision reads.
const NO_VOTE: u8 = VOTERS.len() as u8;

/// Function words by key in a collision-free table: a word's slot is fixed
/// by one multiplication, so a look-up is one load and one comparison, with
/// no probing and no branch (most words are not function words, and a
/// branch on that would be mispredicted on every other word).
struct VoteTable {
    /// Odd multiplier of the slot hash, chosen so that no two words share a
    /// slot.
    multiplier: u64,
    /// The packed word in each slot ([`EMPTY_VOTE`] when none).
    keys: Vec<u64>,
    /// Its language (index into [`VOTERS`]), or [`NO_VOTE`].
    langs: Vec<u8>,
}

/// An unused slot (no word packs to `0xFF` bytes, which UTF-8 never
/// contains).
const EMPTY_VOTE: u64 = u64::MAX;

impl VoteTable {
    /// The table of [`FUNCTION_WORDS`]; a word listed twice keeps the first
    /// language. Tries multipliers in a fixed order, so the table is the
    /// same on every run (a test checks that one is found).
    fn build() -> Self {
        let mut words: Vec<(u64, u8)> = Vec::new();
        for (lang, list) in (0u8..).zip(FUNCTION_WORDS.iter()) {
            for w in *list {
                if let Some(k) = vote_key(w.as_bytes()) {
                    if !words.iter().any(|&(x, _)| x == k) {
                        words.push((k, lang));
                    }
                }
            }
        }
        let mut table = Self {
            multiplier: 0x9e37_79b9_7f4a_7c15,
            keys: vec![EMPTY_VOTE; VOTE_SLOTS],
            langs: vec![NO_VOTE; VOTE_SLOTS],
        };
        for _ in 0..100_000 {
            let mut placed = 0;
            for &(k, lang) in &words {
                let i = table.slot(k);
                match (table.keys.get_mut(i), table.langs.get_mut(i)) {
                    (Some(key), Some(l)) if *key == EMPTY_VOTE => (*key, *l) = (k, lang),
                    _ => break,
                }
                placed += 1;
            }
            if placed == words.len() {
                return table;
            }
            // A clash: empty the slots filled so far and try the next
            // multiplier.
            for &(k, _) in words.get(..placed).unwrap_or_default() {
                let i = table.slot(k);
                if let (Some(key), Some(l)) = (table.keys.get_mut(i), table.langs.get_mut(i)) {
                    (*key, *l) = (EMPTY_VOTE, NO_VOTE);
                }
            }
            table.multiplier = table.multiplier.wrapping_add(0x6a09_e667_f3bc_c90a);
        }
        // Not reached with the words above (a test checks); with an empty
        // table, detection falls back to the statistical detector.
        table
    }

    /// The slot of a packed word.
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(self.multiplier) >> (64 - VOTE_SLOTS.trailing_zeros())) as usize
    }

    /// What the word packed as `key` (see [`vote_key`]) votes for: an index
    /// into [`VOTERS`], or [`NO_VOTE`].
    fn vote(&self, key: u64) -> usize {
        let i = self.slot(key);
        let (k, lang) =
            (self.keys.get(i).copied().unwrap_or(EMPTY_VOTE), self.langs.get(i).copied().unwrap_or(NO_VOTE));
        usize::from(if k == key { lang } else { NO_VOTE })
    }
}

/// The function-word table, built once on first use.
static VOTE_TABLE: LazyLock<VoteTable> = LazyLock::new(VoteTable::build);

/// Which language a (lower-cased) function word votes for.
#[cfg(test)]
fn vote(word: &[u8]) -> Option<usize> {
    Some(VOTE_TABLE.vote(vote_key(word)?)).filter(|&l| l < VOTERS.len())
}

/// Vote counters: one per voter, then the [`NO_VOTE`] counter.
type Votes = [u32; VOTERS.len() + 1];

/// A fast decision from function words, when one language clearly leads.
///
/// Words are the runs of alphabetic characters; words over
/// [`VOTE_KEY_MAX`] bytes, before or after lower-casing, cannot vote. News
/// text is mostly ASCII, and decoding every character was most of
/// detection's cost: an ASCII sample goes word by word, eight bytes at a
/// time, and any other sample decodes only its non-ASCII characters.
fn detect_by_function_words(sample: &str) -> Option<Lang> {
    let mut votes: Votes = [0; VOTERS.len() + 1];
    if sample.is_ascii() {
        ascii_votes(sample.as_bytes(), &mut votes);
    } else {
        unicode_votes(sample, &mut votes);
    }
    decide(votes.get(..VOTERS.len()).unwrap_or_default())
}

/// The language that clearly leads the vote, if any.
fn decide(votes: &[u32]) -> Option<Lang> {
    let (best, &top) = votes.iter().enumerate().max_by_key(|(_, v)| **v)?;
    let second = votes.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, v)| *v).max().unwrap_or(0);
    (top >= MIN_VOTES && top >= LEAD_FACTOR * second.max(1)).then(|| VOTERS.get(best).copied()).flatten()
}

/// The votes of ASCII text, word by word: each run of letters is found
/// eight bytes at a time and, when short enough to vote, packed and
/// lower-cased with one load.
fn ascii_votes(b: &[u8], votes: &mut Votes) {
    let table = &*VOTE_TABLE;
    let mut i = next_letter(b, 0);
    while i < b.len() {
        let end = letter_run_end(b, i);
        let len = end - i;
        if len <= VOTE_KEY_MAX {
            // Letters only: setting bit 5 lower-cases each of them.
            let key = match swar::load(b, i) {
                Some(x) => (x | 0x2020_2020_2020_2020) & (u64::MAX >> (8 * (8 - len))),
                None => b.get(i..end).unwrap_or_default().iter().rev().fold(0, |k, &c| k << 8 | u64::from(c | 0x20)),
            };
            if let Some(v) = votes.get_mut(table.vote(key)) {
                *v += 1;
            }
        }
        i = next_letter(b, end);
    }
}

/// The first ASCII letter of ASCII `b` at or after `i` (`b.len()` if none).
fn next_letter(b: &[u8], i: usize) -> usize {
    swar::find(b, i, swar::ascii_letters, |c| c.is_ascii_alphabetic())
}

/// The end of the run of ASCII letters of ASCII `b` that starts at `i`.
fn letter_run_end(b: &[u8], i: usize) -> usize {
    swar::find(b, i, |x| !swar::ascii_letters(x) & swar::HIGH, |c| !c.is_ascii_alphabetic())
}

/// The votes of text with non-ASCII characters: one pass over the bytes,
/// decoding only the non-ASCII characters.
fn unicode_votes(sample: &str, votes: &mut Votes) {
    // The current word: lower-cased bytes so far packed as in `vote_key`
    // (kept in a register: bytes stored one by one and then read back as
    // one word would stall the processor's store forwarding), their count,
    // and whether it overflowed.
    let mut in_word = false;
    let mut start = 0usize;
    let mut key = 0u64;
    let mut n = 0usize;
    let mut over = false;
    let table = &*VOTE_TABLE;
    let mut count = |start: usize, end: usize, over: bool, key: u64| {
        if !over && end - start <= VOTE_KEY_MAX {
            if let Some(v) = votes.get_mut(table.vote(key)) {
                *v += 1;
            }
        }
    };
    let bytes = sample.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let at = i;
        // An ASCII byte is its own character; only others are decoded.
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            let Some(c) = sample.get(i..).and_then(|rest| rest.chars().next()) else { break };
            c
        };
        i += c.len_utf8();
        if !c.is_alphabetic() {
            if in_word {
                count(start, at, over, key);
                in_word = false;
            }
            continue;
        }
        if !in_word {
            (in_word, start, key, n, over) = (true, at, 0, 0, false);
        }
        if over {
            continue;
        }
        if c.is_ascii() {
            if n < VOTE_KEY_MAX {
                key |= u64::from(b.to_ascii_lowercase()) << (8 * n);
                n += 1;
            } else {
                over = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            let mut tmp = [0u8; 4];
            let lower = l.encode_utf8(&mut tmp).as_bytes();
            if n + lower.len() > VOTE_KEY_MAX {
                over = true;
                break;
            }
            for &x in lower {
                key |= u64::from(x) << (8 * n);
                n += 1;
            }
        }
    }
    if in_word {
        count(start, sample.len(), over, key);
    }
}

/// The languages `whatlang` detects beyond those precis names, as
/// (ISO 639-3 code `whatlang` uses, BCP-47 code precis reports). BCP-47 takes
/// the two-letter ISO 639-1 code where there is one, so an Indonesian
/// article is `id`, not `ind`, and a caller's `id` hint means Indonesian.
const OTHER_LANGUAGES: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cym", "cy"),
    ("dan", "da"),
    ("ell", "el"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("jav", "jv"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("ron", "ro"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("srp", "sr"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The BCP-47 code of a `whatlang` language code (the code itself when the
/// table has none).
fn bcp47_of_whatlang(code: &'static str) -> &'static str {
    OTHER_LANGUAGES.iter().find(|(w, _)| *w == code).map_or(code, |&(_, b)| b)
}

/// The `whatlang` language of a lower-case two-letter BCP-47 code.
fn whatlang_of_bcp47(code: &str) -> Option<whatlang::Lang> {
    OTHER_LANGUAGES.iter().find(|(_, b)| *b == code).and_then(|&(w, _)| whatlang::Lang::from_code(w))
}

/// Stop-word sets of the languages in [`OTHER_LANGUAGES`] (stopwords-iso,
/// where it has the language), built once on first use.
fn other_stop_words(code: &str) -> Option<&'static FxHashSet<Box<str>>> {
    static SETS: [OnceLock<Option<FxHashSet<Box<str>>>>; OTHER_LANGUAGES.len()] =
        [const { OnceLock::new() }; OTHER_LANGUAGES.len()];
    let i = OTHER_LANGUAGES.iter().position(|&(_, b)| b == code)?;
    SETS.get(i)?
        .get_or_init(|| {
            // stopwords-iso files Norwegian Bokmål under the macrolanguage.
            let list = if code == "nb" { "no" } else { code };
            stop_words::lookup(list).map(|words| words.iter().map(|w| w.to_lowercase().into_boxed_str()).collect())
        })
        .as_ref()
}

/// Stop-word sets, built once on first use.
fn stop_words_for(lang: Lang) -> Option<&'static FxHashSet<Box<str>>> {
    use stop_words::Language as L;
    macro_rules! set {
        ($l:expr) => {{
            static SET: LazyLock<FxHashSet<Box<str>>> =
                LazyLock::new(|| stop_words::get($l).into_iter().map(|w| w.to_lowercase().into_boxed_str()).collect());
            Some(&*SET)
        }};
    }
    match lang {
        Lang::En => set!(L::English),
        Lang::De => set!(L::German),
        Lang::Fr => set!(L::French),
        Lang::Es => set!(L::Spanish),
        Lang::It => set!(L::Italian),
        Lang::Pt => set!(L::Portuguese),
        Lang::Nl => set!(L::Dutch),
        Lang::Ru => set!(L::Russian),
        Lang::Sv => set!(L::Swedish),
        Lang::Ar => set!(L::Arabic),
        Lang::Zh => set!(L::Chinese),
        Lang::Other(code) => other_stop_words(code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::from_tag("en-GB"), Ok(Lang::En));
        assert_eq!(Lang::from_tag("zh_Hant"), Ok(Lang::Zh));
        assert_eq!(Lang::from_tag("pt-BR"), Ok(Lang::Pt));
        assert!(Lang::from_tag("not a tag").is_err());
        assert!(Lang::from_tag("").is_err());
    }

    #[test]
    fn other_languages_are_reported_and_read_by_their_bcp47_code() {
        // Two- and three-letter hints name the same language; the code
        // reported is the two-letter one.
        for tag in ["id", "ind", "ID-id"] {
            assert_eq!(Lang::from_tag(tag), Ok(Lang::Other("id")), "{tag}");
        }
        assert_eq!(Lang::from_tag("pl"), Ok(Lang::Other("pl")));
        assert_eq!(Lang::from_tag("no"), Ok(Lang::Other("nb")));
        assert_eq!(Lang::from_tag("xx"), Ok(Lang::Other("und")));
        // Every language whatlang can detect maps to a two-letter code and back.
        for &(w, b) in OTHER_LANGUAGES {
            let l = whatlang::Lang::from_code(w).map(Lang::from_whatlang);
            assert_eq!(l, Some(Lang::Other(b)), "{w}");
            assert_eq!(b.len(), 2, "{w}");
            assert_eq!(Lang::from_tag(b), Ok(Lang::Other(b)), "{b}");
        }
        for l in whatlang::Lang::all() {
            assert_eq!(Lang::from_whatlang(*l).code().len(), 2, "{l:?}");
        }
        // Stop words and stemmers where the lists and Snowball have them.
        assert!(Lang::Other("id").is_stop_word("yang"));
        assert!(Lang::Other("nb").is_stop_word("og"));
        assert!(!Lang::Other("id").is_stop_word("anggaran"));
        assert!(!Lang::Other("und").is_stop_word("the"));
        assert_eq!(Lang::Other("tr").stemmer(), Some(Algorithm::Turkish));
        assert_eq!(Lang::Other("id").stemmer(), None);
    }

    #[test]
    fn function_words_fit_their_keys_and_vote() {
        for (lang, words) in FUNCTION_WORDS.iter().enumerate() {
            for w in *words {
                assert!(w.len() <= VOTE_KEY_MAX, "{w}");
                let v = vote(w.as_bytes());
                // "también" (es) and "também" (pt) differ; no word is listed twice.
                assert_eq!(v, Some(lang), "{w}");
            }
        }
        assert_eq!(vote(b"thee"), None);
        assert_eq!(vote(b""), None);
        // Every word got a slot of its own (the table was built).
        let listed: usize = FUNCTION_WORDS.iter().map(|w| w.len()).sum();
        let held = VOTE_TABLE.keys.iter().filter(|&&k| k != EMPTY_VOTE).count();
        assert_eq!(held, listed, "{held} of {listed} words placed");
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        let en =
            "The minister said that the plan, which was announced on Monday, would be reviewed by the end of the year.";
        assert_eq!(detect_by_function_words(en), Some(Lang::En));
        // The same text with one non-ASCII character takes the Unicode path.
        assert_eq!(detect_by_function_words(&format!("{en} ’")), Some(Lang::En));
        let mixed = "der und ist the and of";
        assert_eq!(detect_by_function_words(mixed), detect_by_function_words(&format!("{mixed} é")));
    }

    /// The plain reading of the vote: words are runs of alphabetic
    /// characters, lower-cased one character at a time; a word over
    /// [`VOTE_KEY_MAX`] bytes before or after lower-casing does not vote.
    fn plain_votes(sample: &str) -> Option<Lang> {
        let mut votes = [0u32; VOTERS.len()];
        for word in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            if word.len() > VOTE_KEY_MAX || lower.len() > VOTE_KEY_MAX {
                continue;
            }
            if let Some(v) = vote(lower.as_bytes()).and_then(|l| votes.get_mut(l)) {
                *v += 1;
            }
        }
        let (best, &top) = votes.iter().enumerate().max_by_key(|(_, v)| **v)?;
        let second = votes.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, v)| *v).max().unwrap_or(0);
        (top >= MIN_VOTES && top >= LEAD_FACTOR * second.max(1)).then(|| VOTERS[best])
    }

    /// Texts of up to 60 words, each drawn from `listed` (function words in
    /// several casings) or from the character class `other`, each followed
    /// by one of `seps`.
    fn texts(
        listed: Vec<&'static str>,
        other: &'static str,
        seps: Vec<&'static str>,
    ) -> impl proptest::strategy::Strategy<Value = String> {
        let word = proptest::prop_oneof![
            proptest::sample::select(listed).prop_map(str::to_string),
            proptest::string::string_regex(other).unwrap_or_else(|e| panic!("{e}")),
        ];
        (proptest::collection::vec(word, 0..60), proptest::collection::vec(proptest::sample::select(seps), 60))
            .prop_map(|(words, seps)| {
                words.iter().zip(seps.iter().cycle()).flat_map(|(w, s)| [w.as_str(), s]).collect()
            })
    }

    proptest::proptest! {
        #[test]
        fn byte_walk_votes_as_the_plain_reading(text in texts(
            vec![
                "the", "The", "THE", "und", "für", "FÜR", "också", "är", "était", "İst", "KELVİN",
                "\u{212A}ette", "ΣΑΣ", "straße", "de", "het", "och", "att", "que",
            ],
            "[a-zA-Zéü’İ\u{212A}0-9]{1,12}",
            vec![" ", ", ", "\n", "’", "—", "1", "é "],
        )) {
            proptest::prop_assert_eq!(detect_by_function_words(&text), plain_votes(&text));
        }

        #[test]
        fn ascii_word_walk_votes_as_the_plain_reading(text in texts(
            vec!["the", "The", "THE", "und", "UND", "och", "att", "het", "de", "que", "which", "Which"],
            "[a-zA-Z0-9@\\[`{]{1,12}",
            vec![" ", ", ", "\n", "'", "-", "1", "@"],
        )) {
            proptest::prop_assert_eq!(detect_by_function_words(&text), plain_votes(&text));
        }
    }

    #[test]
    fn detects_common_languages() {
        assert_eq!(
            Lang::detect(
                "The government said on Tuesday that the economy grew faster than expected in the third quarter."
            ),
            Lang::En
        );
        assert_eq!(
            Lang::detect("Die Bundesregierung hat am Dienstag mitgeteilt, dass die Wirtschaft im dritten Quartal schneller gewachsen ist als erwartet."),
            Lang::De
        );
    }
}
