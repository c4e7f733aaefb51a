//! Finds page clutter that scrapers leave in article text.
//!
//! The cleaner never rewrites the text: it returns the spans of whole lines
//! (blocks) to leave out, each with the kind of clutter it is, so offsets into
//! the caller's text stay valid and the response can say what was removed.
//!
//! Two kinds of rule:
//! - a *line* rule drops one line that is clutter by itself ("Continue
//!   reading", "Advertisement", "Share on Facebook", a lone photo credit);
//! - a *section* rule fires on a heading that opens a trailing block of
//!   furniture ("Related Posts", "Leave a Reply", "More stories") and drops
//!   it and everything after it.

use super::text::Span;

/// The kind of clutter a removed block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClutterKind {
    /// Related posts, "more stories", and their teasers.
    Related,
    /// Comment forms and comment sections.
    Comments,
    /// Share, follow and social prompts.
    Share,
    /// Newsletter and subscription prompts.
    Newsletter,
    /// Cookie and privacy notices.
    Cookie,
    /// "Advertisement" and sponsored markers.
    Advertisement,
    /// Photo and image credits standing alone.
    Credit,
    /// Navigation remnants: breadcrumbs, bullets, menu words.
    Navigation,
    /// "Continue reading", "Read more" and similar links.
    ReadMore,
}

impl ClutterKind {
    /// The name used in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClutterKind::Related => "related",
            ClutterKind::Comments => "comments",
            ClutterKind::Share => "share",
            ClutterKind::Newsletter => "newsletter",
            ClutterKind::Cookie => "cookie",
            ClutterKind::Advertisement => "advertisement",
            ClutterKind::Credit => "credit",
            ClutterKind::Navigation => "navigation",
            ClutterKind::ReadMore => "read-more",
        }
    }
}

/// A block of clutter left out of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The removed bytes (whole lines, without the final line break).
    pub span: Span,
    /// What it was.
    pub kind: ClutterKind,
}

/// Headings that open a trailing block of page furniture.
const SECTION_HEADINGS: &[(&str, ClutterKind)] = &[
    ("related posts", ClutterKind::Related),
    ("related articles", ClutterKind::Related),
    ("related stories", ClutterKind::Related),
    ("related news", ClutterKind::Related),
    ("related content", ClutterKind::Related),
    ("related", ClutterKind::Related),
    ("read next", ClutterKind::Related),
    ("more stories", ClutterKind::Related),
    ("more from", ClutterKind::Related),
    ("you may also like", ClutterKind::Related),
    ("you might also like", ClutterKind::Related),
    ("recommended for you", ClutterKind::Related),
    ("most popular", ClutterKind::Related),
    ("most read", ClutterKind::Related),
    ("trending now", ClutterKind::Related),
    ("leave a reply", ClutterKind::Comments),
    ("leave a comment", ClutterKind::Comments),
    ("post a comment", ClutterKind::Comments),
    ("comments", ClutterKind::Comments),
];

/// Lines that are clutter by themselves (matched on the folded line, after
/// bullets and punctuation are trimmed).
const LINE_EXACT: &[(&str, ClutterKind)] = &[
    ("continue reading", ClutterKind::ReadMore),
    ("read more", ClutterKind::ReadMore),
    ("read full story", ClutterKind::ReadMore),
    ("read the full story", ClutterKind::ReadMore),
    ("click here", ClutterKind::ReadMore),
    ("advertisement", ClutterKind::Advertisement),
    ("advertisements", ClutterKind::Advertisement),
    ("sponsored", ClutterKind::Advertisement),
    ("sponsored content", ClutterKind::Advertisement),
    ("story continues below advertisement", ClutterKind::Advertisement),
    ("share", ClutterKind::Share),
    ("share this", ClutterKind::Share),
    ("share this article", ClutterKind::Share),
    ("share this story", ClutterKind::Share),
    ("tweet", ClutterKind::Share),
    ("email", ClutterKind::Share),
    ("print", ClutterKind::Share),
    ("facebook", ClutterKind::Share),
    ("twitter", ClutterKind::Share),
    ("linkedin", ClutterKind::Share),
    ("whatsapp", ClutterKind::Share),
    ("pinterest", ClutterKind::Share),
    ("reddit", ClutterKind::Share),
    ("copy link", ClutterKind::Share),
    ("skip to content", ClutterKind::Navigation),
    ("skip to main content", ClutterKind::Navigation),
    ("home", ClutterKind::Navigation),
    ("menu", ClutterKind::Navigation),
    ("search", ClutterKind::Navigation),
    ("previous", ClutterKind::Navigation),
    ("next", ClutterKind::Navigation),
    ("previous article", ClutterKind::Navigation),
    ("next article", ClutterKind::Navigation),
    ("back to top", ClutterKind::Navigation),
    ("subscribe", ClutterKind::Newsletter),
    ("sign up", ClutterKind::Newsletter),
];

