//! Languages: detection, BCP-47 codes, stemmers and stop words.
//!
//! Detection uses `whatlang` on a bounded prefix of the text (cost does not
//! grow with article size). Stop-word lists come from the `stop-words` crate
//! and are loaded once per language.

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::Algorithm;

use super::error::{Error, Result};

/// How many bytes of text language detection looks at.
const DETECT_PREFIX: usize = 2_048;

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
            _ => match whatlang::Lang::from_code(lower.as_str()) {
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
            other => Lang::Other(other.code()),
        }
    }

    /// Detects the language of `text` from its first few kilobytes. Falls
    /// back to English when the text is too short or ambiguous to tell.
    pub fn detect(text: &str) -> Self {
        let mut end = text.len().min(DETECT_PREFIX);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sample = &text[..end];
        match whatlang::detect(sample) {
            Some(info) if info.is_reliable() || info.confidence() > 0.5 => Self::from_whatlang(info.lang()),
            Some(info) if matches!(info.script(), whatlang::Script::Mandarin) => Lang::Zh,
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
            _ => return None,
        })
    }

    /// Whether words are not separated by spaces, so that similarity must
    /// use character n-grams.
    pub fn is_unspaced(&self) -> bool {
        matches!(self, Lang::Zh | Lang::Ja | Lang::Th)
    }

    /// Whether `word` (lower-cased) is a stop word of the language.
    pub fn is_stop_word(&self, word: &str) -> bool {
        stop_words_for(*self).is_some_and(|set| set.contains(word))
    }
}

/// Stop-word sets, built once on first use.
fn stop_words_for(lang: Lang) -> Option<&'static HashSet<String>> {
    use stop_words::Language as L;
    macro_rules! set {
        ($l:expr) => {{
            static SET: LazyLock<HashSet<String>> =
                LazyLock::new(|| stop_words::get($l).into_iter().map(|w| w.to_lowercase()).collect());
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
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::from_tag("en-GB"), Ok(Lang::En));
        assert_eq!(Lang::from_tag("zh_Hant"), Ok(Lang::Zh));
        assert_eq!(Lang::from_tag("pt-BR"), Ok(Lang::Pt));
        assert!(Lang::from_tag("not a tag").is_err());
        assert!(Lang::from_tag("").is_err());
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
