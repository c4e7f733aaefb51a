//! The façade the adapters call: prepare an article once, then summarise and
//! tag it. Validates options and enforces the limits that bound every request.
//!
//! Each stage runs in a `debug` span (`extract_html`, `detect_language`,
//! `clean`, `segment`, `tokenize`, `summarize`, `classify`, `keyphrases`) so
//! a trace shows where a slow request spent its time; with no subscriber
//! interested in `debug`, a span costs one cached level check.

use std::borrow::Cow;
use std::sync::Arc;

use super::clean;
use super::document::Document;
use super::error::{Error, Result, Violation};
use super::html;
use super::keyphrase::{self, Keyphrase};
use super::lang::Lang;
use super::segment;
use super::summarize::{self, Summary, SummaryOptions, Weights};
use super::taxonomy::{Taxonomies, Topic};
use super::text::{SentenceSpan, Span};
use super::tokenize::Tokenizer;

/// Input format of an article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text with blank lines between paragraphs.
    #[default]
    Text,
    /// An HTML page or fragment.
    Html,
}

/// One article as given by a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Article<'a> {
    /// The headline (may be empty).
    pub title: &'a str,
    /// The body.
    pub body: &'a str,
    /// The body's format.
    pub format: Format,
    /// BCP-47 language hint; `None` or empty: detect.
    pub language: Option<&'a str>,
}

/// Limits that bound the work of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest article body, in bytes.
    pub max_body_bytes: usize,
    /// Sentences considered per article; later ones are ignored.
    pub max_sentences_considered: usize,
    /// Largest `max_sentences` a request may ask for.
    pub max_summary_sentences: usize,
    /// Largest `max_keyphrases` a request may ask for.
    pub max_keyphrases: usize,
    /// Largest `max_topics` a request may ask for.
    pub max_topics: usize,
    /// Deepest element nesting accepted in an HTML body. HTML5 tree
    /// building is quadratic in nesting depth (scope checks walk the stack of
    /// open elements), so a page nested 10,000 deep would take seconds;
    /// real pages stay well under 100.
    pub max_html_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
            max_sentences_considered: 20_000,
            max_summary_sentences: 1_000,
            max_keyphrases: 100,
            max_topics: 100,
            max_html_depth: html::DEFAULT_MAX_DEPTH,
        }
    }
}

/// How to tag.
#[derive(Debug, Clone, PartialEq)]
pub struct TagOptions {
    /// Taxonomies by name; empty: the default taxonomy, if any.
    pub taxonomies: Vec<String>,
    /// Topics per taxonomy.
    pub max_topics: usize,
    /// Minimum probability.
    pub min_score: f32,
    /// Keyphrases to return.
    pub max_keyphrases: usize,
}

impl Default for TagOptions {
    fn default() -> Self {
        Self { taxonomies: Vec::new(), max_topics: 3, min_score: 0.3, max_keyphrases: 10 }
    }
}

/// Topics and keyphrases of an article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tags {
    /// Topics, best first within each taxonomy.
    pub topics: Vec<Topic>,
    /// Keyphrases, best first.
    pub keyphrases: Vec<Keyphrase>,
}

/// The text pipeline with its shared resources.
#[derive(Debug, Clone)]
pub struct Pipeline {
    limits: Limits,
    weights: Weights,
    taxonomies: Arc<Taxonomies>,
}

