//! Middleware applying the fault plan to every request except the simulator's control routes
//! (`/_sim/faults`, `/_sim/stats`, `/_sim/health`), which must keep working during an outage.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::injector::FaultAction;
use super::responses::{fault_response, reset_connection};
use crate::state::SimState;

/// Paths faults never touch.
const CONTROL_PATHS: [&str; 3] = ["/_sim/faults", "/_sim/stats", "/_sim/health"];
/// Bytes per chunk of a slow body.
const SLOW_CHUNK_BYTES: usize = 1024;

/// Middleware: delays, replaces or degrades the answer as the first matching rule says.
pub(crate) async fn inject_faults(
    State(state): State<SimState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if CONTROL_PATHS.contains(&path) {
        return next.run(request).await;
    }
    let Some(decision) = state.faults.decide(request.method().as_str(), path) else {
        return next.run(request).await;
    };
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    match decision.action {
        FaultAction::Reset => reset_connection(),
        FaultAction::Respond {
            status,
            retry_after_seconds,
        } => fault_response(status, retry_after_seconds),
        FaultAction::Pass {
            slow_body_ms_per_kb,
        } => {
            let response = next.run(request).await;
            if slow_body_ms_per_kb == 0 {
                response
            } else {
                trickle(response, Duration::from_millis(slow_body_ms_per_kb)).await
            }
        }
    }
}

/// Re-sends a response's body 1 KiB at a time, waiting `per_chunk` before each chunk.
async fn trickle(response: Response, per_chunk: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return reset_connection();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(async move {
        let mut offset = 0;
        while offset < bytes.len() {
            let end = (offset + SLOW_CHUNK_BYTES).min(bytes.len());
            tokio::time::sleep(per_chunk).await;
            if sender.send(Ok(bytes.slice(offset..end))).await.is_err() {
                return;
            }
            offset = end;
        }
    });
    Response::from_parts(parts, Body::from_stream(ReceiverStream::new(receiver)))
}
