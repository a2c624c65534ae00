//! HTTP RED metrics of the gateway and its `/metrics` route: every request is timed into
//! `http_request_duration_seconds{method,route,status}` with `route` the matched template
//! (`/api/v1/anime/{id}`, or `unmatched`: never the raw path, which would make one series per
//! id), counted in `http_requests_in_flight` while it runs, and every problem response adds to
//! `http_errors_total{type}` by the slug of its error code.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use kensho_kit::ErrorCode;
use kensho_telemetry::metrics::names::{
    HTTP_ERRORS_TOTAL, HTTP_REQUEST_DURATION_SECONDS, HTTP_REQUESTS_IN_FLIGHT,
};

/// The `route` label of a request no route matched.
const UNMATCHED_ROUTE: &str = "unmatched";

/// Records the request's RED metrics (see the module docs).
pub async fn record_http_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || UNMATCHED_ROUTE.to_owned(),
        |matched| matched.as_str().to_owned(),
    );
    let in_flight = InFlight::enter();
    let response = next.run(request).await;
    drop(in_flight);
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_REQUEST_DURATION_SECONDS, "method" => method, "route" => route, "status" => status)
        .record(started.elapsed().as_secs_f64());
    if let Some(code) = response.extensions().get::<ErrorCode>() {
        metrics::counter!(HTTP_ERRORS_TOTAL, "type" => code.slug()).increment(1);
    }
    response
}

/// Static labels for the methods the API serves, so the common case allocates nothing.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// One request in `http_requests_in_flight`, left when dropped (also when the client goes away
/// and the request is cancelled).
struct InFlight;

impl InFlight {
    fn enter() -> Self {
        metrics::gauge!(HTTP_REQUESTS_IN_FLIGHT).increment(1.0);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(HTTP_REQUESTS_IN_FLIGHT).decrement(1.0);
    }
}
