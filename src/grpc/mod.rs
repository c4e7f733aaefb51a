//! gRPC adapter.
#[allow(missing_docs, clippy::all)]
pub mod pb {
    tonic::include_proto!("precis.v1");
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("precis_descriptor");
}
