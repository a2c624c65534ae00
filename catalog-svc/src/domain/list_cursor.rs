//! Keyset cursors: where the previous page of a list ended (its last sort key and id), sealed
//! with an HMAC-SHA256 under the server's cursor key. A page resumes strictly after that position,
//! so inserts and updates between pages never make it skip or repeat an item whose sort key
//! stays put. The tag also covers the list's scope (sort and filters), so a cursor that was
//! modified, minted by another server key, or made for another sort or filter is refused.
//!
//! Form: `base64url(position JSON) . base64url(tag)`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kensho_kit::Secret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::FieldViolation;

type CursorMac = Hmac<Sha256>;

/// Separates a cursor's position from its tag; never part of base64url.
const SEPARATOR: char = '.';
/// Length of a generated key, in bytes.
const GENERATED_KEY_BYTES: usize = 32;

/// The value of the sort field at a position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// A text field (the normalised title).
    Text(String),
    /// An integer field (year, episodes, popularity).
    Integer(i64),
    /// A floating-point field (score), carried as its bit pattern: JSON's decimal form does not
    /// always parse back to the same `f64`, and a page must resume exactly after its last item.
    Float(#[serde(with = "exact_float")] f64),
}

/// An `f64` as the `u64` of its bits, so it survives a round trip unchanged.
mod exact_float {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(value.to_bits())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

/// A position in a list: the sort key and id of the last item of a page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPosition {
    /// The sort key.
    #[serde(rename = "k")]
    pub key: SortKey,
    /// The id, which breaks ties.
    #[serde(rename = "i")]
    pub id: String,
}

/// The server key cursors are sealed with. Every replica behind one gateway must share it, or a
/// cursor one replica issued is refused by the next.
#[derive(Clone)]
pub struct CursorKey {
    key: Secret<Vec<u8>>,
}

impl CursorKey {
    /// A key from configuration (any length; longer is not weaker).
    pub fn from_secret(secret: &Secret<String>) -> Self {
        CursorKey {
            key: Secret::new(secret.expose().as_bytes().to_vec()),
        }
    }

