//! The text pipeline: a pure library with no transport types.
//!
//! clean → (extract HTML) → segment → tokenize → summarise / tag.
//!
//! [`pipeline::Pipeline`] is the façade: `prepare` turns an [`pipeline::Article`]
//! into a [`document::Document`] once, then `summarize` and `tag` score it.
//! Every stage keeps byte offsets into the analysed text.

pub mod classify;
pub mod clean;
pub mod document;
pub mod error;
pub mod html;
pub mod keyphrase;
pub mod lang;
pub mod pipeline;
pub mod segment;
pub mod summarize;
pub mod swar;
pub mod taxonomy;
pub mod text;
pub mod tokenize;

pub use error::{Error, Result, Violation};
pub use pipeline::{Article, Format, Limits, Pipeline, TagOptions, Tags};
pub use summarize::{Order, Summary, SummaryOptions};
