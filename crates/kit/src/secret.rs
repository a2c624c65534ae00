//! A wrapper for secrets (passwords, tokens, keys, credential-bearing URLs) that never prints
//! and leaves nothing behind: its memory is overwritten with zeros when it is dropped.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

/// A value that is redacted in `Debug`, `Display` and serialisation and zeroised on drop; read it
/// with [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T: Zeroize>(Zeroizing<T>);

impl<T: Zeroize> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Secret(Zeroizing::new(value))
    }

    /// The secret value itself: only for the code that must use it, never for logs.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

const REDACTED: &str = "[redacted]";

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(REDACTED)
    }
}

impl<T: Zeroize> fmt::Display for Secret<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(REDACTED)
    }
}

impl<'de, T: Deserialize<'de> + Zeroize> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret::new)
    }
}

/// Serialises as `[redacted]`, so a configuration dump (or any serialised struct holding a secret)
/// never carries the value.
impl<T: Zeroize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2".to_owned());
        assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn serialisation_never_carries_the_value() {
        let secret = Secret::new("hunter2".to_owned());
        let json = serde_json::to_string(&secret).expect("serialises");
        assert_eq!(json, r#""[redacted]""#);
    }
}
