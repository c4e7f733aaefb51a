//! Sentence segmentation for news text.
//!
//! Extractive summaries are made of whole sentences, so a wrong boundary is
//! visible to the reader: a summary that stops after "Mr." or glues two
//! sentences together. This segmenter is rule-based, tuned for news, and
//! returns byte spans of the input (never copies). It allocates nothing but
//! the output vector and makes one pass over the bytes, so its cost is a few
//! microseconds for a typical article and linear on any input.
//!
//! Rules, in order:
//! - a blank line ends a paragraph, which always ends a sentence;
//! - a line break ends a sentence (headlines, list items and datelines have no
//!   final punctuation) unless the text is hard-wrapped: the line ends
//!   mid-clause, the next starts lower-case, and the paragraph does reach a
//!   full stop later on;
//! - `. ! ? …` and the sentence marks of other scripts (`。！？ ؟ ۔ । ॥`) end
//!   a sentence when followed by white space and something that can start one,
//!   after any run of marks and closing quotes or brackets (`."`, `?)`, `!”`);
//!   CJK marks need no space after them;
//! - a full stop does not end a sentence after a title (`Mr.`, `Dr.`, `Gen.`),
//!   a single initial (`J. K. Rowling`), a number abbreviation before a number
//!   (`No. 5`, `p. 55`, `Jan. 5`), a list marker at the start of a sentence
//!   (`1.`, `a.`), or inside a number, URL or e-mail address (no space after);
//! - after an abbreviation that can also end a sentence (`U.S.`, `Inc.`,
//!   `a.m.`, `etc.`) it ends one only when the next word typically opens a
//!   sentence (`The`, `He`, `It`…);
//! - an ellipsis ends a sentence only before an upper-case word (a spaced
//!   three-dot ellipsis never does, a four-dot one does);
//! - in tokenised text where the mark stands alone (` . `), the mark ends the
//!   sentence whatever the case of the next word (lower-cased corpora);
//! - list items (`1.) … 2.) …`, `a. … b. …`, `• …`) are cut before the next
//!   marker even without final punctuation;
//! - a "sentence" longer than [`MAX_SENTENCE_BYTES`] is cut at white space so
//!   that no span is unbounded.

use super::swar;
use super::text::{SentenceSpan, Span};

/// Longest span returned as one sentence; longer runs are cut at a space.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// How far back the word before a full stop is looked for.
const WORD_LOOKBACK: usize = 64;

/// Splits `text` into sentences.
pub fn split(text: &str) -> Vec<SentenceSpan> {
    let mut out = Vec::new();
    split_region(text, Span::new(0, text.len()), 0, &mut out);
    out
}

/// Splits `text[region]` into sentences, appending them to `out` with
/// absolute offsets. Paragraph indices start at `first_paragraph`; the
/// return value is the index the next region should start at. A region that
/// is out of range or not on character boundaries yields nothing.
pub fn split_region(text: &str, region: Span, first_paragraph: usize, out: &mut Vec<SentenceSpan>) -> usize {
    let Some(piece) = text.get(region.start..region.end) else {
        return first_paragraph;
    };
    let b = piece.as_bytes();
    let mut em = Emitter { piece, out, base: region.start, paragraph: first_paragraph, has: false };
    let mut pos = 0usize;
    // Skip white space between paragraphs.
    while let Some(ps) = skip_space(piece, pos) {
        let pe = paragraph_end(b, ps);
        em.has = false;
        split_paragraph(&mut em, ps, pe);
        if em.has {
            em.paragraph += 1;
        }
        pos = pe;
    }
    em.paragraph
}

/// Appends sentences to the output, trimmed and cut to the size bound.
struct Emitter<'a, 'o> {
    piece: &'a str,
    out: &'o mut Vec<SentenceSpan>,
    base: usize,
    paragraph: usize,
    has: bool,
}

impl Emitter<'_, '_> {
    fn emit(&mut self, s: usize, e: usize) {
        let Some(sent) = self.piece.get(s..e) else {
            return;
        };
        let trimmed = sent.trim_start();
        let s = s + (sent.len() - trimmed.len());
        let e = s + trimmed.trim_end().len();
        if s >= e {
            return;
        }
        let mut cur = s;
        while e - cur > MAX_SENTENCE_BYTES {
            let mut limit = cur + MAX_SENTENCE_BYTES;
            while !self.piece.is_char_boundary(limit) {
                limit -= 1;
            }
            let window = self.piece.get(cur..limit).unwrap_or("");
            let cut = match window.rfind(char::is_whitespace) {
                Some(p) if p > MAX_SENTENCE_BYTES / 2 => cur + p,
                _ => limit,
            };
            let head = self.piece.get(cur..cut).unwrap_or("").trim_end();
            if !head.is_empty() {
                self.push(cur, cur + head.len());
            }
            let rest = self.piece.get(cut..e).unwrap_or("");
            cur = cut + (rest.len() - rest.trim_start().len());
        }
        if cur < e {
            self.push(cur, e);
        }
    }

