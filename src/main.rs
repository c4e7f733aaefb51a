//! The `precis` binary: a thin shell over the library. Parses the command
//! line, sets up logging, runs the command, maps failure to an exit code.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

use precis::cli::{loadgen, local, Cli, Command, EvalCommand};
use precis::config::{ServeArgs, ServeConfig};
use precis::domain::taxonomy::Taxonomies;
use precis::domain::{Limits, Pipeline};

/// Exit code for bad configuration (sysexits EX_CONFIG).
const EX_CONFIG: u8 = 78;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("precis: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The pipeline for local commands: a generous body limit, and the built-in
/// taxonomies when the command tags (`summarize` skips loading them: faster
/// start, less memory).
fn local_pipeline(with_models: bool) -> anyhow::Result<Pipeline> {
    let taxonomies = if with_models {
        Taxonomies::new(precis::reload::load(&[]).context("cannot load the built-in taxonomies")?)
    } else {
        Taxonomies::default()
    };
    Ok(Pipeline::new(Limits { max_body_bytes: 64 << 20, ..Limits::default() }, Arc::new(taxonomies)))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Summarize(a) => {
            local::run(&local_pipeline(false)?, &a, local::What::Summary).map(|_| ExitCode::SUCCESS)
        }
        Command::Tag(a) => local::run(&local_pipeline(true)?, &a, local::What::Tags).map(|_| ExitCode::SUCCESS),
        Command::Analyze(a) => local::run(&local_pipeline(true)?, &a, local::What::Both).map(|_| ExitCode::SUCCESS),
        Command::Train(a) => precis::cli::train::run(&a).map(|_| ExitCode::SUCCESS),
        Command::Loadgen(a) => loadgen::run(&a).map(|_| ExitCode::SUCCESS),
        Command::Eval(EvalCommand::Extract { data, out }) => {
            precis::cli::eval_extract::run(&data, &out).map(|_| ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Segment { data }) => {
            precis::cli::eval_segment::run(&local_pipeline(false)?, &data).map(|_| ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Keyphrases { data, out, top }) => {
            precis::cli::eval_keyphrases::run(&data, &out, top).map(|_| ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Summarize(args)) => {
            precis::cli::eval_summarize::run(&local_pipeline(false)?, &args).map(|_| ExitCode::SUCCESS)
        }
    }
}

fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let config = match ServeConfig::resolve(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("precis: configuration error: {e}");
            return Ok(ExitCode::from(EX_CONFIG));
        }
    };
    // One worker thread: tokio's single-threaded scheduler. Tasks run in the
    // order they were woken (no LIFO slot), so the responses of calls
    // finished in one pass go out in one write, and there is no second
    // thread (the multi-threaded runtime's `block_on` thread) to wake.
    let mut builder = if config.worker_threads == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(config.worker_threads);
        b
    };
    let runtime = builder
        .max_blocking_threads(config.cpu_threads.max(1) + 4)
        .thread_name("precis-worker")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let telemetry =
        match precis::telemetry::init_with_otlp(config.log_format, config.otlp_endpoint.as_deref(), runtime.handle()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("precis: configuration error: {e}");
                return Ok(ExitCode::from(EX_CONFIG));
            }
        };
    let result = runtime.block_on(async {
        let limits = Limits { max_body_bytes: config.max_body_bytes, ..Limits::default() };
        let set = precis::reload::load(&config.taxonomies).context("cannot load the taxonomies")?;
        tracing::info!(taxonomies = ?set.models.keys().collect::<Vec<_>>(), "models loaded");
        let taxonomies = Arc::new(Taxonomies::new(set));
        let watcher = tokio::spawn(precis::reload::watch(taxonomies.clone(), config.taxonomies.clone()));
        let pipeline = Arc::new(Pipeline::new(limits, taxonomies));
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        if let Some(addr) = config.metrics_addr {
            let handle = precis::metrics::install()?;
            let metrics_listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for metrics"))?;
            tracing::info!(%addr, "serving metrics at /metrics");
            tokio::spawn(precis::metrics::serve(metrics_listener, handle));
        }
        precis::server::serve(listener, &config, pipeline, shutdown_signal(), None).await?;
        watcher.abort();
        Ok(ExitCode::SUCCESS)
    });
    // Spans still queued go out before exit. The exporter sends on the
    // runtime, which a single-threaded runtime only drives inside `block_on`:
    // flush from a blocking thread while the runtime runs.
    if runtime.block_on(runtime.spawn_blocking(move || telemetry.shutdown())).is_err() {
        eprintln!("precis: could not flush trace spans");
    }
    result
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT received"),
        _ = term => tracing::info!("SIGTERM received"),
    }
}
