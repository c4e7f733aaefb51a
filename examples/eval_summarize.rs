//! Drives `precis eval summarize` until the CLI wires it in.
#[path = "../src/cli/eval_summarize.rs"]
mod eval_summarize;

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: eval_summarize::EvalSummarizeArgs,
}

fn main() -> anyhow::Result<()> {
    eval_summarize::run(&Cli::parse().args)
}
