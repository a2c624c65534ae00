//! Keys for an embedded install that configured none: generated once and kept in the data
//! directory (owner-only file), so access tokens and the stored Crunchyroll tokens survive a
//! restart of the all-in-one. Distributed installs configure their keys instead: replicas must
//! share them.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_kit::Secret;
use serde::{Deserialize, Serialize};

use crate::settings::{EncryptionKeySettings, SigningKeySettings};

/// Name of the key file inside the data directory.
pub const LOCAL_KEYS_FILE: &str = "auth-keys.json";

/// The generated keys.
#[derive(Clone, Debug)]
pub struct LocalKeys {
    /// The signing key.
    pub signing: SigningKeySettings,
    /// The encryption key.
    pub encryption: EncryptionKeySettings,
}

/// The key file's layout. Secrets serialise redacted everywhere else, so the one place that must
/// write them out spells them as plain strings on purpose.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    signing: StoredSigningKey,
    encryption: StoredEncryptionKey,
}

#[derive(Serialize, Deserialize)]
struct StoredSigningKey {
    kid: String,
    private_key: String,
}

#[derive(Serialize, Deserialize)]
struct StoredEncryptionKey {
    kid: String,
    key: String,
}

impl From<KeyFile> for LocalKeys {
    fn from(file: KeyFile) -> Self {
        LocalKeys {
            signing: SigningKeySettings {
                kid: file.signing.kid,
                private_key: Secret::new(file.signing.private_key),
            },
            encryption: EncryptionKeySettings {
                kid: file.encryption.kid,
                key: Secret::new(file.encryption.key),
            },
        }
    }
}

impl From<&LocalKeys> for KeyFile {
    fn from(keys: &LocalKeys) -> Self {
        KeyFile {
            signing: StoredSigningKey {
                kid: keys.signing.kid.clone(),
                private_key: keys.signing.private_key.expose().clone(),
            },
            encryption: StoredEncryptionKey {
                kid: keys.encryption.kid.clone(),
                key: keys.encryption.key.expose().clone(),
            },
        }
    }
}

/// Why the local keys cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LocalKeysError {
    /// The file cannot be read or written.
    #[error("cannot use the key file {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a key file.
    #[error("the key file {0} is corrupt")]
    Corrupt(PathBuf),
    /// No randomness to generate keys with.
    #[error("cannot generate keys: no randomness")]
    Randomness,
}

/// The keys in `data_dir`, generated and saved on first use.
pub fn load_or_create(data_dir: &Path) -> Result<LocalKeys, LocalKeysError> {
    let path = data_dir.join(LOCAL_KEYS_FILE);
    let io_error = |source| LocalKeysError::Io {
        path: path.clone(),
        source,
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            return serde_json::from_slice::<KeyFile>(&bytes)
                .map(LocalKeys::from)
                .map_err(|_| LocalKeysError::Corrupt(path.clone()));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(io_error(error)),
    }
    let keys = LocalKeys {
        signing: SigningKeySettings {
            kid: format!("local-{}", uuid::Uuid::new_v4().simple()),
            private_key: Secret::new(random_key()?),
        },
        encryption: EncryptionKeySettings {
            kid: format!("local-{}", uuid::Uuid::new_v4().simple()),
            key: Secret::new(random_key()?),
        },
    };
    kensho_kit::private_fs::create_private_dir_all(data_dir).map_err(io_error)?;
    let json = serde_json::to_vec_pretty(&KeyFile::from(&keys))
        .map_err(|_| LocalKeysError::Corrupt(path.clone()))?;
    write_owner_only(&path, &json).map_err(io_error)?;
    Ok(keys)
}

fn random_key() -> Result<String, LocalKeysError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|_| LocalKeysError::Randomness)?;
    Ok(STANDARD.encode(bytes))
}

fn write_owner_only(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_generated_once_and_read_back_after() {
        let directory = std::env::temp_dir().join(format!(
            "kensho-local-keys-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let first = load_or_create(&directory).expect("generated");
        let second = load_or_create(&directory).expect("read back");
        assert_eq!(first.signing.kid, second.signing.kid);
        assert_eq!(
            first.encryption.key.expose(),
            second.encryption.key.expose()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(directory.join(LOCAL_KEYS_FILE))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&directory);
    }
}
