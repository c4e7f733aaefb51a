//! `precis train`: builds a topic model file from labelled JSON Lines.
//!
//! Every document goes through `Pipeline::prepare` (title + text), exactly
//! as the server prepares a request, so the model sees the features it will
//! meet in service. Training is deterministic: the same data, options and
//! seed give a byte-identical model file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::domain::classify::{self, features, metrics::Metrics, Progress, TrainOptions, TrainSet};
use crate::domain::taxonomy::{Taxonomies, TopicModel};
use crate::domain::tokenize::term_hash;
use crate::domain::{Article, Format, Limits, Pipeline};

/// Options of `precis train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Training data: JSON Lines with `title`, `text` and `label` (one topic)
    /// or `labels` (a list: the model becomes multi-label when any row has
    /// more than one). Repeat to combine files.
    #[arg(long = "data", required = true, value_name = "TRAIN.jsonl")]
    pub data: Vec<PathBuf>,
    /// Test data, same format, scored after training; the metrics are
    /// printed and stored in the model's metadata. Repeatable.
    #[arg(long, value_name = "TEST.jsonl")]
    pub test: Vec<PathBuf>,
    /// The taxonomy's name, stored in the model.
    #[arg(long)]
    pub name: String,
    /// Where to write the model file.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Rename a label, `FROM=TO` (repeatable; training and test data).
    #[arg(long = "map", value_name = "FROM=TO")]
    pub map: Vec<String>,
    /// Keep only rows with exactly one label (in `labels`, when present).
    #[arg(long)]
    pub single_label: bool,
    /// Seed of the fold split and the solver's order.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Language of every document (a BCP-47 tag, as a request's hint);
    /// default: detected per document, as the server does without a hint.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// Also write the test metrics as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub metrics_json: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// One labelled row.
struct Row {
    title: String,
    text: String,
    labels: Vec<String>,
}

fn read_rows(path: &Path, map: &[(String, String)], single_label: bool) -> Result<(Vec<Row>, Vec<u8>)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = std::str::from_utf8(&bytes).with_context(|| format!("{} is not UTF-8", path.display()))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
        let listed: Option<Vec<String>> = v
            .get("labels")
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect());
        if single_label && listed.as_ref().is_some_and(|l| l.len() != 1) {
            continue;
        }
        let mut labels = match listed {
            Some(l) if !l.is_empty() => l,
            _ => {
                let l = s("label");
                if l.is_empty() {
                    continue;
                }
                vec![l]
            }
        };
        for l in &mut labels {
            if let Some((_, to)) = map.iter().find(|(from, _)| from == l) {
                l.clone_from(to);
            }
        }
        labels.dedup();
        rows.push(Row { title: s("title"), text: s("text"), labels });
    }
    Ok((rows, bytes))
}

/// Features of each row, through the serving pipeline, on `threads` threads
/// (order kept). Rows the pipeline rejects (empty text) get `None`.
fn prepare_all(rows: &[Row], language: Option<&str>, threads: usize, bar: &ProgressBar) -> Vec<Option<Vec<u64>>> {
    let pipeline =
        Pipeline::new(Limits { max_body_bytes: 64 << 20, ..Limits::default() }, Arc::new(Taxonomies::default()));
    let chunk = rows.len().div_ceil(threads.max(1)).max(1);
    let mut out: Vec<Option<Vec<u64>>> = Vec::with_capacity(rows.len());
    std::thread::scope(|sc| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                let pipeline = &pipeline;
                sc.spawn(move || {
                    part.iter()
                        .map(|r| {
                            let art = Article { title: &r.title, body: &r.text, format: Format::Text, language };
                            let f = pipeline.prepare(&art).ok().map(|d| features::document_features(&d));
                            bar.inc(1);
                            f
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(v) => out.extend(v),
                Err(_) => out.extend(std::iter::repeat_with(|| None).take(chunk)),
            }
        }
    });
    out
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name.to_owned());
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

fn parse_map(map: &[String]) -> Result<Vec<(String, String)>> {
    map.iter()
        .map(|m| match m.split_once('=') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_owned(), b.to_owned())),
            _ => bail!("--map {m:?}: expected FROM=TO"),
        })
        .collect()
}

