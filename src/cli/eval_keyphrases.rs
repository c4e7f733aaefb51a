//! `precis eval keyphrases`: keyphrases of every article of a data set, in
//! the format of the keyphrase scorer (`{"id", "keyphrases": [ranked]}` per
//! line), and how fast they were found.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;

use crate::domain::keyphrase;
use crate::domain::taxonomy::Taxonomies;
use crate::domain::{Article, Format, Limits, Pipeline};

#[derive(Deserialize)]
struct Row {
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: String,
}

/// Runs the real pipeline (`Pipeline::prepare`, then keyphrase extraction)
/// on each JSONL row of `data` and writes the best `top` keyphrases of each
/// to `out`. Prints the number of articles, seconds and articles per second
/// (single thread, preparing and extracting, reading and writing excluded).
///
/// A row without a `title` field has its first line taken as the headline,
/// as in the KPCrowd files (the rest is the body).
///
/// # Errors
/// Unreadable or malformed input, unwritable output.
pub fn run(data: &Path, out: &Path, top: usize) -> anyhow::Result<()> {
    let pipeline =
        Pipeline::new(Limits { max_body_bytes: 64 << 20, ..Limits::default() }, Arc::new(Taxonomies::default()));
    let raw = std::fs::read_to_string(data).with_context(|| format!("cannot read {}", data.display()))?;
    let rows: Vec<Row> = super::jsonl::parse(&raw).with_context(|| format!("parsing {}", data.display()))?;
    let articles: Vec<Article<'_>> = rows
        .iter()
        .map(|r| {
            let (title, body) = match &r.title {
                Some(t) => (t.as_str(), r.text.as_str()),
                None => r.text.split_once('\n').unwrap_or(("", r.text.as_str())),
            };
            Article { title, body, format: Format::Text, language: None }
        })
        .collect();
    let start = Instant::now();
    let mut results: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    let mut failed = 0usize;
    for a in &articles {
        match pipeline.prepare(a) {
            Ok(doc) => results.push(keyphrase::extract(&doc, top).into_iter().map(|k| k.text).collect()),
            Err(_) => {
                failed += 1;
                results.push(Vec::new());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let file = std::fs::File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    let mut w = BufWriter::new(file);
    for (r, kps) in rows.iter().zip(&results) {
        serde_json::to_writer(&mut w, &serde_json::json!({"id": r.id, "keyphrases": kps}))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let n = rows.len();
    println!(
        "{{\"articles\":{n},\"failed\":{failed},\"seconds\":{secs:.4},\"articles_per_s\":{:.1}}}",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}
