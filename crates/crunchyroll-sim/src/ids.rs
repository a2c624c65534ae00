//! Stable identifiers: a cheap 64-bit hash of (kind, source, index) becomes a Crunchyroll-looking
//! id, `G` plus 8 uppercase base-36 characters, the same on every run.
//!
//! The hash is FNV-1a finished with SplitMix64, not a cryptographic hash: the catalog hashes
//! hundreds of thousands of keys at start-up, in debug builds too.

use std::collections::HashMap;

/// Number of distinct 8-character base-36 suffixes.
pub(crate) const ID_SPACE: u64 = 36u64.pow(8);
const ID_PREFIX: char = 'G';
const BASE36_DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// SplitMix64's finaliser: spreads every input bit over the output.
pub(crate) fn mix(value: u64) -> u64 {
    let mut mixed = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    mixed ^ (mixed >> 31)
}

/// A stable hash of a string.
pub(crate) fn hash_str(text: &str) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01B3);
    }
    mix(hash)
}

/// A stable hash of a kind, a source key and an index.
pub(crate) fn hash_key(kind: &str, source: u64, index: u64) -> u64 {
    mix(hash_str(kind) ^ mix(source ^ mix(index)))
}

/// The id text of an id value (`value < ID_SPACE`).
pub(crate) fn format_id(value: u64) -> String {
    let mut digits = [b'0'; 8];
    let mut remaining = value % ID_SPACE;
    for digit in digits.iter_mut().rev() {
        *digit = BASE36_DIGITS[(remaining % 36) as usize];
        remaining /= 36;
    }
    let mut id = String::with_capacity(9);
    id.push(ID_PREFIX);
    id.extend(digits.iter().map(|&digit| char::from(digit)));
    id
}

/// The id value of an id text, if it has the simulator's shape.
pub(crate) fn parse_id(id: &str) -> Option<u64> {
    let suffix = id.strip_prefix(ID_PREFIX)?;
    if suffix.len() != 8 {
        return None;
    }
    suffix.bytes().try_fold(0u64, |value, byte| {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'A'..=b'Z' => byte - b'A' + 10,
            _ => return None,
        };
        Some(value * 36 + u64::from(digit))
    })
}

/// Hands out unique id values: a colliding hash moves to the next free value, so ids stay unique
/// and, because the catalog is always built in the same order, stable.
#[derive(Debug, Default)]
pub(crate) struct IdAllocator<T> {
    owners: HashMap<u64, T>,
}

impl<T> IdAllocator<T> {
    /// An allocator with room for `capacity` ids.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        IdAllocator {
            owners: HashMap::with_capacity(capacity),
        }
    }

    /// Reserves an id value derived from `hash` for `owner`.
    pub(crate) fn allocate(&mut self, hash: u64, owner: T) -> u64 {
        let mut value = hash % ID_SPACE;
        while self.owners.contains_key(&value) {
            value = (value + 1) % ID_SPACE;
        }
        self.owners.insert(value, owner);
        value
    }

    /// The owner of an id value.
    pub(crate) fn owner(&self, value: u64) -> Option<&T> {
        self.owners.get(&value)
    }
}

/// A UUID-shaped string derived from a hash, for account and profile ids.
pub(crate) fn uuid_from_hash(hash: u64) -> String {
    uuid::Uuid::from_u64_pair(hash, mix(hash)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_look_like_crunchyroll_ids() {
        let value = hash_key("series", hash_str("https://myanimelist.net/anime/1"), 0) % ID_SPACE;
        let id = format_id(value);
        assert_eq!(id.len(), 9);
        assert!(id.starts_with('G'));
        assert!(
            id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(parse_id(&id), Some(value));
    }

    #[test]
    fn malformed_ids_do_not_parse() {
        for id in ["", "G", "GABC", "XABCDEFGH", "Gabcdefgh", "GABCDEFGHI"] {
            assert_eq!(parse_id(id), None, "{id}");
        }
    }

    #[test]
    fn colliding_hashes_get_distinct_values() {
        let mut allocator = IdAllocator::with_capacity(2);
        let first = allocator.allocate(42, "first");
        let second = allocator.allocate(42, "second");
        assert_ne!(first, second);
        assert_eq!(allocator.owner(second), Some(&"second"));
    }
}