    fn push(&mut self, s: usize, e: usize) {
        self.out.push(SentenceSpan {
            span: Span::new(self.base + s, self.base + e),
            paragraph: self.paragraph,
            first_in_paragraph: !self.has,
        });
        self.has = true;
    }
}

/// First non-white-space position at or after `pos`, if any.
fn skip_space(piece: &str, pos: usize) -> Option<usize> {
    let rest = piece.get(pos..)?;
    let t = rest.trim_start();
    if t.is_empty() {
        None
    } else {
        Some(pos + rest.len() - t.len())
    }
}

/// End of the paragraph starting at `ps`: the line break before the next
/// blank line, or the end of the text.
fn paragraph_end(b: &[u8], ps: usize) -> usize {
    let mut i = ps;
    while let Some(p) = memchr_nl(b, i) {
        let mut j = p + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c') {
            j += 1;
        }
        if j >= b.len() || b[j] == b'\n' {
            return p;
        }
        i = j;
    }
    b.len()
}

/// Position of the next line break at or after `from`.
fn memchr_nl(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    memchr::memchr(b'\n', rest).map(|p| from + p)
}

/// Last byte of a sentence mark in `b` (ASCII marks, or the final byte of
/// `…` and of the CJK marks), used only as a hint for hard-wrapped lines.
fn last_mark(b: &[u8]) -> Option<usize> {
    b.iter().rposition(|&c| matches!(c, b'.' | b'!' | b'?' | 0xA6 | 0x82 | 0x81 | 0x9F))
}

/// Splits one paragraph `[ps, pe)` into line blocks, then sentences.
fn split_paragraph(em: &mut Emitter<'_, '_>, ps: usize, pe: usize) {
    let piece = em.piece;
    let b = piece.as_bytes();
    if piece.get(ps..pe).is_none() {
        return;
    }
    // Where the last sentence mark of the paragraph is (a hard-wrapped line
    // must be heading for one); only looked for when the paragraph has a
    // line break.
    let mut last: Option<Option<usize>> = None;
    let mut block_start = ps;
    let mut ls = ps;
    while ls < pe {
        let le = match memchr_nl(&b[..pe], ls) {
            Some(p) => p,
            None => break,
        };
        let cur = piece.get(ls..le).unwrap_or("").trim_end();
        let next_start = le + 1;
        let next_end = memchr_nl(&b[..pe], next_start).unwrap_or(pe);
        let next = piece.get(next_start..next_end).unwrap_or("").trim_start();
        let wrapped = !cur.is_empty()
            && is_wrapped(cur, next)
            && last.get_or_insert_with(|| last_mark(&b[ps..pe]).map(|p| ps + p)).is_some_and(|m| m > le);
        if !wrapped && !cur.is_empty() {
            split_block(em, block_start, le);
            block_start = next_start;
        }
        ls = next_start;
    }
    split_block(em, block_start, pe);
}

/// A line continues on the next when it ends mid-clause and the next starts
/// with a lower-case letter.
fn is_wrapped(cur: &str, next: &str) -> bool {
    let last = cur.chars().next_back();
    let first = next.chars().next();
    matches!(last, Some(c) if c.is_alphanumeric() || matches!(c, ',' | ';' | '-' | ':'))
        && matches!(first, Some(c) if c.is_lowercase())
}

/// Bytes that may start a sentence mark or a bullet.
static CANDIDATE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[0xE2] = true; // … • ⁃ ‣ ▪ ◦
    t[0xE3] = true; // 。
    t[0xEF] = true; // ！ ？ ．
    t[0xD8] = true; // ؟
    t[0xDB] = true; // ۔
    t[0xE0] = true; // । ॥
    t
};