/// Prefixes of lines that are clutter (folded).
const LINE_PREFIX: &[(&str, ClutterKind)] = &[
    ("your email address will not be published", ClutterKind::Comments),
    ("required fields are marked", ClutterKind::Comments),
    ("save my name, email, and website", ClutterKind::Comments),
    ("you must be logged in to post a comment", ClutterKind::Comments),
    ("share on ", ClutterKind::Share),
    ("share via ", ClutterKind::Share),
    ("share this on ", ClutterKind::Share),
    ("follow us on ", ClutterKind::Share),
    ("follow us", ClutterKind::Share),
    ("click to share on ", ClutterKind::Share),
    ("sign up for our newsletter", ClutterKind::Newsletter),
    ("sign up to our newsletter", ClutterKind::Newsletter),
    ("subscribe to our newsletter", ClutterKind::Newsletter),
    ("subscribe to our ", ClutterKind::Newsletter),
    ("get the latest news delivered", ClutterKind::Newsletter),
    ("we use cookies", ClutterKind::Cookie),
    ("this website uses cookies", ClutterKind::Cookie),
    ("this site uses cookies", ClutterKind::Cookie),
    ("by continuing to use this site", ClutterKind::Cookie),
    ("accept cookies", ClutterKind::Cookie),
    ("photo: ", ClutterKind::Credit),
    ("photograph: ", ClutterKind::Credit),
    ("image: ", ClutterKind::Credit),
    ("image source: ", ClutterKind::Credit),
    ("image caption", ClutterKind::Credit),
    ("photo credit", ClutterKind::Credit),
    ("getty images", ClutterKind::Credit),
    ("(photo by ", ClutterKind::Credit),
    ("photo by ", ClutterKind::Credit),
];

/// Trims bullets, list markers and punctuation around a line and folds case.
fn fold_line(line: &str) -> String {
    let trimmed = line.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '•' | '·' | '*' | '-' | '–' | '—' | '|' | '>' | '»' | '›' | '◦' | '▪' | ':' | '.' | '…' | '→'
            )
    });
    trimmed.to_lowercase()
}

/// Finds the clutter in `text`. Spans are whole lines, sorted and disjoint.
pub fn find_clutter(text: &str) -> Vec<Removed> {
    let mut out: Vec<Removed> = Vec::new();
    let mut offset = 0usize;
    let total = text.len();
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let content_start = line_start + (line.len() - line.trim_start().len());
        let content_end = line_start + line.trim_end().len();
        if content_start >= content_end {
            continue;
        }
        let folded = fold_line(line);
        if folded.is_empty() {
            // Only bullets or punctuation: a navigation remnant.
            out.push(Removed { span: Span::new(content_start, content_end), kind: ClutterKind::Navigation });
            continue;
        }
        // A heading that opens trailing furniture: drop the rest of the text,
        // but only when it sits in the last part of the article.
        if let Some(kind) = section_heading(&folded) {
            if content_start * 3 >= total {
                let tail = text[content_start..].trim_end();
                out.push(Removed { span: Span::new(content_start, content_start + tail.len()), kind });
                break;
            }
        }
        if let Some(kind) = line_clutter(&folded) {
            out.push(Removed { span: Span::new(content_start, content_end), kind });
        }
    }
    out
}

fn section_heading(folded: &str) -> Option<ClutterKind> {
    let f = folded.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '(' || c == ')');
    SECTION_HEADINGS.iter().find(|(h, _)| *h == f).map(|(_, k)| *k)
}

fn line_clutter(folded: &str) -> Option<ClutterKind> {
    if let Some((_, k)) = LINE_EXACT.iter().find(|(p, _)| *p == folded) {
        return Some(*k);
    }
    LINE_PREFIX.iter().find(|(p, _)| folded.starts_with(p) && folded.len() < 200).map(|(_, k)| *k)
}

/// The parts of `text` left after removing `removed` (sorted, disjoint).
pub fn kept_regions(text_len: usize, removed: &[Removed]) -> Vec<Span> {
    let mut out = Vec::with_capacity(removed.len() + 1);
    let mut cur = 0usize;
    for r in removed {
        if r.span.start > cur {
            out.push(Span::new(cur, r.span.start));
        }
        cur = cur.max(r.span.end);
    }
    if cur < text_len {
        out.push(Span::new(cur, text_len));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_trailing_related_block() {
        let text = "Title\n\nFirst paragraph of the story, long enough to be real content here.\nSecond paragraph with more facts and figures about the topic.\n  • Related Posts\n\n    Teaser headline\n\n    Continue reading\n\n    Leave a Reply\n";
        let removed = find_clutter(text);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].kind, ClutterKind::Related);
        assert!(removed[0].span.slice(text).starts_with("• Related Posts"));
        assert!(removed[0].span.slice(text).ends_with("Leave a Reply"));
    }

    #[test]
    fn drops_lone_lines() {
        let text = "Story text.\nAdvertisement\nMore story text.\nShare on Facebook\n";
        let kinds: Vec<_> = find_clutter(text).iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [ClutterKind::Advertisement, ClutterKind::Share]);
    }
}
