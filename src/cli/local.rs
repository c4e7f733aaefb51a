//! Local commands: run the pipeline on a file or standard input, no server.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Deserialize;
use serde_json::{json, Value};

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
    let mut out = BufWriter::new(stdout.lock());
    if args.jsonl {
        let reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            Box::new(std::io::BufReader::new(
                std::fs::File::open(&args.input).with_context(|| format!("cannot open {}", args.input.display()))?,
            ))
        };
        let start = Instant::now();
        let mut n = 0usize;
        for (lineno, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("cannot read line {}", lineno + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let row: Row<'_> =
                serde_json::from_str(&line).with_context(|| format!("line {}: not a JSON article", lineno + 1))?;
            let (body, format) = match &row.html {
                Some(h) if args.html || row.text.is_empty() => (h.as_ref(), Format::Html),
                _ => (row.text.as_ref(), if args.html { Format::Html } else { Format::Text }),
            };
            let article = Article { title: &row.title, body, format, language: args.language.as_deref() };
            let value = match analyse(pipeline, &article, &sopts, &topts, args, what) {
                Ok(v) => with_id(v, &row.id),
                Err(e) => json!({ "id": row.id, "error": e.to_string() }),
            };
            serde_json::to_writer(&mut out, &value)?;
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
    let value = analyse(pipeline, &article, &sopts, &topts, args, what)?;
    if args.pretty || std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        serde_json::to_writer_pretty(&mut out, &value)?;
    } else {
        serde_json::to_writer(&mut out, &value)?;
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

fn with_id(mut v: Value, id: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("id".into(), Value::String(id.to_string()));
    }
    v
}

fn analyse(
    pipeline: &Pipeline,
    article: &Article<'_>,
    sopts: &SummaryOptions,
    topts: &TagOptions,
    args: &LocalArgs,
    what: What,
) -> anyhow::Result<Value> {
    let doc = pipeline.prepare(article)?;
    let mut m = serde_json::Map::new();
    m.insert("language".into(), json!(doc.lang.code()));
    if let Some(t) = &doc.title {
        m.insert("title".into(), json!(t));
    }
    if what != What::Tags {
        let s = pipeline.summarize(&doc, sopts)?;
        m.insert("summary".into(), summary_json(&doc, &s));
    }
    if what != What::Summary {
        let t = pipeline.tag(&doc, topts)?;
        tags_json(&mut m, &doc, &t, args.spans);
    }
    let removed: Vec<Value> = if args.spans {
        doc.removed
            .iter()
            .map(|r| json!({"byte_start": r.span.start, "byte_end": r.span.end, "kind": r.kind.as_str()}))
            .collect()
    } else {
        Vec::new()
    };
    m.insert("cleaning".into(), json!({"removed_blocks": doc.removed.len(), "removed": removed}));
    if args.return_text {
        m.insert("text".into(), json!(doc.text));
    }
    Ok(Value::Object(m))
}

/// The summary as JSON (the API's field names).
pub fn summary_json(doc: &Document<'_>, s: &Summary) -> Value {
    let text = doc.text.as_ref();
    let sentences: Vec<Value> = s
        .sentences
        .iter()
        .map(|x| {
            json!({
                "text": x.span.slice(text),
                "index": x.index,
                "score": x.score,
                "rank": x.rank,
                "byte_start": x.span.start,
                "byte_end": x.span.end,
            })
        })
        .collect();
    let joined = s.sentences.iter().map(|x| x.span.slice(text)).collect::<Vec<_>>().join(" ");
    json!({ "sentences": sentences, "text": joined, "total_sentences": s.total_sentences })
}

fn tags_json(m: &mut serde_json::Map<String, Value>, doc: &Document<'_>, t: &Tags, spans: bool) {
    let topics: Vec<Value> =
        t.topics.iter().map(|t| json!({"taxonomy": t.taxonomy, "label": t.label, "score": t.score})).collect();
    let text = doc.text.as_ref();
    let kps: Vec<Value> = t
        .keyphrases
        .iter()
        .map(|k| {
            let mut o = json!({"text": k.text, "score": k.score});
            if spans {
                let occ: Vec<Value> = k
                    .occurrences
                    .iter()
                    .map(|s| json!({"byte_start": s.start, "byte_end": s.end, "text": s.slice(text)}))
                    .collect();
                o["occurrences"] = Value::Array(occ);
            }
            o
        })
        .collect();
    m.insert("topics".into(), Value::Array(topics));
    m.insert("keyphrases".into(), Value::Array(kps));
}
