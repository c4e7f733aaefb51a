//! Compiles `proto/` into Rust with no system `protoc`: `protox` parses the
//! files in pure Rust and hands a descriptor set to `tonic-prost-build`. The
//! descriptor set is also written to `OUT_DIR` so the server can offer gRPC
//! reflection.

use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let fds = protox::compile(["precis/v1/precis.proto"], ["proto"])?;
    let bytes = prost::Message::encode_to_vec(&fds);
    std::fs::write(out_dir.join("precis_descriptor.bin"), bytes)?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .extern_path(".google.rpc", "::tonic_types")
        .compile_fds(fds)?;
    Ok(())
}
