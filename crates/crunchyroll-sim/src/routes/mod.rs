//! Every route, one module per API area; each exposes `router()` and this module merges them.

mod auth;
mod content;
mod control;
mod discover;
mod media;
mod playback;
mod search;

use axum::Router;

use crate::state::SimState;

/// The imitated Crunchyroll API plus the `/_sim/` controls.
pub(crate) fn router() -> Router<SimState> {
    Router::new()
        .merge(auth::router())
        .merge(content::router())
        .merge(search::router())
        .merge(discover::router())
        .merge(playback::router())
        .merge(media::router())
        .merge(control::router())
}
