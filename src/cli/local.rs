//! Local commands: run the pipeline on a file or standard input, no server.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};

use crate::domain::document::Document;
use crate::domain::{Article, Format, Order, Pipeline, Summary, SummaryOptions, TagOptions, Tags};

/// Which parts of the analysis a local command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// Summary only.
    Summary,
    /// Topics and keyphrases only.
    Tags,
    /// Both.
    Both,
}

/// Sentence order on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// As in the article.
    Document,
    /// Best first.
    Score,
}

/// Options of `summarize`, `tag` and `analyze` (the API's options as flags).
#[derive(Debug, Clone, Args)]
pub struct LocalArgs {
    /// The article file, or `-` for standard input.
    pub input: PathBuf,
    /// Input is JSONL: one `{"id","title","text"}` object per line; prints one result per line.
    #[arg(long)]
    pub jsonl: bool,
    /// The input is an HTML page.
    #[arg(long)]
    pub html: bool,
    /// The file's first line is the article's title.
    #[arg(long)]
    pub title_line: bool,
    /// The article's title.
    #[arg(long)]
    pub title: Option<String>,
    /// BCP-47 language (default: detect).
    #[arg(long)]
    pub language: Option<String>,
    /// Summary sentences (default 3).
    #[arg(long)]
    pub sentences: Option<usize>,
    /// Fraction of the sentences to keep, in (0, 1].
    #[arg(long)]
    pub ratio: Option<f64>,
    /// Maximum characters in the summary.
    #[arg(long)]
    pub max_chars: Option<usize>,
    /// Maximum words in the summary.
    #[arg(long)]
    pub max_words: Option<usize>,
    /// Sentence order.
    #[arg(long, value_enum, default_value_t = OrderArg::Document)]
    pub order: OrderArg,
    /// Print every sentence with its score and rank.
    #[arg(long)]
    pub all_sentences: bool,
    /// Turn off the faithfulness guard.
    #[arg(long)]
    pub no_guard: bool,
    /// Taxonomy to tag with (repeatable; default: the default taxonomy).
    #[arg(long = "taxonomy")]
    pub taxonomies: Vec<String>,
    /// Topics per taxonomy (default 3).
    #[arg(long)]
    pub max_topics: Option<usize>,
    /// Minimum topic probability (default 0.3).
    #[arg(long)]
    pub min_score: Option<f32>,
    /// Keyphrases (default 10).
    #[arg(long)]
    pub keyphrases: Option<usize>,
    /// Include where each keyphrase occurs and the removed clutter spans.
    #[arg(long)]
    pub spans: bool,
    /// Include the analysed text.
    #[arg(long)]
    pub return_text: bool,
    /// Pretty-print JSON (single article only).
    #[arg(long)]
    pub pretty: bool,
}

impl LocalArgs {
    fn summary_options(&self) -> SummaryOptions {
        SummaryOptions {
            max_sentences: self.sentences,
            ratio: self.ratio,
            max_chars: self.max_chars,
            max_words: self.max_words,
            order: match self.order {
                OrderArg::Document => Order::Document,
                OrderArg::Score => Order::Score,
            },
            all_sentences: self.all_sentences,
            context_guard: !self.no_guard,
        }
    }

    fn tag_options(&self) -> TagOptions {
        let d = TagOptions::default();
        TagOptions {
            taxonomies: self.taxonomies.clone(),
            max_topics: self.max_topics.unwrap_or(d.max_topics),
            min_score: self.min_score.unwrap_or(d.min_score),
            max_keyphrases: self.keyphrases.unwrap_or(d.max_keyphrases),
        }
    }
}

/// One JSONL input row.
#[derive(Debug, Deserialize)]
struct Row<'a> {
    #[serde(default, borrow)]
    id: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    title: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    text: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    html: Option<std::borrow::Cow<'a, str>>,
}

/// Runs a local command.
///
/// # Errors
/// Unreadable input, malformed JSONL, or an article the pipeline refuses.
pub fn run(pipeline: &Pipeline, args: &LocalArgs, what: What) -> anyhow::Result<()> {
    let sopts = args.summary_options();
    let topts = args.tag_options();
    pipeline.check_summary_options(&sopts)?;
    pipeline.check_tag_options(&topts)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if args.jsonl {
        let mut reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
            Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()))
        } else {
            Box::new(std::io::BufReader::with_capacity(
                1 << 16,
                std::fs::File::open(&args.input).with_context(|| format!("cannot open {}", args.input.display()))?,
            ))
        };
        let start = Instant::now();
        let mut n = 0usize;
        let mut line = String::new();
        let mut lineno = 0usize;
        loop {
            line.clear();
            lineno += 1;
            let read = reader.read_line(&mut line).with_context(|| format!("cannot read line {lineno}"))?;
            if read == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let row: Row<'_> =
                serde_json::from_str(&line).with_context(|| format!("line {lineno}: not a JSON article"))?;
            let (body, format) = match &row.html {
                Some(h) if args.html || row.text.is_empty() => (h.as_ref(), Format::Html),
                _ => (row.text.as_ref(), if args.html { Format::Html } else { Format::Text }),
            };
            let article = Article { title: &row.title, body, format, language: args.language.as_deref() };
            match analyse(pipeline, &article, &sopts, &topts, args, what, Some(&row.id), Style::Line, &mut out) {
                Ok(written) => written?,
                Err(e) => serde_json::to_writer(&mut out, &ErrorRow { error: e.to_string(), id: &row.id })?,
            }
            out.write_all(b"\n")?;
            n += 1;
        }
        out.flush()?;
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{n} articles in {secs:.3} s: {:.0} articles/s", n as f64 / secs.max(1e-9));
        return Ok(());
    }
    let mut raw = String::new();
    if args.input.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut raw).context("cannot read standard input")?;
    } else {
        raw = std::fs::read_to_string(&args.input).with_context(|| format!("cannot read {}", args.input.display()))?;
    }
    let (title, body) = if args.title_line {
        match raw.split_once('\n') {
            Some((t, rest)) => (t.trim().to_string(), rest),
            None => (raw.trim().to_string(), ""),
        }
    } else {
        (args.title.clone().unwrap_or_default(), raw.as_str())
    };
    let article = Article {
        title: &title,
        body,
        format: if args.html { Format::Html } else { Format::Text },
        language: args.language.as_deref(),
    };
    let style =
        if args.pretty || std::io::IsTerminal::is_terminal(&std::io::stdout()) { Style::Pretty } else { Style::Line };
    analyse(pipeline, &article, &sopts, &topts, args, what, None, style, &mut out)??;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// How a result is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// One line (JSONL).
    Line,
    /// Indented.
    Pretty,
}

