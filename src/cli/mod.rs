//! The command line: `precis serve` and local commands that run the same
//! pipeline on files, printing JSON.

pub mod eval_extract;
pub mod eval_keyphrases;
pub mod eval_segment;
pub mod eval_summarize;
pub mod jsonl;
pub mod loadgen;
pub mod local;
pub mod train;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::ServeArgs;

/// precis: extractive summaries and topic tags for news articles.
#[derive(Debug, Parser)]
#[command(name = "precis", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the gRPC API.
    Serve(Box<ServeArgs>),
    /// Summarise an article (or a JSONL file of articles) and print JSON.
    Summarize(local::LocalArgs),
    /// Tag an article with topics and keyphrases and print JSON.
    Tag(local::LocalArgs),
    /// Summarise and tag an article in one pass and print JSON.
    Analyze(local::LocalArgs),
    /// Train a topic model (taxonomy) from labelled JSON Lines.
    Train(train::TrainArgs),
    /// Send load to a running server and print throughput and latency as JSON.
    Loadgen(loadgen::LoadgenArgs),
    /// Evaluate a pipeline stage on a data set (writes files for the scorers).
    #[command(subcommand)]
    Eval(EvalCommand),
}

/// Evaluation commands.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Clean and split JSONL articles into sentences; print counts and speed.
    Segment {
        /// JSONL file with `text` fields.
        #[arg(long)]
        data: PathBuf,
    },
    /// Extract article text from JSONL pages (`html` fields); write
    /// `{"id","article_body"}` lines for `extraction_eval.py`; print speed.
    Extract {
        /// JSONL file with `id` and `html` fields.
        #[arg(long)]
        data: PathBuf,
        /// Output JSONL file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Extract keyphrases of JSONL articles; write `{"id","keyphrases"}` lines for the scorer.
    Keyphrases {
        /// JSONL file with `id` and `text` (first line = headline unless there is a `title`).
        #[arg(long)]
        data: PathBuf,
        /// Where to write the keyphrases (JSONL).
        #[arg(long)]
        out: PathBuf,
        /// Keyphrases per article.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Summarise JSONL articles into a hypotheses file for the ROUGE scorer
    /// (or, with --fit, fit the summariser's weights); print speed.
    Summarize(eval_summarize::EvalSummarizeArgs),
}