/// The first [`CANDIDATE`] byte of `b[i..limit]`, or `limit` (`i` when it
/// is past `limit`): eight bytes at a time while they are ASCII other than
/// `.` `!` `?` (most of a sentence), byte by byte over the rest.
fn next_candidate(b: &[u8], mut i: usize, limit: usize) -> usize {
    let b = b.get(..limit.min(b.len())).unwrap_or_default();
    // Non-ASCII bytes (top bit set) may start a mark: the table decides.
    let hits = |x: u64| (x & swar::HIGH) | swar::equal(x, b'.') | swar::equal(x, b'!') | swar::equal(x, b'?');
    let is_candidate = |c: u8| CANDIDATE[usize::from(c)];
    while i < b.len() {
        let k = swar::find(b, i, hits, is_candidate);
        if b.get(k).is_none_or(|&c| is_candidate(c)) {
            return k;
        }
        i = k + 1;
    }
    i
}

/// Whether `c` ends a sentence in some script.
fn is_mark(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '؟' | '۔' | '।' | '॥' | '。' | '！' | '？' | '．' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Whether `text` ends with a sentence mark of some script, once trailing
/// whitespace and closing quotes and brackets are set aside: what the
/// segmenter reads as the end of a sentence, for stages that judge a finished
/// piece ("a line that is not a sentence").
pub fn ends_with_mark(text: &str) -> bool {
    text.trim_end_matches(|c: char| c.is_whitespace() || is_closer(c)).chars().next_back().is_some_and(is_mark)
}

/// Marks after which no space is expected (CJK full-width marks).
fn is_cjk_mark(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '．')
}

/// Closing quotes and brackets that stay with the sentence they end.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»' | '›' | '」' | '』' | '）' | '】' | '〉' | '》' | '〕' | '］'
    )
}

/// Opening quotes and brackets skipped to find the next word.
fn is_opener_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '«' | '‹' | '(' | '[' | '{' | '¿' | '¡' | '「' | '『' | '（')
}

fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '⁃' | '‣' | '▪' | '◦' | '●' | '■')
}

/// What a run of sentence marks looks like.
#[derive(Debug, Default, Clone, Copy)]
struct Run {
    /// Full stops in the run (spaced or not).
    dots: usize,
    /// Whether the dots are spaced (`. . .`).
    spaced: bool,
    /// Whether it holds `!` or `?` (or their variants).
    exclaim: bool,
    /// Whether it holds `…`.
    ellipsis: bool,
    /// Whether it holds a CJK full-width mark.
    cjk: bool,
    /// Whether closing quotes or brackets follow the marks.
    closed: bool,
}

/// Reads the run of marks and closers starting at `i`; returns its end.
fn read_run(piece: &str, i: usize, end: usize) -> (usize, Run) {
    let mut run = Run::default();
    let mut k = i;
    let b = piece.as_bytes();
    while k < end {
        let Some(c) = piece.get(k..end).and_then(|s| s.chars().next()) else {
            break;
        };
        if is_mark(c) {
            match c {
                '.' => run.dots += 1,
                '…' => run.ellipsis = true,
                c if is_cjk_mark(c) => run.cjk = true,
                _ => run.exclaim = true,
            }
            k += c.len_utf8();
            // Spaced dots: ". . ." (only once a dot has started the run).
            if c == '.' && run.dots >= 1 && b.get(k) == Some(&b' ') && b.get(k + 1) == Some(&b'.') {
                let after = b.get(k + 2).copied();
                if matches!(after, None | Some(b' ' | b'.' | b'\n' | b'"' | b'\'' | b')')) || k + 2 >= end {
                    run.spaced = true;
                    k += 1;
                }
            }
        } else if is_closer(c) && k > i {
            run.closed = true;
            k += c.len_utf8();
        } else {
            break;
        }
    }
    (k.max(i + 1), run)
}

/// Splits one block (lines joined, no paragraph break inside) `[bs, be)`.
fn split_block(em: &mut Emitter<'_, '_>, bs: usize, be: usize) {
    let piece = em.piece;
    let b = piece.as_bytes();
    let mut start = bs;
    let mut list_next = next_list_marker(piece, start, be);
    let mut i = bs;
    while i < be {
        if let Some(p) = list_next {
            if i >= p {
                em.emit(start, p);
                start = p;
                list_next = next_list_marker(piece, start, be);
            }
        }
        // Skip to the next candidate byte (or the next list marker).
        let limit = list_next.map_or(be, |p| p.clamp(i, be));
        let j = next_candidate(b, i, limit);
        if j >= be {
            break;
        }
        if j != i {
            i = j;
            continue;
        }
        let Some(c) = piece.get(i..be).and_then(|s| s.chars().next()) else {
            i += 1;
            continue;
        };
        if is_mark(c) {
            let (end, run) = read_run(piece, i, be);
            if end < be && ends_sentence(piece, start, i, end, be, run) {
                let end = closing_lone_quote(piece, bs.max(end.saturating_sub(QUOTE_LOOKBACK)), end, be);
                em.emit(start, end);
                start = end;
                list_next = next_list_marker(piece, start, be);
            }
            i = end.max(start);
        } else if is_bullet(c) {
            // A bullet inside a line opens a new list item.
            let before = piece.get(start..i).unwrap_or("");
            if i > start && before.ends_with(char::is_whitespace) && !before.trim().is_empty() {
                em.emit(start, i);
                start = i;
                list_next = next_list_marker(piece, start, be);
            }
            i += c.len_utf8();
        } else {
            i += c.len_utf8();
        }
    }
    em.emit(start, be);
}

