//! The command line: `precis serve` and local commands that run the same
//! pipeline on files, printing JSON.

pub mod eval_segment;
pub mod eval_summarize;
pub mod local;

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
    Serve(ServeArgs),
    /// Summarise an article (or a JSONL file of articles) and print JSON.
    Summarize(local::LocalArgs),
    /// Tag an article with topics and keyphrases and print JSON.
    Tag(local::LocalArgs),
    /// Summarise and tag an article in one pass and print JSON.
    Analyze(local::LocalArgs),
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
    /// Summarise JSONL articles into a hypotheses file for the ROUGE scorer
    /// (or, with --fit, fit the summariser's weights); print speed.
    Summarize(eval_summarize::EvalSummarizeArgs),
}
