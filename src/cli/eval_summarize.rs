//! `precis eval summarize`: summaries of a JSONL data set, for scoring with
//! the ROUGE harness, and the fitting of the summariser's weights.
//!
//! Reads rows `{"id", "title", "text", ...}`, summarises each one exactly as
//! the server does (`Pipeline::prepare` then `Pipeline::summarize`) and writes
//! `{"id", "summary"}` lines, the summary's sentences joined with `\n`.
//! Throughput (articles/s, single thread, prepare + summarise, excluding JSON
//! reading and writing) goes to standard error.
//!
//! `--fit` instead searches the score weights on the given development files,
//! maximising the mean over files of ROUGE-1 F1 at three sentences, and prints
//! the constants to paste into `src/domain/summarize/fitted.rs`. ROUGE here is
//! an approximation of Google's rouge-score (same tokenising, Snowball instead
//! of Porter stemming) good enough to rank weightings; the reported figures
//! come from the harness's scorer.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context as _};
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::domain::document::Document;
use crate::domain::pipeline::{Article, Pipeline};
use crate::domain::summarize::{self, Features, SummaryOptions, Vectors, Weights};

/// Options of `precis eval summarize`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalSummarizeArgs {
    /// JSONL data file(s) with `id`, `title`, `text` (and `summary` for --fit).
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Sentences per summary (default 3).
    #[arg(long, conflicts_with = "ratio")]
    pub sentences: Option<usize>,
    /// Fraction of each article's sentences, in (0, 1].
    #[arg(long)]
    pub ratio: Option<f64>,
    /// Turn the faithfulness guard off.
    #[arg(long)]
    pub no_guard: bool,
    /// Where to write the hypotheses JSONL (required unless --fit).
    #[arg(long, required_unless_present = "fit")]
    pub out: Option<PathBuf>,
    /// Fit the score weights on the data instead of writing summaries.
    #[arg(long)]
    pub fit: bool,
    /// Use this weighting instead of the fitted one (with --fit: score only it). Values in the order
    /// textrank,lexrank,forward,position,lead_decay,paragraph,title,backward,length,lead.
    #[arg(long, value_delimiter = ',')]
    pub weights: Option<Vec<f32>>,
}

#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow, default)]
    title: Cow<'a, str>,
    #[serde(borrow, default)]
    text: Cow<'a, str>,
    #[serde(borrow, default)]
    summary: Cow<'a, str>,
}

/// Runs `precis eval summarize`.
///
/// # Errors
/// Unreadable or malformed input, an unwritable output, invalid options.
pub fn run(pipe: &Pipeline, args: &EvalSummarizeArgs) -> anyhow::Result<()> {
    if args.fit {
        return fit(pipe, args);
    }
    let [data] = args.data.as_slice() else { bail!("give exactly one --data file to summarise") };
    let Some(out_path) = &args.out else { bail!("--out is required") };
    let raw = std::fs::read_to_string(data).with_context(|| format!("reading {}", data.display()))?;
    let rows = super::jsonl::parse::<Row<'_>>(&raw).with_context(|| format!("parsing {}", data.display()))?;
    let opts = SummaryOptions {
        max_sentences: if args.ratio.is_some() { None } else { Some(args.sentences.unwrap_or(3)) },
        ratio: args.ratio,
        context_guard: !args.no_guard,
        ..SummaryOptions::default()
    };
    pipe.check_summary_options(&opts)?;
    let weights = given_weights(args)?;
    let mut summaries: Vec<String> = Vec::with_capacity(rows.len());
    let mut bytes = 0usize;
    let started = Instant::now();
    for row in &rows {
        let article = Article { title: &row.title, body: &row.text, ..Article::default() };
        bytes += row.text.len();
        let text = match pipe.prepare(&article) {
            Ok(doc) => {
                let summary = match &weights {
                    Some(w) => summarize::summarize(&doc, w, &opts),
                    None => pipe.summarize(&doc, &opts)?,
                };
                let mut s = String::new();
                for (k, sent) in summary.sentences.iter().enumerate() {
                    if k > 0 {
                        s.push('\n');
                    }
                    s.push_str(sent.span.slice(&doc.text));
                }
                s
            }
            Err(_) => String::new(),
        };
        summaries.push(text);
    }
    let secs = started.elapsed().as_secs_f64();
    let file = std::fs::File::create(out_path).with_context(|| format!("creating {}", out_path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for (row, s) in rows.iter().zip(&summaries) {
        serde_json::to_writer(&mut w, &serde_json::json!({ "id": row.id, "summary": s }))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    eprintln!(
        "{} articles in {:.3} s: {:.0} articles/s, {:.1} MB/s (prepare + summarize, one thread)",
        rows.len(),
        secs,
        rows.len() as f64 / secs.max(1e-9),
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    Ok(())
}

/// The weighting given with `--weights`, if any.
fn given_weights(args: &EvalSummarizeArgs) -> anyhow::Result<Option<Weights>> {
    match args.weights.as_deref() {
        None => Ok(None),
        Some(v) => match weights_from(v) {
            Some(w) => Ok(Some(w)),
            None => bail!("--weights takes 10 values, got {}", v.len()),
        },
    }
}

/// Weights from ten values in the order of `--weights`: textrank, lexrank,
/// forward, position, lead_decay, paragraph, title, backward, length, lead.
fn weights_from(v: &[f32]) -> Option<Weights> {
    let &[textrank, lexrank, forward, position, lead_decay, paragraph, title, backward, length, lead] = v else {
        return None;
    };
    Some(Weights { textrank, lexrank, forward, position, lead_decay, paragraph, title, backward, length, lead })
}

// ---------------------------------------------------------------- fitting --

/// ROUGE-1/2 material of one article, in interned word ids.
struct FitArticle<'a> {
    doc: Document<'a>,
    vectors: Vectors,
    features: Features,
    /// ROUGE tokens of each sentence.
    sentence_words: Vec<Vec<u32>>,
    ref_unigrams: FxHashMap<u32, u32>,
    ref_bigrams: FxHashMap<u64, u32>,
    ref_len: usize,
}

/// rouge-score's tokenising: lower-case, runs of `[a-z0-9]`, words longer
/// than three characters stemmed (Snowball English here).
fn rouge_words(text: &str, stemmer: &rust_stemmers::Stemmer, vocab: &mut FxHashMap<String, u32>) -> Vec<u32> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let stem: Cow<'_, str> = if w.len() > 3 { stemmer.stem(w) } else { Cow::Borrowed(w) };
            let next = u32::try_from(vocab.len()).unwrap_or(u32::MAX);
            *vocab.entry(stem.into_owned()).or_insert(next)
        })
        .collect()
}

