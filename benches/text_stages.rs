//! Cost of the reading stages on one news article: cleaning, sentence
//! segmentation, language detection and tokenizing (per sentence, as the
//! pipeline does). Each stage is measured next to a floor in the same run, so
//! that ratios hold on a busy machine:
//! - `floor/scan`: one pass that counts `.` bytes (the least a segmenter or
//!   cleaner can do);
//! - `floor/uax29`: Unicode word boundaries alone, no folding or stemming.

// `criterion_group!` generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use precis::domain::clean::find_clutter;
use precis::domain::lang::Lang;
use precis::domain::segment::split;
use precis::domain::tokenize::Tokenizer;
use unicode_segmentation::UnicodeSegmentation;

fn bbc_article() -> String {
    let line = include_str!("../tests/data/bbc-summary-sample.jsonl").lines().next().unwrap_or("{}");
    let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
    v["text"].as_str().unwrap_or("").to_string()
}

fn stages(c: &mut Criterion) {
    let bbc = bbc_article();
    let seed = include_str!("../tests/data/seed-article.txt");
    let mut g = c.benchmark_group("text_stages");
    for (name, text) in [("bbc", bbc.as_str()), ("seed", seed)] {
        let sentences = split(text);
        g.bench_function(format!("floor/scan/{name}"), |b| {
            b.iter(|| black_box(text).bytes().filter(|&c| c == b'.').count())
        });
        g.bench_function(format!("clean/{name}"), |b| b.iter(|| find_clutter(black_box(text))));
        g.bench_function(format!("segment/{name}"), |b| b.iter(|| split(black_box(text))));
        g.bench_function(format!("detect/{name}"), |b| b.iter(|| Lang::detect(black_box(text))));
        g.bench_function(format!("floor/uax29/{name}"), |b| {
            b.iter(|| {
                sentences
                    .iter()
                    .map(|s| {
                        black_box(s.span.slice(text)).split_word_bound_indices().filter(|(_, w)| w.len() > 1).count()
                    })
                    .sum::<usize>()
            })
        });
        let t = Tokenizer::new(Lang::En);
        let mut out = Vec::with_capacity(1024);
        g.bench_function(format!("tokenize/{name}"), |b| {
            b.iter(|| {
                out.clear();
                for s in &sentences {
                    t.tokenize(black_box(text), s.span, &mut out);
                }
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