    /// A fresh random key, for a process whose configuration names none.
    ///
    /// # Errors
    /// When the system has no randomness to offer.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut key = vec![0_u8; GENERATED_KEY_BYTES];
        getrandom::getrandom(&mut key)?;
        Ok(CursorKey {
            key: Secret::new(key),
        })
    }

    /// The cursor resuming after `position` in the list `scope` names.
    pub fn seal(&self, scope: &str, position: &ListPosition) -> String {
        // Serialising a string and a number cannot fail.
        let payload = serde_json::to_vec(position).unwrap_or_default();
        let tag = self.mac(scope, &payload).finalize().into_bytes();
        format!(
            "{}{SEPARATOR}{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The position a cursor of the list `scope` names; `field` names the request field in the
    /// violation.
    pub fn open(
        &self,
        scope: &str,
        cursor: &str,
        field: &str,
    ) -> Result<ListPosition, FieldViolation> {
        let refused = || {
            FieldViolation::new(
                field,
                "is not a cursor this API issued for this list, sort and filters",
            )
        };
        let (encoded_payload, encoded_tag) = cursor.split_once(SEPARATOR).ok_or_else(refused)?;
        let payload = URL_SAFE_NO_PAD
            .decode(encoded_payload)
            .map_err(|_| refused())?;
        let tag = URL_SAFE_NO_PAD.decode(encoded_tag).map_err(|_| refused())?;
        // `verify_slice` compares in constant time.
        self.mac(scope, &payload)
            .verify_slice(&tag)
            .map_err(|_| refused())?;
        serde_json::from_slice(&payload).map_err(|_| refused())
    }

    fn mac(&self, scope: &str, payload: &[u8]) -> CursorMac {
        let mut mac = CursorMac::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| unreachable!("hmac takes keys of any length"));
        // Length-prefixed, so no (scope, payload) pair shares its bytes with another.
        for part in [scope.as_bytes(), payload] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position() -> ListPosition {
        ListPosition {
            key: SortKey::Float(8.75),
            id: "abc".to_owned(),
        }
    }

    #[test]
    fn a_sealed_cursor_opens_to_its_position_in_its_scope() {
        let key = CursorKey::generate().expect("randomness");
        let cursor = key.seal("sort=-score", &position());
        assert_eq!(
            key.open("sort=-score", &cursor, "cursor").expect("valid"),
            position()
        );
    }

    #[test]
    fn a_modified_foreign_or_out_of_scope_cursor_is_refused() {
        let key = CursorKey::generate().expect("randomness");
        let cursor = key.seal("sort=-score", &position());
        let other_position = URL_SAFE_NO_PAD.encode(br#"{"k":{"float":1.0},"i":"abc"}"#);
        let tag = cursor.split_once(SEPARATOR).expect("two parts").1;
        let modified = format!("{other_position}{SEPARATOR}{tag}");
        let foreign = CursorKey::generate()
            .expect("randomness")
            .seal("sort=-score", &position());
        for refused in [modified.as_str(), foreign.as_str(), "garbage", ""] {
            let violation = key
                .open("sort=-score", refused, "cursor")
                .expect_err(refused);
            assert_eq!(violation.field, "cursor");
        }
        assert!(key.open("sort=score", &cursor, "cursor").is_err());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn key(bytes: Vec<u8>) -> CursorKey {
        CursorKey {
            key: Secret::new(bytes),
        }
    }

    fn sort_key() -> impl Strategy<Value = SortKey> {
        prop_oneof![
            any::<String>().prop_map(SortKey::Text),
            any::<i64>().prop_map(SortKey::Integer),
            // JSON has no NaN or infinities; scores are finite.
            (-1.0e12_f64..1.0e12).prop_map(SortKey::Float),
        ]
    }

    fn position() -> impl Strategy<Value = ListPosition> {
        (sort_key(), any::<String>()).prop_map(|(key, id)| ListPosition { key, id })
    }

    proptest! {
        #[test]
        fn every_sealed_position_opens_to_itself(
            key_bytes in proptest::collection::vec(any::<u8>(), 1..64),
            scope in any::<String>(),
            position in position(),
        ) {
            let key = key(key_bytes);
            let cursor = key.seal(&scope, &position);

            prop_assert_eq!(key.open(&scope, &cursor, "cursor").expect("opens"), position);
        }

        #[test]
        fn a_cursor_with_any_byte_changed_is_refused(
            scope in "[a-z=,-]{0,40}",
            position in position(),
            index in any::<prop::sample::Index>(),
            flip in 1_u8..=255,
        ) {
            let key = key(b"property-test-cursor-key".to_vec());
            let mut bytes = key.seal(&scope, &position).into_bytes();
            let at = index.index(bytes.len());
            bytes[at] ^= flip;
            let tampered = String::from_utf8(bytes);
            prop_assume!(tampered.is_ok());

            prop_assert!(key.open(&scope, &tampered.expect("utf-8"), "cursor").is_err());
        }

        #[test]
        fn a_cursor_opens_in_no_other_scope_and_under_no_other_key(
            scope in any::<String>(),
            other_scope in any::<String>(),
            position in position(),
        ) {
            prop_assume!(scope != other_scope);
            let key = key(b"property-test-cursor-key".to_vec());
            let other_key = self::key(b"another-cursor-key".to_vec());
            let cursor = key.seal(&scope, &position);

            prop_assert!(key.open(&other_scope, &cursor, "cursor").is_err());
            prop_assert!(other_key.open(&scope, &cursor, "cursor").is_err());
        }

        #[test]
        fn any_text_opens_to_a_refusal_or_a_position_without_panicking(text in any::<String>()) {
            let key = key(b"property-test-cursor-key".to_vec());

            let opened = key.open("sort=title", &text, "cursor");

            prop_assert!(opened.is_err());
        }
    }
}
