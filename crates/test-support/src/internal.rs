//! Internal credentials as tests use them: fixed settings for a service started alone, and
//! channels that present a credential the way every Kensho process does (through
//! `kensho_kit::grpc::channel`), so no test adds headers by hand.

use std::net::SocketAddr;

use kensho_kit::grpc::{ClientSettings, Credential, GrpcChannel, InternalSettings, channel};

/// The internal credential of services a test starts alone.
pub const TEST_CREDENTIAL: &str = "test-internal-credential";
/// The admin credential of services a test starts alone.
pub const TEST_ADMIN_CREDENTIAL: &str = "test-admin-credential-0";
/// The gateway credential of services a test starts alone.
pub const TEST_GATEWAY_CREDENTIAL: &str = "test-gateway-credential";

/// A credential from a literal.
///
/// # Panics
/// When `value` is not a valid credential.
pub fn credential(value: &str) -> Credential {
    Credential::parse(value.to_owned()).expect("a valid test credential")
}

/// `[internal]` of a service a test starts alone: the test credentials, reflection on.
pub fn test_internal_settings() -> InternalSettings {
    InternalSettings {
        credential: Some(credential(TEST_CREDENTIAL)),
        admin_credential: Some(credential(TEST_ADMIN_CREDENTIAL)),
        gateway_credential: Some(credential(TEST_GATEWAY_CREDENTIAL)),
        tls: None,
        reflection: true,
    }
}

/// A lazily connected channel to the service at `address` whose calls present `credential`.
///
/// # Panics
/// When `address` does not make a valid URL (it always does).
pub fn grpc_channel(address: SocketAddr, credential: Option<&Credential>) -> GrpcChannel {
    channel(
        &format!("http://{address}"),
        &ClientSettings::default(),
        credential,
        None,
    )
    .expect("a valid URL")
}
