//! Mutual TLS between Kensho processes (`internal.tls`): every process holds a certificate and key
//! signed by the deployment's CA, servers require a client certificate from that CA, and clients
//! verify the server's. The files are read at start and re-read whenever their modification time
//! or size changes (checked every `reload_interval_ms`), so a rotated certificate (a Kubernetes
//! secret updated by cert-manager, say) is used for new connections without a restart; a rotation
//! that does not parse is logged and the previous material kept.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, SystemTime};

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tonic::transport::{Certificate, ClientTlsConfig, Identity};

/// The ALPN protocol gRPC speaks.
const ALPN_HTTP2: &[u8] = b"h2";

/// The `[internal.tls]` section: the files of this process's identity and of the CA it trusts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// PEM certificate chain this process presents, leaf first.
    pub cert_file: PathBuf,
    /// PEM private key of that certificate (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
    /// PEM certificates of the CA that signs every Kensho process's certificate.
    pub ca_file: PathBuf,
    /// How often the three files are checked for changes, in milliseconds.
    #[serde(default = "default_reload_interval_ms")]
    pub reload_interval_ms: u64,
    /// How long a client may take to complete its TLS handshake, in milliseconds.
    #[serde(default = "default_handshake_timeout_ms")]
    pub handshake_timeout_ms: u64,
}

fn default_reload_interval_ms() -> u64 {
    10_000
}

fn default_handshake_timeout_ms() -> u64 {
    5_000
}

impl TlsSettings {
    /// The handshake limit.
    pub fn handshake_timeout(&self) -> Duration {
        Duration::from_millis(self.handshake_timeout_ms.max(1))
    }
}

/// TLS material that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file cannot be read.
    #[error("cannot read {}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file holds no usable PEM of the expected kind.
    #[error("{} holds no valid PEM {what}", file.display())]
    Pem {
        /// The file.
        file: PathBuf,
        /// What it should hold.
        what: &'static str,
    },
    /// The CA certificates cannot verify clients.
    #[error("the CA in internal.tls.ca_file cannot verify clients")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    /// The certificate and key do not make a server identity.
    #[error("internal.tls.cert_file and key_file do not make a usable identity")]
    Identity(#[from] rustls::Error),
}

/// Size and modification time of the three files: a change in either means a rotation.
type FileStamps = [(u64, Option<SystemTime>); 3];

/// One reading of the files, ready for both sides of a connection.
struct Loaded {
    stamps: FileStamps,
    server: Arc<rustls::ServerConfig>,
    client: ClientTlsConfig,
}

struct Shared {
    settings: TlsSettings,
    current: RwLock<Loaded>,
    /// Counts successful reloads, so channels know to reconnect with the new identity.
    generation: watch::Sender<u64>,
}

/// The current TLS material of a process, kept up to date with its files (see the module docs).
/// Cloning shares it; the reload task ends when the last clone is dropped.
#[derive(Clone)]
pub struct TlsMaterial {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TlsMaterial")
            .field("cert_file", &self.shared.settings.cert_file)
            .field("generation", &*self.shared.generation.borrow())
            .finish_non_exhaustive()
    }
}

impl TlsMaterial {
    /// Reads the files of `settings` and, inside a Tokio runtime, starts watching them.
    ///
    /// # Errors
    /// When a file cannot be read or does not parse.
    pub fn load(settings: &TlsSettings) -> Result<Self, TlsError> {
        let loaded = read_files(settings)?;
        let (generation, _) = watch::channel(0);
        let material = TlsMaterial {
            shared: Arc::new(Shared {
                settings: settings.clone(),
                current: RwLock::new(loaded),
                generation,
            }),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            tokio::spawn(watch_files(Arc::downgrade(&material.shared)));
        }
        Ok(material)
    }

    /// The settings the material comes from.
    pub fn settings(&self) -> &TlsSettings {
        &self.shared.settings
    }

    /// The server side as of now: this identity, client certificates from the CA verified (a
    /// client without one completes the handshake and is refused per call, with UNAUTHENTICATED).
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        Arc::clone(&self.read().server)
    }

    /// The client side as of now: this identity, servers verified against the CA.
    pub fn client_config(&self) -> ClientTlsConfig {
        self.read().client.clone()
    }

    /// Changes whenever a rotation has been read.
    pub fn generations(&self) -> watch::Receiver<u64> {
        self.shared.generation.subscribe()
    }

    /// Reads the files again if they changed since the last reading; whether they did and parsed.
    pub fn reload_if_changed(&self) -> bool {
        reload_if_changed(&self.shared)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Loaded> {
        self.shared
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn watch_files(shared: Weak<Shared>) {
    loop {
        let Some(interval) = shared
            .upgrade()
            .map(|shared| Duration::from_millis(shared.settings.reload_interval_ms.max(1)))
        else {
            return;
        };
        tokio::time::sleep(interval).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        reload_if_changed(&shared);
    }
}

fn reload_if_changed(shared: &Shared) -> bool {
    let stamps = file_stamps(&shared.settings);
    let unchanged = shared
        .current
        .read()
        .is_ok_and(|current| current.stamps == stamps);
    if unchanged {
        return false;
    }
    match read_files(&shared.settings) {
        Ok(loaded) => {
            *shared
                .current
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = loaded;
            shared.generation.send_modify(|generation| *generation += 1);
            tracing::info!(
                cert_file = %shared.settings.cert_file.display(),
                "tls certificates reloaded"
            );
            true
        }
        Err(error) => {
            // Half-written rotations are common (files replaced one by one): retry next round.
            tracing::warn!(error = %error, "tls files changed but cannot be used, keeping the previous ones");
            false
        }
    }
}

fn file_stamps(settings: &TlsSettings) -> FileStamps {
    [&settings.cert_file, &settings.key_file, &settings.ca_file].map(|file| {
        std::fs::metadata(file)
            .map(|metadata| (metadata.len(), metadata.modified().ok()))
            .unwrap_or((0, None))
    })
}

fn read(file: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(file).map_err(|source| TlsError::Read {
        file: file.to_owned(),
        source,
    })
}

fn read_files(settings: &TlsSettings) -> Result<Loaded, TlsError> {
    // Stamps first: a change racing the reading is seen again next round.
    let stamps = file_stamps(settings);
    let cert_pem = read(&settings.cert_file)?;
    let key_pem = read(&settings.key_file)?;
    let ca_pem = read(&settings.ca_file)?;
    let pem_error = |file: &Path, what| TlsError::Pem {
        file: file.to_owned(),
        what,
    };
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .ok()
        .filter(|chain| !chain.is_empty())
        .ok_or_else(|| pem_error(&settings.cert_file, "certificate"))?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|_| pem_error(&settings.key_file, "private key"))?;
    let mut roots = RootCertStore::empty();
    let authorities = CertificateDer::pem_slice_iter(&ca_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| pem_error(&settings.ca_file, "certificate"))?;
    let (added, _ignored) = roots.add_parsable_certificates(authorities);
    if added == 0 {
        return Err(pem_error(&settings.ca_file, "CA certificate"));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .allow_unauthenticated()
        .build()?;
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)?;
    server.alpn_protocols = vec![ALPN_HTTP2.to_vec()];
    let client = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&ca_pem))
        .identity(Identity::from_pem(&cert_pem, &key_pem))
        .assume_http2(true)
        .timeout(settings.handshake_timeout());
    Ok(Loaded {
        stamps,
        server: Arc::new(server),
        client,
    })
}
