//! A prepared document: the analysed text, cleaned, split and tokenized once,
//! then shared by the summariser, the tagger and keyphrase extraction.

use std::borrow::Cow;
use std::ops::Range;

use super::clean::Removed;
use super::lang::Lang;
use super::text::SentenceSpan;
use super::tokenize::Token;

/// An article ready for scoring. Borrows the caller's text when it is plain
/// text; owns the extracted text for HTML input.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The analysed text: every span refers to it.
    pub text: Cow<'a, str>,
    /// The title, from the request or the page.
    pub title: Option<Cow<'a, str>>,
    /// The language used for analysis.
    pub lang: Lang,
    /// Page clutter left out of the analysis.
    pub removed: Vec<Removed>,
    /// The sentences of the kept text, in order.
    pub sentences: Vec<SentenceSpan>,
    /// Tokens of all sentences, in order.
    pub tokens: Vec<Token>,
    /// For each sentence, its range in `tokens`.
    pub sentence_token_ranges: Vec<Range<usize>>,
    /// Tokens of the title (spans refer to the title, not the text).
    pub title_tokens: Vec<Token>,
}

impl Document<'_> {
    /// Tokens of sentence `i` (empty when out of range).
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        self.sentence_token_ranges.get(i).and_then(|r| self.tokens.get(r.clone())).unwrap_or(&[])
    }

    /// The text of sentence `i` (empty when out of range).
    pub fn sentence_text(&self, i: usize) -> &str {
        self.sentences.get(i).map_or("", |s| s.span.slice(&self.text))
    }
}
