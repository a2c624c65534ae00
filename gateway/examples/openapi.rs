//! Prints the gateway's OpenAPI document (pretty JSON): `cargo xtask openapi` writes it to
//! `docs/openapi/kensho-v1.json`.

fn main() -> Result<(), serde_json::Error> {
    let document = kensho_gateway::openapi_document().to_pretty_json()?;
    println!("{document}");
    Ok(())
}
