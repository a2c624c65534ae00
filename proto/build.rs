//! Compiles the `.proto` contracts with protox (pure Rust), so no system `protoc` is needed.

use std::path::PathBuf;

use prost::Message;

const PROTO_FILES: [&str; 3] = [
    "kensho/catalog/v1/catalog.proto",
    "kensho/auth/v1/auth.proto",
    "kensho/stream/v1/stream.proto",
];

/// Messages carrying passwords, tokens or per-user URLs: their `Debug` is written by hand in
/// `src/redacted.rs` and shows no field, so no log line or panic message can print one.
const REDACTED_MESSAGES: [&str; 10] = [
    ".kensho.auth.v1.LoginRequest",
    ".kensho.auth.v1.RefreshRequest",
    ".kensho.auth.v1.LogoutRequest",
    ".kensho.auth.v1.TokenResponse",
    ".kensho.auth.v1.IntrospectRequest",
    ".kensho.auth.v1.GetUpstreamTokenRequest",
    ".kensho.auth.v1.GetUpstreamTokenResponse",
    ".kensho.stream.v1.GetStreamRequest",
    ".kensho.stream.v1.GetStreamResponse",
    ".kensho.stream.v1.ReleaseStreamRequest",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let file_descriptors = protox::compile(PROTO_FILES, ["."])?;
    // Reflection serves this set; compile_fds does not write it when given descriptors.
    std::fs::write(
        out_dir.join("kensho_descriptor.bin"),
        file_descriptors.encode_to_vec(),
    )?;
    tonic_prost_build::configure()
        .skip_debug(REDACTED_MESSAGES)
        .compile_fds(file_descriptors)?;
    for proto in PROTO_FILES {
        println!("cargo:rerun-if-changed={proto}");
    }
    Ok(())
}
