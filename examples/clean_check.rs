//! Checks that the cleaner drops no real content from clean news articles.
//!
//! For every row of a `sum-*.jsonl` file (fields `text` and `summary`) it
//! runs the cleaner and reports:
//! - how many articles lost anything, and the removed lines;
//! - reference pieces lost: each summary is split at `. ! ?` into pieces;
//!   a piece found in the article but no longer in the kept text is lost
//!   (for extractive references such as BBC News Summary every piece is an
//!   article sentence; for abstractive highlights most are not in the
//!   article and are skipped);
//! - highlight words lost: words of the summary present in the article but
//!   absent from the kept text (catches abstractive references).
//!
//! ```text
//! CLEAN_CHECK_JSONL=/path/sum-bbcnewssummary-all.jsonl cargo run --release --example clean_check
//! ```

use std::collections::HashSet;
use std::io::BufRead;

use anyhow::Context;
use precis::domain::clean::{find_clutter, kept_regions};

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 3).map(str::to_lowercase).collect()
}

fn main() -> anyhow::Result<()> {
    let path = std::env::var("CLEAN_CHECK_JSONL").context("set CLEAN_CHECK_JSONL to a sum-*.jsonl file")?;
    let file = std::fs::File::open(&path).with_context(|| format!("open {path}"))?;
    let (mut rows, mut touched, mut removed_lines, mut pieces, mut lost_pieces, mut lost_words) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let row: serde_json::Value = serde_json::from_str(&line)?;
        let text = row["text"].as_str().unwrap_or("");
        let summary = row["summary"].as_str().unwrap_or("");
        rows += 1;
        let removed = find_clutter(text);
        if !removed.is_empty() {
            touched += 1;
            removed_lines += removed.len();
            for r in &removed {
                println!(
                    "REMOVED {} [{}]: {:?}",
                    row["id"].as_str().unwrap_or(""),
                    r.kind.as_str(),
                    r.span.slice(text)
                );
            }
        }
        let kept: Vec<&str> = kept_regions(text.len(), &removed).iter().map(|r| r.slice(text)).collect();
        let kept = norm(&kept.join("\n"));
        let article = norm(text);
        for piece in summary.split_inclusive(['.', '!', '?']) {
            let piece = norm(piece);
            if piece.len() > 3 && article.contains(&piece) {
                pieces += 1;
                if !kept.contains(&piece) {
                    lost_pieces += 1;
                    println!("LOST PIECE {}: {piece}", row["id"].as_str().unwrap_or(""));
                }
            }
        }
        let (aw, kw) = (words(&article), words(&kept));
        lost_words += words(summary).iter().filter(|w| aw.contains(*w) && !kw.contains(*w)).count();
    }
    println!(
        "rows: {rows}, articles with removals: {touched} ({removed_lines} lines), reference pieces in article: {pieces}, lost: {lost_pieces}, summary words lost: {lost_words}"
    );
    Ok(())
}
