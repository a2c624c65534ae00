//! The route table and the document agree: every route the router serves is an operation of
//! the document and the other way round. axum lists its routes only in its `Debug` output, so
//! the served set is read from there (path templates by route id, methods from each route's
//! `Allow` header).

use std::collections::BTreeSet;

use axum::Router;

use super::router;
use crate::state::AppState;

/// Methods the document may hold, as its keys spell them.
const DOCUMENTED_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Text between `start` and the next `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(start)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// (method, path template) of every route `router` serves, its fallback excepted.
fn served_routes(router: &Router<AppState>) -> BTreeSet<(String, String)> {
    let debug = format!("{router:?}");
    let (path_router, _) = debug
        .split_once("fallback_router")
        .expect("the router's Debug output names its fallback router");
    let (routes, node) = path_router
        .split_once("node: Node")
        .expect("the path router lists its routes, then its node");
    let allowed_by_route: Vec<(&str, &str)> = routes
        .split("RouteId(")
        .skip(1)
        .filter_map(|route| {
            let (route_id, rest) = route.split_once(')')?;
            Some((route_id, between(rest, "allow_header: Bytes(b\"", "\"")?))
        })
        .collect();
    node.split("RouteId(")
        .skip(1)
        .filter_map(|entry| {
            let (route_id, rest) = entry.split_once(')')?;
            Some((route_id, between(rest, "\"", "\"")?))
        })
        .flat_map(|(route_id, path)| {
            let allowed = allowed_by_route
                .iter()
                .find(|(id, _)| *id == route_id)
                .map_or("", |(_, allowed)| *allowed);
            allowed
                .split(',')
                // axum answers HEAD wherever it answers GET.
                .filter(|method| !method.is_empty() && *method != "HEAD")
                .map(|method| (method.to_ascii_lowercase(), path.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn documented_routes() -> BTreeSet<(String, String)> {
    let document = serde_json::to_value(crate::openapi_document()).expect("the document is JSON");
    let paths = document["paths"]
        .as_object()
        .expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            DOCUMENTED_METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(|method| ((*method).to_owned(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_document_describes_exactly_the_routes_the_router_serves() {
    let (router, _) = router(1, None).split_for_parts();

    let served = served_routes(&router);
    let documented = documented_routes();

    assert!(
        served.len() > 10,
        "too few routes read from the router: {served:?}"
    );
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let not_served: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && not_served.is_empty(),
        "served but not documented (register the route with `routes!` and `#[utoipa::path]`): \
         {undocumented:?}; documented but not served: {not_served:?}"
    );
}