fn bigram(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn f1(overlap: u32, hyp: usize, reference: usize) -> f64 {
    if overlap == 0 || hyp == 0 || reference == 0 {
        return 0.0;
    }
    let p = f64::from(overlap) / hyp as f64;
    let r = f64::from(overlap) / reference as f64;
    2.0 * p * r / (p + r)
}

/// ROUGE-1 and ROUGE-2 F1 of the sentences `chosen` (in document order).
fn rouge12(a: &FitArticle<'_>, chosen: &[usize]) -> (f64, f64) {
    let words: Vec<u32> = chosen.iter().filter_map(|&i| a.sentence_words.get(i)).flatten().copied().collect();
    let mut uni: FxHashMap<u32, u32> = FxHashMap::default();
    for &w in &words {
        *uni.entry(w).or_insert(0) += 1;
    }
    let o1: u32 = uni.iter().map(|(w, &c)| c.min(a.ref_unigrams.get(w).copied().unwrap_or(0))).sum();
    let mut bi: FxHashMap<u64, u32> = FxHashMap::default();
    for p in words.windows(2) {
        if let [x, y] = p {
            *bi.entry(bigram(*x, *y)).or_insert(0) += 1;
        }
    }
    let o2: u32 = bi.iter().map(|(b, &c)| c.min(a.ref_bigrams.get(b).copied().unwrap_or(0))).sum();
    (f1(o1, words.len(), a.ref_len), f1(o2, words.len().saturating_sub(1), a.ref_len.saturating_sub(1)))
}

/// Mean (ROUGE-1, ROUGE-2) F1 of one data set under weights `w`.
fn evaluate(set: &[FitArticle<'_>], w: &Weights, opts: &SummaryOptions) -> (f64, f64) {
    let (mut r1, mut r2) = (0.0, 0.0);
    for a in set {
        let scores = a.features.combine(w);
        let summary = summarize::select_with(&a.doc, &a.vectors, &scores, opts);
        let chosen: Vec<usize> = summary.sentences.iter().map(|s| s.index).collect();
        let (x, y) = rouge12(a, &chosen);
        r1 += x;
        r2 += y;
    }
    let n = set.len().max(1) as f64;
    (r1 / n, r2 / n)
}

/// Candidate values of each weight searched by [`fit`].
const GRID_TEXTRANK: &[f32] = &[0.5, 1.0];
const GRID_LEXRANK: &[f32] = &[0.0, 0.25];
const GRID_FORWARD: &[f32] = &[0.0, 0.25];
const GRID_POSITION: &[f32] = &[0.0, 0.25, 0.5, 1.0];
const GRID_DECAY: &[f32] = &[0.25, 0.5, 1.0];
const GRID_PARAGRAPH: &[f32] = &[0.0];
const GRID_TITLE: &[f32] = &[0.0, 0.25];
const GRID_BACKWARD: &[f32] = &[0.0, -0.1, -0.25];
const GRID_LENGTH: &[f32] = &[0.0];
const GRID_LEAD: &[f32] = &[0.0, 0.25];

fn fit(pipe: &Pipeline, args: &EvalSummarizeArgs) -> anyhow::Result<()> {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
    let raws: Vec<(String, String)> = args
        .data
        .iter()
        .map(|p| {
            Ok((
                p.display().to_string(),
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut sets: Vec<(String, Vec<FitArticle<'_>>)> = Vec::new();
    for (name, raw) in &raws {
        let mut set = Vec::new();
        for row in super::jsonl::parse::<Row<'_>>(raw)? {
            if row.summary.trim().is_empty() {
                continue;
            }
            // The rows borrow `raw`; owned fields (escaped text) are leaked
            // into the article for the duration of the fit only.
            let title: &str = match row.title {
                Cow::Borrowed(s) => s,
                Cow::Owned(s) => Box::leak(s.into_boxed_str()),
            };
            let body: &str = match row.text {
                Cow::Borrowed(s) => s,
                Cow::Owned(s) => Box::leak(s.into_boxed_str()),
            };
            let Ok(doc) = pipe.prepare(&Article { title, body, ..Article::default() }) else { continue };
            let vectors = Vectors::new(&doc);
            let features = Features::new(&doc, &vectors);
            let sentence_words =
                (0..doc.sentences.len()).map(|i| rouge_words(doc.sentence_text(i), &stemmer, &mut vocab)).collect();
            let r = rouge_words(&row.summary, &stemmer, &mut vocab);
            let mut ref_unigrams = FxHashMap::default();
            for &w in &r {
                *ref_unigrams.entry(w).or_insert(0) += 1;
            }
            let mut ref_bigrams = FxHashMap::default();
            for p in r.windows(2) {
                if let [x, y] = p {
                    *ref_bigrams.entry(bigram(*x, *y)).or_insert(0) += 1;
                }
            }
            set.push(FitArticle {
                doc,
                vectors,
                features,
                sentence_words,
                ref_unigrams,
                ref_bigrams,
                ref_len: r.len(),
            });
        }
        eprintln!("{name}: {} articles", set.len());
        sets.push((name.clone(), set));
    }
    let opts = SummaryOptions {
        max_sentences: if args.ratio.is_some() { None } else { Some(args.sentences.unwrap_or(3)) },
        ratio: args.ratio,
        context_guard: !args.no_guard,
        ..SummaryOptions::default()
    };
    let objective = |w: &Weights| -> (f64, Vec<(f64, f64)>) {
        let per: Vec<(f64, f64)> = sets.iter().map(|(_, s)| evaluate(s, w, &opts)).collect();
        let mean = per.iter().map(|p| p.0).sum::<f64>() / per.len().max(1) as f64;
        (mean, per)
    };
    let current = Weights::default();
    let (cur_obj, cur_per) = objective(&current);
    eprintln!("current weights: objective {:.4} {:?}", cur_obj, cur_per);
    if let Some(w) = given_weights(args)? {
        let (obj, per) = objective(&w);
        println!("{w:?}: objective {obj:.4}");
        for ((name, _), (r1, r2)) in sets.iter().zip(&per) {
            println!("  {name}: R1 {:.2} R2 {:.2}", r1 * 100.0, r2 * 100.0);
        }
        return Ok(());
    }
    let mut best = (f64::MIN, current, Vec::new());
    let mut tried = 0usize;
    let grids: [&[f32]; 10] = [
        GRID_TEXTRANK,
        GRID_LEXRANK,
        GRID_FORWARD,
        GRID_POSITION,
        GRID_DECAY,
        GRID_PARAGRAPH,
        GRID_TITLE,
        GRID_BACKWARD,
        GRID_LENGTH,
        GRID_LEAD,
    ];
    // An odometer over the grids: the last weight turns fastest.
    let mut at = [0usize; 10];
    'grid: loop {
        let v: Vec<f32> = grids.iter().zip(&at).map(|(g, &k)| g.get(k).copied().unwrap_or(0.0)).collect();
        if let Some(w) = weights_from(&v) {
            // Without a lead prior its decay does not matter: try it once.
            if w.position != 0.0 || at[4] == 0 {
                let (obj, per) = objective(&w);
                tried += 1;
                let sets_r1: Vec<String> = per.iter().map(|p| format!("{:.2}", p.0 * 100.0)).collect();
                eprintln!("{:?} {obj:.4} {}", v, sets_r1.join(" "));
                // Strictly better only: the first (simplest) of equals wins.
                if obj > best.0 + 1e-9 {
                    best = (obj, w, per);
                }
            }
        }
        let mut d = at.len();
        loop {
            if d == 0 {
                break 'grid;
            }
            d -= 1;
            at[d] += 1;
            if at[d] < grids[d].len() {
                break;
            }
            at[d] = 0;
        }
    }
    let (obj, w, per) = best;
    let mut report = String::new();
    let _ = writeln!(report, "tried {tried} weightings; best objective (mean ROUGE-1 F1) {obj:.4}");
    for ((name, _), (r1, r2)) in sets.iter().zip(&per) {
        let _ = writeln!(report, "  {name}: R1 {:.2} R2 {:.2}", r1 * 100.0, r2 * 100.0);
    }
    let _ = writeln!(
        report,
        "pub const WEIGHTS: Weights = Weights {{ textrank: {:?}, lexrank: {:?}, forward: {:?}, position: {:?}, lead_decay: {:?}, paragraph: {:?}, title: {:?}, backward: {:?}, length: {:?}, lead: {:?} }};",
        w.textrank, w.lexrank, w.forward, w.position, w.lead_decay, w.paragraph, w.title, w.backward, w.length, w.lead
    );
    print!("{report}");
    Ok(())
}
