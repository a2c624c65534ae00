//! Building and running the gateway: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kensho_cache::CacheHub;
use kensho_jwt::TokenSettings;
use kensho_kit::Shutdown;
use kensho_kit::flags::{FlagSettings, Flags};
use kensho_kit::grpc::{CallContext, InternalSettings, TlsMaterial, channel};
use kensho_kit::health::{Dependency, HealthMonitor, Requirement};
use kensho_kit::http_server::HttpServerSettings;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1::stream_service_client::StreamServiceClient;
use kensho_telemetry::metrics::{MetricsScopeLayer, ServiceMetrics};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::auth::JwksCache;
use crate::conditional::conditional_get;
use crate::edge_cache::{EdgeCache, edge_cache};
use crate::fields::select_fields;
use crate::metrics::record_http_metrics;
use crate::problem::{ApiError, render_problems};
use crate::rate_limit::{API_KEY_HEADER, RateLimits, SharedBuckets};
use crate::request_id::{REQUEST_ID_HEADER, RequestId, assign_request_id};
use crate::settings::GatewaySettings;
use crate::state::AppState;
use crate::{openapi, routes};

/// A gateway bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    router: Router,
    http: HttpServerSettings,
    drain_timeout: Duration,
    metrics: ServiceMetrics,
    health: HealthMonitor,
    flags: Flags,
    flag_settings: FlagSettings,
    /// Carries catalog-svc's invalidations to the edge cache.
    invalidations: Arc<CacheHub>,
    edge: EdgeCache,
}

/// The name the gateway's metrics and logs carry.
pub const SERVICE_NAME: &str = "gateway";

impl Application {
    /// Prepares backend channels (connected lazily, so the gateway starts while a backend is
    /// still starting; presenting the credential of `internal`) and binds the HTTP port; access
    /// tokens are accepted when they name the deployment of `tokens`.
    pub async fn build(
        settings: GatewaySettings,
        internal: &InternalSettings,
        tokens: &TokenSettings,
    ) -> anyhow::Result<Self> {
        // The gateway's own credential, so services can tell its calls from other services'.
        let credential = internal
            .gateway_credential
            .as_ref()
            .or(internal.credential.as_ref());
        if credential.is_none() {
            // Services that require the credential would refuse every call: say why up front.
            tracing::warn!(
                "no internal.credential configured: calls to the services carry no credential"
            );
        }
        let tls = internal.tls.as_ref().map(TlsMaterial::load).transpose()?;
        let tls = tls.as_ref();
        let catalog_channel = channel(
            &settings.catalog_url,
            &settings.grpc_client,
            credential,
            tls,
        )?;
        let auth_channel = channel(&settings.auth_url, &settings.grpc_client, credential, tls)?;
        let stream_channel = channel(&settings.stream_url, &settings.grpc_client, credential, tls)?;
        let mut dependencies = vec![
            Dependency::grpc_service(
                "catalog-svc",
                Requirement::Required,
                catalog_channel.clone(),
            ),
            Dependency::grpc_service("auth-svc", Requirement::Optional, auth_channel.clone()),
            Dependency::grpc_service("stream-svc", Requirement::Optional, stream_channel.clone()),
        ];
        if settings.rate_limit.enabled
            && let Some(url) = &settings.rate_limit.redis_url
        {
            // Optional: without Redis every replica limits on its own buckets.
            let buckets = Arc::new(SharedBuckets::new(url.expose(), &settings.rate_limit)?);
            dependencies.push(Dependency::new("redis", Requirement::Optional, move || {
                let buckets = Arc::clone(&buckets);
                async move { buckets.ping().await.map_err(|error| error.to_string()) }
            }));
        }
        let health = HealthMonitor::new(settings.health.clone(), dependencies);
        let flags = Flags::load(&settings.flags)?;
        let state = AppState {
            catalog: CatalogServiceClient::new(catalog_channel),
            health: health.clone(),
            auth: AuthServiceClient::new(auth_channel),
            stream: StreamServiceClient::new(stream_channel),
            jwks: JwksCache::new(Duration::from_secs(settings.jwks_cache_seconds)),
            token_deployment: Arc::new(tokens.clone()),
            retry_after_seconds: settings.retry_after_seconds,
            flags: flags.clone(),
        };
        let metrics = ServiceMetrics::new(SERVICE_NAME);
        let invalidations = CacheHub::new(&settings.edge_cache.redis)?;
        let (router, edge) = app(state, &settings, &metrics)?;
        edge.follow(&invalidations);
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        Ok(Application {
            listener,
            address,
            router,
            http: settings.http.clone(),
            drain_timeout: Duration::from_millis(settings.drain_timeout_ms),
            metrics,
            health,
            flags,
            flag_settings: settings.flags.clone(),
            invalidations,
            edge,
        })
    }

    /// The bound port (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Makes the edge cache also drop what `hub` delivers: in the all-in-one, catalog-svc's own
    /// hub, whose invalidations then need no Redis to arrive.
    pub fn follow_invalidations(&self, hub: &CacheHub) {
        self.edge.follow(hub);
    }

    /// The gateway's metrics registry (`main` also makes it the global recorder).
    pub fn metrics(&self) -> &ServiceMetrics {
        &self.metrics
    }

