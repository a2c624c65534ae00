//! What one cached value looks like in every layer: the prost-encoded value (absent for a cached
//! "not found") with when it was fetched and when it goes soft and hard, as milliseconds since the
//! Unix epoch so every replica reads the same instants.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prost::Message;

use crate::settings::ClassPolicy;

/// The wire form in L2 (and any persistent layer).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Envelope {
    /// When the value was loaded.
    #[prost(uint64, tag = "1")]
    pub fetched_at_ms: u64,
    /// After this the value is served while one background refresh runs.
    #[prost(uint64, tag = "2")]
    pub soft_expiry_ms: u64,
    /// After this the value is never served.
    #[prost(uint64, tag = "3")]
    pub hard_expiry_ms: u64,
    /// The encoded value; absent when the loader found nothing.
    #[prost(bytes = "vec", optional, tag = "4")]
    pub value: Option<Vec<u8>>,
}

/// A decoded entry as L1 keeps it.
#[derive(Debug)]
pub struct Stored<V> {
    /// The value, or `None` for a cached "not found".
    pub value: Option<V>,
    /// As in [`Envelope`].
    pub soft_expiry_ms: u64,
    /// As in [`Envelope`].
    pub hard_expiry_ms: u64,
    /// Encoded size, what L1's byte budget counts.
    pub weight: u32,
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl<V: Message + Default> Stored<V> {
    /// A freshly loaded value (or "not found") with expiries from `policy`, and its envelope.
    pub fn fresh(value: Option<V>, policy: &ClassPolicy) -> (Self, Envelope) {
        let fetched_at_ms = now_ms();
        let (soft, hard) = match value {
            Some(_) => (policy.soft_ttl(), policy.hard_ttl()),
            None => (policy.negative_ttl(), policy.negative_ttl()),
        };
        let envelope = Envelope {
            fetched_at_ms,
            soft_expiry_ms: fetched_at_ms.saturating_add(millis(soft)),
            hard_expiry_ms: fetched_at_ms.saturating_add(millis(hard)),
            value: value.as_ref().map(Message::encode_to_vec),
        };
        let stored = Stored {
            value,
            soft_expiry_ms: envelope.soft_expiry_ms,
            hard_expiry_ms: envelope.hard_expiry_ms,
            weight: weight_of(&envelope),
        };
        (stored, envelope)
    }

    /// Decodes an envelope read from a lower layer; `None` when it does not decode.
    pub fn from_envelope(envelope: &Envelope) -> Option<Self> {
        let value = match &envelope.value {
            Some(bytes) => Some(V::decode(bytes.as_slice()).ok()?),
            None => None,
        };
        Some(Stored {
            value,
            soft_expiry_ms: envelope.soft_expiry_ms,
            hard_expiry_ms: envelope.hard_expiry_ms,
            weight: weight_of(envelope),
        })
    }
}

impl<V> Stored<V> {
    /// Past the soft TTL: serve, but refresh.
    pub fn is_soft_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.soft_expiry_ms
    }

    /// Past the hard TTL: never serve.
    pub fn is_hard_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.hard_expiry_ms
    }

    /// Time left until the hard expiry.
    pub fn time_to_hard_expiry(&self, now_ms: u64) -> Duration {
        Duration::from_millis(self.hard_expiry_ms.saturating_sub(now_ms))
    }
}

fn weight_of(envelope: &Envelope) -> u32 {
    let value_length = envelope.value.as_ref().map_or(0, Vec::len);
    // The key and the entry's own bookkeeping cost memory too.
    u32::try_from(value_length.saturating_add(64)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_round_trips_its_value_and_expiries() {
        let policy = ClassPolicy::with_ttls(10, 20);
        let (stored, envelope) = Stored::fresh(Some(Envelope::default()), &policy);
        let decoded = Envelope::decode(envelope.encode_to_vec().as_slice()).expect("decode");
        let restored = Stored::<Envelope>::from_envelope(&decoded).expect("restore");
        assert_eq!(restored.value, stored.value);
        assert_eq!(restored.soft_expiry_ms - decoded.fetched_at_ms, 10_000);
        assert_eq!(restored.hard_expiry_ms - decoded.fetched_at_ms, 20_000);
    }

    #[test]
    fn a_not_found_lives_for_the_negative_ttl_only() {
        let policy = ClassPolicy {
            negative_ttl_seconds: 5,
            ..ClassPolicy::with_ttls(100, 200)
        };
        let (stored, envelope) = Stored::<Envelope>::fresh(None, &policy);
        assert!(envelope.value.is_none());
        assert_eq!(stored.hard_expiry_ms - envelope.fetched_at_ms, 5_000);
    }
}
