//! Extracts an article's main text from an HTML page.
//!
//! The page is parsed with a real HTML5 parser (`scraper`/`html5ever`).
//! Blocks (paragraphs, headings, list items) become paragraphs of the
//! extracted text, separated by blank lines, so the segmenter treats them as
//! hard boundaries. Scripts, styles, navigation, asides, footers, forms and
//! comments are dropped. Traversal is iterative, so deeply nested pages cannot
//! overflow the stack.

use scraper::{ElementRef, Html, Node, Selector};

/// The text extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The page's title (`og:title`, `<title>` or the first `<h1>`), if any.
    pub title: Option<String>,
    /// The article text: blocks separated by blank lines.
    pub text: String,
}

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "header",
    "form",
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
];

/// Elements that end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
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
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "dl",
    "br",
    "hr",
    "body",
];

/// Extracts the title and main text of `html`.
pub fn extract(html: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let title = page_title(&doc);
    let root = match Selector::parse("article").ok().and_then(|s| doc.select(&s).max_by_key(|e| text_len(e))) {
        Some(article) if text_len(&article) > 200 => article,
        _ => doc.root_element(),
    };
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Iterative walk with explicit enter/leave events.
    let mut stack = vec![(root.id(), false)];
    while let Some((id, leaving)) = stack.pop() {
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        match node.value() {
            Node::Text(t) => {
                push_text(&mut cur, t);
            }
            Node::Element(el) => {
                let name = el.name();
                if leaving {
                    if BLOCKS.contains(&name) {
                        flush(&mut cur, &mut blocks);
                    }
                    continue;
                }
                if SKIP.contains(&name) || is_boilerplate_class(el) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    flush(&mut cur, &mut blocks);
                }
                stack.push((id, true));
                let children: Vec<_> = node.children().map(|c| c.id()).collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks);
    // Keep blocks that read like prose: drop short link-like crumbs.
    let text = blocks
        .into_iter()
        .filter(|b| b.split_whitespace().count() >= 4 || b.ends_with(['.', '!', '?', '"', '”']))
        .collect::<Vec<_>>()
        .join("\n\n");
    Extracted { title, text }
}

fn text_len(e: &ElementRef<'_>) -> usize {
    e.text().map(|t| t.trim().len()).sum()
}

fn is_boilerplate_class(el: &scraper::node::Element) -> bool {
    let attrs = [el.attr("class").unwrap_or(""), el.attr("id").unwrap_or(""), el.attr("role").unwrap_or("")];
    attrs.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        [
            "comment",
            "related",
            "share",
            "social",
            "newsletter",
            "cookie",
            "advert",
            "promo",
            "sidebar",
            "navigation",
            "breadcrumb",
            "subscribe",
        ]
        .iter()
        .any(|k| a.contains(k))
    })
}

fn push_text(cur: &mut String, t: &str) {
    for w in t.split_whitespace() {
        if !cur.is_empty() && !cur.ends_with(' ') {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if t.ends_with(char::is_whitespace) && !cur.is_empty() && !cur.ends_with(' ') {
        cur.push(' ');
    }
}

fn flush(cur: &mut String, blocks: &mut Vec<String>) {
    let t = cur.trim();
    if !t.is_empty() {
        blocks.push(t.to_string());
    }
    cur.clear();
}

fn page_title(doc: &Html) -> Option<String> {
    let og = Selector::parse("meta[property=\"og:title\"]").ok()?;
    if let Some(t) = doc.select(&og).next().and_then(|m| m.value().attr("content")) {
        let t = t.trim();
        if !t.is_empty() {
            return Some(t.to_string());
        }
    }
    for sel in ["title", "h1"] {
        let s = Selector::parse(sel).ok()?;
        if let Some(e) = doc.select(&s).next() {
            let t: String = e.text().collect::<Vec<_>>().join(" ");
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                return Some(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_paragraphs_and_title() {
        let html = "<html><head><title>Big news</title><script>var x=1;</script></head><body><nav>Home News Sport</nav><article><h1>Big news today</h1><p>The first paragraph says a thing &amp; more.</p><p>The second paragraph says another thing.</p></article><footer>Copyright</footer></body></html>";
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("Big news"));
        assert!(e.text.contains("The first paragraph says a thing & more.\n\nThe second paragraph"));
        assert!(!e.text.contains("var x"));
        assert!(!e.text.contains("Copyright"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}text here in the middle{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        let _ = extract(&html);
    }
}
