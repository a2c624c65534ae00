//! Who a request counts against: the tier of the API key it presents, or else its client
//! address — the peer's, or the one a trusted proxy put in `X-Forwarded-For`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use axum::http::HeaderMap;
use ipnet::IpNet;
use sha2::{Digest, Sha256};

use super::settings::RateLimitSettings;

/// The header an API key travels in.
pub const API_KEY_HEADER: &str = "x-api-key";
const FORWARDED_FOR_HEADER: &str = "x-forwarded-for";
/// Shortest accepted API key: anything shorter is guessable.
const MIN_API_KEY_LENGTH: usize = 16;

/// Whose budget a request spends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey {
    /// The tier (`None`: anonymous).
    pub tier: Option<Arc<str>>,
    /// The bucket within the tier: an API key's fingerprint or a client address.
    pub bucket: String,
}

/// The request named an API key that is not configured.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownApiKey;

/// Maps requests to [`ClientKey`]s.
#[derive(Debug)]
pub struct ClientIdentifier {
    /// SHA-256 of each configured key → its tier; the keys themselves are not kept.
    tiers_by_key_digest: HashMap<[u8; 32], Arc<str>>,
    trusted_proxies: Vec<IpNet>,
}

impl ClientIdentifier {
    /// Checks the keys and proxies of `settings`; errors name the offending key.
    pub fn new(settings: &RateLimitSettings) -> anyhow::Result<Self> {
        let mut tiers_by_key_digest = HashMap::new();
        for (index, api_key) in settings.api_keys.iter().enumerate() {
            if !settings.tiers.contains_key(&api_key.tier) {
                anyhow::bail!(
                    "gateway.rate_limit.api_keys[{index}].tier: no tier `{}` in gateway.rate_limit.tiers",
                    api_key.tier
                );
            }
            if api_key.key.expose().len() < MIN_API_KEY_LENGTH {
                anyhow::bail!(
                    "gateway.rate_limit.api_keys[{index}].key: shorter than {MIN_API_KEY_LENGTH} characters"
                );
            }
            let previous = tiers_by_key_digest
                .insert(digest(api_key.key.expose()), api_key.tier.as_str().into());
            if previous.is_some() {
                anyhow::bail!("gateway.rate_limit.api_keys[{index}].key: configured twice");
            }
        }
        let trusted_proxies = settings
            .trusted_proxies
            .iter()
            .map(|text| parse_network(text))
            .collect::<anyhow::Result<_>>()?;
        Ok(ClientIdentifier {
            tiers_by_key_digest,
            trusted_proxies,
        })
    }

    /// The client of a request from `peer` with `headers`.
    pub fn identify(&self, peer: IpAddr, headers: &HeaderMap) -> Result<ClientKey, UnknownApiKey> {
        if let Some(presented) = headers.get(API_KEY_HEADER) {
            let key_digest = digest_bytes(presented.as_bytes());
            let tier = self
                .tiers_by_key_digest
                .get(&key_digest)
                .ok_or(UnknownApiKey)?;
            return Ok(ClientKey {
                tier: Some(tier.clone()),
                // A fingerprint, so neither logs nor Redis ever see the key.
                bucket: format!("key:{}", hex::encode(&key_digest[..12])),
            });
        }
        let address = self.client_address(peer, headers);
        Ok(ClientKey {
            tier: None,
            bucket: format!("ip:{}", address_bucket(address)),
        })
    }

    /// The peer itself unless it is a trusted proxy; then the nearest address in
    /// `X-Forwarded-For` (read right to left) that is not a trusted proxy too.
    fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.is_trusted(peer) {
            return peer;
        }
        let mut client = peer;
        let forwarded = headers
            .get_all(FORWARDED_FOR_HEADER)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            let Ok(address) = hop.trim().parse::<IpAddr>() else {
                // A malformed hop ends what can be believed.
                break;
            };
            client = address;
            if !self.is_trusted(address) {
                break;
            }
        }
        client
    }

    fn is_trusted(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.trusted_proxies
            .iter()
            .any(|network| network.contains(&address))
    }
}

