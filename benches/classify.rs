//! Topic classification speed with the built-in `news` and `reuters`
//! taxonomies, on AG News-length articles (64 rows of AG's training split,
//! in `tests/data/classify`).
//!
//! - `prepared`: classification of already-prepared documents (feature
//!   hashing, TF-IDF, weights, calibration).
//! - `prepare+classify`: the whole path from raw title and text
//!   (`Pipeline::prepare`, then the model); once more with a language hint,
//!   which skips language detection.
//!
//! `cargo bench --bench classify`; throughput is in documents per second.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use precis::domain::classify;
use precis::domain::taxonomy::{Taxonomies, TaxonomySet, TopicModel};
use precis::domain::{Article, Format, Limits, Pipeline};

const SAMPLE: &str = include_str!("../tests/data/classify/agnews-train-sample.jsonl");

fn rows() -> Vec<(String, String)> {
    SAMPLE
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
            (s("title"), s("text"))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let rows = rows();
    let pipeline = Pipeline::new(Limits::default(), Arc::new(Taxonomies::new(TaxonomySet::default())));
    let docs: Vec<_> = rows
        .iter()
        .filter_map(|(t, b)| {
            pipeline.prepare(&Article { title: t, body: b, format: Format::Text, language: None }).ok()
        })
        .collect();
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(docs.len() as u64));
    for (name, bytes) in [("news", classify::NEWS_MODEL), ("reuters", classify::REUTERS_MODEL)] {
        let Ok(model) = classify::load(bytes) else { continue };
        g.bench_function(format!("{name}/prepared"), |b| {
            b.iter(|| {
                for d in &docs {
                    black_box(model.predict(black_box(d)));
                }
            })
        });
        g.bench_function(format!("{name}/prepare+classify"), |b| {
            b.iter(|| {
                for (t, body) in &rows {
                    let art = Article { title: t, body, format: Format::Text, language: None };
                    if let Ok(d) = pipeline.prepare(black_box(&art)) {
                        black_box(model.predict(&d));
                    }
                }
            })
        });
    }
    // The same with a language hint: shows what language detection costs.
    if let Ok(model) = classify::load(classify::NEWS_MODEL) {
        g.bench_function("news/prepare+classify (language hint en)", |b| {
            b.iter(|| {
                for (t, body) in &rows {
                    let art = Article { title: t, body, format: Format::Text, language: Some("en") };
                    if let Ok(d) = pipeline.prepare(black_box(&art)) {
                        black_box(model.predict(&d));
                    }
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
