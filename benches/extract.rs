//! Speed of HTML article extraction on synthetic pages: a news-like page,
//! and hostile deep nesting (refused by the pre-check, and parsed when the
//! limit is raised, to show why the limit exists).

#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use precis::domain::html::{extract, extract_with, Options};

/// A page of about 150 KB: head with scripts and styles, navigation,
/// sidebar links, 40 paragraphs of prose, comments and a footer.
fn news_page() -> String {
    let mut s = String::from("<!doctype html><html><head><title>A headline - Site</title>");
    for i in 0..20 {
        s.push_str(&format!(
            "<script>var config{i} = {{ a: '<div>', b: [1,2,3] }}; function f{i}() {{ return {i}; }}</script>"
        ));
        s.push_str(&format!("<style>.c{i} {{ color: red; margin: 0 auto; }}</style>"));
    }
    s.push_str("</head><body><nav><ul>");
    for i in 0..50 {
        s.push_str(&format!("<li><a href=\"/s{i}\">Section {i}</a></li>"));
    }
    s.push_str("</ul></nav><div class=\"wrap\"><aside class=\"sidebar\">");
    for i in 0..50 {
        s.push_str(&format!("<p><a href=\"/r{i}\">A related story number {i} with a long title</a></p>"));
    }
    s.push_str("</aside><article class=\"article-body\"><h1>A headline</h1>");
    for i in 0..40 {
        s.push_str(&format!(
            "<p>Paragraph {i} of the story says that the council, after a long debate, voted to close the \
             bridge &amp; repair it, <a href=\"/x\">officials said</a> on Tuesday, citing safety, cost and traffic \
             that had grown for years.</p>"
        ));
        if i % 10 == 9 {
            s.push_str("<div class=\"ad-slot\"><script>ads.push({})</script></div><h2>A subheading</h2>");
        }
    }
    s.push_str("</article><div id=\"comments\">");
    for i in 0..100 {
        s.push_str(&format!("<div class=\"comment\"><p>Comment {i}: I disagree, strongly, with this.</p></div>"));
    }
    s.push_str("</div></div><footer>Copyright</footer></body></html>");
    while s.len() < 150_000 {
        s.push_str("<!-- padding comment to reach a realistic page size -->");
    }
    s
}

fn bench(c: &mut Criterion) {
    let page = news_page();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("news_page_150kb", |b| b.iter(|| extract(black_box(&page))));
    let deep = format!("{}<p>text</p>{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    g.throughput(Throughput::Bytes(deep.len() as u64));
    g.bench_function("nested_100k_refused", |b| b.iter(|| extract(black_box(&deep))));
    let deep = format!("{}<p>text</p>{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let unlimited = Options { max_depth: usize::MAX };
    g.throughput(Throughput::Bytes(deep.len() as u64));
    g.sample_size(10);
    g.bench_function("nested_10k_parsed_without_limit", |b| b.iter(|| extract_with(black_box(&deep), &unlimited)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
