//! Sentence segmentation for news text.
//!
//! Returns byte spans of the input, never copies. Rules, in order:
//! - blank lines end paragraphs; a line break ends a sentence unless the line
//!   is clearly hard-wrapped (it ends mid-clause and the next starts lower-case);
//! - `. ! ? …` and the sentence marks of other scripts (`。！？ ؟ ।`) end a
//!   sentence when followed by white space and something that can start one,
//!   after any closing quotes or brackets;
//! - a full stop does not end a sentence after a known abbreviation, a single
//!   initial, inside a number, URL or e-mail address;
//! - a "sentence" longer than [`MAX_SENTENCE_BYTES`] is cut at white space so
//!   that no single span is unbounded.

use super::text::{SentenceSpan, Span};

/// Longest span returned as one sentence; longer runs are cut at a space.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// Abbreviations after which a full stop does not end a sentence (lower-case,
/// without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen", "rep", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "insp", "det", "messrs", "mme", "mlle", "inc", "corp",
    "co", "ltd", "plc", "llc", "bros", "dept", "univ", "assn", "est", "no", "nos", "vol", "vols", "fig", "figs", "p",
    "pp", "ch", "sec", "art", "approx", "etc", "vs", "v", "al", "cf", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n",
    "u.s.a", "e.u", "d.c", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "ave", "blvd", "rd", "hwy", "ala", "ariz",
    "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la", "md", "mass", "mich",
    "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis",
    "wyo", "ph.d", "b.a", "m.a", "dr.-ing", "bzw", "usw", "z.b", "ca", "nr", "min", "max", "tel", "mio", "mrd",
];

/// Splits `text` into sentences.
pub fn split(text: &str) -> Vec<SentenceSpan> {
    let mut out = Vec::new();
    split_region(text, Span::new(0, text.len()), 0, &mut out);
    out
}

/// Splits `text[region]` into sentences, appending them to `out` with
/// absolute offsets. Paragraph indices start at `first_paragraph`; the
/// return value is the index the next region should start at.
pub fn split_region(text: &str, region: Span, first_paragraph: usize, out: &mut Vec<SentenceSpan>) -> usize {
    let Some(piece) = text.get(region.start..region.end) else {
        return first_paragraph;
    };
    let mut paragraph = first_paragraph;
    let mut para_has_sentence = false;
    let mut block_start = 0usize;
    let bytes = piece.as_bytes();
    let mut i = 0usize;
    // Walk lines; a blank line ends the paragraph.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    while i <= bytes.len() {
        let end = memchr_nl(bytes, i);
        lines.push((i, end));
        i = end + 1;
    }
    let mut k = 0;
    while k < lines.len() {
        let (ls, le) = lines[k];
        let line = &piece[ls..le];
        if line.trim().is_empty() {
            if para_has_sentence {
                paragraph += 1;
                para_has_sentence = false;
            }
            k += 1;
            block_start = le + 1;
            continue;
        }
        // Join hard-wrapped lines into one block.
        let mut block_end = le;
        while k + 1 < lines.len() {
            let cur = piece[lines[k].0..lines[k].1].trim_end();
            let next = piece[lines[k + 1].0..lines[k + 1].1].trim_start();
            if next.is_empty() || !is_wrapped(cur, next) {
                break;
            }
            k += 1;
            block_end = lines[k].1;
        }
        let bs = block_start.max(ls);
        split_block(piece, Span::new(bs, block_end), region.start, paragraph, &mut para_has_sentence, out);
        k += 1;
        block_start = block_end + 1;
    }
    if para_has_sentence {
        paragraph += 1;
    }
    paragraph
}

fn memchr_nl(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| from + p)
}

/// A line continues on the next when it ends mid-clause and the next starts
/// with a lower-case letter.
fn is_wrapped(cur: &str, next: &str) -> bool {
    let last = cur.chars().next_back();
    let first = next.chars().next();
    matches!(last, Some(c) if c.is_alphanumeric() || c == ',' || c == ';' || c == '-')
        && matches!(first, Some(c) if c.is_lowercase())
}

/// Splits one block (no paragraph break inside) into sentences.
fn split_block(
    piece: &str,
    block: Span,
    base: usize,
    paragraph: usize,
    para_has_sentence: &mut bool,
    out: &mut Vec<SentenceSpan>,
) {
    let text = &piece[block.start..block.end];
    let mut start = 0usize;
    let mut iter = text.char_indices().peekable();
    let emit = |s: usize, e: usize, out: &mut Vec<SentenceSpan>, has: &mut bool| {
        let sent = &text[s..e];
        let lead = sent.len() - sent.trim_start().len();
        let trail = sent.len() - sent.trim_end().len();
        let (s, e) = (s + lead, e - trail);
        if s >= e {
            return;
        }
        for (cs, ce) in cut_long(text, s, e) {
            out.push(SentenceSpan {
                span: Span::new(base + block.start + cs, base + block.start + ce),
                paragraph,
                first_in_paragraph: !*has,
            });
            *has = true;
        }
    };
    while let Some((i, c)) = iter.next() {
        let is_cjk_mark = matches!(c, '。' | '！' | '？' | '；');
        let is_mark = matches!(c, '.' | '!' | '?' | '…' | '؟' | '।' | '۔') || is_cjk_mark;
        if !is_mark {
            continue;
        }
        // Extend over repeated marks and closing quotes/brackets.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if matches!(
                d,
                '.' | '!'
                    | '?'
                    | '…'
                    | '"'
                    | '\''
                    | '”'
                    | '’'
                    | ')'
                    | ']'
                    | '»'
                    | '」'
                    | '』'
                    | '）'
                    | '。'
                    | '！'
                    | '？'
            ) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let rest = &text[end..];
        if is_cjk_mark {
            emit(start, end, out, para_has_sentence);
            start = end;
            continue;
        }
        // Must be followed by white space (or end of block).
        let after_ws = rest.trim_start();
        if !rest.is_empty() && after_ws.len() == rest.len() {
            continue;
        }
        if after_ws.is_empty() {
            break;
        }
        if c == '.' && !ends_sentence_at_dot(text, start, i, after_ws) {
            continue;
        }
        if !can_start_sentence(after_ws) {
            continue;
        }
        emit(start, end, out, para_has_sentence);
        start = end;
    }
    emit(start, text.len(), out, para_has_sentence);
}

