//! What an element's tag, `class`, `id` and `role` say about its content.
//!
//! Pages name their containers for what they hold (`article-body`,
//! `related-links`, `comments`); these hints, in the spirit of Mozilla's
//! readability, steer the choice of the main content and drop boilerplate
//! inside it. Only the first bytes of each attribute are read, so huge
//! attribute values cost nothing.

/// How much of a `class`/`id` value is inspected.
const MAX_HINT_BYTES: usize = 256;

/// Tags whose content is never article text.
pub const SKIPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "button",
    "select",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "figure",
    "figcaption",
    "menu",
    "dialog",
    "head",
    "textarea",
    "input",
    "audio",
    "video",
    "picture",
    "map",
    "math",
];

/// Tags that start and end a block of text.
pub const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "dl",
    "br",
    "hr",
    "body",
    "center",
    "address",
    "details",
    "summary",
    "caption",
];

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
            t if BLOCK_TAGS.contains(&t) => Self::Container,
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

/// Reads the hints of an element's attributes.
pub fn hint<'a>(attrs: impl Iterator<Item = (&'a str, &'a str)>) -> Hint {
    let mut h = Hint::default();
    let mut buf = String::new();
    for (name, value) in attrs {
        match name {
            "class" | "id" => {
                buf.clear();
                let v = truncate(value, MAX_HINT_BYTES);
                buf.extend(v.chars().map(|c| c.to_ascii_lowercase()));
                let likely = LIKELY.iter().any(|k| buf.contains(k));
                let unlikely = UNLIKELY.iter().any(|k| buf.contains(k)) || is_ad_name(&buf);
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
            "style" => {
                let v = truncate(value, MAX_HINT_BYTES);
                let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                let compact = compact.to_ascii_lowercase();
                if compact.contains("display:none") || compact.contains("visibility:hidden") {
                    h.unlikely = true;
                }
            }
            _ => {}
        }
    }
    h
}

/// `ad`, `ads` or `advertisement` as a whole class word.
fn is_ad_name(lower: &str) -> bool {
    lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "ad" | "ads" | "adv" | "advertisement"))
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
    fn huge_attribute_values_are_truncated_safely() {
        let v = "é".repeat(100_000);
        let _ = hint([("class", v.as_str())].into_iter());
    }
}