/// How far back lone quotes are counted to tell an open quotation.
const QUOTE_LOOKBACK: usize = 4_000;

/// In tokenised text a closing quote stands alone after the mark
/// (`… one . ' Rio …`): when the text since `start` (the block, or a bounded
/// window of it) opened a quote it did not close (an odd number of lone
/// quotes), the next lone quote closes it and stays with the sentence.
/// Returns the new end of the sentence.
fn closing_lone_quote(piece: &str, start: usize, end: usize, be: usize) -> usize {
    let b = piece.as_bytes();
    let mut j = end;
    while j < be && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    let q = match b.get(j) {
        Some(&q @ (b'\'' | b'"')) => q,
        _ => return end,
    };
    let lone_after = j + 1 >= be || matches!(b.get(j + 1), Some(b' ' | b'\t' | b'\n'));
    if j == end || !lone_after {
        return end;
    }
    let sent = &b[start..end];
    let lone = |k: usize| {
        (k == 0 || sent[k - 1].is_ascii_whitespace()) && (k + 1 >= sent.len() || sent[k + 1].is_ascii_whitespace())
    };
    let opened = sent.iter().enumerate().filter(|&(k, &c)| c == q && lone(k)).count();
    if opened % 2 == 1 {
        j + 1
    } else {
        end
    }
}

/// Whether the run of marks `[i, end)` ends the sentence that began at `start`.
fn ends_sentence(piece: &str, start: usize, i: usize, end: usize, be: usize, run: Run) -> bool {
    let after = piece.get(end..be).unwrap_or("");
    let Some(first_after) = after.chars().next() else {
        return false;
    };
    if run.cjk && run.dots == 0 {
        // Japanese quotative after a closed quote: 「…。」と言った.
        return !(run.closed && matches!(first_after, 'と' | 'っ'));
    }
    if !first_after.is_whitespace() {
        let single_dot = run.dots == 1 && !run.ellipsis && !run.exclaim && !run.cjk && !run.closed;
        return single_dot && is_glued_boundary(word_before(piece.get(start..i).unwrap_or("")), after);
    }
    let next = after.trim_start();
    let Some(n) = next.chars().next() else {
        return false;
    };
    let before = piece.get(start..i).unwrap_or("");
    let standalone = before.ends_with(char::is_whitespace) || before.is_empty();
    let nw = next_word(next);
    let nf = nw.chars().next();

    // Ellipses.
    if run.ellipsis || run.dots >= 2 {
        if run.spaced && run.dots == 3 && standalone {
            return false;
        }
        if run.spaced && run.dots < 3 {
            return false;
        }
        return n.is_uppercase() || (is_opener_punct(n) && n != '(' && n != '[' && nf.is_some_and(char::is_uppercase));
    }
    // Marks standing alone in tokenised text (" . "): a boundary even before
    // a lower-case word.
    if standalone && !before.is_empty() {
        return !matches!(n, ',' | ';' | ':' | ')' | ']' | '-' | '–' | '—' | '.' | '?' | '!');
    }
    if !can_start(n, nf) {
        return false;
    }
    if run.exclaim && run.dots == 0 {
        let w = word_before(before);
        return !matches!(w, "Yahoo" | "Jeopardy" | "Joomla");
    }
    // A single full stop (perhaps with ! or ?).
    dot_ends_sentence(before, next, nw, n)
}

/// Whether the sentence can start with `n` (next character) whose word
/// begins with `nf`.
fn can_start(n: char, nf: Option<char>) -> bool {
    if n.is_lowercase() || matches!(n, ',' | ';' | ':' | ')' | ']' | '}' | '-' | '–' | '—' | '%' | '/') {
        return false;
    }
    if is_opener_punct(n) {
        return !nf.is_some_and(char::is_lowercase);
    }
    true
}

