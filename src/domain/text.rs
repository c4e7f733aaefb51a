//! Spans and sentence records shared by every stage.
//!
//! Every stage keeps byte offsets into the analysed text: a summary is a list
//! of spans of that text, never a rewritten copy.

use std::ops::Range;

/// A half-open byte range `start..end` into the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The text under the span, or `""` when the span does not fall on
    /// character boundaries of `text` (which no stage produces).
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The span as a `Range`.
    pub const fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether `other` lies entirely inside this span.
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    pub const fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A sentence found by the segmenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Where the sentence is, trimmed of surrounding white space.
    pub span: Span,
    /// Index of the paragraph (block separated by blank lines) it belongs to.
    pub paragraph: usize,
    /// Whether it is the first sentence of its paragraph.
    pub first_in_paragraph: bool,
}
