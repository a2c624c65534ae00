//! The layer that authenticates every incoming gRPC call before it reaches a service: a call
//! without the bearer its path requires gets UNAUTHENTICATED. `grpc.health.v1.Health` needs none
//! (Kubernetes' gRPC probes cannot present one); admin services need `internal.admin_credential`;
//! everything else (Kensho services, reflection) needs `internal.credential` (or the gateway's).
//! With `internal.tls`, every call but health's must also come over a connection whose client
//! presented a certificate of the CA (the handshake has already verified it). Each admitted call
//! carries an [`InternalCaller`] extension saying whether the gateway made it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::AUTHORIZATION;
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};

use super::trust::{Credential, InternalSettings};

/// Path prefix of the standard health service.
const HEALTH_PATH_PREFIX: &str = "/grpc.health.v1.Health/";
/// What precedes the credential in the `authorization` header.
const BEARER_PREFIX: &[u8] = b"Bearer ";

/// Who made an admitted internal call, as a request extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InternalCaller {
    /// The call presented the gateway's credential (or the ordinary one where no gateway
    /// credential is configured, or none on a server that runs open).
    pub is_gateway: bool,
}

/// What a call must present.
#[derive(Debug)]
enum Requirement {
    /// Nothing: no credential is configured.
    Open,
    /// This bearer.
    Bearer(Credential),
    /// Nothing is accepted: the admin services of a server with a credential but no admin one.
    Refused,
}

fn bearer(authorization: Option<&[u8]>) -> Option<&[u8]> {
    authorization.and_then(|value| value.strip_prefix(BEARER_PREFIX))
}

impl Requirement {
    fn is_met_by(&self, authorization: Option<&[u8]>) -> bool {
        match self {
            Requirement::Open => true,
            Requirement::Refused => false,
            Requirement::Bearer(credential) => {
                bearer(authorization).is_some_and(|presented| credential.matches(presented))
            }
        }
    }
}

/// Which calls need which credential on one server.
#[derive(Debug)]
struct Policy {
    ordinary: Requirement,
    admin: Requirement,
    /// `/{service name}/` of each admin service.
    admin_path_prefixes: Vec<String>,
    /// The gateway's own bearer, accepted wherever the ordinary one is.
    gateway: Option<Credential>,
    /// Whether calls must come with a client certificate (mutual TLS is configured).
    requires_client_certificate: bool,
}

impl Policy {
    /// Whether `authorization` admits a call to `path`, and whether it is the gateway's.
    fn admit(&self, path: &str, authorization: Option<&[u8]>) -> Option<InternalCaller> {
        let presented_gateway = self.gateway.as_ref().is_some_and(|gateway| {
            bearer(authorization).is_some_and(|presented| gateway.matches(presented))
        });
        let requirement = self.requirement(path);
        let admitted = match requirement {
            None => true,
            Some(Requirement::Bearer(_)) if presented_gateway => !self.is_admin(path),
            Some(requirement) => requirement.is_met_by(authorization),
        };
        if !admitted {
            return None;
        }
        let is_gateway = presented_gateway
            || (self.gateway.is_none()
                && matches!(
                    requirement,
                    Some(Requirement::Bearer(_) | Requirement::Open)
                ));
        Some(InternalCaller { is_gateway })
    }

    fn is_admin(&self, path: &str) -> bool {
        self.admin_path_prefixes
            .iter()
            .any(|prefix| path.starts_with(prefix.as_str()))
    }

    fn requirement(&self, path: &str) -> Option<&Requirement> {
        if path.starts_with(HEALTH_PATH_PREFIX) {
            return None;
        }
        Some(if self.is_admin(path) {
            &self.admin
        } else {
            &self.ordinary
        })
    }
}

/// Adds [`Authenticate`] to a server.
#[derive(Clone, Debug)]
pub struct AuthenticateLayer {
    policy: Arc<Policy>,
}

impl AuthenticateLayer {
    /// Requires the credentials of `internal`; the services named in `admin_services`
    /// (`kensho.catalog.v1.CatalogAdminService`) require the admin credential.
    pub fn new(internal: &InternalSettings, admin_services: &[&str]) -> Self {
        let ordinary = internal
            .credential
            .clone()
            .map_or(Requirement::Open, Requirement::Bearer);
        let admin = match (&internal.admin_credential, &internal.credential) {
            (Some(admin_credential), _) => Requirement::Bearer(admin_credential.clone()),
            (None, None) => Requirement::Open,
            (None, Some(_)) => Requirement::Refused,
        };
        let admin_path_prefixes = admin_services
            .iter()
            .map(|name| format!("/{name}/"))
            .collect();
        AuthenticateLayer {
            policy: Arc::new(Policy {
                ordinary,
                admin,
                admin_path_prefixes,
                gateway: internal.gateway_credential.clone(),
                requires_client_certificate: internal.tls.is_some(),
            }),
        }
    }
}

impl<S> tower::Layer<S> for AuthenticateLayer {
    type Service = Authenticate<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Authenticate {
            inner,
            policy: Arc::clone(&self.policy),
        }
    }
}

/// See the module docs.
#[derive(Clone, Debug)]
pub struct Authenticate<S> {
    inner: S,
    policy: Arc<Policy>,
}