/// The word ending right before a full stop, without opening punctuation.
fn word_before(before: &str) -> &str {
    let mut lo = before.len().saturating_sub(WORD_LOOKBACK);
    while !before.is_char_boundary(lo) {
        lo += 1;
    }
    let window = before.get(lo..).unwrap_or("");
    let w = match window.rfind(char::is_whitespace) {
        Some(p) => window.get(p..).unwrap_or("").trim_start(),
        None => window,
    };
    w.trim_start_matches(|c: char| is_opener_punct(c) || is_bullet(c))
}

/// Two sentences glued at a full stop with the space lost, as scraped text
/// joins paragraphs: "…always dangerous.The man…", "…a chief
/// physician.Police arrested…". The word before is a lower-case word of
/// three letters or more and the one after a capitalised word of three or
/// more that a space, punctuation or the end follows, so abbreviations
/// ("e.g.The"), names ("One.Tel"), domains ("www.Amazon.com",
/// "example.Com/…") and file names stay whole.
fn is_glued_boundary(w: &str, after: &str) -> bool {
    let lower_word = w.chars().count() >= 3 && w.chars().all(char::is_lowercase) && w != "www";
    if !lower_word {
        return false;
    }
    let nw = next_word(after);
    let mut chars = nw.chars();
    let capitalised =
        chars.next().is_some_and(char::is_uppercase) && chars.clone().count() >= 2 && chars.all(char::is_lowercase);
    if !capitalised || !after.starts_with(nw) {
        return false;
    }
    let rest = after.get(nw.len()..).unwrap_or("");
    let mut rc = rest.chars();
    match rc.next() {
        None => true,
        Some(c) if c.is_whitespace() => true,
        Some('.' | '@' | '/' | ':' | '_' | '-') => {
            rest.get(1..).is_none_or(|r| r.chars().next().is_none_or(char::is_whitespace))
        }
        Some(c) => matches!(c, ',' | ';' | '!' | '?' | ')' | '"' | '\'' | '’' | '”'),
    }
}

/// The next word (letters, digits, apostrophes, inner dots) after opening
/// punctuation.
fn next_word(next: &str) -> &str {
    let t = next.trim_start_matches(is_opener_punct);
    let end =
        t.char_indices().find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '’')).map_or(t.len(), |(p, _)| p);
    t.get(..end).unwrap_or("")
}

/// Decides a single full stop after the word `w`, given the next text.
fn dot_ends_sentence(before: &str, next: &str, nw: &str, n: char) -> bool {
    let w = word_before(before);
    if w.is_empty() {
        return true;
    }
    let next_is_number = n.is_ascii_digit() || (matches!(n, '#' | '$' | '£' | '€') && next.len() > 1);
    // A list marker opening the sentence: "1. The first item".
    let at_start = before.trim_start().trim_start_matches(is_bullet).trim_start().len() == w.len();
    if at_start && is_list_marker_word(w) {
        return false;
    }
    match abbreviation(w) {
        Some(Abbr::Title) => return false,
        Some(Abbr::Numeric) => {
            if next_is_number {
                return false;
            }
            return true;
        }
        Some(Abbr::Month) => {
            if next_is_number {
                return false;
            }
            return opens_sentence(next, nw);
        }
        Some(Abbr::Other) => return opens_sentence(next, nw),
        None => {}
    }
    // "3. Oktober": an ordinal before a month name.
    if w.len() <= 2 && w.bytes().all(|c| c.is_ascii_digit()) && is_month_name(nw) {
        return false;
    }
    let mut chars = w.chars();
    let first = chars.next();
    let single = chars.next().is_none();
    if single {
        let next_is_initial = nw.chars().count() == 1 && next.get(nw.len()..).is_some_and(|r| r.starts_with('.'));
        if next_is_initial {
            return false;
        }
        if first.is_some_and(char::is_uppercase) {
            // An initial, unless the next word clearly opens a sentence.
            return opens_sentence(next, nw);
        }
        return true;
    }
    if is_acronym(w) {
        return opens_sentence(next, nw);
    }
    true
}

/// Dotted acronyms: "U.S", "e.g", "Ph.D", "i.v" (segments of one or two
/// letters).
fn is_acronym(w: &str) -> bool {
    w.len() <= 12
        && w.contains('.')
        && w.split('.').all(|p| {
            let n = p.chars().count();
            (1..=2).contains(&n) && p.chars().all(char::is_alphabetic)
        })
}