fn file_names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.file_name().map_or_else(|| p.display().to_string(), |f| f.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(",")
}

/// The metrics as a human-readable report.
pub fn report(m: &Metrics) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "test documents  {}", m.documents);
    let _ = writeln!(s, "accuracy        {:.4}", m.accuracy);
    let _ = writeln!(s, "macro-F1        {:.4}", m.macro_f1);
    if let Some(f) = m.micro_f1 {
        let _ = writeln!(s, "micro-F1        {f:.4}");
    }
    let _ = writeln!(s, "ECE (top label) {:.4}", m.ece);
    if let Some(e) = m.ece_all_labels {
        let _ = writeln!(s, "ECE (all pairs) {e:.4}");
    }
    let _ = writeln!(s, "{:<24} {:>9} {:>9} {:>9} {:>8}", "label", "precision", "recall", "F1", "support");
    for l in &m.per_label {
        let _ = writeln!(s, "{:<24} {:>9.4} {:>9.4} {:>9.4} {:>8}", l.label, l.precision, l.recall, l.f1, l.support);
    }
    s
}

fn metrics_json(m: &Metrics, train_s: f64, prepare_s: f64) -> serde_json::Value {
    serde_json::json!({
        "documents": m.documents,
        "accuracy": m.accuracy,
        "macro_f1": m.macro_f1,
        "micro_f1": m.micro_f1,
        "ece": m.ece,
        "ece_all_labels": m.ece_all_labels,
        "train_s": train_s,
        "prepare_s": prepare_s,
        "per_label": m.per_label.iter().map(|l| serde_json::json!({
            "label": l.label, "precision": l.precision, "recall": l.recall, "f1": l.f1, "support": l.support,
        })).collect::<Vec<_>>(),
    })
}

