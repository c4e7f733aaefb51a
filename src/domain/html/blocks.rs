//! One walk over the parsed page: drops what is never article text and cuts
//! the rest into blocks of text, each owned by its nearest block-level
//! element, with the element tree kept as parent links for scoring.
//!
//! The walk uses the tree's own open/close traversal (no recursion), so
//! nesting depth cannot overflow the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::hints::{self, Kind};

/// No parent (the root).
pub const NONE: usize = usize::MAX;

/// A block-level element.
#[derive(Debug, Clone)]
pub struct Element {
    /// Index of the parent element, [`NONE`] for the root.
    pub parent: usize,
    /// The tag name (`""` for the document root).
    pub tag: &'static str,
    /// The tag's kind.
    pub kind: Kind,
    /// Class/id score bonus or malus.
    pub weight: f32,
    /// Named as boilerplate (`related`, `sidebar`, a `form`…): its text is
    /// left out unless it turns out to wrap the article.
    pub unlikely: bool,
    /// Named only as article content (`article-body`, `entry-content`…).
    pub likely: bool,
    /// Hash of the `class` attribute (0 when absent or empty): parts of one
    /// article split by inserts share their container's tag and class.
    pub class_key: u64,
}

/// A run of text inside one block-level element.
#[derive(Debug, Clone)]
pub struct Block {
    /// Byte range of the text in [`Page::text`].
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Characters of text.
    pub chars: usize,
    /// Characters of text inside links.
    pub link_chars: usize,
    /// Commas in the text.
    pub commas: usize,
    /// Index of the element that owns the block.
    pub owner: usize,
}

/// A page as blocks of text and the elements that hold them.
#[derive(Debug, Default)]
pub struct Page {
    /// Block-level elements in document order (a parent before its children).
    pub elements: Vec<Element>,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// The text of all blocks, back to back.
    pub text: String,
    /// The page's title (`og:title`, `<title>` or the first `<h1>`), if any.
    pub title: Option<String>,
}

impl Page {
    /// The text of block `b`.
    pub fn block_text(&self, b: &Block) -> &str {
        self.text.get(b.start..b.end).unwrap_or_default()
    }

    /// Reads the blocks of a parsed page.
    pub fn read(doc: &Html) -> Self {
        let mut page = Page {
            elements: vec![Element {
                parent: NONE,
                tag: "",
                kind: Kind::Container,
                weight: 0.0,
                unlikely: false,
                likely: false,
                class_key: 0,
            }],
            ..Page::default()
        };
        let mut cur = Current::default();
        // Open block elements: (tree node id, element index).
        let mut open: Vec<(ego_tree::NodeId, usize)> = Vec::new();
        let mut skip: Option<ego_tree::NodeId> = None;
        let mut link_depth = 0usize;
        let mut titles = Titles::default();
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if let Node::Element(el) = node.value() {
                        titles.see(node, el);
                    }
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => cur.push(t, link_depth > 0),
                        Node::Element(el) => {
                            let name = el.name();
                            if hints::is_skipped(name) {
                                skip = Some(node.id());
                                continue;
                            }
                            let hint = hints::hint(el.attrs());
                            let block = hints::block_tag(name);
                            // The root holds the whole page, whatever layout
                            // flags its class lists.
                            if hint.unlikely && block.is_none() && name != "html" {
                                skip = Some(node.id());
                                continue;
                            }
                            match name {
                                "br" | "hr" => cur.flush(&mut page, owner(&open)),
                                "a" => link_depth += 1,
                                _ => {
                                    if let Some(tag) = block {
                                        cur.flush(&mut page, owner(&open));
                                        page.elements.push(Element {
                                            parent: owner(&open),
                                            tag,
                                            kind: Kind::of(tag),
                                            weight: hint.weight,
                                            unlikely: (hint.unlikely || tag == "form")
                                                && !matches!(tag, "html" | "body" | "main"),
                                            likely: hint.likely,
                                            class_key: class_key(el.attr("class")),
                                        });
                                        open.push((node.id(), page.elements.len() - 1));
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        if el.name() == "a" {
                            link_depth = link_depth.saturating_sub(1);
                        } else if open.last().is_some_and(|(id, _)| *id == node.id()) {
                            cur.flush(&mut page, owner(&open));
                            open.pop();
                        }
                    }
                }
            }
        }
        cur.flush(&mut page, owner(&open));
        page.title = titles.best();
        page
    }
}

/// The candidates for the page's title, gathered during the walk.
#[derive(Debug, Default)]
struct Titles {
    og: Option<String>,
    title: Option<String>,
    h1: Option<String>,
}

impl Titles {
    /// Notes an element that may give the title (`meta property=og:title`,
    /// the first non-empty `<title>` and `<h1>`).
    fn see(&mut self, node: ego_tree::NodeRef<'_, Node>, el: &scraper::node::Element) {
        match el.name() {
            "meta" if self.og.is_none() && el.attr("property") == Some("og:title") => {
                self.og = el.attr("content").map(collapse).filter(|t| !t.is_empty());
            }
            "title" if self.title.is_none() => self.title = text_of(node),
            "h1" if self.h1.is_none() => self.h1 = text_of(node),
            _ => {}
        }
    }

    /// `og:title`, else `<title>`, else the first `<h1>`.
    fn best(self) -> Option<String> {
        self.og.or(self.title).or(self.h1)
    }
}

/// The collapsed text of an element, `None` when empty.
fn text_of(node: ego_tree::NodeRef<'_, Node>) -> Option<String> {
    let el = scraper::ElementRef::wrap(node)?;
    let mut out = String::new();
    for t in el.text() {
        for w in t.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `s` with runs of white space collapsed to one space and trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A hash of a `class` value, 0 when there is none.
fn class_key(class: Option<&str>) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    match class.map(str::trim) {
        None | Some("") => 0,
        Some(c) => BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(c).max(1),
    }
}

/// The innermost open block element (the root when none).
fn owner(open: &[(ego_tree::NodeId, usize)]) -> usize {
    open.last().map_or(0, |(_, i)| *i)
}

/// The block being gathered.
#[derive(Debug, Default)]
struct Current {
    text: String,
    link_chars: usize,
    /// A space is due before the next word.
    space: bool,
}

impl Current {
    /// Appends text with white space collapsed.
    fn push(&mut self, t: &str, in_link: bool) {
        if t.starts_with(char::is_whitespace) {
            self.space = true;
        }
        for w in t.split_whitespace() {
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(w);
            if in_link {
                self.link_chars += w.chars().count();
            }
            self.space = true;
        }
        if !t.ends_with(char::is_whitespace) {
            self.space = false;
        }
    }

    /// Ends the block, storing it in `page` when it holds text.
    fn flush(&mut self, page: &mut Page, owner: usize) {
        if !self.text.is_empty() {
            let start = page.text.len();
            page.text.push_str(&self.text);
            let chars = self.text.chars().filter(|c| !c.is_whitespace()).count();
            let commas = self.text.chars().filter(|c| matches!(c, ',' | '，' | '、')).count();
            page.blocks.push(Block {
                start,
                end: page.text.len(),
                chars,
                link_chars: self.link_chars.min(chars),
                commas,
                owner,
            });
        }
        self.text.clear();
        self.link_chars = 0;
        self.space = false;
    }
}