    /// Serves HTTP until `shutdown` fires; then reports not-ready at once, keeps accepting for
    /// the pre-stop delay, stops accepting and lets in-flight requests finish for at most the
    /// drain timeout.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        // A first round before serving, so the first probe already knows the backends.
        self.health.check_now().await;
        self.flags
            .spawn_reload(&self.flag_settings, shutdown.clone());
        self.invalidations.spawn_listener(shutdown.clone());
        let stop_accepting = self.health.stop_accepting_signal(&shutdown);
        tokio::spawn(self.health.run(shutdown));
        kensho_kit::http_server::serve(
            self.listener,
            self.router,
            &self.http,
            stop_accepting,
            self.drain_timeout,
            "gateway",
        )
        .await;
        Ok(())
    }
}

/// The whole HTTP application: routes (and `/metrics` over `metrics`) plus one middleware stack,
/// and a handle on its edge cache.
pub fn app(
    state: AppState,
    settings: &GatewaySettings,
    metrics: &ServiceMetrics,
) -> anyhow::Result<(Router, EdgeCache)> {
    let request_timeout = Duration::from_millis(settings.request_timeout_ms);
    // Outermost first: every request records into the gateway's registry and is timed with
    // its final status; security headers go on every response, errors included; the request id
    // exists before the trace span opens; the span covers CORS, the edge cache,
    // compression and problem rendering; the edge cache sits outside compression so it stores
    // (and replays) bodies compressed once; field selection rewrites successful bodies before they
    // are compressed; the timeout and body limit sit closest to the handlers so their errors are
    // rendered as problems too.
    let rate_limits = RateLimits::new(&settings.rate_limit)?;
    let edge = EdgeCache::new(
        &settings.edge_cache,
        rate_limits.clone(),
        state.flags.clone(),
    );
    let middleware = ServiceBuilder::new()
        .layer(MetricsScopeLayer::new(metrics.clone()))
        .layer(middleware::from_fn(record_http_metrics))
        .layer(middleware::from_fn_with_state(
            settings.hsts_max_age_seconds,
            security_headers,
        ))
        .layer(middleware::from_fn(assign_request_id))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(cors(&settings.cors_allowed_origins)?)
        .layer(middleware::from_fn_with_state(edge.clone(), edge_cache))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            render_problems,
        ))
        // Outside field selection, so the ETag hashes the body as sent (before compression).
        .layer(middleware::from_fn_with_state(
            settings.http_cache.clone(),
            conditional_get,
        ))
        .layer(middleware::from_fn(select_fields))
        .layer(middleware::from_fn_with_state(
            request_timeout,
            enforce_deadline,
        ))
        .layer(DefaultBodyLimit::max(settings.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes));
    if let Some(limits) = &rate_limits {
        let sampled_limits = Arc::clone(limits);
        metrics.add_sampler(move || sampled_limits.record_pool_metrics());
    }
    let scraped = metrics.clone();
    let (api, route_table) =
        routes::router(settings.max_concurrent_requests, rate_limits.as_ref()).split_for_parts();
    let router = api
        .merge(openapi::router(openapi::document(route_table)))
        .route(
            "/metrics",
            get(move || std::future::ready(kensho_kit::admin::metrics_response(&scraped))),
        )
        .layer(middleware)
        .with_state(state);
    Ok((router, edge))
}

fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map_or("", RequestId::as_str);
    let span = tracing::info_span!(
        "http_request",
        otel.name = %format_args!("{} {route}", request.method()),
        otel.kind = "server",
        service = "gateway",
        method = %request.method(),
        route,
        request_id
    );
    // A client's `traceparent` is continued: the request joins the caller's trace.
    kensho_telemetry::propagation::continue_from(&span, request.headers());
    span
}

/// Bounds the request by the configured timeout, and makes the same deadline (and the request
/// id) the budget of every gRPC call the request makes.
async fn enforce_deadline(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let call_context = CallContext {
        request_id: request
            .extensions()
            .get::<RequestId>()
            .map(|request_id| request_id.as_str().to_owned()),
        deadline: Some(Instant::now() + timeout),
    };
    match tokio::time::timeout(timeout, call_context.scope(next.run(request))).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

/// Headers that keep a browser from sniffing, framing or leaking API responses, and HSTS when the
/// request reached a TLS front end (`X-Forwarded-Proto: https`; the gateway itself speaks plain
/// HTTP behind it).
async fn security_headers(
    State(hsts_max_age_seconds): State<u64>,
    request: Request,
    next: Next,
) -> Response {
    let behind_tls = request
        .headers()
        .get(X_FORWARDED_PROTO)
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // A route that serves a page (the docs) sets its own policy.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if behind_tls
        && hsts_max_age_seconds > 0
        && let Ok(value) = HeaderValue::from_str(&format!(
            "max-age={hsts_max_age_seconds}; includeSubDomains"
        ))
    {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, value);
    }
    response
}

/// The header a TLS-terminating proxy sets to the scheme the client used.
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";

fn cors(allowed_origins: &[String]) -> anyhow::Result<CorsLayer> {
    let allow_origin = if allowed_origins.iter().any(|origin| origin == "*") {
        AllowOrigin::any()
    } else {
        let origins = allowed_origins
            .iter()
            .map(|origin| {
                HeaderValue::from_str(origin).map_err(|_| {
                    anyhow::anyhow!("gateway.cors_allowed_origins: invalid origin `{origin}`")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        AllowOrigin::list(origins)
    };
    Ok(CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            REQUEST_ID_HEADER.clone(),
            HeaderName::from_static(API_KEY_HEADER),
        ])
        .expose_headers([
            REQUEST_ID_HEADER.clone(),
            header::RETRY_AFTER,
            HeaderName::from_static("ratelimit-policy"),
            HeaderName::from_static("ratelimit"),
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
        ])
        .max_age(Duration::from_secs(600)))
}
