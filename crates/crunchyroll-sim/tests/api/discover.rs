//! Search (§4.2), browse (§4.7), seasonal tags (§4.8) and categories (§4.9).

use serde_json::{Value, json};

use crate::helpers::{spawn_sim, text};

fn group<'a>(body: &'a Value, kind: &str) -> &'a Value {
    body["data"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|group| group["type"] == kind)
        .unwrap_or_else(|| panic!("a {kind} group"))
}

#[tokio::test]
async fn search_answers_one_group_per_default_type_and_counts_groups() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json("/content/v2/discover/search?q=ATTACK%20ON%20TITAN", &token)
        .await;
    assert_eq!(body["total"], 4, "total counts groups");
    assert_eq!(body["meta"], json!({}));
    let kinds: Vec<&str> = body["data"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|group| group["type"].as_str().expect("type"))
        .collect();
    assert_eq!(kinds, ["top_results", "series", "movie_listing", "episode"]);
    let series = group(&body, "series");
    assert_eq!(series["count"], 1);
    assert_eq!(series["items"][0]["title"], "Attack on Titan");
    assert_eq!(series["items"][0]["type"], "series");
    assert!(series["items"][0]["search_metadata"]["score"].is_f64());
    assert!(series["items"][0]["series_metadata"]["episode_count"].is_u64());
    let movies = group(&body, "movie_listing");
    assert_eq!(movies["count"], 0);
    assert_eq!(movies["items"], json!([]), "empty groups are still present");
}

#[tokio::test]
async fn search_counts_every_hit_but_returns_one_page_and_accepts_limit() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json(
            "/content/v2/discover/search?q=season&type=series&n=2",
            &token,
        )
        .await;
    assert_eq!(body["total"], 1);
    let series = group(&body, "series");
    assert_eq!(series["count"], 0, "series titles are root titles");
    let body = sim
        .get_json(
            "/content/v2/discover/search?q=naruto&type=top_results,series&limit=1",
            &token,
        )
        .await;
    assert_eq!(body["total"], 2);
    let series = group(&body, "series");
    assert_eq!(series["count"], 1);
    assert_eq!(series["items"].as_array().map(Vec::len), Some(1));
    let body = sim
        .get_json(
            "/content/v2/discover/search?q=bebop&type=top_results&n=1&start=1",
            &token,
        )
        .await;
    let top = group(&body, "top_results");
    assert_eq!(top["count"], 2, "the series and the movie");
    assert_eq!(top["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn search_finds_episodes_by_their_generated_titles() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim
        .catalog
        .episode_by_number("Cowboy Bebop", 5)
        .expect("episode 5");
    let query = crate::helpers::encode(&episode.title.to_uppercase());
    let body = sim
        .get_json(
            &format!("/content/v2/discover/search?q={query}&type=episode&n=100"),
            &token,
        )
        .await;
    let episodes = group(&body, "episode");
    assert!(episodes["count"].as_u64().is_some_and(|count| count >= 1));
    let ids: Vec<String> = episodes["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| text(&item["id"]))
        .collect();
    assert!(ids.contains(&episode.id), "{} among {ids:?}", episode.id);
}

#[tokio::test]
async fn search_answers_music_under_music_video_and_unknown_types_empty() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json("/content/v2/discover/search?q=a&type=music,podcast", &token)
        .await;
    assert_eq!(group(&body, "musicVideo")["count"], 0);
    assert_eq!(group(&body, "podcast")["count"], 0);
}

#[tokio::test]
async fn browse_counts_every_match_and_pages_with_start_and_n() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let all = sim
        .get_json("/content/v2/discover/browse?n=100", &token)
        .await;
    let total = all["total"].as_u64().expect("total") as usize;
    assert_eq!(
        total,
        sim.catalog.series_count() + sim.catalog.movie_listing_count()
    );
    let series_only = sim
        .get_json(
            "/content/v2/discover/browse?type=series&n=5&start=10",
            &token,
        )
        .await;
    assert_eq!(series_only["total"], sim.catalog.series_count());
    let page = series_only["data"].as_array().expect("panels");
    assert_eq!(page.len(), 5);
    assert_eq!(
        page[0]["id"],
        all["data"]
            .as_array()
            .expect("panels")
            .iter()
            .filter(|panel| panel["type"] == "series")
            .nth(10)
            .expect("an 11th series")["id"]
    );
    let past_the_end = sim
        .get_json("/content/v2/discover/browse?start=100000", &token)
        .await;
    assert_eq!(past_the_end["data"], json!([]));
    assert_eq!(past_the_end["total"], total);
}

