//! Chooses the article among a page's blocks.
//!
//! Readability's method: every paragraph of prose gives points (one, plus
//! one per comma, plus one per hundred characters, up to three) to the
//! elements above it, less with each level; an element's score is then cut
//! by the share of its text that sits in links. The best element, with those
//! of its siblings that score well or read as prose themselves, holds the
//! article. Inside it, link lists, short crumbs and the headline are dropped.

use super::blocks::{Block, Page, NONE};
use super::hints::Kind;

/// Shortest paragraph that scores.
const MIN_SCORED_CHARS: usize = 25;
/// Ancestor levels a paragraph gives points to.
const SCORE_LEVELS: usize = 5;
/// Highest link density of another part of the article.
const MAX_PART_DENSITY: f32 = 0.25;
/// Prose paragraphs a boilerplate-named container set among the article's
/// paragraphs must hold to be read as the article's continuation.
const MIN_CONTINUATION_PARAGRAPHS: usize = 3;

/// The article text of `page`: kept blocks joined by blank lines.
pub fn article_text(page: &Page, title: Option<&str>) -> String {
    let n = page.elements.len();
    // Subtree text and link text per element (children come after parents).
    let mut chars = vec![0usize; n];
    let mut links = vec![0usize; n];
    for b in &page.blocks {
        if let (Some(c), Some(l)) = (chars.get_mut(b.owner), links.get_mut(b.owner)) {
            *c += b.chars;
            *l += b.link_chars;
        }
    }
    for i in (1..n).rev() {
        let p = parent(page, i);
        if p != NONE {
            let (c, l) = (chars.get(i).copied().unwrap_or(0), links.get(i).copied().unwrap_or(0));
            if let Some(x) = chars.get_mut(p) {
                *x += c;
            }
            if let Some(x) = links.get_mut(p) {
                *x += l;
            }
        }
    }
    let density = |i: usize| -> f32 {
        let c = chars.get(i).copied().unwrap_or(0);
        if c == 0 {
            0.0
        } else {
            links.get(i).copied().unwrap_or(0) as f32 / c as f32
        }
    };

    let (blocked, continued) = blocked(page, n);
    let is_blocked = |i: usize| blocked.get(i).copied().unwrap_or(false);

    // Readability scores.
    let mut score: Vec<Option<f32>> = vec![None; n];
    for b in &page.blocks {
        if is_blocked(b.owner) || !scores(page, b) {
            continue;
        }
        let points = 1.0 + b.commas as f32 + (b.chars as f32 / 100.0).min(3.0);
        let mut node = parent(page, b.owner);
        for level in 0..SCORE_LEVELS {
            if node == NONE {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            if let Some(s) = score.get_mut(node) {
                *s = Some(s.unwrap_or_else(|| initial_score(page, node)) + points / divider);
            }
            node = parent(page, node);
        }
    }
    let final_score = |i: usize| score.get(i).copied().flatten().map(|s| s * (1.0 - density(i)));
    let top = (0..n)
        .filter(|&i| !is_blocked(i))
        .filter_map(|i| final_score(i).map(|s| (i, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    let Some((top, top_score)) = top else {
        return fallback(page);
    };

    // The top element and its siblings that belong to the article.
    let mut selected = vec![false; n];
    let top_parent = parent(page, top);
    let threshold = (top_score * 0.2).max(10.0);
    if let Some(s) = selected.get_mut(top) {
        *s = true;
    }
    if top_parent != NONE {
        for i in 0..n {
            if i == top || parent(page, i) != top_parent {
                continue;
            }
            let keep = final_score(i).is_some_and(|s| s >= threshold)
                || reads_as_prose(page, i, density(i), chars.get(i).copied().unwrap_or(0));
            if let Some(s) = selected.get_mut(i) {
                *s = keep;
            }
        }
    }

    // Other parts of the same article: containers of the top one's tag and
    // class elsewhere on the page (a body split by inserts) that hold prose.
    let top_key = page.elements.get(top).map_or(0, |e| e.class_key);
    if top_key != 0 {
        let mut above = vec![false; n];
        let mut a = top_parent;
        while a != NONE {
            if let Some(x) = above.get_mut(a) {
                *x = true;
            }
            a = parent(page, a);
        }
        for i in 0..n {
            let same = page.elements.get(i).is_some_and(|e| e.class_key == top_key && e.tag == tag(page, top));
            if same
                && !above.get(i).copied().unwrap_or(true)
                && !is_blocked(i)
                && density(i) < MAX_PART_DENSITY
                && final_score(i).is_some_and(|s| s >= threshold)
            {
                if let Some(s) = selected.get_mut(i) {
                    *s = true;
                }
            }
        }
    }

    // Inside the selection: drop link lists and link-heavy containers.
    let mut included = vec![false; n];
    for i in 0..n {
        let p = parent(page, i);
        let inherited = p != NONE && included.get(p).copied().unwrap_or(false);
        let own = selected.get(i).copied().unwrap_or(false);
        let clutter = is_clutter(page, i, density(i), chars.get(i).copied().unwrap_or(0))
            && !continued.get(i).copied().unwrap_or(false);
        let keep = (own || (inherited && !clutter)) && !is_blocked(i);
        if let Some(x) = included.get_mut(i) {
            *x = keep;
        }
    }

    let title_key = title.map(normalise).unwrap_or_default();
    let kept: Vec<&Block> = page
        .blocks
        .iter()
        .filter(|b| included.get(b.owner).copied().unwrap_or(false) && keep_block(page, b, &title_key))
        .collect();
    let repeated = repeated_later(page, &kept);
    let mut out = String::new();
    for (k, b) in kept.iter().enumerate() {
        if repeated.get(k).copied().unwrap_or(false) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(page.block_text(b));
    }
    if out.is_empty() {
        // Nothing survived the selection (e.g. the whole page sits in one
        // oddly named wrapper): better every prose-like block than nothing.
        return fallback(page);
    }
    out
}

/// Prose a boilerplate-named container may hold in a content-named
/// descendant and still be taken for boilerplate.
const MAX_PROSE_IN_UNLIKELY: usize = 500;

/// Which elements lie inside boilerplate-named containers, and which
/// boilerplate-named containers continue the article's paragraphs. A
/// container named as boilerplate is let through when it wraps the article
/// (a content-named element inside it holds prose) or continues it.
fn blocked(page: &Page, n: usize) -> (Vec<bool>, Vec<bool>) {
    let mut prose = vec![0usize; n];
    for b in &page.blocks {
        if scores(page, b) {
            if let Some(p) = prose.get_mut(b.owner) {
                *p += b.chars;
            }
        }
    }
    let mut likely_prose = vec![0usize; n];
    for i in (0..n).rev() {
        let own = prose.get(i).copied().unwrap_or(0);
        if page.elements.get(i).is_some_and(|e| e.likely) {
            if let Some(l) = likely_prose.get_mut(i) {
                *l = (*l).max(own);
            }
        }
        let p = parent(page, i);
        if p != NONE {
            let l = likely_prose.get(i).copied().unwrap_or(0);
            if let Some(x) = prose.get_mut(p) {
                *x += own;
            }
            if let Some(x) = likely_prose.get_mut(p) {
                *x = (*x).max(l);
            }
        }
    }
    // Prose paragraphs directly inside each element: (count, characters).
    let mut paragraphs = vec![(0usize, 0usize); n];
    for b in &page.blocks {
        if kind(page, b.owner) == Kind::Paragraph && scores(page, b) {
            if let Some(x) = paragraphs.get_mut(parent(page, b.owner)) {
                x.0 += 1;
                x.1 += b.chars;
            }
        }
    }
    // A boilerplate-named container of prose paragraphs, set among prose
    // paragraphs, continues the article (text behind a `paywall`, say).
    let continues = |i: usize| {
        let (count, chars) = paragraphs.get(i).copied().unwrap_or((0, 0));
        let siblings = paragraphs.get(parent(page, i)).map_or(0, |x| x.0);
        count >= MIN_CONTINUATION_PARAGRAPHS && chars >= MAX_PROSE_IN_UNLIKELY && siblings > 0
    };
    let mut blocked = vec![false; n];
    let mut continued = vec![false; n];
    for i in 0..n {
        let p = parent(page, i);
        let inherited = p != NONE && blocked.get(p).copied().unwrap_or(false);
        let own = page.elements.get(i).is_some_and(|e| e.unlikely)
            && likely_prose.get(i).copied().unwrap_or(0) < MAX_PROSE_IN_UNLIKELY;
        let goes_on = own && continues(i);
        if let Some(x) = blocked.get_mut(i) {
            *x = inherited || (own && !goes_on);
        }
        if let Some(x) = continued.get_mut(i) {
            *x = goes_on;
        }
    }
    (blocked, continued)
}

/// The parent of element `i`.
fn parent(page: &Page, i: usize) -> usize {
    page.elements.get(i).map_or(NONE, |e| e.parent)
}

fn kind(page: &Page, i: usize) -> Kind {
    page.elements.get(i).map_or(Kind::Inline, |e| e.kind)
}

fn tag(page: &Page, i: usize) -> &'static str {
    page.elements.get(i).map_or("", |e| e.tag)
}

/// Whether a block is prose that gives points to its ancestors.
fn scores(page: &Page, b: &Block) -> bool {
    b.chars >= MIN_SCORED_CHARS
        && b.link_chars * 2 < b.chars
        && matches!(kind(page, b.owner), Kind::Paragraph | Kind::Container | Kind::Cell)
}

/// Readability's starting score of a candidate: by tag, plus class hints.
fn initial_score(page: &Page, i: usize) -> f32 {
    let by_tag = match tag(page, i) {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    by_tag + page.elements.get(i).map_or(0.0, |e| e.weight)
}

/// A sibling paragraph of the top candidate that reads as article text: a
/// paragraph element, or a container used as one (all its text is its own,
/// none in child blocks; `subtree_chars` is its text with its children's).
fn reads_as_prose(page: &Page, i: usize, density: f32, subtree_chars: usize) -> bool {
    let k = kind(page, i);
    if !matches!(k, Kind::Paragraph | Kind::Container) {
        return false;
    }
    let mut text_len = 0usize;
    let mut last = "";
    for b in page.blocks.iter().filter(|b| b.owner == i) {
        text_len += b.chars;
        last = page.block_text(b);
    }
    if k == Kind::Container && text_len < subtree_chars {
        return false;
    }
    (text_len > 80 && density < 0.25) || (text_len > 0 && density == 0.0 && ends_sentence(last))
}

/// Whether a container inside the article is a link list or other clutter.
fn is_clutter(page: &Page, i: usize, density: f32, chars: usize) -> bool {
    let weight = page.elements.get(i).map_or(0.0, |e| e.weight);
    match tag(page, i) {
        "ul" | "ol" | "dl" => density > 0.5 || (density > 0.3 && chars < 300),
        "div" | "section" | "table" | "header" => weight < 0.0 || density > 0.6,
        _ => false,
    }
}

/// Shortest block (in letters and digits) whose repetition marks a copy.
const MIN_REPEATED_KEY: usize = 40;

/// Which of `kept` are repeated word for word by a later kept block: a
/// "Highlights" box, teaser or pull quote that quotes the article's own
/// paragraph. The later copy is the one that stands in the running text
/// (after its antecedents), so the earlier one goes; a summary would
/// otherwise open with "She added that…" lifted out of context. Short
/// blocks ("Share this", a recurring tweet signature) are left to the other
/// rules: their repetition is not evidence of a copy.
fn repeated_later(page: &Page, kept: &[&Block]) -> Vec<bool> {
    let keys: Vec<String> = kept.iter().map(|b| normalise(page.block_text(b))).collect();
    let mut last = std::collections::HashMap::with_capacity(keys.len());
    for (k, key) in keys.iter().enumerate() {
        if key.len() >= MIN_REPEATED_KEY {
            last.insert(key.as_str(), k);
        }
    }
    keys.iter()
        .enumerate()
        .map(|(k, key)| key.len() >= MIN_REPEATED_KEY && last.get(key.as_str()).is_some_and(|&l| l > k))
        .collect()
}

/// Whether a block of the article is kept in the text.
fn keep_block(page: &Page, b: &Block, title_key: &str) -> bool {
    let text = page.block_text(b);
    let k = kind(page, b.owner);
    if k == Kind::Heading {
        if tag(page, b.owner) == "h1" {
            return false;
        }
        let key = normalise(text);
        if !title_key.is_empty() && (key == title_key || title_key.starts_with(&key)) {
            return false;
        }
        return b.link_chars * 2 < b.chars;
    }
    if b.link_chars * 2 >= b.chars.max(1) {
        return false;
    }
    let words = text.split_whitespace().count();
    words >= 4 || ends_sentence(text)
}

/// Whether `s` ends like a sentence.
fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?', '"', '”', '»', '。', '！', '？', ':'])
}

/// Lower-case alphanumerics, for comparing a heading with the title.
fn normalise(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// No prose scored anywhere: keep every prose-like block of the page.
fn fallback(page: &Page) -> String {
    let mut out = String::new();
    for b in &page.blocks {
        let text = page.block_text(b);
        if b.link_chars * 2 < b.chars && (text.split_whitespace().count() >= 4 || ends_sentence(text)) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(text);
        }
    }
    out
}
