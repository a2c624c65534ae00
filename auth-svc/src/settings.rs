//! auth-svc configuration: the `[auth]` section and, for the standalone binary, the whole tree.
//! Every key has a default; `auth-svc/README.md` lists them.

use std::path::PathBuf;

use kensho_crunchyroll::CrunchyrollSettings;
use kensho_jwt::TokenSettings;
use kensho_kit::Secret;
use kensho_kit::admin::AdminSettings;
use kensho_kit::grpc::InternalSettings;
use kensho_kit::health::HealthSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

/// The `[auth]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// Address the gRPC server binds to.
    pub host: String,
    /// gRPC port; 0 picks a free port.
    pub port: u16,
    /// How long in-flight calls may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
    /// Dependency checks (interval, timeout) and the pre-stop delay of a shutdown.
    pub health: HealthSettings,
    /// The admin port (`/metrics`, `/health/*`); 9466 unless configured.
    pub admin: AdminSettings,
    /// Lifetime of Kensho access tokens (JWT `exp - iat`), in seconds.
    pub access_token_ttl_seconds: u64,
    /// A session unused for this long ends; every use slides it, in seconds.
    pub session_idle_timeout_seconds: u64,
    /// How many sessions ended here (logout, refresh-token reuse) each replica remembers for one
    /// access-token lifetime, so a session-store outage does not revive their tokens.
    pub ended_sessions_max_entries: u64,
    /// Keys that sign access tokens: the first signs, all verify. Empty generates one key at
    /// start, so tokens do not survive a restart.
    pub signing_keys: Vec<SigningKeySettings>,
    /// Keys that encrypt stored Crunchyroll tokens: the first encrypts, all decrypt. Empty
    /// generates one key at start, so stored Crunchyroll tokens do not survive a restart.
    pub encryption_keys: Vec<EncryptionKeySettings>,
    /// Where sessions live.
    pub store: StoreSettings,
    /// Login attempt limits.
    pub login_limits: LoginLimitSettings,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            host: "127.0.0.1".to_owned(),
            port: 50052,
            drain_timeout_ms: 10_000,
            health: HealthSettings::default(),
            admin: AdminSettings::default(),
            access_token_ttl_seconds: 900,
            session_idle_timeout_seconds: 900,
            ended_sessions_max_entries: 100_000,
            signing_keys: Vec::new(),
            encryption_keys: Vec::new(),
            store: StoreSettings::default(),
            login_limits: LoginLimitSettings::default(),
        }
    }
}

/// One access-token signing key.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningKeySettings {
    /// Key id, written to the JWT header and the JWKS.
    pub kid: String,
    /// Ed25519 private key, base64: PKCS#8 DER (48 bytes) or the raw 32-byte seed.
    pub private_key: Secret<String>,
}

/// One encryption key for Crunchyroll tokens at rest.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptionKeySettings {
    /// Key id, stored beside every ciphertext so the right key decrypts it.
    pub kid: String,
    /// ChaCha20-Poly1305 key: 32 bytes, base64.
    pub key: Secret<String>,
}

/// Which session store backs the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreBackend {
    /// An SQLite file under the data directory (all-in-one).
    Sqlite,
    /// Redis, shared by every replica (distributed).
    Redis,
}

/// The `[auth.store]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreSettings {
    /// `sqlite` or `redis`.
    pub backend: StoreBackend,
    /// SQLite file; relative paths are under the data directory.
    pub sqlite_file: PathBuf,
    /// Redis URL (may carry a password, hence secret).
    pub redis_url: Secret<String>,
    /// Prefix of every Redis key, so several deployments can share one Redis.
    pub redis_key_prefix: String,
    /// Most pooled Redis connections.
    pub redis_pool_size: usize,
    /// Limit for getting a Redis connection or answer, in milliseconds.
    pub redis_timeout_ms: u64,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            backend: StoreBackend::Sqlite,
            sqlite_file: PathBuf::from("auth.sqlite"),
            redis_url: Secret::new("redis://127.0.0.1:6379".to_owned()),
            redis_key_prefix: "kensho:auth:".to_owned(),
            redis_pool_size: 16,
            redis_timeout_ms: 1_000,
        }
    }
}

/// The `[auth.login_limits]` section: burst-and-refill limits per username and per client address.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginLimitSettings {
    /// Attempts one username may make in a burst.
    pub per_username_burst: u32,
    /// Attempts one username regains per minute.
    pub per_username_per_minute: u32,
    /// Attempts one client address may make in a burst.
    pub per_address_burst: u32,
    /// Attempts one client address regains per minute.
    pub per_address_per_minute: u32,
}

impl Default for LoginLimitSettings {
    fn default() -> Self {
        LoginLimitSettings {
            per_username_burst: 5,
            per_username_per_minute: 5,
            per_address_burst: 20,
            per_address_per_minute: 20,
        }
    }
}

/// Everything the standalone auth-svc reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// Directory of embedded storage (the SQLite session file).
    pub data_dir: PathBuf,
    /// The service.
    pub auth: AuthSettings,
    /// How to reach Crunchyroll.
    pub crunchyroll: CrunchyrollSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
    /// The credentials internal calls carry, and reflection.
    pub internal: InternalSettings,
    /// The issuer and audience written into every access token.
    pub tokens: TokenSettings,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            data_dir: PathBuf::from(kensho_kit::config::DEFAULT_DATA_DIR),
            auth: AuthSettings::default(),
            crunchyroll: CrunchyrollSettings::default(),
            telemetry: TelemetrySettings::default(),
            internal: InternalSettings::default(),
            tokens: TokenSettings::default(),
        }
    }
}