/// "1", "12", "a", "B", "iv": words that number list items.
fn is_list_marker_word(w: &str) -> bool {
    (w.len() <= 3 && !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()))
        || (w.len() == 1 && w.bytes().all(|c| c.is_ascii_alphabetic()))
}

/// Whether the next word typically opens a sentence, so that an
/// abbreviation before it ends one ("… in the U.S. The company said").
fn opens_sentence(next: &str, nw: &str) -> bool {
    if next.starts_with(['"', '“', '‘']) {
        return true;
    }
    matches!(
        nw,
        "A" | "An"
            | "The"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Here"
            | "It"
            | "Its"
            | "It's"
            | "It’s"
            | "He"
            | "She"
            | "We"
            | "They"
            | "I"
            | "You"
            | "His"
            | "Her"
            | "Their"
            | "Our"
            | "My"
            | "Your"
            | "In"
            | "On"
            | "At"
            | "By"
            | "For"
            | "From"
            | "With"
            | "After"
            | "Before"
            | "During"
            | "Since"
            | "Until"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "If"
            | "When"
            | "While"
            | "Where"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Which"
            | "Although"
            | "Though"
            | "Because"
            | "However"
            | "Meanwhile"
            | "Moreover"
            | "Still"
            | "Then"
            | "Now"
            | "Today"
            | "Yesterday"
            | "Last"
            | "Some"
            | "Many"
            | "Most"
            | "Several"
            | "All"
            | "Both"
            | "Each"
            | "Every"
            | "Such"
            | "Others"
            | "Also"
            | "Earlier"
            | "Later"
            | "As"
            | "Do"
            | "Does"
            | "Did"
            | "Is"
            | "Are"
            | "Was"
            | "Were"
            | "Can"
            | "Could"
            | "Will"
            | "Would"
            | "Should"
            | "Have"
            | "Has"
            | "Had"
            | "Let"
            | "Please"
    )
}

/// Kinds of abbreviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbr {
    /// Titles and Latin abbreviations that never end a sentence.
    Title,
    /// Abbreviations before a number ("No. 5", "p. 55"); otherwise a word.
    Numeric,
    /// Month names: before a number never a boundary.
    Month,
    /// Abbreviations that can end a sentence ("Inc.", "etc.", "Jr.").
    Other,
}

/// Looks `w` up in the abbreviation lists (case-insensitive for most,
/// capitalised-only for words that are also ordinary words: "Ill", "Wash").
fn abbreviation(w: &str) -> Option<Abbr> {
    if w.len() > 12 {
        return None;
    }
    // "FT", "MS", "CO": all-capital words are names or acronyms, not the
    // abbreviations "ft.", "Ms.", "Co.".
    if w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.contains('.') && !w.chars().any(char::is_lowercase) {
        return None;
    }
    if !w.is_ascii() {
        return non_ascii_abbreviation(w);
    }
    let mut buf = [0u8; 12];
    let low = &mut buf[..w.len()];
    low.copy_from_slice(w.as_bytes());
    low.make_ascii_lowercase();
    let capital = w.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    let kind = match &*low {
        b"mr" | b"mrs" | b"ms" | b"dr" | b"prof" | b"gen" | b"sen" | b"rep" | b"gov" | b"lt" | b"sgt" | b"capt"
        | b"cmdr" | b"adm" | b"maj" | b"brig" | b"cpl" | b"pvt" | b"rev" | b"hon" | b"pres" | b"supt" | b"insp"
        | b"det" | b"messrs" | b"mme" | b"mlle" | b"mt" | b"ft" | b"e.g" | b"i.e" | b"cf" | b"vs" | b"viz"
        | b"dipl" | b"ing" | b"hr" | b"fr" | b"sra" | b"srta" | b"dra" | b"sig" | b"dott" | b"dhr" | b"mevr"
        | b"z.b" | b"d.h" | b"u.a" | b"bzw" | b"bspw" | b"ggf" | b"sog" | b"vgl" | b"o.a" | b"bijv" | b"d.w.z"
        | b"t.ex" | b"bl.a" | b"s.k" | b"resp" | b"approx" | b"ca" | b"esp" => Abbr::Title,
        b"col" if capital => Abbr::Title,
        b"no" | b"nos" | b"nr" | b"p" | b"pp" | b"vol" | b"vols" | b"fig" | b"figs" | b"art" | b"sec" | b"ch"
        | b"op" | b"tel" | b"ph" | b"para" | b"n" | b"s" | b"pag" | b"num" => Abbr::Numeric,
        b"jan" | b"feb" | b"mar" | b"apr" | b"jun" | b"jul" | b"aug" | b"sep" | b"sept" | b"oct" | b"nov" | b"dec"
            if capital =>
        {
            Abbr::Month
        }
        b"inc" | b"corp" | b"co" | b"ltd" | b"plc" | b"llc" | b"bros" | b"jr" | b"sr" | b"st" | b"al" | b"dept"
        | b"univ" | b"assn" | b"est" | b"ave" | b"blvd" | b"rd" | b"hwy" | b"a.m" | b"p.m" | b"u.s" | b"u.k"
        | b"u.n" | b"u.s.a" | b"e.u" | b"d.c" | b"ph.d" | b"b.a" | b"m.a" | b"b.sc" | b"m.sc" | b"usw" | b"min"
        | b"max" | b"mio" | b"mrd" | b"mln" | b"mld" | b"tsd" | b"bn" | b"ee.uu" | b"ee" | b"uu" | b"ud" | b"uds"
        | b"ltda" | b"s.a" | b"s.p.a" | b"gmbh" | b"ag" | b"n.v" | b"b.v" | b"ab" => Abbr::Other,
        b"ala" | b"ariz" | b"ark" | b"calif" | b"colo" | b"conn" | b"del" | b"fla" | b"ga" | b"ill" | b"ind"
        | b"kan" | b"kans" | b"ky" | b"la" | b"md" | b"mass" | b"mich" | b"minn" | b"miss" | b"mo" | b"mont"
        | b"neb" | b"nev" | b"okla" | b"ore" | b"pa" | b"penn" | b"tenn" | b"tex" | b"va" | b"vt" | b"wash"
        | b"wis" | b"wyo" | b"mon" | b"tue" | b"tues" | b"wed" | b"thu" | b"thur" | b"thurs" | b"fri" | b"sat"
        | b"sun"
            if capital =>
        {
            Abbr::Other
        }
        _ => return None,
    };
    Some(kind)
}

