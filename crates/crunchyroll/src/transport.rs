//! The client's core: one pooled HTTP client, two protected upstreams (API and play service),
//! and the request-answer cycle every endpoint shares, which carries the current trace context
//! (`traceparent`) on every attempt.

use std::sync::Arc;
use std::time::Duration;

use kensho_kit::resilience::{Idempotency, Upstream};
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;

use crate::error::{CrunchyrollError, error_from_response, is_error_body};
use crate::settings::CrunchyrollSettings;

/// Which upstream a call goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// Authentication and content.
    Api,
    /// The play service.
    Play,
}

/// How an answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `/auth/v1/token`: 400 and 401 describe the grant.
    Token,
    /// Anything else.
    Other,
}

/// A Crunchyroll client: cheap to clone, every clone shares the pool, breakers and budgets.
#[derive(Clone, Debug)]
pub struct CrunchyrollClient {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) settings: CrunchyrollSettings,
    api: Upstream,
    play: Upstream,
}

impl CrunchyrollClient {
    /// A client for the configured Crunchyroll (or simulator).
    pub fn new(settings: CrunchyrollSettings) -> Result<Self, CrunchyrollError> {
        let http = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
            .pool_idle_timeout(Duration::from_millis(settings.pool_idle_timeout_ms))
            .pool_max_idle_per_host(settings.pool_max_idle_per_host)
            .tcp_keepalive(Duration::from_millis(settings.tcp_keepalive_ms))
            .tcp_nodelay(true)
            .build()?;
        let api = Upstream::new("crunchyroll-api", settings.api.clone());
        let play = Upstream::new("crunchyroll-play", settings.play.clone());
        Ok(CrunchyrollClient {
            inner: Arc::new(Inner {
                http,
                settings,
                api,
                play,
            }),
        })
    }

    /// The settings this client was built with.
    pub fn settings(&self) -> &CrunchyrollSettings {
        &self.inner.settings
    }

    /// The protected upstream of a host, for inspection (breaker state).
    pub fn upstream(&self, host: Host) -> &Upstream {
        match host {
            Host::Api => &self.inner.api,
            Host::Play => &self.inner.play,
        }
    }

    pub(crate) fn api_url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.inner.settings.api_base_url.trim_end_matches('/')
        )
    }

    pub(crate) fn play_url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.inner.settings.play_base_url.trim_end_matches('/')
        )
    }

    /// Sends the request `build` makes (once per attempt) and reads a JSON answer.
    pub(crate) async fn send_json<T, F>(
        &self,
        host: Host,
        name: &'static str,
        endpoint: Endpoint,
        idempotency: Idempotency,
        build: F,
    ) -> Result<T, CrunchyrollError>
    where
        T: DeserializeOwned,
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let body = self.send(host, name, endpoint, idempotency, build).await?;
        let body = if body.trim().is_empty() {
            "{}"
        } else {
            body.as_str()
        };
        let json: serde_json::Value = serde_json::from_str(body)
            .map_err(|error| CrunchyrollError::Decode(format!("{name}: {error}")))?;
        if is_error_body(&json) {
            return Err(error_from_response(
                reqwest::StatusCode::OK,
                &Default::default(),
                body,
                endpoint == Endpoint::Token,
            ));
        }
        serde_json::from_value(json)
            .map_err(|error| CrunchyrollError::Decode(format!("{name}: {error}")))
    }

    /// Sends the request `build` makes (once per attempt) and returns the body of a 2xx answer.
    pub(crate) async fn send<F>(
        &self,
        host: Host,
        name: &'static str,
        endpoint: Endpoint,
        idempotency: Idempotency,
        build: F,
    ) -> Result<String, CrunchyrollError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let upstream = self.upstream(host);
        let http = &self.inner.http;
        let result = upstream
            .call(name, idempotency, || async {
                // Inside the attempt's span: the upstream sees this attempt as its parent.
                let mut trace_headers = reqwest::header::HeaderMap::new();
                kensho_telemetry::propagation::inject_current(&mut trace_headers);
                let response = build(http).headers(trace_headers).send().await?;
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.text().await?;
                if status.is_success() {
                    Ok(body)
                } else {
                    Err(error_from_response(
                        status,
                        &headers,
                        &body,
                        endpoint == Endpoint::Token,
                    ))
                }
            })
            .await;
        result.map_err(CrunchyrollError::from)
    }
}
