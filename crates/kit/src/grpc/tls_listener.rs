//! Accepting TLS connections for a gRPC server: each accepted TCP connection completes its
//! handshake on a task of its own, bounded by `internal.tls.handshake_timeout_ms`, with the server
//! configuration current at that moment (so a rotated certificate is used from the next
//! connection on); connections that fail the handshake (a certificate from another CA, say) are
//! dropped and logged, never handed to the server.

use std::net::SocketAddr;

use futures_util::Stream;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::tls::TlsMaterial;

/// Handshaken connections that may wait for the server to take them.
const READY_CAPACITY: usize = 64;

/// The TLS connections arriving on `listener`; accepting stops when the stream is dropped.
pub(super) fn tls_incoming(
    listener: TcpListener,
    material: TlsMaterial,
) -> impl Stream<Item = Result<TlsStream<TcpStream>, std::io::Error>> {
    let (ready, receiver) = mpsc::channel(READY_CAPACITY);
    tokio::spawn(accept_connections(listener, material, ready));
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|connection| (Ok(connection), receiver))
    })
}

async fn accept_connections(
    listener: TcpListener,
    material: TlsMaterial,
    ready: mpsc::Sender<TlsStream<TcpStream>>,
) {
    loop {
        let accepted = tokio::select! {
            () = ready.closed() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((connection, peer)) => {
                tokio::spawn(handshake(connection, peer, material.clone(), ready.clone()));
            }
            // Out of descriptors and the like: the connection is lost, the listener is not.
            Err(error) => tracing::warn!(error = %error, "cannot accept a connection"),
        }
    }
}

async fn handshake(
    connection: TcpStream,
    peer: SocketAddr,
    material: TlsMaterial,
    ready: mpsc::Sender<TlsStream<TcpStream>>,
) {
    // Without TCP_NODELAY, small responses wait for the peer's delayed ACK (about 40 ms).
    if let Err(error) = connection.set_nodelay(true) {
        tracing::debug!(%peer, error = %error, "cannot set TCP_NODELAY");
    }
    let acceptor = TlsAcceptor::from(material.server_config());
    let timeout = material.settings().handshake_timeout();
    match tokio::time::timeout(timeout, acceptor.accept(connection)).await {
        Ok(Ok(stream)) => {
            // The server is gone when this fails: nothing left to hand the connection to.
            let _ = ready.send(stream).await;
        }
        Ok(Err(error)) => tracing::warn!(%peer, error = %error, "tls handshake refused"),
        Err(_elapsed) => tracing::warn!(%peer, ?timeout, "tls handshake timed out"),
    }
}
