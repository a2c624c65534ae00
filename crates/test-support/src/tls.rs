//! Certificates generated at test time for mutual TLS: a [`TestCa`] issues identities valid for
//! `localhost` and `127.0.0.1`, written as PEM files into a temporary directory and described by
//! the `internal.tls` settings that read them. Rotating an identity rewrites its files in place,
//! as a Kubernetes secret update does.

use std::path::{Path, PathBuf};

use kensho_kit::grpc::TlsSettings;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType,
};

/// How often tests check the files for rotations, in milliseconds.
const TEST_RELOAD_INTERVAL_MS: u64 = 20;

/// A certificate authority of a test's own.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl TestCa {
    /// A new self-signed CA named `name`.
    ///
    /// # Panics
    /// When the certificate cannot be generated (it always can).
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("valid parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("a key pair");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("a CA certificate");
        TestCa { issuer }
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A new identity named `name` for both server and client use, as (certificate, key) PEM.
    ///
    /// # Panics
    /// When the certificate cannot be generated (it always can).
    pub fn issue(&self, name: &str) -> (String, String) {
        let mut params =
            CertificateParams::new(vec!["localhost".to_owned()]).expect("valid parameters");
        params
            .subject_alt_names
            .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        let key = KeyPair::generate().expect("a key pair");
        let certificate = params.signed_by(&key, &self.issuer).expect("a certificate");
        (certificate.pem(), key.serialize_pem())
    }
}

/// One process's TLS files in a directory of their own.
pub struct TlsFiles {
    directory: tempfile::TempDir,
}

impl TlsFiles {
    /// Files holding a new identity `name` issued by `identity_ca`, trusting `trusted_ca`.
    ///
    /// # Panics
    /// When the files cannot be written.
    pub fn new(name: &str, identity_ca: &TestCa, trusted_ca: &TestCa) -> Self {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let files = TlsFiles { directory };
        files.rotate(name, identity_ca, trusted_ca);
        files
    }

    /// Rewrites the files with a new identity `name` from `identity_ca`, trusting `trusted_ca`.
    ///
    /// # Panics
    /// When the files cannot be written.
    pub fn rotate(&self, name: &str, identity_ca: &TestCa, trusted_ca: &TestCa) {
        let (certificate, key) = identity_ca.issue(name);
        write(&self.path("cert.pem"), &certificate);
        write(&self.path("key.pem"), &key);
        write(&self.path("ca.pem"), &trusted_ca.pem());
    }

    /// `internal.tls` reading these files, checked for rotations every 20 ms.
    pub fn settings(&self) -> TlsSettings {
        TlsSettings {
            cert_file: self.path("cert.pem"),
            key_file: self.path("key.pem"),
            ca_file: self.path("ca.pem"),
            reload_interval_ms: TEST_RELOAD_INTERVAL_MS,
            handshake_timeout_ms: 5_000,
        }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.directory.path().join(file)
    }
}

/// Writes `contents` to a new file moved over `path`, so a reader never sees it half-written.
fn write(path: &Path, contents: &str) {
    let staged = path.with_extension("staged");
    std::fs::write(&staged, contents).expect("the file is written");
    std::fs::rename(&staged, path).expect("the file is moved into place");
}
