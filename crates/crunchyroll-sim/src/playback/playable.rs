//! What the play service can stream: episodes and movies, with what a play answer needs of them.

use crate::catalog::SimCatalog;
use crate::catalog::model::ObjectRef;
use crate::wire::episode::{EpisodeVersion, original_version};

/// A playable catalog item.
#[derive(Debug)]
pub(crate) struct Playable {
    pub(crate) title: String,
    pub(crate) duration_ms: u64,
    pub(crate) is_premium_only: bool,
    pub(crate) versions: Vec<EpisodeVersion>,
}

/// The episode or movie with this id.
pub(crate) fn playable(catalog: &SimCatalog, content_id: &str) -> Option<Playable> {
    match catalog.resolve(content_id)? {
        ObjectRef::Episode { season, position } => {
            let episode = catalog.episode_view(season, position)?;
            Some(Playable {
                title: episode.title.clone(),
                duration_ms: episode.season.episode_duration_ms,
                is_premium_only: episode.is_premium_only,
                versions: vec![original_version(&episode)],
            })
        }
        ObjectRef::Movie(index) => {
            let listing = catalog.movie_listings.get(index as usize)?;
            Some(Playable {
                title: listing.title.clone(),
                duration_ms: listing.duration_ms,
                is_premium_only: true,
                versions: Vec::new(),
            })
        }
        _ => None,
    }
}
