//! Measures the sentence segmenter against the BBC News Summary references.
//!
//! The reference summaries are article sentences put side by side. They are
//! split back into sentences at every `. ! ?` (with closing quotes) followed
//! by a space where
//! - the text on both sides is not contiguous in the article (a join), or
//! - it is contiguous, the next word starts upper-case, a digit or a quote,
//!   and the word before is not a short title or initial (consecutive
//!   article sentences picked together).
//!
//! Each reference sentence must come out of the segmenter, run on the
//! article, as exactly one sentence (white space normalised).
//!
//! ```text
//! BBC_SUMMARY_JSONL=/path/sum-bbcnewssummary-all.jsonl cargo run --release --example segment_check
//! ```

use std::collections::HashSet;
use std::io::BufRead;

use anyhow::Context;

/// CPU time of this thread in nanoseconds (Linux `schedstat`), so that the
/// timing is not inflated by other processes on a busy machine.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Other stages timed per article.
const STAGES: [&str; 3] = ["clean", "detect", "tokenize"];

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Candidate split points: byte offsets just after `[.!?]["')]*` + space.
fn candidates(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'"' | b'\'' | b')' | b'.' | b'!' | b'?') {
                j += 1;
            }
            if j + 1 < b.len() && b[j] == b' ' && b[j + 1] != b' ' {
                out.push(j);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn short_abbrev(left: &str) -> bool {
    let w = left.rsplit(' ').next().unwrap_or("").trim_end_matches('.');
    matches!(w, "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Mt" | "Jr" | "Sr" | "No" | "Prof" | "Gen" | "Sen" | "Gov")
        || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
}

fn reference_sentences(article: &str, summary: &str) -> Vec<String> {
    let pts = candidates(summary);
    let mut bounds = vec![0usize];
    bounds.extend(pts.iter().copied());
    bounds.push(summary.len());
    let mut out = Vec::new();
    let mut cur_start = 0usize;
    for k in 1..bounds.len() - 1 {
        let p = bounds[k];
        let left = summary[bounds[k - 1]..p].trim();
        let right = summary[p..bounds[k + 1]].trim();
        let joined = format!("{left} {right}");
        let contiguous = article.contains(&joined);
        let next = right.chars().next().unwrap_or(' ');
        let split = !contiguous
            || ((next.is_uppercase() || next.is_ascii_digit() || matches!(next, '"' | '\'')) && !short_abbrev(left));
        if split {
            out.push(summary[cur_start..p].trim().to_string());
            cur_start = p;
        }
    }
    out.push(summary[cur_start..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

fn main() -> anyhow::Result<()> {
    let path = std::env::var("BBC_SUMMARY_JSONL").context("set BBC_SUMMARY_JSONL to sum-bbcnewssummary-all.jsonl")?;
    let show: usize = std::env::var("SHOW").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let file = std::fs::File::open(&path).with_context(|| format!("open {path}"))?;
    let (mut total, mut hit, mut shown) = (0usize, 0usize, 0usize);
    let mut seg_cpu_ns = 0u64;
    let mut stage_ns = [0u64; STAGES.len()];
    let (mut seg_time, mut seg_bytes, mut seg_sentences, mut rows) =
        (std::time::Duration::ZERO, 0usize, 0usize, 0usize);
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let row: serde_json::Value = serde_json::from_str(&line)?;
        let text = row["text"].as_str().unwrap_or("");
        let summary = row["summary"].as_str().unwrap_or("");
        let article = norm(text);
        rows += 1;
        let c0 = thread_cpu_ns();
        let t0 = std::time::Instant::now();
        for _ in 0..20 {
            seg_sentences += std::hint::black_box(precis::domain::segment::split(std::hint::black_box(text))).len();
        }
        seg_time += t0.elapsed();
        if let (Some(a), Some(b)) = (c0, thread_cpu_ns()) {
            seg_cpu_ns += b.saturating_sub(a);
        }
        seg_bytes += 20 * text.len();
        // The other reading stages, CPU time per article.
        let sentences = precis::domain::segment::split(text);
        let mut tokens = Vec::with_capacity(1024);
        let tok = precis::domain::tokenize::Tokenizer::new(precis::domain::lang::Lang::En);
        for (k, stage) in STAGES.iter().enumerate() {
            let c0 = thread_cpu_ns();
            for _ in 0..20 {
                match *stage {
                    "clean" => {
                        std::hint::black_box(precis::domain::clean::find_clutter(std::hint::black_box(text)));
                    }
                    "detect" => {
                        std::hint::black_box(precis::domain::lang::Lang::detect(std::hint::black_box(text)));
                    }
                    _ => {
                        tokens.clear();
                        for s in &sentences {
                            tok.tokenize(std::hint::black_box(text), s.span, &mut tokens);
                        }
                        std::hint::black_box(&tokens);
                    }
                }
            }
            if let (Some(a), Some(b)) = (c0, thread_cpu_ns()) {
                stage_ns[k] += b.saturating_sub(a);
            }
        }
        let got: HashSet<String> =
            precis::domain::segment::split(text).iter().map(|s| norm(s.span.slice(text))).collect();
        for r in reference_sentences(&article, &norm(summary)) {
            total += 1;
            if got.contains(&r) {
                hit += 1;
            } else if shown < show {
                shown += 1;
                println!("MISS {}: {r}", row["id"].as_str().unwrap_or(""));
            }
        }
    }
    println!(
        "segmenter CPU time: {:.2} µs per article ({:.1} MB/s)",
        seg_cpu_ns as f64 / 1e3 / (20 * rows.max(1)) as f64,
        seg_bytes as f64 / (seg_cpu_ns.max(1) as f64 / 1e9) / 1e6
    );
    for (k, stage) in STAGES.iter().enumerate() {
        println!("{stage} CPU time: {:.2} µs per article", stage_ns[k] as f64 / 1e3 / (20 * rows.max(1)) as f64);
    }
    println!(
        "segmenter wall time: {:.1} MB/s, {:.2} µs per article, {} sentences, one thread (timed 20 times each)",
        seg_bytes as f64 / seg_time.as_secs_f64() / 1e6,
        seg_time.as_secs_f64() * 1e6 / (20 * rows.max(1)) as f64,
        seg_sentences / 20
    );
    println!(
        "reference sentences: {total}, exactly one segmenter sentence: {hit} ({:.2}%)",
        100.0 * hit as f64 / total.max(1) as f64
    );
    Ok(())
}
