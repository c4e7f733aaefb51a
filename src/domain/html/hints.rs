//! What an element's tag, `class`, `id` and `role` say about its content.
//!
//! Pages name their containers for what they hold (`article-body`,
//! `related-links`, `comments`); these hints, in the spirit of Mozilla's
//! readability, steer the choice of the main content and drop boilerplate
//! inside it. Only the first bytes of each attribute are read, so huge
//! attribute values cost nothing.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// How much of a `class`/`id` value is inspected.
const MAX_HINT_BYTES: usize = 256;

/// Whether an element's content is never article text (scripts, styles,
/// navigation, media, the `<head>`…). A `match` compiles to a few length
/// and byte tests, where a table scan costs a comparison per entry.
pub fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "footer"
            | "button"
            | "select"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "figure"
            | "figcaption"
            | "menu"
            | "dialog"
            | "head"
            | "textarea"
            | "input"
            | "audio"
            | "video"
            | "picture"
            | "map"
            | "math"
    )
}

/// The tag as a `'static` name when it starts and ends a block of text.
pub fn block_tag(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "p" => "p",
        "div" => "div",
        "section" => "section",
        "article" => "article",
        "main" => "main",
        "header" => "header",
        "h1" => "h1",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "li" => "li",
        "ul" => "ul",
        "ol" => "ol",
        "blockquote" => "blockquote",
        "pre" => "pre",
        "table" => "table",
        "tbody" => "tbody",
        "thead" => "thead",
        "tr" => "tr",
        "td" => "td",
        "th" => "th",
        "dd" => "dd",
        "dt" => "dt",
        "dl" => "dl",
        "br" => "br",
        "hr" => "hr",
        "body" => "body",
        "center" => "center",
        "address" => "address",
        "details" => "details",
        "summary" => "summary",
        "caption" => "caption",
        _ => return None,
    })
}

/// Names that mark a container which is not the article (removed outright
/// unless a positive name is present too).
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ad-slot",
    "adslot",
    "advert",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cookie",
    "disqus",
    "footer",
    "gdpr",
    "masthead",
    "menu",
    "newsletter",
    "outbrain",
    "pagination",
    "pager",
    "popup",
    "promo",
    "related",
    "remark",
    "replies",
    "rss",
    "share",
    "sharing",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "subscribe",
    "taboola",
    "toolbar",
    "widget",
    "recommend",
    "most-popular",
    "mostpopular",
    "trending",
    "signup",
    "sign-up",
    "paywall",
    "byline",
    "author",
    "dateline",
    "timestamp",
    "caption",
    "credit",
    "tags",
    "topics",
    "keywords",
    "hidden",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "print-only",
    "skip-link",
    "jump-link",
    "read-more",
    "readmore",
    "more-stories",
    "next-article",
    "prev-article",
    "nav-",
    "-nav",
    "navbar",
    "navigation",
    "masthead",
    "site-header",
    "site-footer",
    "copyright",
    "disclaimer",
    "inline-ad",
    "ad-container",
    "ad-wrapper",
    "adwrap",
    "dfp",
    "gpt-ad",
    "video-player",
    "player",
];

/// Names that mark a likely article container.
const LIKELY: &[&str] =
    &["article", "body", "content", "entry", "main", "post", "text", "story", "blog", "column", "prose"];

/// Tag of an element as far as block scoring is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `p`, `pre`, `blockquote` and other prose blocks.
    Paragraph,
    /// `h1`–`h6`.
    Heading,
    /// `li`, `dd`, `dt`.
    ListItem,
    /// `td`, `th`.
    Cell,
    /// `div`, `section`, `article`, `main` and other containers.
    Container,
    /// `a`.
    Link,
    /// Anything else (inline elements).
    Inline,
}

impl Kind {
    /// The kind of a tag.
    pub fn of(tag: &str) -> Self {
        match tag {
            "p" | "pre" | "blockquote" | "address" | "center" => Self::Paragraph,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Self::Heading,
            "li" | "dd" | "dt" => Self::ListItem,
            "td" | "th" => Self::Cell,
            "a" => Self::Link,
            t if block_tag(t).is_some() => Self::Container,
            _ => Self::Inline,
        }
    }
}

/// The verdict on one element's `class`, `id` and `role`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Hint {
    /// The element is boilerplate: skip it with its content.
    pub unlikely: bool,
    /// Score bonus (positive names) or malus (negative names).
    pub weight: f32,
    /// Only positive names: a likely article container.
    pub likely: bool,
}

