//! A cheap, linear pre-check of how deeply a page nests its elements.
//!
//! The HTML5 tree builder checks element scopes by walking its stack of open
//! elements, so a page of 100,000 nested `<div>`s costs it quadratic time.
//! This scan counts open elements from the raw bytes before parsing, so such
//! a page is refused in microseconds. It skips comments, raw-text elements
//! (`script`, `style`, …) and quoted attribute values, and does not count
//! void elements or elements whose end tag may be left out (`p`, `li`, `td`,
//! …), which the parser closes implicitly; for real pages its figure is
//! close to the parser's stack depth.

use memchr::{memchr, memchr3};

/// Elements with no content (never pushed on the stack of open elements).
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"keygen",
    b"basefont",
    b"bgsound",
    b"frame",
    b"image",
];

/// Elements the parser closes by itself (optional end tags): not counted.
const IMPLIED_END: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"option",
    b"optgroup",
    b"tr",
    b"td",
    b"th",
    b"tbody",
    b"thead",
    b"tfoot",
    b"rb",
    b"rt",
    b"rp",
    b"rtc",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&[u8]] =
    &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"plaintext"];

/// The deepest nesting of elements found in `html`, scanning no further
/// than the point where it first exceeds `limit` (the figure returned is
/// then `limit + 1`).
pub fn max_depth(html: &str, limit: usize) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut pos = 0usize;
    while let Some(off) = b.get(pos..).and_then(|rest| memchr(b'<', rest)) {
        let lt = pos + off;
        let next = b.get(lt + 1).copied().unwrap_or(0);
        if next == b'!' {
            pos = if b.get(lt + 2..lt + 4) == Some(b"--") {
                find(b, lt + 4, b"-->").map_or(b.len(), |i| i + 3)
            } else {
                memchr(b'>', b.get(lt..).unwrap_or_default()).map_or(b.len(), |i| lt + i + 1)
            };
            continue;
        }
        if next == b'/' {
            let (name, after) = tag_name(b, lt + 2);
            if !name.is_empty() && counted(name) {
                depth = depth.saturating_sub(1);
            }
            pos = tag_end(b, after);
            continue;
        }
        if !next.is_ascii_alphabetic() {
            pos = lt + 1;
            continue;
        }
        let (name, after) = tag_name(b, lt + 1);
        let end = tag_end(b, after);
        let self_closing = end >= 2 && b.get(end - 2) == Some(&b'/');
        pos = end;
        if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
            pos = skip_raw_text(b, pos, raw);
            continue;
        }
        if !self_closing && counted(name) {
            depth += 1;
            if depth > max {
                max = depth;
                if max > limit {
                    return max;
                }
            }
        }
    }
    max
}

/// Whether an element of this name is counted as a nesting level.
fn counted(name: &[u8]) -> bool {
    !VOID.iter().chain(IMPLIED_END).any(|v| name.eq_ignore_ascii_case(v))
}

/// The tag name starting at `start` and the index just after it.
fn tag_name(b: &[u8], start: usize) -> (&[u8], usize) {
    let rest = b.get(start..).unwrap_or_default();
    let len = rest.iter().position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/').unwrap_or(rest.len());
    (rest.get(..len).unwrap_or_default(), start + len)
}

/// The index just after the `>` that ends a tag, skipping quoted values.
fn tag_end(b: &[u8], mut pos: usize) -> usize {
    while let Some(off) = b.get(pos..).and_then(|rest| memchr3(b'>', b'"', b'\'', rest)) {
        let at = pos + off;
        match b.get(at) {
            Some(b'>') => return at + 1,
            Some(&q) => {
                pos = b.get(at + 1..).and_then(|rest| memchr(q, rest)).map_or(b.len(), |i| at + 1 + i + 1);
            }
            None => break,
        }
    }
    b.len()
}

/// The index after the end tag `</name` of a raw-text element (or the end).
fn skip_raw_text(b: &[u8], mut pos: usize, name: &[u8]) -> usize {
    while let Some(at) = find(b, pos, b"</") {
        let cand = b.get(at + 2..at + 2 + name.len()).unwrap_or_default();
        if cand.eq_ignore_ascii_case(name) {
            return tag_end(b, at + 2 + name.len());
        }
        pos = at + 2;
    }
    b.len()
}

/// The first index at or after `from` where `needle` occurs.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nested_elements() {
        assert_eq!(max_depth("<html><body><div><div><span>x</span></div></div></body></html>", 100), 3);
    }

    #[test]
    fn ignores_void_and_implied_end_elements() {
        assert_eq!(max_depth("<div><p>a<p>b<br><img src=x><li>c<li>d</div>", 100), 1);
    }

    #[test]
    fn ignores_tags_inside_comments_scripts_and_attributes() {
        let html = "<div><!-- <div><div> --><script>if (a<b) { s = '<div><div>' }</script>\
                    <a title=\"<div><div>\">x</a></div>";
        assert_eq!(max_depth(html, 100), 2);
    }

    #[test]
    fn stops_counting_past_the_limit() {
        let html = "<div>".repeat(10_000);
        assert_eq!(max_depth(&html, 50), 51);
    }

    #[test]
    fn survives_truncated_markup() {
        for html in ["<", "<div", "<!--", "<div a=\"", "<script>", "</", "<a href='x", "<!doctype"] {
            assert!(max_depth(html, 10) <= 1);
        }
    }
}