impl Pipeline {
    /// A pipeline with the given limits and taxonomies.
    pub fn new(limits: Limits, taxonomies: Arc<Taxonomies>) -> Self {
        Self { limits, weights: Weights::default(), taxonomies }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The loaded taxonomies.
    pub fn taxonomies(&self) -> &Arc<Taxonomies> {
        &self.taxonomies
    }

    /// Cleans, extracts (HTML), splits and tokenizes an article.
    ///
    /// # Errors
    /// [`Error::BodyTooLarge`] over the body limit, [`Error::EmptyBody`] when
    /// there is no text, [`Error::InvalidLanguage`] for a malformed hint,
    /// [`Error::NoArticleText`] for a page with no article text,
    /// [`Error::LimitExceeded`] (`max_html_depth`) for a page nested too deep.
    pub fn prepare<'a>(&self, article: &Article<'a>) -> Result<Document<'a>> {
        let body = article.body;
        if body.len() > self.limits.max_body_bytes {
            return Err(Error::BodyTooLarge { len: body.len(), max: self.limits.max_body_bytes });
        }
        if body.trim().is_empty() {
            return Err(Error::EmptyBody);
        }
        let hint = match article.language.filter(|l| !l.trim().is_empty()) {
            Some(tag) => Some(Lang::from_tag(tag.trim())?),
            None => None,
        };
        let (text, page_title): (Cow<'a, str>, Option<String>) = match article.format {
            Format::Text => (Cow::Borrowed(body), None),
            Format::Html => {
                let options = html::Options { max_depth: self.limits.max_html_depth };
                let _stage = tracing::debug_span!("extract_html").entered();
                let e = html::extract_with(body, &options).map_err(|e| match e {
                    html::Error::MaxDepthExceeded { depth, max } => {
                        Error::LimitExceeded { field: "max_html_depth", value: depth, max }
                    }
                })?;
                if e.text.trim().is_empty() {
                    return Err(Error::NoArticleText);
                }
                (Cow::Owned(e.text), e.title)
            }
        };
        let title: Option<Cow<'a, str>> = if !article.title.trim().is_empty() {
            Some(Cow::Borrowed(article.title))
        } else {
            page_title.map(Cow::Owned)
        };
        let lang = hint.unwrap_or_else(|| tracing::debug_span!("detect_language").in_scope(|| Lang::detect(&text)));
        let mut removed = tracing::debug_span!("clean").in_scope(|| clean::find_clutter(&text));
        let stage = tracing::debug_span!("segment").entered();
        let mut sentences = Vec::new();
        let mut para = 0;
        for region in clean::kept_regions(text.len(), &removed) {
            para = segment::split_region(&text, region, para, &mut sentences);
            if sentences.len() >= self.limits.max_sentences_considered {
                sentences.truncate(self.limits.max_sentences_considered);
                break;
            }
        }
        drop_calls_to_action(&text, &mut sentences, &mut removed);
        drop(stage);
        let _stage = tracing::debug_span!("tokenize").entered();
        let tokenizer = Tokenizer::new(lang);
        let mut tokens = Vec::with_capacity(text.len() / 5);
        let mut ranges = Vec::with_capacity(sentences.len());
        for s in &sentences {
            let start = tokens.len();
            tokenizer.tokenize(&text, s.span, &mut tokens);
            ranges.push(start..tokens.len());
        }
        let title_tokens = match &title {
            Some(t) => {
                let mut v = Vec::new();
                tokenizer.tokenize(t, Span::new(0, t.len()), &mut v);
                v
            }
            None => Vec::new(),
        };
        Ok(Document { text, title, lang, removed, sentences, tokens, sentence_token_ranges: ranges, title_tokens })
    }

    /// Validates summary options against the limits.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming each bad option.
    pub fn check_summary_options(&self, o: &SummaryOptions) -> Result<()> {
        let mut v = Vec::new();
        if let Some(r) = o.ratio {
            if !(r > 0.0 && r <= 1.0) {
                v.push(Violation::new("ratio", format!("must be in (0, 1], got {r}")));
            }
        }
        if let Some(m) = o.max_sentences {
            if m > self.limits.max_summary_sentences {
                v.push(Violation::new(
                    "max_sentences",
                    format!("{m} is over the limit of {}", self.limits.max_summary_sentences),
                ));
            }
        }
        if v.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidArgument(v))
        }
    }

    /// Validates tag options against the limits and the loaded taxonomies.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming each bad option;
    /// [`Error::UnknownTaxonomy`] for a taxonomy that is not loaded.
    pub fn check_tag_options(&self, o: &TagOptions) -> Result<()> {
        let mut v = Vec::new();
        if !(0.0..=1.0).contains(&o.min_score) {
            v.push(Violation::new("min_score", format!("must be in [0, 1], got {}", o.min_score)));
        }
        if o.max_topics > self.limits.max_topics {
            v.push(Violation::new(
                "max_topics",
                format!("{} is over the limit of {}", o.max_topics, self.limits.max_topics),
            ));
        }
        if o.max_keyphrases > self.limits.max_keyphrases {
            v.push(Violation::new(
                "max_keyphrases",
                format!("{} is over the limit of {}", o.max_keyphrases, self.limits.max_keyphrases),
            ));
        }
        if !v.is_empty() {
            return Err(Error::InvalidArgument(v));
        }
        let set = self.taxonomies.snapshot();
        for name in &o.taxonomies {
            if !set.models.contains_key(name) {
                return Err(Error::UnknownTaxonomy(name.chars().take(100).collect()));
            }
        }
        Ok(())
    }

    /// Summarises a prepared document.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for options out of range.
    pub fn summarize(&self, doc: &Document<'_>, opts: &SummaryOptions) -> Result<Summary> {
        self.check_summary_options(opts)?;
        let _stage = tracing::debug_span!("summarize").entered();
        Ok(summarize::summarize(doc, &self.weights, opts))
    }

    /// Tags a prepared document with topics and keyphrases.
    ///
    /// # Errors
    /// As [`Pipeline::check_tag_options`].
    pub fn tag(&self, doc: &Document<'_>, opts: &TagOptions) -> Result<Tags> {
        self.check_tag_options(opts)?;
        let set = self.taxonomies.snapshot();
        let names: Vec<String> =
            if opts.taxonomies.is_empty() { set.default.iter().cloned().collect() } else { opts.taxonomies.clone() };
        let mut topics = Vec::new();
        for name in names {
            let Some(model) = set.models.get(&name) else {
                return Err(Error::UnknownTaxonomy(name));
            };
            let _stage = tracing::debug_span!("classify", taxonomy = name.as_str()).entered();
            let info = model.info();
            let probs = model.predict(doc);
            let mut ranked: Vec<(usize, f32)> =
                probs.into_iter().enumerate().filter(|(_, p)| *p >= opts.min_score).collect();
            ranked.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
            for (i, p) in ranked.into_iter().take(opts.max_topics) {
                if let Some(label) = info.labels.get(i) {
                    topics.push(Topic { taxonomy: name.clone(), label: label.clone(), score: p });
                }
            }
        }
        let keyphrases = tracing::debug_span!("keyphrases").in_scope(|| keyphrase::extract(doc, opts.max_keyphrases));
        Ok(Tags { topics, keyphrases })
    }
}

