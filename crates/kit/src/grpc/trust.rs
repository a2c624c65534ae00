//! Trust between Kensho processes: the `[internal]` section every process shares. Each internal
//! call carries `authorization: Bearer <internal.credential>` (added by the outgoing layer), each
//! server requires it (the [`authenticate`](super::authenticate) layer), and admin services
//! require `internal.admin_credential` instead. The gateway presents `internal.gateway_credential`
//! when one is set, which services accept like the ordinary one and which marks the call as the
//! gateway's (only the gateway may vouch for a client's address). With `internal.tls`, calls also
//! travel over mutual TLS (see [`tls`](super::tls)). A server with neither a credential nor TLS
//! runs open, which [`InternalSettings::check_exposure`] allows on loopback only.

use std::fmt;
use std::net::SocketAddr;

use http::HeaderValue;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;

use super::tls::TlsSettings;
use crate::Secret;

/// Random bytes in a generated credential.
const GENERATED_CREDENTIAL_BYTES: usize = 32;

/// The `[internal]` section: how Kensho processes authenticate each other's calls.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InternalSettings {
    /// The bearer every internal call carries and every service requires; unset, a service runs
    /// open (allowed on loopback only).
    pub credential: Option<Credential>,
    /// The bearer admin services (the catalog sync) require instead of `credential`; unset, they
    /// are open when `credential` is unset too and refuse every call otherwise.
    pub admin_credential: Option<Credential>,
    /// The bearer the gateway presents instead of `credential`; services accept it for every
    /// ordinary call and honour the client address of a login only from a call carrying it.
    /// Unset, the ordinary credential stands for the gateway too.
    pub gateway_credential: Option<Credential>,
    /// Mutual TLS for every internal call (certificate, key and CA files); unset, calls travel
    /// in plaintext.
    pub tls: Option<TlsSettings>,
    /// Serve gRPC reflection (for grpcurl and similar tools); off by default, on in the all-in-one.
    pub reflection: bool,
}

impl InternalSettings {
    /// These settings with a random credential and admin credential wherever none is configured:
    /// what the all-in-one gives its members for one launch.
    ///
    /// # Errors
    /// When the system has no randomness to offer.
    pub fn with_generated_credentials(mut self) -> Result<Self, getrandom::Error> {
        if self.credential.is_none() {
            self.credential = Some(Credential::generate()?);
        }
        if self.admin_credential.is_none() {
            self.admin_credential = Some(Credential::generate()?);
        }
        if self.gateway_credential.is_none() {
            self.gateway_credential = Some(Credential::generate()?);
        }
        Ok(self)
    }

    /// Whether a server at `address` may run with these settings: without a credential it may
    /// listen on loopback only, where it warns that it runs open.
    ///
    /// # Errors
    /// When `address` is reachable from other hosts and neither a credential nor TLS is configured.
    pub fn check_exposure(&self, address: SocketAddr) -> Result<(), ExposedWithoutCredential> {
        if self.credential.is_some() || self.tls.is_some() {
            return Ok(());
        }
        if !address.ip().is_loopback() {
            return Err(ExposedWithoutCredential { address });
        }
        tracing::warn!(
            %address,
            "no internal.credential configured: internal calls are not authenticated (allowed on loopback only)"
        );
        Ok(())
    }
}

/// A server that would accept unauthenticated calls from other hosts.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to serve on {address} without internal.credential: set internal.credential \
     (KENSHO_INTERNAL__CREDENTIAL), configure internal.tls or bind a loopback address"
)]
pub struct ExposedWithoutCredential {
    /// Where the server was to listen.
    pub address: SocketAddr,
}

/// A bearer credential of internal calls: at least [`Credential::MIN_LENGTH`] visible ASCII
/// characters, redacted wherever it is printed, compared in constant time.
#[derive(Clone)]
pub struct Credential(Secret<String>);

/// A configured credential that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum InvalidCredential {
    /// Too short to resist guessing.
    #[error(
        "an internal credential needs at least {} characters",
        Credential::MIN_LENGTH
    )]
    TooShort,
    /// Not representable in an HTTP header.
    #[error("an internal credential may hold visible ASCII characters only")]
    NotVisibleAscii,
}

impl Credential {
    /// The shortest credential accepted.
    pub const MIN_LENGTH: usize = 16;

