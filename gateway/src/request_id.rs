//! Request ids: taken from the client's `x-request-id` when it is sensible, generated otherwise,
//! and echoed on the response. The deadline middleware hands the id on to every gRPC call the
//! request makes (see [`kensho_kit::grpc::CallContext`]).

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The request id header, on REST requests, responses and gRPC metadata alike.
pub static REQUEST_ID_HEADER: HeaderName =
    HeaderName::from_static(kensho_kit::grpc::REQUEST_ID_HEADER);

/// Longest accepted client-supplied id.
const MAX_REQUEST_ID_LENGTH: usize = 128;

/// The id of the current request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_client(value: &HeaderValue) -> Option<Self> {
        let text = value.to_str().ok()?;
        let is_sensible = !text.is_empty()
            && text.len() <= MAX_REQUEST_ID_LENGTH
            && text
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"-_.:".contains(&byte));
        is_sensible.then(|| RequestId(text.to_owned()))
    }

    fn generate() -> Self {
        RequestId(uuid::Uuid::new_v4().to_string())
    }
}

/// Assigns the request id before anything else runs, and echoes it on the response.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(RequestId::from_client)
        .unwrap_or_else(RequestId::generate);
    if let Ok(value) = HeaderValue::from_str(request_id.as_str()) {
        request
            .headers_mut()
            .insert(REQUEST_ID_HEADER.clone(), value);
    }
    request.extensions_mut().insert(request_id.clone());
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(request_id.as_str()) {
        response
            .headers_mut()
            .insert(REQUEST_ID_HEADER.clone(), value);
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate))
    }
}
