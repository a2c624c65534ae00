//! Spreading a client's calls over every replica of a service. A target is a comma-separated
//! list of `http://host:port` URLs; a host that is a name (a Kubernetes headless Service, say) is
//! re-resolved every `replica_check_interval_ms`, and every address it resolves to is a replica.
//! Each replica's `grpc.health.v1` status is checked on the same interval: only SERVING replicas
//! receive calls, so one that goes away or reports NOT_SERVING (it is draining) leaves the
//! rotation within one interval, and one that comes back joins it again. When no replica is
//! serving, every resolved one stays in rotation so calls fail fast rather than wait. Calls go to
//! the less loaded of two random replicas in rotation (tower's power-of-two-choices balancer over
//! outstanding requests, as `Channel::balance_channel` builds it). Under mutual TLS every
//! replica is verified under the host name it was resolved from, and when the TLS files are
//! rotated every replica (and its probe) is inserted again, so new connections present the new
//! certificate.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tonic::transport::channel::Change;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use super::client::ClientSettings;
use super::tls::TlsMaterial;

/// How many endpoint changes may wait for the balancer.
const CHANGE_CAPACITY: usize = 64;

/// One `host:port` of a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Replicas {
    host: String,
    port: u16,
}

/// Parses `http://a:1,http://b:2` into its hosts; `None` when any part is not `http://host:port`.
pub(super) fn parse_targets(url: &str) -> Option<Vec<Replicas>> {
    url.split(',')
        .map(str::trim)
        .map(|part| {
            let uri: http::Uri = part.parse().ok()?;
            Some(Replicas {
                host: uri.host()?.trim_matches(['[', ']']).to_owned(),
                port: uri.port_u16()?,
            })
        })
        .collect()
}

/// Whether `targets` is one fixed address: then a plain channel does.
pub(super) fn is_single_address(targets: &[Replicas]) -> bool {
    matches!(targets, [only] if only.host.parse::<std::net::IpAddr>().is_ok())
}

/// A channel balancing over the replicas of `targets`, kept current by a background task that
/// ends when the channel is dropped.
pub(super) fn balanced_channel(
    targets: Vec<Replicas>,
    settings: &ClientSettings,
    tls: Option<TlsMaterial>,
) -> Channel {
    let (channel, changes) = Channel::balance_channel::<SocketAddr>(CHANGE_CAPACITY);
    tokio::spawn(keep_replicas_current(
        targets,
        settings.clone(),
        tls,
        changes,
    ));
    channel
}

struct Replica {
    /// The name the address was resolved from: what its certificate must name.
    host: String,
    probe: HealthClient<Channel>,
    in_rotation: bool,
}

/// How replicas are connected: settings plus the TLS material, if any.
struct Connecting {
    settings: ClientSettings,
    tls: Option<TlsMaterial>,
}

impl Connecting {
    fn endpoint(&self, address: SocketAddr, host: &str) -> Option<Endpoint> {
        let plain = endpoint(address, &self.settings, self.tls.is_some());
        let Some(material) = &self.tls else {
            return Some(plain);
        };
        match plain.tls_config(material.client_config().domain_name(host)) {
            Ok(endpoint) => Some(endpoint),
            Err(error) => {
                tracing::warn!(%address, error = %error, "cannot configure tls for a replica");
                None
            }
        }
    }

    fn replica(&self, address: SocketAddr, host: String) -> Replica {
        let probe_channel = self.endpoint(address, &host).map_or_else(
            // Unreachable in practice (the material parsed); a probe that never connects keeps
            // the replica out of rotation.
            || endpoint(address, &self.settings, false).connect_lazy(),
            |endpoint| endpoint.connect_lazy(),
        );
        Replica {
            host,
            probe: HealthClient::new(probe_channel),
            in_rotation: false,
        }
    }
}

async fn keep_replicas_current(
    targets: Vec<Replicas>,
    settings: ClientSettings,
    tls: Option<TlsMaterial>,
    changes: Sender<Change<SocketAddr, Endpoint>>,
) {
    let interval = Duration::from_millis(settings.replica_check_interval_ms.max(1));
    let mut rotations = tls.as_ref().map(TlsMaterial::generations);
    let connecting = Connecting { settings, tls };
    let settings = &connecting.settings;
    let mut replicas: HashMap<SocketAddr, Replica> = HashMap::new();
    let mut resolved = BTreeMap::new();
    while !changes.is_closed() {
        if let Some(addresses) = resolve(&targets).await {
            resolved = addresses;
        }
        let rotated = rotations.as_mut().is_some_and(|rotations| {
            let changed = rotations.has_changed().unwrap_or(false);
            rotations.mark_unchanged();
            changed
        });
        if rotated {
            tracing::info!("tls material rotated, reconnecting to every replica");
            // Dropping the replicas and taking them out makes the next round insert them anew.
            for (address, replica) in replicas.drain() {
                if replica.in_rotation && changes.send(Change::Remove(address)).await.is_err() {
                    return;
                }
            }
        }
        let gone: Vec<SocketAddr> = replicas
            .iter()
            .filter(|(address, replica)| replica.in_rotation && !resolved.contains_key(*address))
            .map(|(address, _)| *address)
            .collect();
        for address in gone {
            tracing::info!(%address, "replica no longer resolves, leaves the rotation");
            if changes.send(Change::Remove(address)).await.is_err() {
                return;
            }
        }
        replicas.retain(|address, _| resolved.contains_key(address));
        for (address, host) in &resolved {
            replicas
                .entry(*address)
                .or_insert_with(|| connecting.replica(*address, host.clone()));
        }
        let serving = serving_replicas(&replicas, settings).await;
        let wanted: BTreeSet<SocketAddr> = if serving.is_empty() {
            resolved.keys().copied().collect()
        } else {
            serving
        };
        if send_changes(&mut replicas, &wanted, &connecting, &changes)
            .await
            .is_err()
        {
            return;
        }
        tokio::time::sleep(interval).await;
    }
}