/// The row written for an article the pipeline refused.
#[derive(Serialize)]
struct ErrorRow<'a> {
    error: String,
    id: &'a str,
}

/// One result. Serialised straight from the document's borrowed text (no
/// intermediate JSON tree); fields are in alphabetical order, as they have
/// always been printed.
#[derive(Serialize)]
struct Output<'a> {
    cleaning: Cleaning,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyphrases: Option<Vec<KeyphraseOut<'a>>>,
    language: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<SummaryOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topics: Option<Vec<TopicOut<'a>>>,
}

#[derive(Serialize)]
struct Cleaning {
    removed: Vec<RemovedOut>,
    removed_blocks: usize,
}

#[derive(Serialize)]
struct RemovedOut {
    byte_end: usize,
    byte_start: usize,
    kind: &'static str,
}

/// The summary (the API's field names).
#[derive(Serialize)]
struct SummaryOut<'a> {
    sentences: Vec<SentenceOut<'a>>,
    text: String,
    total_sentences: usize,
}

#[derive(Serialize)]
struct SentenceOut<'a> {
    byte_end: usize,
    byte_start: usize,
    index: usize,
    rank: usize,
    /// Printed as the `f64` of the `f32` score, as before.
    score: f64,
    text: &'a str,
}

#[derive(Serialize)]
struct KeyphraseOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    occurrences: Option<Vec<OccurrenceOut<'a>>>,
    score: f64,
    text: &'a str,
}

#[derive(Serialize)]
struct OccurrenceOut<'a> {
    byte_end: usize,
    byte_start: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct TopicOut<'a> {
    label: &'a str,
    score: f64,
    taxonomy: &'a str,
}

/// Analyses one article and writes its result (without a line break). The
/// outer error is the pipeline refusing the article (nothing is written);
/// the inner one, a failed write.
#[allow(clippy::too_many_arguments)]
fn analyse(
    pipeline: &Pipeline,
    article: &Article<'_>,
    sopts: &SummaryOptions,
    topts: &TagOptions,
    args: &LocalArgs,
    what: What,
    id: Option<&str>,
    style: Style,
    out: &mut impl Write,
) -> anyhow::Result<serde_json::Result<()>> {
    let doc = pipeline.prepare(article)?;
    let summary = if what != What::Tags { Some(pipeline.summarize(&doc, sopts)?) } else { None };
    let tags = if what != What::Summary { Some(pipeline.tag(&doc, topts)?) } else { None };
    let text = doc.text.as_ref();
    let removed = if args.spans {
        doc.removed
            .iter()
            .map(|r| RemovedOut { byte_end: r.span.end, byte_start: r.span.start, kind: r.kind.as_str() })
            .collect()
    } else {
        Vec::new()
    };
    let value = Output {
        cleaning: Cleaning { removed, removed_blocks: doc.removed.len() },
        id,
        keyphrases: tags.as_ref().map(|t| keyphrases_out(text, t, args.spans)),
        language: doc.lang.code(),
        summary: summary.as_ref().map(|s| summary_out(&doc, s)),
        text: args.return_text.then_some(text),
        title: doc.title.as_deref(),
        topics: tags.as_ref().map(|t| {
            t.topics
                .iter()
                .map(|t| TopicOut { label: &t.label, score: f64::from(t.score), taxonomy: &t.taxonomy })
                .collect()
        }),
    };
    Ok(match style {
        Style::Line => serde_json::to_writer(out, &value),
        Style::Pretty => serde_json::to_writer_pretty(out, &value),
    })
}

fn summary_out<'a>(doc: &'a Document<'_>, s: &Summary) -> SummaryOut<'a> {
    let text = doc.text.as_ref();
    let mut joined = String::with_capacity(s.sentences.iter().map(|x| x.span.len() + 1).sum());
    let sentences = s
        .sentences
        .iter()
        .enumerate()
        .map(|(k, x)| {
            let t = x.span.slice(text);
            if k > 0 {
                joined.push(' ');
            }
            joined.push_str(t);
            SentenceOut {
                byte_end: x.span.end,
                byte_start: x.span.start,
                index: x.index,
                rank: x.rank,
                score: f64::from(x.score),
                text: t,
            }
        })
        .collect();
    SummaryOut { sentences, text: joined, total_sentences: s.total_sentences }
}

fn keyphrases_out<'a>(text: &'a str, t: &'a Tags, spans: bool) -> Vec<KeyphraseOut<'a>> {
    t.keyphrases
        .iter()
        .map(|k| KeyphraseOut {
            occurrences: spans.then(|| {
                k.occurrences
                    .iter()
                    .map(|s| OccurrenceOut { byte_end: s.end, byte_start: s.start, text: s.slice(text) })
                    .collect()
            }),
            score: f64::from(k.score),
            text: &k.text,
        })
        .collect()
}