/// Whether the full stop at `dot` ends a sentence, given the word before it
/// and the text after it.
fn ends_sentence_at_dot(text: &str, sent_start: usize, dot: usize, after: &str) -> bool {
    let before = &text[sent_start..dot];
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“').next().unwrap_or("");
    let lower = word.to_lowercase();
    if word.is_empty() {
        return true;
    }
    // Ellipsis written as dots followed by lower case: continuation.
    let next_lower = after.chars().next().is_some_and(char::is_lowercase);
    if ABBREVIATIONS.contains(&lower.as_str()) {
        // "U.S." or "Inc." can end a sentence; only believe it when the next
        // word starts a typical sentence and the abbreviation is not a title.
        let titles = [
            "mr", "mrs", "ms", "dr", "prof", "st", "gen", "gov", "sen", "rep", "no", "vs", "v", "e.g", "i.e", "cf",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "col", "lt", "sgt",
            "capt", "rev", "fig", "mt", "ft", "p", "pp", "vol", "ch", "sec", "art", "approx", "ca", "nr", "tel", "z.b",
        ];
        if titles.contains(&lower.as_str()) {
            return false;
        }
        return !next_lower && starts_with_common_opener(after);
    }
    // Single initial ("J. K. Rowling").
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    // Dotted acronyms not in the list ("A.B.C.").
    if word.len() <= 8 && word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        return !next_lower && starts_with_common_opener(after);
    }
    !next_lower
}

/// Words that typically open a sentence after an abbreviation that can also
/// end one ("… in the U.S. The company said …").
fn starts_with_common_opener(after: &str) -> bool {
    let w = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matches!(
        w,
        "The"
            | "A"
            | "An"
            | "It"
            | "He"
            | "She"
            | "They"
            | "We"
            | "I"
            | "In"
            | "But"
            | "And"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "There"
            | "On"
            | "At"
            | "For"
            | "As"
            | "If"
            | "When"
            | "While"
            | "However"
            | "Some"
            | "Many"
            | "Most"
            | "Officials"
            | "Mr"
            | "Ms"
            | "Mrs"
            | "Dr"
    ) || after.starts_with(['"', '“', '‘', '\''])
}

/// Whether `after` (non-empty, trimmed) can start a new sentence.
fn can_start_sentence(after: &str) -> bool {
    match after.chars().next() {
        Some(c) => !c.is_lowercase() && !matches!(c, ',' | ';' | ':' | ')' | ']'),
        None => false,
    }
}

/// Cuts `text[s..e]` into pieces of at most [`MAX_SENTENCE_BYTES`], at white
/// space where possible, else at a character boundary.
fn cut_long(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    if e - s <= MAX_SENTENCE_BYTES {
        return vec![(s, e)];
    }
    let mut out = Vec::new();
    let mut cur = s;
    while e - cur > MAX_SENTENCE_BYTES {
        let mut limit = cur + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[cur..limit];
        let cut = match window.rfind(char::is_whitespace) {
            Some(p) if p > MAX_SENTENCE_BYTES / 2 => cur + p,
            _ => limit,
        };
        let piece = text[cur..cut].trim_end();
        if !piece.is_empty() {
            out.push((cur, cur + piece.len()));
        }
        let rest = &text[cut..e];
        cur = cut + (rest.len() - rest.trim_start().len());
    }
    if cur < e {
        out.push((cur, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn basic_rules() {
        assert_eq!(
            sents("Mr. Smith went to Washington. He met the U.S. president."),
            ["Mr. Smith went to Washington.", "He met the U.S. president."]
        );
        assert_eq!(
            sents("Profits rose 3.5% to $1.13bn. Shares fell."),
            ["Profits rose 3.5% to $1.13bn.", "Shares fell."]
        );
        assert_eq!(
            sents("\"It is over,\" he said. \"We won.\" Then he left."),
            ["\"It is over,\" he said.", "\"We won.\"", "Then he left."]
        );
        assert_eq!(
            sents("Headline without stop\n\nBody sentence one. Two."),
            ["Headline without stop", "Body sentence one.", "Two."]
        );
        assert_eq!(sents("中国经济增长。出口下降！"), ["中国经济增长。", "出口下降！"]);
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "word ".repeat(2_000);
        let s = split(&text);
        assert!(s.len() > 1);
        assert!(s.iter().all(|s| s.span.len() <= MAX_SENTENCE_BYTES));
    }
}
