//! Tests of the classifier as a whole: training, the model file, the
//! built-in taxonomies.

use std::sync::Arc;

use super::*;
use crate::domain::taxonomy::Taxonomies;
use crate::domain::{Article, Format, Limits, Pipeline, TagOptions};

fn pipeline(set: TaxonomySet) -> Pipeline {
    Pipeline::new(Limits::default(), Arc::new(Taxonomies::new(set)))
}

fn features_of(p: &Pipeline, title: &str, body: &str) -> Vec<u64> {
    let doc = p.prepare(&Article { title, body, format: Format::Text, language: Some("en") });
    doc.map(|d| features::document_features(&d)).unwrap_or_default()
}

const SPORT: [&str; 6] = ["match", "goal", "striker", "league", "coach", "season"];
const MONEY: [&str; 6] = ["shares", "profit", "bank", "market", "investors", "earnings"];
const POLITICS: [&str; 6] = ["minister", "election", "parliament", "vote", "party", "government"];

/// A small synthetic set: each document mixes words of its topic(s) with
/// common filler, chosen by a seeded generator.
fn synthetic(multi: bool, n: usize) -> TrainSet {
    let p = pipeline(TaxonomySet::default());
    let topics = [SPORT, MONEY, POLITICS];
    let mut rng = svm::SplitMix::new(42);
    let mut set = TrainSet {
        labels: vec!["sport".into(), "business".into(), "politics".into()],
        multi_label: multi,
        ..Default::default()
    };
    for i in 0..n {
        let t = i % 3;
        let mut gold = vec![t as u32];
        if multi && i % 4 == 0 {
            gold.push(((t + 1) % 3) as u32);
        }
        let mut body = String::new();
        for _ in 0..12 {
            let g = gold[rng.below(gold.len())] as usize;
            body.push_str(topics[g][rng.below(6)]);
            body.push_str(if rng.below(3) == 0 { " the day " } else { " " });
        }
        body.push('.');
        set.features.push(features_of(&p, "", &body));
        set.gold.push(gold);
    }
    set
}

fn quick() -> TrainOptions {
    TrainOptions { folds: 3, ..TrainOptions::default() }
}

fn small_model() -> Vec<u8> {
    let set = synthetic(false, 60);
    match train(&set, "toy", vec![("source".into(), "synthetic".into())], &quick(), &train::NoProgress) {
        Ok(m) => m.to_bytes(),
        Err(e) => panic!("training failed: {e}"),
    }
}

