//! The gRPC adapter: the only place that names tonic and prost types.
//!
//! - [`pb`]: code generated from `proto/precis/v1/precis.proto`.
//! - [`convert`]: protobuf ⇄ domain.
//! - [`status`]: the one mapping from domain errors to `Status`.
//! - [`service`]: the `Precis` service.
//! - [`cpu`]: the bounded pool that runs analysis off the async workers.
//! - [`middleware`]: admission control and request tracing layers.

pub mod backlog;
pub mod convert;
pub mod cpu;
pub mod middleware;
pub mod service;
pub mod status;

/// Generated protobuf types, client and server for `precis.v1`.
#[allow(missing_docs, clippy::all, clippy::pedantic, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("precis.v1");

    /// Encoded descriptor set of the API, for server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("precis_descriptor");
}
