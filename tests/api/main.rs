#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests: the real server on 127.0.0.1:0, called through the
//! generated tonic client. One test binary (see Cargo.toml `[[test]]`).

mod analyze;
mod auth;
mod errors;
mod health;
mod helpers;
mod hostile;
mod languages;
mod loadgen;
mod metrics;
mod otel;
mod stream;
mod summarize;
mod tag;
mod tls;