/// One automaton for all names, [`UNLIKELY`] first then [`LIKELY`], matched
/// without regard to ASCII case: one pass over a value finds both kinds,
/// where a search per name would read it a hundred times. `None` only if
/// the automaton cannot be built (it always can for these fixed names).
static NAMES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder().ascii_case_insensitive(true).build(UNLIKELY.iter().chain(LIKELY.iter())).ok()
});

/// Whether `value` contains an unlikely name and whether it contains a
/// likely one.
fn names_in(value: &str) -> (bool, bool) {
    let (mut unlikely, mut likely) = (false, false);
    if let Some(ac) = NAMES.as_ref() {
        for m in ac.find_overlapping_iter(value) {
            if m.pattern().as_usize() < UNLIKELY.len() {
                unlikely = true;
            } else {
                likely = true;
            }
            if unlikely && likely {
                break;
            }
        }
    }
    (unlikely || is_ad_name(value), likely)
}

/// Reads the hints of an element's attributes.
pub fn hint<'a>(attrs: impl Iterator<Item = (&'a str, &'a str)>) -> Hint {
    let mut h = Hint::default();
    for (name, value) in attrs {
        match name {
            "class" | "id" => {
                let (unlikely, likely) = names_in(truncate(value, MAX_HINT_BYTES));
                if unlikely && !likely {
                    h.unlikely = true;
                }
                if likely {
                    h.weight += 25.0;
                    h.likely = !unlikely;
                }
                if unlikely {
                    h.weight -= 25.0;
                }
            }
            "role" => {
                let v = truncate(value, 32);
                if ["navigation", "complementary", "banner", "contentinfo", "menu", "dialog", "alert"]
                    .iter()
                    .any(|r| v.eq_ignore_ascii_case(r))
                {
                    h.unlikely = true;
                }
            }
            "hidden" => h.unlikely = true,
            "aria-hidden" if value.eq_ignore_ascii_case("true") => h.unlikely = true,
            "style" if hides(truncate(value, MAX_HINT_BYTES)) => h.unlikely = true,
            _ => {}
        }
    }
    h
}

/// Whether a `style` value hides the element (`display: none`,
/// `visibility: hidden`, any case and spacing).
fn hides(style: &str) -> bool {
    let b = style.as_bytes();
    // Most styles mention neither word: skip the copy for them.
    let mentions = |w: &[u8]| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    if !mentions(b"none") && !mentions(b"hidden") {
        return false;
    }
    let compact: String = style.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

/// `ad`, `ads` or `advertisement` as a whole class word.
fn is_ad_name(value: &str) -> bool {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| ["ad", "ads", "adv", "advertisement"].iter().any(|a| w.eq_ignore_ascii_case(a)))
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char
/// boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_mark_boilerplate_unless_also_content() {
        assert!(hint([("class", "related-links")].into_iter()).unlikely);
        assert!(hint([("id", "comments")].into_iter()).unlikely);
        assert!(!hint([("class", "article-body comments-enabled")].into_iter()).unlikely);
        assert!(hint([("class", "ad")].into_iter()).unlikely);
        assert!(!hint([("class", "headline")].into_iter()).unlikely);
        assert!(hint([("class", "article-body")].into_iter()).weight > 0.0);
    }

    #[test]
    fn hidden_and_roles_are_boilerplate() {
        assert!(hint([("style", "display: none")].into_iter()).unlikely);
        assert!(hint([("hidden", "")].into_iter()).unlikely);
        assert!(hint([("role", "navigation")].into_iter()).unlikely);
    }

    #[test]
    fn names_match_in_any_case_and_styles_in_any_spacing() {
        assert!(hint([("class", "Related-Links")].into_iter()).unlikely);
        assert!(hint([("id", "ADS")].into_iter()).unlikely);
        assert!(hint([("class", "Article-Body")].into_iter()).likely);
        assert!(hint([("style", "DISPLAY : None")].into_iter()).unlikely);
        assert!(!hint([("style", "border: none; color: red")].into_iter()).unlikely);
    }

    #[test]
    fn tag_tables() {
        assert!(is_skipped("script") && is_skipped("head") && !is_skipped("p"));
        assert_eq!(block_tag("blockquote"), Some("blockquote"));
        assert_eq!(block_tag("span"), None);
        assert_eq!(Kind::of("section"), Kind::Container);
        assert_eq!(Kind::of("span"), Kind::Inline);
    }

    #[test]
    fn huge_attribute_values_are_truncated_safely() {
        let v = "é".repeat(100_000);
        let _ = hint([("class", v.as_str())].into_iter());
    }
}
