//! Compiles the `.proto` contracts with protox (pure Rust), so no system `protoc` is needed.

use std::path::PathBuf;

use prost::Message;

const PROTO_FILES: [&str; 3] = [
    "kensho/catalog/v1/catalog.proto",
    "kensho/auth/v1/auth.proto",
    "kensho/stream/v1/stream.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let file_descriptors = protox::compile(PROTO_FILES, ["."])?;
    // Reflection serves this set; compile_fds does not write it when given descriptors.
    std::fs::write(
        out_dir.join("kensho_descriptor.bin"),
        file_descriptors.encode_to_vec(),
    )?;
    tonic_prost_build::configure().compile_fds(file_descriptors)?;
    for proto in PROTO_FILES {
        println!("cargo:rerun-if-changed={proto}");
    }
    Ok(())
}