/// Abbreviations in non-Latin or accented spellings.
fn non_ascii_abbreviation(w: &str) -> Option<Abbr> {
    let lower_eq = |a: &str| w.chars().flat_map(char::to_lowercase).eq(a.chars());
    const TITLES: &[&str] = &["т.е", "т.к", "т.н", "т.д", "т.п", "им", "ул", "пр", "др", "проф", "акад", "см", "напр"];
    const NUMERIC: &[&str] = &["n°", "nº", "№", "стр", "рис", "гл", "ст", "с"];
    const OTHER: &[&str] = &["г", "гг", "тыс", "млн", "млрд", "руб", "коп", "долл", "cía", "sr.ª", "m.ª"];
    if TITLES.iter().any(|a| lower_eq(a)) {
        return Some(Abbr::Title);
    }
    if NUMERIC.iter().any(|a| lower_eq(a)) {
        return Some(Abbr::Numeric);
    }
    if OTHER.iter().any(|a| lower_eq(a)) {
        return Some(Abbr::Other);
    }
    None
}

/// Month names in the supported Latin-script languages (for ordinals such as
/// "3. Oktober").
fn is_month_name(w: &str) -> bool {
    if w.len() < 3 || w.len() > 10 {
        return false;
    }
    let mut buf = [0u8; 16];
    let mut n = 0;
    for c in w.chars() {
        for l in c.to_lowercase() {
            let mut tmp = [0u8; 4];
            let s = l.encode_utf8(&mut tmp);
            if n + s.len() > buf.len() {
                return false;
            }
            buf[n..n + s.len()].copy_from_slice(s.as_bytes());
            n += s.len();
        }
    }
    let Ok(low) = std::str::from_utf8(&buf[..n]) else {
        return false;
    };
    matches!(
        low,
        "januar"
            | "jänner"
            | "februar"
            | "märz"
            | "april"
            | "mai"
            | "juni"
            | "juli"
            | "august"
            | "september"
            | "oktober"
            | "november"
            | "dezember"
            | "januari"
            | "februari"
            | "maart"
            | "mei"
            | "augustus"
            | "december"
            | "mars"
            | "maj"
            | "augusti"
            | "januar."
    )
}

