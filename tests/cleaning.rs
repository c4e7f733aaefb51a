//! The cleaner on real text: the scraped seed article (its trailing related
//! block, teasers and comment form must not reach any output) and a few
//! clean news articles (nothing a reference summary holds may be removed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use precis::domain::clean::{find_clutter, kept_regions, ClutterKind};
use precis::domain::document::Document;
use precis::domain::taxonomy::{ModelInfo, Taxonomies, TaxonomySet, TopicModel};
use precis::domain::text::Span;
use precis::domain::{Article, Limits, Pipeline, SummaryOptions, TagOptions};

const SEED: &str = include_str!("data/seed-article.txt");

/// Where the page furniture of the seed article starts.
fn clutter_start() -> usize {
    SEED.find("Related Posts").expect("fixture has its related block")
}

/// A topic model that scores 1 when any token it sees lies in the clutter.
#[derive(Debug)]
struct Spy {
    info: ModelInfo,
    from: usize,
}

impl TopicModel for Spy {
    fn info(&self) -> &ModelInfo {
        &self.info
    }
    fn predict(&self, doc: &Document<'_>) -> Vec<f32> {
        let seen = doc.tokens.iter().any(|t| t.span.end > self.from);
        vec![if seen { 1.0 } else { 0.0 }, 0.5]
    }
}

fn pipeline() -> Pipeline {
    let info = ModelInfo {
        labels: vec!["clutter".into(), "news".into()],
        version: "test".into(),
        multi_label: true,
        metadata: BTreeMap::new(),
    };
    let mut models: BTreeMap<String, Arc<dyn TopicModel>> = BTreeMap::new();
    models.insert("spy".into(), Arc::new(Spy { info, from: clutter_start() }));
    let set = TaxonomySet { models, default: Some("spy".into()) };
    Pipeline::new(Limits::default(), Arc::new(Taxonomies::new(set)))
}

#[test]
fn seed_article_clutter_is_found() {
    let removed = find_clutter(SEED);
    let start = clutter_start();
    // Everything from the related block to the end is removed.
    let kept = kept_regions(SEED.len(), &removed);
    for r in &kept {
        assert!(r.end <= start || SEED[r.start..r.end].trim().is_empty(), "kept clutter: {:?}", &SEED[r.start..r.end]);
    }
    assert!(removed.iter().any(|r| r.kind == ClutterKind::Related));
    // No article paragraph is touched.
    for r in &removed {
        let line_start = SEED[..start].rfind('\n').map_or(0, |p| p + 1);
        assert!(r.span.start >= line_start, "removed article text: {:?}", r.span.slice(SEED));
    }
}

#[test]
fn seed_article_clutter_reaches_no_output() {
    let p = pipeline();
    let (title, body) = SEED.split_once('\n').expect("title line");
    let offset = title.len() + 1;
    let article = Article { title, body, ..Article::default() };
    let doc = p.prepare(&article).expect("prepares");
    let from = clutter_start() - offset;
    let clutter_words = ["Lenovo", "carmakers", "Continue reading", "Leave a Reply", "email address", "Required"];
    for s in &doc.sentences {
        assert!(s.span.end <= from, "sentence from the clutter: {:?}", s.span.slice(&doc.text));
    }
    let summary =
        p.summarize(&doc, &SummaryOptions { all_sentences: true, ..SummaryOptions::default() }).expect("summarises");
    for s in &summary.sentences {
        let t = s.span.slice(&doc.text);
        assert!(clutter_words.iter().all(|w| !t.contains(w)), "summary sentence from the clutter: {t:?}");
    }
    let tags = p.tag(&doc, &TagOptions { max_keyphrases: 50, min_score: 0.0, ..TagOptions::default() }).expect("tags");
    for k in &tags.keyphrases {
        assert!(k.occurrences.iter().all(|o: &Span| o.end <= from), "keyphrase from the clutter: {}", k.text);
        let lower = k.text.to_lowercase();
        for w in ["lenovo", "carmaker", "reply", "email", "continue reading", "memory crunch", "supplier"] {
            assert!(!lower.contains(w), "keyphrase from the clutter: {}", k.text);
        }
    }
    // The spy model saw no token of the clutter.
    let spy: Vec<_> = tags.topics.iter().filter(|t| t.label == "clutter").collect();
    assert!(!spy.is_empty() && spy.iter().all(|t| t.score < 0.5), "topic model saw clutter: {spy:?}");
}

/// Rows of `sum-*.jsonl`: `text` and `summary`.
fn rows(jsonl: &str) -> Vec<(String, String)> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json row");
            (v["text"].as_str().unwrap_or("").to_string(), v["summary"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn clean_articles_lose_no_reference_sentence() {
    for (text, summary) in rows(include_str!("data/bbc-summary-sample.jsonl")) {
        let removed = find_clutter(&text);
        let kept: String =
            kept_regions(text.len(), &removed).iter().map(|r| &text[r.start..r.end]).collect::<Vec<_>>().join("\n");
        let kept = norm(&kept);
        // Reference sentences are article sentences side by side; every piece
        // between sentence marks must still be in the kept text.
        for piece in summary.split_inclusive(['.', '!', '?']) {
            let piece = norm(piece);
            if piece.len() > 3 {
                assert!(kept.contains(&piece), "lost {piece:?}");
            }
        }
        assert!(
            removed.is_empty(),
            "removed from a clean article: {:?}",
            removed.iter().map(|r| r.span.slice(&text)).collect::<Vec<_>>()
        );
    }
    for (text, _) in rows(include_str!("data/cnndm-sample.jsonl")) {
        assert!(find_clutter(&text).is_empty());
    }
}
