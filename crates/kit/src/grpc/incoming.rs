//! The layer every incoming gRPC call passes through: it reads the caller's request id and
//! deadline from the headers and runs the handler inside that [`CallContext`], so every call the
//! handler makes onwards inherits both. Cross-cutting concerns of incoming calls belong here.

use std::task::{Context, Poll};
use std::time::Instant;

use tokio::task::futures::TaskLocalFuture;

use super::context::CallContext;

/// Adds [`Incoming`] to a server.
#[derive(Clone, Copy, Debug, Default)]
pub struct IncomingLayer;

impl<S> tower::Layer<S> for IncomingLayer {
    type Service = Incoming<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Incoming { inner }
    }
}

/// See the module docs.
#[derive(Clone, Debug)]
pub struct Incoming<S> {
    inner: S,
}

impl<S, Body> tower::Service<http::Request<Body>> for Incoming<S>
where
    S: tower::Service<http::Request<Body>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = TaskLocalFuture<CallContext, S::Future>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let call_context = CallContext::from_headers(request.headers(), Instant::now());
        call_context.scope(self.inner.call(request))
    }
}