/// Where the next list item starts when the sentence at `start` opens with a
/// list marker ("1.", "2.)", "3)", "a.") and its successor follows later in
/// the block.
fn next_list_marker(piece: &str, start: usize, be: usize) -> Option<usize> {
    let s = piece.get(start..be)?;
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || is_bullet(c));
    let off = start + (s.len() - t.len());
    let tb = t.as_bytes();
    // Parse the marker.
    let digits = tb.iter().take_while(|c| c.is_ascii_digit()).count();
    let (value, kind_len) = if (1..=3).contains(&digits) {
        let v: u32 = t.get(..digits)?.parse().ok()?;
        (Marker::Num(v), digits)
    } else if tb.first().is_some_and(u8::is_ascii_lowercase) {
        (Marker::Letter(*tb.first()?), 1)
    } else {
        return None;
    };
    let suffix: &[u8] = match tb.get(kind_len..kind_len + 3) {
        Some([b'.', b')', b' ']) => b".)",
        Some([b')', b' ', _]) => b")",
        Some([b'.', b' ', _]) => b".",
        _ => match tb.get(kind_len..) {
            Some([b'.', b')', b' ', ..]) => b".)",
            Some([b')', b' ', ..]) => b")",
            Some([b'.', b' ', ..]) => b".",
            _ => return None,
        },
    };
    // A lone lower-case letter followed by ")" only is too ambiguous.
    if matches!(value, Marker::Letter(_)) && suffix != b"." {
        return None;
    }
    let mut needle = [0u8; 8];
    let mut n = 0;
    match value {
        Marker::Num(v) => {
            let next = v + 1;
            let mut digits_buf = [0u8; 4];
            let mut d = 0;
            let mut x = next;
            loop {
                digits_buf[d] = b'0' + (x % 10) as u8;
                d += 1;
                x /= 10;
                if x == 0 || d == digits_buf.len() {
                    break;
                }
            }
            for k in (0..d).rev() {
                needle[n] = digits_buf[k];
                n += 1;
            }
        }
        Marker::Letter(c) => {
            if c >= b'z' {
                return None;
            }
            needle[n] = c + 1;
            n += 1;
        }
    }
    for &c in suffix {
        needle[n] = c;
        n += 1;
    }
    needle[n] = b' ';
    n += 1;
    let needle = std::str::from_utf8(&needle[..n]).ok()?;
    let body_start = off + kind_len + suffix.len();
    let window_end = (body_start + MAX_SENTENCE_BYTES).min(be);
    let mut window_end_ok = window_end;
    while !piece.is_char_boundary(window_end_ok) {
        window_end_ok -= 1;
    }
    let hay = piece.get(body_start..window_end_ok)?;
    let mut from = 0;
    while let Some(p) = hay.get(from..)?.find(needle) {
        let at = from + p;
        // The successor must follow white space (or a bullet and space).
        if hay.get(..at)?.ends_with(char::is_whitespace) {
            return Some(body_start + at);
        }
        from = at + 1;
    }
    None
}

#[derive(Debug, Clone, Copy)]
enum Marker {
    Num(u32),
    Letter(u8),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_ends_with_a_mark_before_closers_and_space() {
        for t in ["Done.", "He left!\u{201d} ", "(See above.)", "终于结束了。」", "هل انتهى؟", "Really?!"]
        {
            assert!(ends_with_mark(t), "{t:?}");
        }
        for t in ["September 10, 2018 |", "Cover image: a river", "", " \n", "Sources: Reuters)"] {
            assert!(!ends_with_mark(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn candidate_search_is_the_byte_loop(
            b in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![b'.', b'!', b'?', b' ', b'a', b'-', 0x2e ^ 0x80, 0xE2, 0x80, 0xA6, 0xC3, 0xA9, 0xEF, 0xD8, 0x7f]),
                proptest::num::u8::ANY,
            ], 0..40),
            i in 0usize..40,
            limit in 0usize..48,
        ) {
            let mut j = i;
            while j < limit.min(b.len()) && !CANDIDATE[b[j] as usize] {
                j += 1;
            }
            proptest::prop_assert_eq!(next_candidate(&b, i, limit), j);
        }
    }

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
    fn paragraphs_are_numbered() {
        let text = "One. Two.\n\nThree.\n\n\n  Four.";
        let s = split(text);
        let paras: Vec<(usize, bool)> = s.iter().map(|s| (s.paragraph, s.first_in_paragraph)).collect();
        assert_eq!(paras, [(0, true), (0, false), (1, true), (2, true)]);
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "word ".repeat(2_000);
        let s = split(&text);
        assert!(s.len() > 1);
        assert!(s.iter().all(|s| s.span.len() <= MAX_SENTENCE_BYTES));
    }
}
