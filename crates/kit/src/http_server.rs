//! The one way a Kensho process serves HTTP (the gateway, the simulator, the admin ports): hyper
//! with TCP_NODELAY on every connection, a header read timeout (slow or idle clients do not hold
//! a connection forever), a cap on open connections and on the size of a request head, HTTP/1.1
//! keep-alive and HTTP/2 keep-alive pings from configuration, the peer's address for handlers
//! (`ConnectInfo<SocketAddr>`), and a bounded drain on shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::Shutdown;

/// hyper's smallest read buffer, and so the smallest request-head limit.
const MIN_HEADER_BYTES: usize = 8192;

/// How long to pause accepting after an error such as running out of file descriptors, so the
/// loop does not spin while the condition lasts.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Connection limits of an HTTP server (an `http` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpServerSettings {
    /// How long a client may take to send a request's headers, in milliseconds; also how long an
    /// idle keep-alive connection stays open waiting for the next request.
    pub header_read_timeout_ms: u64,
    /// Whether HTTP/1.1 connections are kept open between requests.
    pub keep_alive: bool,
    /// Interval of HTTP/2 keep-alive pings, in milliseconds; 0 sends none.
    pub http2_keep_alive_interval_ms: u64,
    /// How long an HTTP/2 ping may go unanswered before the connection closes, in milliseconds.
    pub http2_keep_alive_timeout_ms: u64,
    /// Most concurrent HTTP/2 streams per connection.
    pub http2_max_concurrent_streams: u32,
    /// Most open connections; beyond it, new connections wait in the listen backlog until one
    /// closes.
    pub max_connections: usize,
    /// Largest request head (request line and headers), in bytes; 431 beyond. At least 8192.
    pub max_header_bytes: usize,
}

impl Default for HttpServerSettings {
    fn default() -> Self {
        HttpServerSettings {
            header_read_timeout_ms: 10_000,
            keep_alive: true,
            http2_keep_alive_interval_ms: 30_000,
            http2_keep_alive_timeout_ms: 10_000,
            http2_max_concurrent_streams: 256,
            max_connections: 10_000,
            max_header_bytes: 16 * 1024,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` fires; then stops accepting, lets in-flight
/// requests finish for at most `drain_timeout`, and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: &HttpServerSettings,
    shutdown: Shutdown,
    drain_timeout: Duration,
    process_name: &'static str,
) {
    let builder = connection_builder(settings);
    let connections = GracefulShutdown::new();
    let connection_slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let address = listener.local_addr().ok();
    tracing::info!(service = process_name, ?address, "listening");
    loop {
        // A slot first: at the cap, connections wait in the kernel's backlog, not in memory here.
        let slot = tokio::select! {
            slot = Arc::clone(&connection_slots).acquire_owned() => slot,
            () = shutdown.wait() => break,
        };
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.wait() => break,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            Err(error) => {
                tracing::warn!(service = process_name, %error, "cannot accept a connection");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        let connection = builder
            .serve_connection(prepare(stream), per_connection(router.clone(), peer))
            .into_owned();
        let served = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = served.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    tracing::info!(service = process_name, "draining in-flight requests");
    tokio::select! {
        () = connections.shutdown() => {}
        () = shutdown.drain_deadline(drain_timeout) => {
            tracing::warn!(service = process_name, ?drain_timeout, "drain timed out, stopping");
        }
    }
}

fn connection_builder(settings: &HttpServerSettings) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(settings.header_read_timeout_ms))
        .keep_alive(settings.keep_alive)
        .max_buf_size(settings.max_header_bytes.max(MIN_HEADER_BYTES));
    let ping_interval = (settings.http2_keep_alive_interval_ms > 0)
        .then(|| Duration::from_millis(settings.http2_keep_alive_interval_ms));
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(ping_interval)
        .keep_alive_timeout(Duration::from_millis(settings.http2_keep_alive_timeout_ms))
        .max_concurrent_streams(settings.http2_max_concurrent_streams)
        .max_header_list_size(u32::try_from(settings.max_header_bytes).unwrap_or(u32::MAX));
    builder
}

fn prepare(stream: TcpStream) -> TokioIo<TcpStream> {
    // Without TCP_NODELAY, small responses wait for the peer's delayed ACK (about 40 ms).
    if let Err(error) = stream.set_nodelay(true) {
        tracing::warn!(%error, "cannot set TCP_NODELAY");
    }
    TokioIo::new(stream)
}

/// The router for one connection, telling handlers the peer's address.
fn per_connection(
    router: Router,
    peer: SocketAddr,
) -> TowerToHyperService<
    tower::util::MapRequest<
        Router,
        impl FnMut(http::Request<Incoming>) -> http::Request<Incoming> + Clone,
    >,
> {
    let service = router.map_request(move |mut request: http::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    TowerToHyperService::new(service)
}
