//! Runs `precis train` before the command line exists.
use clap::Parser;
pub use precis::domain;
#[path = "../src/cli/train.rs"]
mod train;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: train::TrainArgs,
}

fn main() -> anyhow::Result<()> {
    train::run(&Cli::parse().args)
}
