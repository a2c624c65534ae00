//! Stream tokens bound to the account they were handed to: `<episode id>.<upstream token>.<tag>`,
//! the tag an HMAC-SHA256 over the account, the episode id and Crunchyroll's stream token under
//! a key drawn when the process starts. A stream token presented with another account's access
//! token fails the check, so no one releases, or evicts from the cache, a stream that is not
//! theirs; the account compared is the one auth-svc verified, never one the caller names.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kensho_kit::Secret;
use sha2::Sha256;

type StreamTokenMac = Hmac<Sha256>;

/// Separates the parts of a stream token; never part of an episode id or of the tag.
const SEPARATOR: char = '.';

/// The key that binds stream tokens to accounts, private to this process.
pub struct StreamTokenKey {
    key: Secret<[u8; 32]>,
}

/// What a stream token names, once its tag matched the caller.
#[derive(Debug, PartialEq, Eq)]
pub struct OwnedStream<'token> {
    /// The Crunchyroll episode id.
    pub episode_id: &'token str,
    /// Crunchyroll's stream token.
    pub upstream_token: &'token str,
}

impl StreamTokenKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut key = [0_u8; 32];
        getrandom::getrandom(&mut key)?;
        Ok(StreamTokenKey {
            key: Secret::new(key),
        })
    }

    /// The stream token handed to `subject` for a stream of `episode_id`.
    pub fn issue(&self, subject: &str, episode_id: &str, upstream_token: &str) -> String {
        let tag = URL_SAFE_NO_PAD.encode(
            self.mac(subject, episode_id, upstream_token)
                .finalize()
                .into_bytes(),
        );
        format!("{episode_id}{SEPARATOR}{upstream_token}{SEPARATOR}{tag}")
    }

    /// The stream `presented` names, when it was handed to `subject`; `None` for a token of
    /// another account, another process, or no token at all.
    pub fn open<'token>(
        &self,
        subject: &str,
        presented: &'token str,
    ) -> Option<OwnedStream<'token>> {
        let (named, tag) = presented.rsplit_once(SEPARATOR)?;
        let (episode_id, upstream_token) = named.split_once(SEPARATOR)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        // `verify_slice` compares in constant time.
        self.mac(subject, episode_id, upstream_token)
            .verify_slice(&tag)
            .ok()?;
        Some(OwnedStream {
            episode_id,
            upstream_token,
        })
    }

    fn mac(&self, subject: &str, episode_id: &str, upstream_token: &str) -> StreamTokenMac {
        let mut mac = StreamTokenMac::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| unreachable!("hmac takes keys of any length"));
        // Each part is length-prefixed, so no two (subject, episode, token) triples share a tag.
        for part in [subject, episode_id, upstream_token] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> StreamTokenKey {
        StreamTokenKey::generate().expect("randomness")
    }

    #[test]
    fn a_token_opens_for_the_account_it_was_issued_to() {
        let key = key();
        let token = key.issue("alice", "GEPISODE1", "upstream.with.dots");

        assert_eq!(
            key.open("alice", &token),
            Some(OwnedStream {
                episode_id: "GEPISODE1",
                upstream_token: "upstream.with.dots",
            })
        );
    }

    #[test]
    fn a_token_does_not_open_for_another_account() {
        let key = key();
        let token = key.issue("alice", "GEPISODE1", "upstream");

        assert_eq!(key.open("bob", &token), None);
    }

    #[test]
    fn a_token_of_another_process_or_altered_does_not_open() {
        let key = key();
        let token = key.issue("alice", "GEPISODE1", "upstream");
        let other_process = super::StreamTokenKey::generate().expect("randomness");
        let altered = token.replacen("GEPISODE1", "GEPISODE2", 1);

        assert_eq!(other_process.open("alice", &token), None);
        assert_eq!(key.open("alice", &altered), None);
        assert_eq!(key.open("alice", "garbage"), None);
        assert_eq!(key.open("alice", "GEPISODE1.upstream"), None);
    }
}