/// Runs `precis train`.
///
/// # Errors
/// Unreadable or malformed data, too few labels, or an unwritable output.
pub fn run(args: &TrainArgs) -> Result<()> {
    let map = parse_map(&args.map)?;
    let threads =
        if args.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { args.threads };
    let mut rows = Vec::new();
    let mut checksum_input = Vec::new();
    for p in &args.data {
        let (r, bytes) = read_rows(p, &map, args.single_label)?;
        rows.extend(r);
        checksum_input.extend_from_slice(&term_hash(&bytes).to_le_bytes());
    }
    if rows.is_empty() {
        bail!("no labelled rows in {}", file_names(&args.data));
    }
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:<18} [{bar:40}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let start = Instant::now();
    bar.set_message("preparing");
    bar.set_length(rows.len() as u64);
    let language = args.language.as_deref();
    let feats = prepare_all(&rows, language, threads, &bar);
    let prepare_s = start.elapsed().as_secs_f64();

    let multi_label = rows.iter().any(|r| r.labels.len() > 1);
    let mut labels: Vec<String> = rows.iter().flat_map(|r| r.labels.iter().cloned()).collect();
    labels.sort();
    labels.dedup();
    let mut set = TrainSet { labels: labels.clone(), multi_label, features: Vec::new(), gold: Vec::new() };
    for (r, f) in rows.iter().zip(feats) {
        let Some(f) = f else { continue };
        let keep = if multi_label { r.labels.len() } else { 1 };
        let gold: Vec<u32> =
            r.labels.iter().take(keep).filter_map(|l| labels.binary_search(l).ok().map(|i| i as u32)).collect();
        set.features.push(f);
        set.gold.push(gold);
    }
    let data_sum = term_hash(&checksum_input);
    let metadata = vec![
        ("source".to_owned(), file_names(&args.data)),
        ("documents".to_owned(), set.features.len().to_string()),
        ("labels".to_owned(), labels.len().to_string()),
        ("trained_at".to_owned(), format!("data-fnv1a64:{data_sum:016x}")),
        ("seed".to_owned(), args.seed.to_string()),
    ];
    let opts = TrainOptions { seed: args.seed, threads, ..TrainOptions::default() };
    let mut model = classify::train(&set, &args.name, metadata, &opts, &Bar(bar.clone()))?;
    let train_s = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    eprintln!(
        "trained {:?}: {} documents, {} labels{}, {} features, {} weights, cross-validated {} {}, in {:.2} s ({:.2} s preparing)",
        args.name,
        set.features.len(),
        labels.len(),
        if multi_label { " (multi-label)" } else { "" },
        model.vocabulary_len(),
        model.info().metadata.get("weights").map_or("?", String::as_str),
        if multi_label { "micro-F1" } else { "accuracy" },
        model.info().metadata.get("cv_score").map_or("?", String::as_str),
        train_s,
        prepare_s,
    );

    if !args.test.is_empty() {
        let mut test = Vec::new();
        for p in &args.test {
            test.extend(read_rows(p, &map, args.single_label)?.0);
        }
        let pipeline =
            Pipeline::new(Limits { max_body_bytes: 64 << 20, ..Limits::default() }, Arc::new(Taxonomies::default()));
        let mut probs = Vec::with_capacity(test.len());
        let mut gold = Vec::with_capacity(test.len());
        for r in &test {
            let art = Article { title: &r.title, body: &r.text, format: Format::Text, language };
            let p = match pipeline.prepare(&art) {
                Ok(doc) => model.predict(&doc),
                Err(_) => vec![0.0; labels.len()],
            };
            probs.push(p);
            gold.push(if multi_label { r.labels.clone() } else { r.labels.iter().take(1).cloned().collect() });
        }
        let m = classify::evaluate(model.labels(), multi_label, &probs, &gold);
        print!("{}", report(&m));
        model.set_metadata("test_source", file_names(&args.test));
        model.set_metadata("test_documents", m.documents.to_string());
        model.set_metadata("test_accuracy", format!("{:.4}", m.accuracy));
        model.set_metadata("test_macro_f1", format!("{:.4}", m.macro_f1));
        if let Some(f) = m.micro_f1 {
            model.set_metadata("test_micro_f1", format!("{f:.4}"));
        }
        model.set_metadata("test_ece", format!("{:.4}", m.ece));
        if let Some(path) = &args.metrics_json {
            let j = metrics_json(&m, train_s, prepare_s);
            std::fs::write(path, serde_json::to_string_pretty(&j)? + "\n")
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes, version {})", args.out.display(), bytes.len(), model.info().version);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dir: &Path, out: &str) -> TrainArgs {
        TrainArgs {
            data: vec![dir.join("train.jsonl")],
            test: vec![dir.join("train.jsonl")],
            name: "toy".into(),
            out: dir.join(out),
            map: vec!["Sci/Tech=technology".into()],
            single_label: false,
            seed: TrainOptions::default().seed,
            threads: 0,
            metrics_json: Some(dir.join("metrics.json")),
            language: None,
            quiet: true,
        }
    }

    #[test]
    fn same_data_gives_a_byte_identical_model_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let sample = include_str!("../../tests/data/classify/agnews-train-sample.jsonl");
        std::fs::write(dir.path().join("train.jsonl"), sample)?;
        run(&args(dir.path(), "a.ptm"))?;
        let mut two_threads = args(dir.path(), "b.ptm");
        two_threads.threads = 2;
        run(&two_threads)?;
        let a = std::fs::read(dir.path().join("a.ptm"))?;
        let b = std::fs::read(dir.path().join("b.ptm"))?;
        assert_eq!(a, b);
        let m = classify::load(&a)?;
        assert!(m.labels().iter().any(|l| l == "technology"));
        assert!(m.info().metadata.contains_key("test_accuracy"));
        let metrics: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("metrics.json"))?)?;
        assert!(metrics.get("accuracy").and_then(|v| v.as_f64()).is_some());
        Ok(())
    }

    #[test]
    fn bad_map_is_an_error() {
        assert!(parse_map(&["nothing".into()]).is_err());
        assert!(parse_map(&["a=b".into()]).is_ok());
    }
}
