//! `precis eval extract`: runs the HTML article extractor on a JSONL file of
//! pages and writes `{"id","article_body"}` lines for `extraction_eval.py`.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;

use crate::domain::html;

#[derive(Deserialize)]
struct Row {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    html: String,
}

/// Extracts every page (`html` field) of `data`, writes one
/// `{"id","article_body"}` line per page to `out`, and prints pages/s and
/// MB/s of the extraction alone (single thread, after one warm-up page;
/// reading and writing JSON excluded).
///
/// # Errors
/// Unreadable or malformed input, or an unwritable output file.
pub fn run(data: &Path, out: &Path) -> anyhow::Result<()> {
    let raw = std::fs::read_to_string(data).with_context(|| format!("cannot read {}", data.display()))?;
    let rows: Vec<Row> = super::jsonl::parse(&raw).with_context(|| format!("parsing {}", data.display()))?;
    let options = html::Options::default();
    if let Some(first) = rows.first() {
        let _ = html::extract_with(&first.html, &options);
    }
    let start = Instant::now();
    let mut bodies = Vec::with_capacity(rows.len());
    let mut errors = 0usize;
    for r in &rows {
        match html::extract_with(&r.html, &options) {
            Ok(e) => bodies.push(e.text),
            Err(_) => {
                errors += 1;
                bodies.push(String::new());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?,
    );
    for (r, body) in rows.iter().zip(&bodies) {
        serde_json::to_writer(&mut w, &serde_json::json!({ "id": r.id, "article_body": body }))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let mb = rows.iter().map(|r| r.html.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{{\"pages\":{},\"errors\":{errors},\"html_mb\":{mb:.3},\"seconds\":{secs:.3},\"pages_per_s\":{:.1},\"mb_per_s\":{:.2}}}",
        rows.len(),
        rows.len() as f64 / secs,
        mb / secs
    );
    Ok(())
}