/// Leaves out the sentences that are calls to action ([`clean::call_to_action`])
/// and records them in `removed` (kept sorted by position). A paragraph
/// whose opening sentence goes keeps its paragraph start on the next one.
fn drop_calls_to_action(text: &str, sentences: &mut Vec<SentenceSpan>, removed: &mut Vec<clean::Removed>) {
    let mut found = false;
    let mut opens_paragraph = false;
    sentences.retain_mut(|s| {
        if let Some(kind) = clean::call_to_action(s.span.slice(text)) {
            removed.push(clean::Removed { span: s.span, kind });
            opens_paragraph |= s.first_in_paragraph;
            found = true;
            return false;
        }
        if opens_paragraph {
            s.first_in_paragraph = true;
            opens_paragraph = false;
        }
        true
    });
    if found {
        removed.sort_by_key(|r| (r.span.start, r.span.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_html_is_refused_naming_the_limit() {
        let p = Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()));
        let deep = format!("{}<p>Deep words here.</p>", "<div>".repeat(10_000));
        let a = Article { body: &deep, format: Format::Html, ..Article::default() };
        assert!(matches!(p.prepare(&a), Err(Error::LimitExceeded { field: "max_html_depth", .. })));
    }

    #[test]
    fn a_call_to_action_inside_a_paragraph_is_left_out_and_reported() {
        let p = Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()));
        let body = "Swift signed with a new label last year. The old label kept the masters.\n\n\
            Sign up for The Daily Brief to get the newsletter in your inbox. Fans were not surprised, and the \
            label's statement on Monday drew a quick reply from the singer's team in Nashville.\n\n\
            There is more where that came from. Follow us on Twitter @brief.";
        let doc = p.prepare(&Article { body, ..Article::default() }).unwrap_or_else(|e| panic!("{e}"));
        let texts: Vec<&str> = (0..doc.sentences.len()).map(|i| doc.sentence_text(i)).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(texts[2].starts_with("Fans were not surprised"), "{texts:?}");
        assert_eq!(texts[3], "There is more where that came from.");
        // "Fans…" now opens the second paragraph.
        let starts: Vec<bool> = doc.sentences.iter().map(|s| s.first_in_paragraph).collect();
        assert_eq!(starts, [true, false, true, true]);
        let kinds: Vec<clean::ClutterKind> = doc.removed.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [clean::ClutterKind::Newsletter, clean::ClutterKind::Share]);
        assert!(doc.removed[0].span.slice(body).starts_with("Sign up for The Daily Brief"));
        assert!(doc.removed[0].span.slice(body).ends_with("inbox."));
        assert_eq!(doc.removed[1].span.slice(body), "Follow us on Twitter @brief.");
    }

    #[test]
    fn calls_to_action_and_news_that_reads_like_one() {
        use clean::{call_to_action, ClutterKind as K};
        assert_eq!(call_to_action("Sign up for our daily newsletter."), Some(K::Newsletter));
        assert_eq!(call_to_action("\u{201c}Subscribe to the Morning Brief newsletter."), Some(K::Newsletter));
        assert_eq!(call_to_action("CLICK HERE to watch the video."), Some(K::ReadMore));
        assert_eq!(call_to_action("Follow us on Twitter @news."), Some(K::Share));
        assert_eq!(call_to_action("Get the latest headlines straight to your inbox."), Some(K::Newsletter));
        assert_eq!(call_to_action("Support our journalism."), Some(K::Newsletter));
        assert_eq!(call_to_action("Get the latest figures from the census office."), None);
        assert_eq!(call_to_action("Abonnieren Sie unseren Newsletter."), Some(K::Newsletter));
        assert_eq!(call_to_action("Подпишитесь на наш канал в Telegram."), Some(K::Newsletter));
        assert_eq!(call_to_action("Suivez-nous sur Facebook et Instagram."), Some(K::Share));
        assert_eq!(call_to_action("Sign up for the draft closes on Friday, the league said."), None);
        assert_eq!(call_to_action("Subscribers to our service rose 8%."), None);
        let long =
            format!("Sign up for our plan, {} the chief executive told investors.", "which costs less, ".repeat(12));
        assert_eq!(call_to_action(&long), None, "long sentences are prose");
    }
}