#[tokio::test]
async fn browse_filters_by_every_listed_category_and_by_seasonal_tag() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json(
            "/content/v2/discover/browse?type=series&categories=sports,comedy&n=100",
            &token,
        )
        .await;
    let panels = body["data"].as_array().expect("panels");
    assert!(!panels.is_empty());
    for panel in panels {
        let categories = &panel["series_metadata"]["tenant_categories"];
        for wanted in ["Sports", "Comedy"] {
            assert!(
                categories
                    .as_array()
                    .expect("categories")
                    .contains(&json!(wanted)),
                "{panel}"
            );
        }
    }
    let body = sim
        .get_json(
            "/content/v2/discover/browse?seasonal_tag=spring-2022&n=100",
            &token,
        )
        .await;
    let titles: Vec<String> = body["data"]
        .as_array()
        .expect("panels")
        .iter()
        .map(|panel| text(&panel["title"]))
        .collect();
    assert!(titles.contains(&"SPY x FAMILY".to_owned()), "{titles:?}");
    let nothing = sim
        .get_json(
            "/content/v2/discover/browse?categories=not-a-category",
            &token,
        )
        .await;
    assert_eq!(nothing["total"], 0);
}

#[tokio::test]
async fn browse_sorts_alphabetically_and_by_newest() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json(
            "/content/v2/discover/browse?sort_by=alphabetical&n=50",
            &token,
        )
        .await;
    let titles: Vec<String> = body["data"]
        .as_array()
        .expect("panels")
        .iter()
        .map(|panel| text(&panel["title"]).to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    let newest = sim
        .get_json(
            "/content/v2/discover/browse?sort_by=newly_added&type=series&n=1",
            &token,
        )
        .await;
    let launch_year = newest["data"][0]["series_metadata"]["series_launch_year"]
        .as_u64()
        .expect("a year");
    assert!(launch_year >= 2020, "{launch_year}");
}

#[tokio::test]
async fn seasonal_tags_list_newest_first_with_the_locale_in_meta() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json("/content/v2/discover/seasonal_tags", &token)
        .await;
    assert_eq!(body["meta"]["locale"], "en-US");
    let tags = body["data"].as_array().expect("tags");
    assert_eq!(body["total"], tags.len());
    let spring = tags
        .iter()
        .find(|tag| tag["id"] == "spring-2022")
        .expect("spring-2022");
    assert_eq!(spring["localization"]["title"], "Spring 2022");
    let years: Vec<u64> = tags
        .iter()
        .map(|tag| {
            text(&tag["id"])
                .rsplit('-')
                .next()
                .and_then(|y| y.parse().ok())
                .expect("a year")
        })
        .collect();
    assert!(years.windows(2).all(|pair| pair[0] >= pair[1]));
}

#[tokio::test]
async fn categories_have_flat_images_and_guid_selects_a_series() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = sim
        .get_json("/content/v2/discover/categories", &token)
        .await;
    assert_eq!(body["total"], 15);
    let action = &body["data"][0];
    assert_eq!(action["id"], "action");
    assert_eq!(action["localization"]["title"], "Action");
    let low = action["images"]["low"].as_array().expect("flat images");
    assert!(low[0]["source"].is_string(), "flat, not nested: {low:?}");
    let series = sim.catalog.series_by_title("Haikyu!!").expect("series");
    let body = sim
        .get_json(
            &format!("/content/v2/discover/categories?guid={}", series.id),
            &token,
        )
        .await;
    let ids: Vec<String> = body["data"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|category| text(&category["id"]))
        .collect();
    assert!(ids.contains(&"sports".to_owned()), "{ids:?}");
}
