//! Keyphrase extraction speed on the seed article: extraction alone on a
//! prepared document, and preparing plus extracting (what a request costs).

#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use precis::domain::keyphrase;
use precis::domain::taxonomy::Taxonomies;
use precis::domain::{Article, Format, Limits, Pipeline};

const SEED: &str = include_str!("../tests/data/seed-article.txt");

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()));
    let (title, body) = SEED.split_once('\n').unwrap_or(("", SEED));
    let article = Article { title, body, format: Format::Text, language: None };
    let Ok(doc) = pipeline.prepare(&article) else { return };
    c.bench_function("keyphrase/extract_seed_top10", |b| b.iter(|| keyphrase::extract(black_box(&doc), 10)));
    c.bench_function("keyphrase/prepare_and_extract_seed_top10", |b| {
        b.iter(|| pipeline.prepare(black_box(&article)).map(|d| keyphrase::extract(&d, 10)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
