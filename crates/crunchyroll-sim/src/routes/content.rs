//! The CMS routes (§4.3-4.6): series, seasons, episodes, movie listings, movies and objects by
//! id. Single resources answer a one-element envelope; lists of children are not paginated.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::catalog::model::ObjectRef;
use crate::errors::SimError;
use crate::state::SimState;
use crate::wire::Envelope;
use crate::wire::episode::EpisodeObject;
use crate::wire::movie::{MovieListingObject, MovieObject};
use crate::wire::panel::object_panel;
use crate::wire::season::SeasonObject;
use crate::wire::series::SeriesObject;

/// Most ids one objects request may name.
const MAX_OBJECT_IDS: usize = 100;

/// The CMS routes.
pub(super) fn router() -> Router<SimState> {
    Router::new()
        .route("/content/v2/cms/series/{series_id}", get(series))
        .route(
            "/content/v2/cms/series/{series_id}/seasons",
            get(series_seasons),
        )
        .route("/content/v2/cms/seasons/{season_id}", get(season))
        .route(
            "/content/v2/cms/seasons/{season_id}/episodes",
            get(season_episodes),
        )
        .route("/content/v2/cms/episodes/{episode_id}", get(episode))
        .route("/content/v2/cms/objects/{object_ids}", get(objects))
        .route(
            "/content/v2/cms/movie_listings/{movie_listing_id}",
            get(movie_listing),
        )
        .route(
            "/content/v2/cms/movie_listings/{movie_listing_id}/movies",
            get(movie_listing_movies),
        )
        .route("/content/v2/cms/movies/{movie_id}", get(movie))
}

type EnvelopeResult<T> = Result<Json<Envelope<T>>, SimError>;

async fn series(
    _caller: Caller,
    State(state): State<SimState>,
    Path(series_id): Path<String>,
) -> EnvelopeResult<SeriesObject> {
    let catalog = &state.catalog;
    let index = catalog.series_index(&series_id).ok_or(SimError::NotFound)?;
    let object = SeriesObject::new(catalog, &catalog.series[index as usize]);
    Ok(Json(Envelope::all(vec![object])))
}

async fn series_seasons(
    _caller: Caller,
    State(state): State<SimState>,
    Path(series_id): Path<String>,
) -> EnvelopeResult<SeasonObject> {
    let catalog = &state.catalog;
    let index = catalog.series_index(&series_id).ok_or(SimError::NotFound)?;
    let seasons = catalog.series[index as usize]
        .seasons
        .iter()
        .map(|&season| SeasonObject::new(catalog, &catalog.seasons[season as usize]))
        .collect();
    Ok(Json(Envelope::all(seasons)))
}

async fn season(
    _caller: Caller,
    State(state): State<SimState>,
    Path(season_id): Path<String>,
) -> EnvelopeResult<SeasonObject> {
    let catalog = &state.catalog;
    let index = catalog.season_index(&season_id).ok_or(SimError::NotFound)?;
    let object = SeasonObject::new(catalog, &catalog.seasons[index as usize]);
    Ok(Json(Envelope::all(vec![object])))
}

async fn season_episodes(
    caller: Caller,
    State(state): State<SimState>,
    Path(season_id): Path<String>,
) -> EnvelopeResult<EpisodeObject> {
    let catalog = &state.catalog;
    let index = catalog.season_index(&season_id).ok_or(SimError::NotFound)?;
    let episodes = catalog
        .season_episodes(index)
        .iter()
        .map(|episode| EpisodeObject::new(episode, caller.premium))
        .collect();
    Ok(Json(
        Envelope::all(episodes).with_meta("versions_considered", json!(true)),
    ))
}

async fn episode(
    caller: Caller,
    State(state): State<SimState>,
    Path(episode_id): Path<String>,
) -> EnvelopeResult<EpisodeObject> {
    let episode = state
        .catalog
        .episode(&episode_id)
        .ok_or(SimError::NotFound)?;
    Ok(Json(Envelope::all(vec![EpisodeObject::new(
        &episode,
        caller.premium,
    )])))
}

/// Unknown ids are left out (200 with only the found ones): the real behaviour is UNVERIFIED.
async fn objects(
    caller: Caller,
    State(state): State<SimState>,
    Path(object_ids): Path<String>,
) -> Json<Envelope<Value>> {
    let catalog = &state.catalog;
    let panels = object_ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .take(MAX_OBJECT_IDS)
        .filter_map(|id| catalog.resolve(id))
        .map(|object| object_panel(catalog, object, caller.premium))
        .collect();
    Json(Envelope::all(panels))
}

fn movie_listing_index(state: &SimState, id: &str) -> Result<usize, SimError> {
    match state.catalog.resolve(id) {
        Some(ObjectRef::MovieListing(index)) => Ok(index as usize),
        _ => Err(SimError::NotFound),
    }
}

async fn movie_listing(
    _caller: Caller,
    State(state): State<SimState>,
    Path(movie_listing_id): Path<String>,
) -> EnvelopeResult<MovieListingObject> {
    let index = movie_listing_index(&state, &movie_listing_id)?;
    let object = MovieListingObject::new(&state.catalog.movie_listings[index]);
    Ok(Json(Envelope::all(vec![object])))
}

async fn movie_listing_movies(
    _caller: Caller,
    State(state): State<SimState>,
    Path(movie_listing_id): Path<String>,
) -> EnvelopeResult<MovieObject> {
    let index = movie_listing_index(&state, &movie_listing_id)?;
    let object = MovieObject::new(&state.catalog.movie_listings[index]);
    Ok(Json(Envelope::all(vec![object])))
}

async fn movie(
    _caller: Caller,
    State(state): State<SimState>,
    Path(movie_id): Path<String>,
) -> EnvelopeResult<MovieObject> {
    let Some(ObjectRef::Movie(index)) = state.catalog.resolve(&movie_id) else {
        return Err(SimError::NotFound);
    };
    let object = MovieObject::new(&state.catalog.movie_listings[index as usize]);
    Ok(Json(Envelope::all(vec![object])))
}
