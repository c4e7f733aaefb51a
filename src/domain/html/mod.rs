//! Extracts an article's main text from an HTML page.
//!
//! The page is parsed with a real HTML5 parser (`scraper`/`html5ever`), which
//! decodes entities and repairs broken markup. Then:
//!
//! 1. [`depth`] refuses pages nested deeper than a limit before parsing,
//!    since the tree builder's cost grows with the square of the depth;
//! 2. [`blocks`] walks the tree once, without recursion, dropping scripts,
//!    styles, navigation, asides, footers, forms, hidden elements and
//!    containers named as boilerplate ([`hints`]), and cuts the rest into
//!    text blocks (paragraphs, headings, list items) with their link text;
//! 3. [`select`] scores containers by the prose they hold (text length,
//!    commas, link density, class/id hints, as readability does), keeps the
//!    best one with its siblings that also read as article text and the
//!    other parts of a body split by inserts (same tag and class), and drops
//!    link lists, crumbs and the headline inside it.
//!
//! The title (`og:title`, `<title>`, first `<h1>`) is picked up during the
//! same walk, so the tree is read once.
//!
//! The text is plain: blocks joined by blank lines, so the segmenter treats
//! each as a paragraph and every heading as a sentence boundary.

mod blocks;
mod depth;
mod hints;
mod select;

use scraper::Html;

/// The text extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The page's title (`og:title`, `<title>` or the first `<h1>`), if any.
    pub title: Option<String>,
    /// The article text: blocks separated by blank lines; empty when the
    /// page holds no article text.
    pub text: String,
}

/// Limits of the extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Deepest element nesting accepted (counted before parsing).
    pub max_depth: usize,
}

/// The default nesting limit: far above real pages (the deepest of 88 news
/// pages nests under 100), far below where parsing slows down.
pub const DEFAULT_MAX_DEPTH: usize = 512;

impl Default for Options {
    fn default() -> Self {
        Self { max_depth: DEFAULT_MAX_DEPTH }
    }
}

/// Why a page could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The page nests elements deeper than the limit.
    #[error("HTML nests elements {depth} deep, over the limit of {max}")]
    MaxDepthExceeded {
        /// The depth found (the scan stops at `max + 1`).
        depth: usize,
        /// The limit.
        max: usize,
    },
}

/// Extracts the title and main text of `html` with the default limits.
///
/// # Errors
/// [`Error::MaxDepthExceeded`] when the page nests deeper than
/// [`DEFAULT_MAX_DEPTH`].
pub fn extract(html: &str) -> Result<Extracted, Error> {
    extract_with(html, &Options::default())
}

/// Extracts the title and main text of `html`.
///
/// # Errors
/// [`Error::MaxDepthExceeded`] when the page nests deeper than
/// `options.max_depth`.
pub fn extract_with(html: &str, options: &Options) -> Result<Extracted, Error> {
    let depth = depth::max_depth(html, options.max_depth);
    if depth > options.max_depth {
        return Err(Error::MaxDepthExceeded { depth, max: options.max_depth });
    }
    let doc = Html::parse_document(html);
    let mut page = blocks::Page::read(&doc);
    let title = page.title.take();
    let text = select::article_text(&page, title.as_deref());
    Ok(Extracted { title, text })
}

#[cfg(test)]
mod tests;
