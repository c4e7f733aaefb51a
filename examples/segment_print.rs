//! Prints the sentences the segmenter finds in the `text` field of each row
//! of a JSONL file (one per line, rows separated by a blank line).
//!
//! ```text
//! SEGMENT_JSONL=/path/file.jsonl ROWS=3 cargo run --release --example segment_print
//! ```

use std::io::BufRead;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let path = std::env::var("SEGMENT_JSONL").context("set SEGMENT_JSONL to a JSONL file with a `text` field")?;
    let rows: usize = std::env::var("ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let file = std::fs::File::open(&path).with_context(|| format!("open {path}"))?;
    for line in std::io::BufReader::new(file).lines().take(rows) {
        let row: serde_json::Value = serde_json::from_str(&line?)?;
        let text = row["text"].as_str().unwrap_or("");
        println!("## {}", row["id"].as_str().unwrap_or(""));
        for s in precis::domain::segment::split(text) {
            println!("{}", s.span.slice(text).replace('\n', "\\n"));
        }
        println!();
    }
    Ok(())
}
