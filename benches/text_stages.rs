//! Cost of the reading stages on one news article: cleaning, sentence
//! segmentation, language detection and tokenizing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use precis::domain::clean::find_clutter;
use precis::domain::lang::Lang;
use precis::domain::segment::split;
use precis::domain::text::Span;
use precis::domain::tokenize::Tokenizer;

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
        g.bench_function(format!("clean/{name}"), |b| b.iter(|| find_clutter(black_box(text))));
        g.bench_function(format!("segment/{name}"), |b| b.iter(|| split(black_box(text))));
        g.bench_function(format!("detect/{name}"), |b| b.iter(|| Lang::detect(black_box(text))));
        let t = Tokenizer::new(Lang::En);
        let mut out = Vec::with_capacity(1024);
        g.bench_function(format!("tokenize/{name}"), |b| {
            b.iter(|| {
                out.clear();
                t.tokenize(black_box(text), Span::new(0, text.len()), &mut out);
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