/// Every address of every target, with the host it came from; `None` when a name does not
/// resolve (keep the last ones).
async fn resolve(targets: &[Replicas]) -> Option<BTreeMap<SocketAddr, String>> {
    let mut addresses = BTreeMap::new();
    for target in targets {
        match tokio::net::lookup_host((target.host.as_str(), target.port)).await {
            Ok(found) => {
                addresses.extend(found.map(|address| (address, target.host.clone())));
            }
            Err(error) => {
                tracing::warn!(host = %target.host, %error, "cannot resolve replicas");
                return None;
            }
        }
    }
    Some(addresses)
}

async fn serving_replicas(
    replicas: &HashMap<SocketAddr, Replica>,
    settings: &ClientSettings,
) -> BTreeSet<SocketAddr> {
    let timeout = Duration::from_millis(settings.replica_check_timeout_ms.max(1));
    let checks = replicas.iter().map(|(address, replica)| {
        let mut probe = replica.probe.clone();
        async move {
            let request = HealthCheckRequest {
                service: String::new(),
            };
            let answer = tokio::time::timeout(timeout, probe.check(request)).await;
            let serving = matches!(
                answer,
                Ok(Ok(response)) if response.get_ref().status() == ServingStatus::Serving
            );
            serving.then_some(*address)
        }
    });
    futures_util::future::join_all(checks)
        .await
        .into_iter()
        .flatten()
        .collect()
}

async fn send_changes(
    replicas: &mut HashMap<SocketAddr, Replica>,
    wanted: &BTreeSet<SocketAddr>,
    connecting: &Connecting,
    changes: &Sender<Change<SocketAddr, Endpoint>>,
) -> Result<(), ()> {
    for (address, replica) in replicas.iter_mut() {
        let should_be_in = wanted.contains(address);
        if should_be_in == replica.in_rotation {
            continue;
        }
        let change = if should_be_in {
            let Some(endpoint) = connecting.endpoint(*address, &replica.host) else {
                continue;
            };
            tracing::info!(%address, "replica joins the rotation");
            Change::Insert(*address, endpoint)
        } else {
            tracing::info!(%address, "replica leaves the rotation");
            Change::Remove(*address)
        };
        changes.send(change).await.map_err(|_closed| ())?;
        replica.in_rotation = should_be_in;
    }
    Ok(())
}

/// The endpoint of one replica, connected as every Kensho channel is (`https` when TLS follows).
fn endpoint(address: SocketAddr, settings: &ClientSettings, https: bool) -> Endpoint {
    let uri = http::Uri::builder()
        .scheme(if https { "https" } else { "http" })
        .authority(address.to_string())
        .path_and_query("/")
        .build()
        .unwrap_or_default();
    Endpoint::from(uri)
        .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
        // Without TCP_NODELAY, small requests wait for the peer's delayed ACK (about 40 ms).
        .tcp_nodelay(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_separated_list_is_one_target_per_url() {
        let targets = parse_targets("http://10.0.0.5:50051, http://catalog:50052").expect("valid");

        assert_eq!(
            targets,
            [
                Replicas {
                    host: "10.0.0.5".to_owned(),
                    port: 50051
                },
                Replicas {
                    host: "catalog".to_owned(),
                    port: 50052
                },
            ]
        );
        assert!(!is_single_address(&targets));
    }

    #[test]
    fn one_ip_address_needs_no_balancing_but_one_name_does() {
        let address = parse_targets("http://127.0.0.1:50051").expect("valid");
        let name = parse_targets("http://kensho-catalog:50051").expect("valid");

        assert!(is_single_address(&address));
        assert!(!is_single_address(&name));
    }

    #[test]
    fn a_url_without_a_port_is_left_to_the_endpoint_parser() {
        assert_eq!(parse_targets("http://catalog"), None);
        assert_eq!(parse_targets("not a url"), None);
    }
}
