//! One walk over the parsed page: drops what is never article text and cuts
//! the rest into blocks of text, each owned by its nearest block-level
//! element, with the element tree kept as parent links for scoring.
//!
//! The walk uses the tree's own open/close traversal (no recursion), so
//! nesting depth cannot overflow the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::hints::{self, Kind, BLOCK_TAGS, SKIPPED_TAGS};

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
            }],
            ..Page::default()
        };
        let mut cur = Current::default();
        // Open block elements: (tree node id, element index).
        let mut open: Vec<(ego_tree::NodeId, usize)> = Vec::new();
        let mut skip: Option<ego_tree::NodeId> = None;
        let mut link_depth = 0usize;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => cur.push(t, link_depth > 0),
                        Node::Element(el) => {
                            let name = el.name();
                            if SKIPPED_TAGS.contains(&name) {
                                skip = Some(node.id());
                                continue;
                            }
                            let hint = hints::hint(el.attrs());
                            let block = BLOCK_TAGS.iter().find(|t| **t == name);
                            if hint.unlikely && block.is_none() {
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
                                            unlikely: (hint.unlikely || *tag == "form")
                                                && !matches!(*tag, "html" | "body" | "main"),
                                            likely: hint.likely,
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
        page
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