#[test]
fn trains_and_predicts_single_label() {
    let set = synthetic(false, 90);
    let m = train(&set, "toy", Vec::new(), &quick(), &train::NoProgress).unwrap_or_else(|e| panic!("{e}"));
    assert!(!m.multi_label());
    let p = pipeline(TaxonomySet::default());
    let doc = p
        .prepare(&Article { title: "", body: "The striker scored a goal in the league match.", ..Default::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let probs = m.predict(&doc);
    assert_eq!(probs.len(), 3);
    assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert!(probs[0] > 0.5, "{probs:?}");
}

#[test]
fn trains_multi_label_with_independent_probabilities() {
    let set = synthetic(true, 120);
    let m = train(&set, "toy", Vec::new(), &quick(), &train::NoProgress).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.multi_label());
    assert!(m.info().multi_label);
    let p = pipeline(TaxonomySet::default());
    let doc = p
        .prepare(&Article {
            title: "",
            body: "Bank shares and profit rose as investors cheered earnings.",
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let probs = m.predict(&doc);
    assert!(probs[1] > 0.5, "{probs:?}");
    assert!(probs[0] < 0.5, "{probs:?}");
}

#[test]
fn same_data_gives_byte_identical_models() {
    let set = synthetic(true, 90);
    let one = TrainOptions { threads: 1, ..quick() };
    let two = TrainOptions { threads: 2, ..quick() };
    let a = train(&set, "toy", Vec::new(), &one, &train::NoProgress).map(|m| m.to_bytes());
    let b = train(&set, "toy", Vec::new(), &two, &train::NoProgress).map(|m| m.to_bytes());
    let c = train(&set, "toy", Vec::new(), &one, &train::NoProgress).map(|m| m.to_bytes());
    assert!(a.is_ok());
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn rejects_bad_training_sets() {
    let mut set = synthetic(false, 30);
    assert_eq!(
        train(&TrainSet::default(), "x", Vec::new(), &quick(), &train::NoProgress).err(),
        Some(TrainError::NoDocuments)
    );
    set.gold[3] = vec![7];
    assert_eq!(train(&set, "x", Vec::new(), &quick(), &train::NoProgress).err(), Some(TrainError::BadLabels(3)));
    set.gold[3] = vec![0, 1];
    assert_eq!(train(&set, "x", Vec::new(), &quick(), &train::NoProgress).err(), Some(TrainError::BadLabels(3)));
}

#[test]
fn round_trips_through_the_file_format() {
    let bytes = small_model();
    let m = load(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.to_bytes(), bytes);
    assert_eq!(m.name(), "toy");
    assert_eq!(m.info().metadata.get("source").map(String::as_str), Some("synthetic"));
    assert!(m.info().version.starts_with("1-"));
}

#[test]
fn truncated_files_fail_with_an_error() {
    let bytes = small_model();
    for len in 0..bytes.len() {
        let Some(prefix) = bytes.get(..len) else { continue };
        match load(prefix) {
            Err(ModelError::Truncated { .. } | ModelError::BadMagic) => {}
            other => panic!("prefix of {len} bytes: {other:?}"),
        }
    }
}

#[test]
fn flipped_bytes_fail_with_an_error() {
    let bytes = small_model();
    for i in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[i] ^= 0x10;
        assert!(load(&bad).is_err(), "flip at {i} was accepted");
    }
    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    assert!(matches!(load(&bad), Err(ModelError::ChecksumMismatch { .. })));
}

#[test]
fn wrong_magic_and_version_are_typed_errors() {
    let bytes = small_model();
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert!(matches!(load(&bad), Err(ModelError::BadMagic)));
    assert!(matches!(load(b"not a model at all, just text"), Err(ModelError::BadMagic)));
    let mut v2 = bytes.clone();
    v2[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(load(&v2), Err(ModelError::UnsupportedVersion { found: 2, supported: 1 })));
    let mut longer = bytes;
    longer.push(0);
    assert!(load(&longer).is_err());
}

#[test]
fn consistent_but_malformed_payloads_are_rejected() {
    // A payload that passes the checksum but breaks an invariant: rebuild
    // the file around a changed payload.
    let bytes = small_model();
    let payload = &bytes[20..bytes.len() - 8];
    let wrap = |p: &[u8]| {
        let mut out = Vec::new();
        out.extend_from_slice(format::MAGIC);
        out.extend_from_slice(&format::VERSION.to_le_bytes());
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(p);
        let sum = crate::domain::tokenize::term_hash(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    };
    assert!(load(&wrap(payload)).is_ok());
    for cut in [1usize, 5, 17, payload.len() / 2, payload.len() - 1] {
        let mut p = payload.to_vec();
        p.truncate(payload.len() - cut);
        assert!(matches!(load(&wrap(&p)), Err(ModelError::Malformed(_))), "cut {cut}");
    }
    let mut p = payload.to_vec();
    // The name's length prefix, made huge.
    p[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(load(&wrap(&p)), Err(ModelError::Malformed(_))));
}

#[test]
fn missing_file_is_an_io_error() {
    let r = load_path(Path::new("/nonexistent/precis/model.ptm"));
    assert!(matches!(r, Err(ModelError::Io { .. })));
}

#[test]
fn builtin_taxonomies_load() {
    let set = builtin_taxonomies().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.default.as_deref(), Some("news"));
    let news = &set.models["news"];
    let mut labels = news.info().labels.clone();
    labels.sort();
    assert_eq!(labels, ["business", "entertainment", "politics", "sport", "technology", "world"]);
    assert!(!news.info().multi_label);
    let reuters = &set.models["reuters"];
    assert!(reuters.info().multi_label);
    assert!(reuters.info().labels.len() >= 90);
    for m in set.models.values() {
        let md = &m.info().metadata;
        for key in ["documents", "labels", "source", "trained_at", "test_accuracy", "test_ece"] {
            assert!(md.contains_key(key), "{key} missing");
        }
    }
    assert!(NEWS_MODEL.len() <= 10 << 20 && REUTERS_MODEL.len() <= 10 << 20);
    assert_eq!(load(NEWS_MODEL).map(|m| m.to_bytes()).ok().as_deref(), Some(NEWS_MODEL));
}

#[test]
fn seed_article_gets_sensible_news_topics() {
    let text = include_str!("../../../tests/data/seed-article.txt");
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let p = pipeline(builtin_taxonomies().unwrap_or_else(|e| panic!("{e}")));
    let doc =
        p.prepare(&Article { title, body, format: Format::Text, language: None }).unwrap_or_else(|e| panic!("{e}"));
    let tags = p.tag(&doc, &TagOptions { min_score: 0.0, max_topics: 6, ..TagOptions::default() });
    let tags = tags.unwrap_or_else(|e| panic!("{e}"));
    eprintln!("seed article topics: {:?}", tags.topics.iter().map(|t| (t.label.as_str(), t.score)).collect::<Vec<_>>());
    let top: Vec<&str> = tags.topics.iter().take(2).map(|t| t.label.as_str()).collect();
    assert!(top.iter().all(|l| ["business", "world", "technology", "politics"].contains(l)), "{top:?}");
    assert!(!top.contains(&"sport") && !top.contains(&"entertainment"));
}

#[test]
fn min_score_and_max_topics_filter() {
    let p = pipeline(builtin_taxonomies().unwrap_or_else(|e| panic!("{e}")));
    let body = "Shares in the bank rose after quarterly profit beat forecasts, and investors bid up the stock.";
    let doc = p.prepare(&Article { title: "", body, ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
    let all = p.tag(&doc, &TagOptions { min_score: 0.0, max_topics: 10, ..TagOptions::default() });
    let all = all.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.topics.len(), 6);
    assert_eq!(all.topics[0].label, "business");
    let sum: f32 = all.topics.iter().map(|t| t.score).sum();
    assert!((sum - 1.0).abs() < 1e-3);
    let one = p.tag(&doc, &TagOptions { min_score: 0.0, max_topics: 1, ..TagOptions::default() });
    assert_eq!(one.map(|t| t.topics.len()).ok(), Some(1));
    // Nothing reaches a threshold of 1: no topic.
    let none = p.tag(&doc, &TagOptions { min_score: 1.0, ..TagOptions::default() });
    assert_eq!(none.map(|t| t.topics.len()).ok(), Some(0));
    let reuters = TagOptions { taxonomies: vec!["reuters".into()], min_score: 0.5, ..TagOptions::default() };
    let r = p.tag(&doc, &reuters).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.topics.iter().all(|t| t.taxonomy == "reuters" && t.score >= 0.5));
}
