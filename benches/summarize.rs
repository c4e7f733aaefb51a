//! Summariser benchmarks: the whole path (prepare: clean → segment →
//! tokenize, then score → select) over 50 BBC articles, the two halves
//! separately, and scaling with article length (1×, 16×, 256× a typical
//! article, by concatenation) reported per byte, and the same bytes as 256
//! one-article, 16 sixteen-article and one 256-article documents.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use precis::domain::taxonomy::Taxonomies;
use precis::domain::{Article, Limits, Pipeline, SummaryOptions};

const CORPUS: &str = include_str!("data/bbc-50.jsonl");

fn corpus() -> Vec<(String, String)> {
    CORPUS
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
            (s("title"), s("text"))
        })
        .collect()
}

/// Text `k` of an endless run over the corpus: past its end each pass
/// numbers its lines ("(2) …"), since cleaning leaves out the earlier copy
/// of a repeated paragraph and would make a long text short again.
fn nth_text(rows: &[(String, String)], k: usize) -> String {
    let n = rows.len().max(1);
    let text = rows.get(k % n).map_or("", |r| r.1.as_str());
    match k / n {
        0 => text.to_string(),
        pass => text
            .lines()
            .map(|l| if l.trim().is_empty() { l.to_string() } else { format!("({pass}) {l}") })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn pipeline() -> Pipeline {
    Pipeline::new(Limits { max_body_bytes: 64 << 20, ..Limits::default() }, Arc::new(Taxonomies::default()))
}

fn whole_path(c: &mut Criterion) {
    let rows = corpus();
    let pipe = pipeline();
    let opts = SummaryOptions::default();
    let mut g = c.benchmark_group("bbc50");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("prepare+summarize", |b| {
        b.iter(|| {
            for (title, body) in &rows {
                let a = Article { title, body, ..Article::default() };
                if let Ok(doc) = pipe.prepare(&a) {
                    black_box(pipe.summarize(&doc, &opts).ok());
                }
            }
        })
    });
    g.bench_function("prepare", |b| {
        b.iter(|| {
            for (title, body) in &rows {
                black_box(pipe.prepare(&Article { title, body, ..Article::default() }).ok());
            }
        })
    });
    let docs: Vec<_> = rows
        .iter()
        .filter_map(|(title, body)| pipe.prepare(&Article { title, body, ..Article::default() }).ok())
        .collect();
    g.bench_function("summarize", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(pipe.summarize(doc, &opts).ok());
            }
        })
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let rows = corpus();
    let pipe = pipeline();
    let opts = SummaryOptions::default();
    // A typical article: the median length of the corpus.
    let mut by_len: Vec<&(String, String)> = rows.iter().collect();
    by_len.sort_by_key(|r| r.1.len());
    let Some(typical) = by_len.get(by_len.len() / 2) else { return };
    let mut g = c.benchmark_group("scaling");
    g.sample_size(20);
    for times in [1usize, 16, 256] {
        // Concatenate different articles, starting at the typical one, so
        // that the long texts are not one paragraph repeated.
        let start = rows.iter().position(|r| std::ptr::eq(r, *typical)).unwrap_or(0);
        let body: String = (0..times).map(|k| nth_text(&rows, start + k)).collect::<Vec<_>>().join("\n\n");
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(format!("{times}x")), &body, |b, body| {
            b.iter(|| {
                let a = Article { title: &typical.0, body, ..Article::default() };
                if let Ok(doc) = pipe.prepare(&a) {
                    black_box(pipe.summarize(&doc, &opts).ok());
                }
            })
        });
    }
    g.finish();
}

/// The same 256 article texts (the corpus, then numbered passes over it) as
/// 256 documents of one article, 16 of 16 and one of 256: equal bytes in
/// every case, so the times compare cost per byte directly. The `scaling`
/// group's 1× runs one 2 KB article over and over, every word and branch
/// warm from the iteration before; here the short documents are as varied
/// as the long one.
fn scaling_same_bytes(c: &mut Criterion) {
    let rows = corpus();
    let pipe = pipeline();
    let opts = SummaryOptions::default();
    let texts: Vec<String> = (0..256).map(|k| nth_text(&rows, k)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("scaling_same_bytes");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    for per_doc in [1usize, 16, 256] {
        let docs: Vec<String> = texts.chunks(per_doc).map(|c| c.join("\n\n")).collect();
        g.bench_with_input(BenchmarkId::from_parameter(format!("{per_doc}x")), &docs, |b, docs| {
            b.iter(|| {
                for body in docs {
                    let a = Article { title: "", body, ..Article::default() };
                    if let Ok(doc) = pipe.prepare(&a) {
                        black_box(pipe.summarize(&doc, &opts).ok());
                    }
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, whole_path, scaling, scaling_same_bytes);
criterion_main!(benches);