fn parse_network(text: &str) -> anyhow::Result<IpNet> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            anyhow::anyhow!(
                "gateway.rate_limit.trusted_proxies: `{text}` is not an address or CIDR block"
            )
        })
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are their IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// An IPv4 address counts alone; an IPv6 client by its /64, since one host commonly holds a
/// whole /64 and could otherwise rotate through fresh budgets.
fn address_bucket(address: IpAddr) -> String {
    match canonical(address) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            let prefix = Ipv6Addr::new(
                segments[0],
                segments[1],
                segments[2],
                segments[3],
                0,
                0,
                0,
                0,
            );
            format!("{prefix}/64")
        }
    }
}

fn digest(text: &str) -> [u8; 32] {
    digest_bytes(text.as_bytes())
}

fn digest_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use kensho_kit::Secret;

    use super::*;
    use crate::rate_limit::settings::{ApiKeySettings, ClassQuotas};

    const PARTNER_KEY: &str = "partner-key-0123456789";

    fn identifier(trusted_proxies: &[&str]) -> ClientIdentifier {
        let settings = RateLimitSettings {
            tiers: [("partner".to_owned(), ClassQuotas::default())].into(),
            api_keys: vec![ApiKeySettings {
                key: Secret::new(PARTNER_KEY.to_owned()),
                tier: "partner".to_owned(),
            }],
            trusted_proxies: trusted_proxies
                .iter()
                .map(|proxy| (*proxy).to_owned())
                .collect(),
            ..RateLimitSettings::default()
        };
        ClientIdentifier::new(&settings).expect("valid settings")
    }

    fn forwarded_for(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(FORWARDED_FOR_HEADER, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn bucket_of(identifier: &ClientIdentifier, peer: &str, headers: &HeaderMap) -> String {
        identifier
            .identify(peer.parse().unwrap(), headers)
            .expect("known client")
            .bucket
    }

    #[test]
    fn forwarded_for_from_an_untrusted_peer_is_ignored() {
        let identifier = identifier(&["10.0.0.0/8"]);
        let bucket = bucket_of(&identifier, "192.0.2.7", &forwarded_for("203.0.113.5"));
        assert_eq!(bucket, "ip:192.0.2.7");
    }

    #[test]
    fn a_trusted_proxy_names_the_nearest_untrusted_hop() {
        let identifier = identifier(&["10.0.0.0/8"]);
        let headers = forwarded_for("198.51.100.1, 203.0.113.5, 10.1.2.3");
        assert_eq!(
            bucket_of(&identifier, "10.0.0.1", &headers),
            "ip:203.0.113.5"
        );
    }

    #[test]
    fn a_malformed_hop_stops_the_walk_at_the_last_believable_address() {
        let identifier = identifier(&["10.0.0.0/8"]);
        let headers = forwarded_for("203.0.113.5, not-an-address");
        assert_eq!(bucket_of(&identifier, "10.0.0.1", &headers), "ip:10.0.0.1");
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let identifier = identifier(&[]);
        let headers = HeaderMap::new();
        assert_eq!(
            bucket_of(&identifier, "2001:db8:1:2:aaaa::1", &headers),
            bucket_of(&identifier, "2001:db8:1:2:bbbb::9", &headers)
        );
        assert_eq!(
            bucket_of(&identifier, "::ffff:192.0.2.7", &headers),
            "ip:192.0.2.7"
        );
    }

    #[test]
    fn a_configured_api_key_gets_its_tier_and_an_unknown_one_is_refused() {
        let identifier = identifier(&[]);
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, HeaderValue::from_static(PARTNER_KEY));
        let client = identifier
            .identify("192.0.2.7".parse().unwrap(), &headers)
            .expect("known key");
        assert_eq!(client.tier.as_deref(), Some("partner"));
        assert!(!client.bucket.contains(PARTNER_KEY));
        headers.insert(
            API_KEY_HEADER,
            HeaderValue::from_static("some-other-key-000000"),
        );
        assert_eq!(
            identifier.identify("192.0.2.7".parse().unwrap(), &headers),
            Err(UnknownApiKey)
        );
    }

    #[test]
    fn an_api_key_of_an_unknown_tier_is_a_configuration_error_naming_it() {
        let settings = RateLimitSettings {
            api_keys: vec![ApiKeySettings {
                key: Secret::new(PARTNER_KEY.to_owned()),
                tier: "gold".to_owned(),
            }],
            ..RateLimitSettings::default()
        };
        let error = ClientIdentifier::new(&settings).unwrap_err().to_string();
        assert!(error.contains("api_keys[0].tier"), "{error}");
        assert!(!error.contains(PARTNER_KEY), "{error}");
    }
}