    /// A configured credential, checked.
    ///
    /// # Errors
    /// When it is too short or holds characters a header cannot carry.
    pub fn parse(value: String) -> Result<Self, InvalidCredential> {
        if value.len() < Self::MIN_LENGTH {
            return Err(InvalidCredential::TooShort);
        }
        if !value.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(InvalidCredential::NotVisibleAscii);
        }
        Ok(Credential(Secret::new(value)))
    }

    /// A random credential of 32 bytes, hex-encoded.
    ///
    /// # Errors
    /// When the system has no randomness to offer.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0_u8; GENERATED_CREDENTIAL_BYTES];
        getrandom::getrandom(&mut bytes)?;
        let encoded = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(Credential(Secret::new(encoded)))
    }

    /// Whether `presented` is this credential, in time that does not depend on where they differ.
    pub fn matches(&self, presented: &[u8]) -> bool {
        self.0.expose().as_bytes().ct_eq(presented).into()
    }

    /// `Bearer <credential>`, marked sensitive so HTTP/2 never indexes it and `Debug` hides it.
    pub fn authorization_value(&self) -> HeaderValue {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.0.expose()))
            .expect("a parsed credential is visible ASCII");
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, formatter)
    }
}

impl<'de> Deserialize<'de> for Credential {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Credential::parse(value).map_err(serde::de::Error::custom)
    }
}

/// Serialises the real value, as [`Secret`] does, for configuration defaults.
impl Serialize for Credential {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[cfg(test)]
// figment's extraction returns figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    fn credential(value: &str) -> Credential {
        Credential::parse(value.to_owned()).expect("a valid credential")
    }

    #[test]
    fn a_credential_matches_itself_only() {
        let configured = credential("0123456789abcdef");

        assert!(configured.matches(b"0123456789abcdef"));
        assert!(!configured.matches(b"0123456789abcdeF"));
        assert!(!configured.matches(b"0123456789abcdef0"));
        assert!(!configured.matches(b""));
    }

    #[test]
    fn short_or_unprintable_credentials_are_refused() {
        assert!(matches!(
            Credential::parse("short".to_owned()),
            Err(InvalidCredential::TooShort)
        ));
        assert!(matches!(
            Credential::parse("0123456789 abcdef".to_owned()),
            Err(InvalidCredential::NotVisibleAscii)
        ));
    }

    #[test]
    fn generated_credentials_are_long_and_distinct() {
        let first = Credential::generate().expect("randomness");
        let second = Credential::generate().expect("randomness");

        assert_eq!(first.0.expose().len(), 2 * GENERATED_CREDENTIAL_BYTES);
        assert!(!first.matches(second.0.expose().as_bytes()));
    }

    #[test]
    fn a_credential_never_prints() {
        let configured = credential("0123456789abcdef");

        assert_eq!(format!("{configured:?}"), "[redacted]");
        assert!(!format!("{:?}", configured.authorization_value()).contains("0123"));
    }

    #[test]
    fn a_configured_credential_is_checked_as_it_is_read() {
        use figment::Figment;
        use figment::providers::{Format, Toml};
        let read = |text: &str| Figment::from(Toml::string(text)).extract::<InternalSettings>();

        let valid = read("credential = \"0123456789abcdef\"\nreflection = true").expect("valid");
        let short = read("credential = \"short\"").expect_err("too short");

        assert!(
            valid
                .credential
                .is_some_and(|value| value.matches(b"0123456789abcdef"))
        );
        assert!(valid.reflection);
        assert!(short.to_string().contains("16 characters"), "{short}");
    }

    #[test]
    fn without_a_credential_only_loopback_may_serve() {
        let open = InternalSettings::default();
        let closed = InternalSettings {
            credential: Some(credential("0123456789abcdef")),
            ..InternalSettings::default()
        };
        let loopback: SocketAddr = "127.0.0.1:50051".parse().unwrap();
        let everywhere: SocketAddr = "0.0.0.0:50051".parse().unwrap();

        assert!(open.check_exposure(loopback).is_ok());
        let refused = open.check_exposure(everywhere).expect_err("refused");
        assert!(
            refused.to_string().contains("internal.credential"),
            "{refused}"
        );
        assert!(closed.check_exposure(everywhere).is_ok());
    }

    #[test]
    fn tls_files_are_read_from_the_internal_section_and_allow_serving_beyond_loopback() {
        use figment::Figment;
        use figment::providers::{Format, Toml};
        let text = "[tls]\ncert_file = \"/run/tls/tls.crt\"\nkey_file = \"/run/tls/tls.key\"\n\
                    ca_file = \"/run/tls/ca.crt\"";

        let settings = Figment::from(Toml::string(text))
            .extract::<InternalSettings>()
            .expect("valid");
        let everywhere: SocketAddr = "0.0.0.0:50051".parse().unwrap();

        let tls = settings.tls.as_ref().expect("tls is configured");
        assert_eq!(tls.ca_file, std::path::Path::new("/run/tls/ca.crt"));
        assert_eq!(tls.reload_interval_ms, 10_000);
        assert!(settings.check_exposure(everywhere).is_ok());
    }
}
