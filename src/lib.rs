//! precis: extractive summaries and topic tags for news articles, served
//! over gRPC.
//!
//! # Layout
//! - [`domain`]: the text pipeline (clean → segment → tokenize → summarise /
//!   tag). Pure: no tonic, prost, tokio or tower types.
//! - [`grpc`]: the thin adapter: generated types, conversions, the one
//!   error-to-status mapping, the service implementation.
//! - [`server`]: builds the middleware stack and serves on a given listener
//!   until a shutdown future resolves.
//! - [`config`]: layered, validated configuration.
//! - [`auth`]: optional bearer-token authentication.
//! - [`tls`]: optional TLS (and mTLS) on the gRPC port, reloaded in place.
//! - [`metrics`]: Prometheus metrics and their HTTP endpoint.
//! - [`cli`]: the command line (serve, summarize, tag, analyze, …).
//! - [`loadgen`]: a gRPC load generator for capacity and latency figures.
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod grpc;
pub mod loadgen;
pub mod metrics;
pub mod reload;
pub mod server;
pub mod telemetry;
pub mod tls;
pub mod watch;
