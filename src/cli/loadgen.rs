//! `precis loadgen`: drives a running server with articles from a JSONL
//! file and prints a JSON report (see [`crate::loadgen`]).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::config::parse_duration;
use crate::loadgen::{self, articles, LoadConfig, Rpc};

/// Flags of `precis loadgen`.
#[derive(Debug, Clone, Args)]
pub struct LoadgenArgs {
    /// Server address, HOST:PORT.
    #[arg(long, default_value = "127.0.0.1:50051")]
    pub addr: String,
    /// JSONL file of `{"id","title","text"}` articles to replay, round-robin.
    #[arg(long, required_unless_present = "wait_ready")]
    pub data: Option<PathBuf>,
    /// Use only the first N articles of the file.
    #[arg(long)]
    pub limit: Option<usize>,
    /// The call to make.
    #[arg(long, value_enum, default_value_t = Rpc::Analyze)]
    pub rpc: Rpc,
    /// Requests in flight at most (stream mode: per stream).
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// HTTP/2 connections.
    #[arg(long, default_value_t = 1)]
    pub connections: usize,
    /// Streams open at once (stream mode).
    #[arg(long, default_value_t = 1)]
    pub streams: usize,
    /// Open loop at this many requests per second (latency from the due
    /// time); without it, closed loop.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Measured time (e.g. 10s, 2m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: std::time::Duration,
    /// Load sent before measuring.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub warmup: std::time::Duration,
    /// Deadline of each call.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// Compress requests with gzip and accept gzip answers.
    #[arg(long)]
    pub gzip: bool,
    /// Only wait until the server's health check says SERVING, print how
    /// long that took as JSON, and exit (for start-up measurements).
    #[arg(long)]
    pub wait_ready: bool,
    /// Only write the first article's `AnalyzeRequest` as a length-prefixed
    /// gRPC message to this file (a request body for HTTP/2 load tools) and
    /// exit.
    #[arg(long)]
    pub write_frame: Option<PathBuf>,
    /// TLS to the server (see [`crate::tls::ClientTlsArgs`]).
    #[command(flatten)]
    pub tls: crate::tls::ClientTlsArgs,
}

/// Runs `precis loadgen`.
///
/// # Errors
/// Unreadable data, invalid settings, an unreachable server.
pub fn run(args: &LoadgenArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_name("loadgen")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let tls = args.tls.client_config()?;
    if args.wait_ready {
        let waited = runtime.block_on(loadgen::wait_ready_tls(&args.addr, "", args.timeout, tls.as_ref()))?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let out = serde_json::json!({
            "serving": true,
            "waited_ms": waited.as_secs_f64() * 1000.0,
            "ready_unix_ns": now.as_nanos().to_string(),
        });
        println!("{out}");
        return Ok(());
    }
    let data = args.data.as_ref().context("--data is required")?;
    let articles = articles::read_jsonl(data, args.limit)?;
    if let Some(path) = &args.write_frame {
        let first = articles.first().context("no articles")?;
        std::fs::write(path, loadgen::grpc_frame(&loadgen::analyze_request(first)))
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(());
    }
    let config = LoadConfig {
        addr: args.addr.clone(),
        articles: Arc::new(articles),
        rpc: args.rpc,
        concurrency: args.concurrency,
        connections: args.connections,
        streams: args.streams,
        rate: args.rate,
        duration: args.duration,
        warmup: args.warmup,
        timeout: args.timeout,
        gzip: args.gzip,
        tls,
    };
    let report = runtime.block_on(loadgen::run(&config))?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
