//! Kubernetes' service-link variables. For every Service in its namespace Kubernetes injects
//! `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORT_NAME>`, `<NAME>_PORT`
//! and `<NAME>_PORT_<NUMBER>_<PROTOCOL>` with its `_PROTO`, `_PORT` and `_ADDR` companions; for a
//! Service named `kensho-catalog` they all start with `KENSHO_`. They are recognised by name AND
//! value, so a mistyped configuration variable (`KENSHO_GATEWAY_PORT=8081`, whose value is no
//! `tcp://` address) still fails as an unknown key.

use std::net::IpAddr;

/// Whether the variable `name` (without the `KENSHO_` prefix, any case) holding `value` has
/// exactly the form of a Kubernetes service link. Configuration keys always contain `__`; no
/// service link does.
pub(super) fn is_service_link(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if name.contains("__") {
        return false;
    }
    if let Some(service) = name.strip_suffix("_service_host") {
        return !service.is_empty() && value.parse::<IpAddr>().is_ok();
    }
    if let Some((service, port_name)) = name.split_once("_service_port") {
        let names_a_port = port_name.is_empty() || port_name.starts_with('_');
        return !service.is_empty() && names_a_port && is_port_number(value);
    }
    if is_port_protocol_variable(&name, value) {
        return true;
    }
    name.strip_suffix("_port")
        .is_some_and(|service| !service.is_empty() && is_service_address(value))
}

/// `<NAME>_PORT_<NUMBER>_<PROTOCOL>` (an address) or one of its `_PROTO`, `_PORT` and `_ADDR`
/// companions.
fn is_port_protocol_variable(name: &str, value: &str) -> bool {
    let Some((service, tail)) = name.split_once("_port_") else {
        return false;
    };
    let mut parts = tail.split('_');
    let (Some(number), Some(protocol)) = (parts.next(), parts.next()) else {
        return false;
    };
    if service.is_empty() || !is_port_number(number) || !is_protocol(protocol) {
        return false;
    }
    match (parts.next(), parts.next()) {
        (None, None) => is_service_address(value),
        (Some("proto"), None) => is_protocol(&value.to_ascii_lowercase()),
        (Some("port"), None) => is_port_number(value),
        (Some("addr"), None) => value.parse::<IpAddr>().is_ok(),
        _ => false,
    }
}

/// `tcp://10.0.0.7:50051` and the like, IPv6 in brackets.
fn is_service_address(value: &str) -> bool {
    let Some((protocol, socket)) = value.split_once("://") else {
        return false;
    };
    is_protocol(&protocol.to_ascii_lowercase()) && socket.parse::<std::net::SocketAddr>().is_ok()
}

fn is_protocol(text: &str) -> bool {
    matches!(text, "tcp" | "udp" | "sctp")
}

fn is_port_number(text: &str) -> bool {
    text.parse::<u16>().is_ok_and(|port| port > 0)
}

#[cfg(test)]
mod tests {
    use super::is_service_link;

    #[test]
    fn every_variable_kubernetes_injects_for_a_service_is_recognised() {
        let injected = [
            ("CATALOG_SERVICE_HOST", "10.96.0.12"),
            ("CATALOG_SERVICE_PORT", "50051"),
            ("CATALOG_SERVICE_PORT_GRPC", "50051"),
            ("CATALOG_PORT", "tcp://10.96.0.12:50051"),
            ("CATALOG_PORT_50051_TCP", "tcp://10.96.0.12:50051"),
            ("CATALOG_PORT_50051_TCP_PROTO", "tcp"),
            ("CATALOG_PORT_50051_TCP_PORT", "50051"),
            ("CATALOG_PORT_50051_TCP_ADDR", "10.96.0.12"),
            ("STREAM_ADMIN_SERVICE_HOST", "fd00::7"),
            ("STREAM_ADMIN_PORT", "tcp://[fd00::7]:9467"),
        ];
        for (name, value) in injected {
            assert!(is_service_link(name, value), "{name}={value}");
        }
    }

    #[test]
    fn configuration_variables_and_typos_are_not_service_links() {
        let configuration = [
            ("CATALOG__PORT", "50051"),
            ("GATEWAY_PORT", "8081"),
            ("CATALOG_SERVICE_HOST", "catalog.internal"),
            ("CATALOG_SERVICE_PORT", "grpc"),
            ("CATALOG_PORT_50051_TCP", "10.96.0.12:50051"),
            ("CATALOG_PORT_50051_HTTP", "tcp://10.96.0.12:50051"),
            ("CATALOG_PORT_50051_TCP_HOST", "10.96.0.12"),
            ("_SERVICE_HOST", "10.96.0.12"),
            ("DATA_DIR", "/var/lib/kensho"),
        ];
        for (name, value) in configuration {
            assert!(!is_service_link(name, value), "{name}={value}");
        }
    }
}
