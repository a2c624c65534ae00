//! stream-svc's gRPC API against the Crunchyroll simulator, auth-svc and catalog-svc.

mod cache;
mod get_stream;
mod helpers;
mod identity;
mod limits;