impl<S, RequestBody, ResponseBody> tower::Service<http::Request<RequestBody>> for Authenticate<S>
where
    S: tower::Service<http::Request<RequestBody>, Response = http::Response<ResponseBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResponseBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: http::Request<RequestBody>) -> Self::Future {
        let path = request.uri().path();
        let is_health = path.starts_with(HEALTH_PATH_PREFIX);
        if self.policy.requires_client_certificate
            && !is_health
            && !has_client_certificate(&request)
        {
            tracing::warn!(path, "internal call refused: no client certificate");
            let status = tonic::Status::unauthenticated("a client certificate is required");
            return Box::pin(std::future::ready(Ok(status.into_http())));
        }
        let authorization = request
            .headers()
            .get(AUTHORIZATION)
            .map(http::HeaderValue::as_bytes);
        let Some(caller) = self.policy.admit(path, authorization) else {
            tracing::warn!(path, "internal call refused: missing or wrong credential");
            let status = tonic::Status::unauthenticated("missing or invalid internal credential");
            return Box::pin(std::future::ready(Ok(status.into_http())));
        };
        request.extensions_mut().insert(caller);
        Box::pin(self.inner.call(request))
    }
}

/// Whether the connection of `request` is TLS with a client certificate (already verified
/// against the CA by the handshake).
fn has_client_certificate<Body>(request: &http::Request<Body>) -> bool {
    request
        .extensions()
        .get::<TlsConnectInfo<TcpConnectInfo>>()
        .and_then(TlsConnectInfo::peer_certs)
        .is_some_and(|certificates| !certificates.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDINARY: &str = "ordinary-credential-0001";
    const ADMIN: &str = "admin-credential-000001";
    const ADMIN_SERVICE: &str = "kensho.catalog.v1.CatalogAdminService";

    fn layer(credential: Option<&str>, admin_credential: Option<&str>) -> AuthenticateLayer {
        let parse = |value: &str| Credential::parse(value.to_owned()).expect("valid");
        let internal = InternalSettings {
            credential: credential.map(parse),
            admin_credential: admin_credential.map(parse),
            ..InternalSettings::default()
        };
        AuthenticateLayer::new(&internal, &[ADMIN_SERVICE])
    }

    fn admit(
        layer: &AuthenticateLayer,
        path: &str,
        bearer: Option<&str>,
    ) -> Option<InternalCaller> {
        let header = bearer.map(|value| format!("Bearer {value}"));
        layer
            .policy
            .admit(path, header.as_deref().map(str::as_bytes))
    }

    fn allows(layer: &AuthenticateLayer, path: &str, bearer: Option<&str>) -> bool {
        admit(layer, path, bearer).is_some()
    }

    const GATEWAY: &str = "gateway-credential-00001";

    #[test]
    fn only_the_gateway_credential_marks_a_call_as_the_gateways() {
        let parse = |value: &str| Credential::parse(value.to_owned()).expect("valid");
        let with_gateway = AuthenticateLayer::new(
            &InternalSettings {
                credential: Some(parse(ORDINARY)),
                admin_credential: Some(parse(ADMIN)),
                gateway_credential: Some(parse(GATEWAY)),
                ..InternalSettings::default()
            },
            &[ADMIN_SERVICE],
        );
        let without_gateway = layer(Some(ORDINARY), Some(ADMIN));
        let login = "/kensho.auth.v1.AuthService/Login";
        let start_sync = "/kensho.catalog.v1.CatalogAdminService/StartSync";
        let from_gateway = |caller: Option<InternalCaller>| caller.map(|caller| caller.is_gateway);

        assert_eq!(
            from_gateway(admit(&with_gateway, login, Some(GATEWAY))),
            Some(true)
        );
        assert_eq!(
            from_gateway(admit(&with_gateway, login, Some(ORDINARY))),
            Some(false)
        );
        assert_eq!(
            from_gateway(admit(&with_gateway, login, Some("wrong-credential-00001"))),
            None
        );
        assert!(!allows(&with_gateway, start_sync, Some(GATEWAY)));
        assert_eq!(
            from_gateway(admit(&without_gateway, login, Some(ORDINARY))),
            Some(true)
        );
    }

    #[test]
    fn ordinary_paths_need_the_credential_and_health_needs_none() {
        let layer = layer(Some(ORDINARY), Some(ADMIN));
        let search = "/kensho.catalog.v1.CatalogService/SearchAnime";

        assert!(allows(&layer, search, Some(ORDINARY)));
        assert!(!allows(&layer, search, None));
        assert!(!allows(&layer, search, Some("wrong-credential-00001")));
        assert!(!allows(&layer, search, Some(ADMIN)));
        assert!(allows(&layer, "/grpc.health.v1.Health/Check", None));
    }

    #[test]
    fn admin_paths_need_the_admin_credential() {
        let layer = layer(Some(ORDINARY), Some(ADMIN));
        let start_sync = "/kensho.catalog.v1.CatalogAdminService/StartSync";

        assert!(allows(&layer, start_sync, Some(ADMIN)));
        assert!(!allows(&layer, start_sync, Some(ORDINARY)));
        assert!(!allows(&layer, start_sync, None));
    }

    #[test]
    fn without_an_admin_credential_admin_paths_follow_the_ordinary_one_into_refusal() {
        let closed = layer(Some(ORDINARY), None);
        let open = layer(None, None);
        let start_sync = "/kensho.catalog.v1.CatalogAdminService/StartSync";

        assert!(!allows(&closed, start_sync, Some(ORDINARY)));
        assert!(allows(&open, start_sync, None));
        assert!(allows(&open, "/kensho.auth.v1.AuthService/Login", None));
    }
}
