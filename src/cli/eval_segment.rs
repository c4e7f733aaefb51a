//! `precis eval segment`: how the reading stages split a data set, and how
//! fast.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;

use crate::domain::{Article, Format, Pipeline};

#[derive(Deserialize)]
struct Row {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// Prepares every article of `data` and prints sentence and clutter counts
/// and articles per second (single thread).
///
/// # Errors
/// Unreadable or malformed input.
pub fn run(pipeline: &Pipeline, data: &Path) -> anyhow::Result<()> {
    let raw = std::fs::read_to_string(data).with_context(|| format!("cannot read {}", data.display()))?;
    let rows: Vec<Row> = super::jsonl::parse(&raw).with_context(|| format!("parsing {}", data.display()))?;
    let start = Instant::now();
    let (mut sentences, mut removed, mut failed) = (0usize, 0usize, 0usize);
    for r in &rows {
        match pipeline.prepare(&Article { title: &r.title, body: &r.text, format: Format::Text, language: None }) {
            Ok(doc) => {
                sentences += doc.sentences.len();
                removed += doc.removed.len();
            }
            Err(_) => failed += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = rows.len().max(1) as f64;
    println!(
        "{{\"articles\":{},\"failed\":{failed},\"sentences_per_article\":{:.2},\"removed_blocks\":{removed},\"seconds\":{secs:.3},\"articles_per_s\":{:.0}}}",
        rows.len(),
        sentences as f64 / n,
        n / secs.max(1e-9)
    );
    Ok(())
}
