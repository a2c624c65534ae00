//! Discovery beyond search: anime like one anime (shared tags weighted by rarity, plus typed
//! relations) and an anime's franchise (the prequel and sequel chain, in watch order).
//!
//! Both walk relations through the store's detail reads, one anime at a time, up to
//! `max_franchise_anime`: franchises are small, and the walk needs no query of its own.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::Catalog;
use crate::domain::{AnimeId, RelationKind, SearchLimit, Season};
use crate::error::CatalogError;
use crate::store::AnimeSummary;

/// The share of a similarity score that a direct relation adds (the rest is tag likeness).
const RELATION_SHARE: f64 = 0.2;

/// One anime like another.
#[derive(Clone, Debug, PartialEq)]
pub struct SimilarResult {
    /// The anime.
    pub anime: AnimeSummary,
    /// How alike, 0..1.
    pub score: f64,
    /// The tags both carry, rarest first.
    pub shared_tags: Vec<String>,
    /// How it relates to the anime asked about, when it does directly.
    pub relation: Option<RelationKind>,
}

/// The anime a walk reached and the prequel/sequel links between them.
struct Walk {
    anime: HashMap<String, AnimeSummary>,
    /// (earlier, later) pairs.
    links: Vec<(String, String)>,
}

/// How much a direct relation counts: a sequel or prequel more than a side story.
fn relation_weight(kind: RelationKind) -> f64 {
    match kind {
        RelationKind::Sequel | RelationKind::Prequel => 1.0,
        RelationKind::Related => 0.5,
    }
}

/// The order franchise entries fall back on: start year (unknown last), season, title, id.
fn chronological(left: &AnimeSummary, right: &AnimeSummary) -> Ordering {
    let season_rank = |season: Option<Season>| {
        season.and_then(|season| Season::ALL.iter().position(|known| *known == season))
    };
    (left.year.is_none(), left.year, season_rank(left.season))
        .cmp(&(right.year.is_none(), right.year, season_rank(right.season)))
        .then_with(|| left.title.cmp(&right.title))
        .then_with(|| left.id.as_str().cmp(right.id.as_str()))
}

/// The walk's anime with each before its sequels (Kahn's algorithm); among those the links
/// leave free, and to break a cycle the data may hold, the chronologically first goes first.
fn watch_order(walk: Walk) -> Vec<AnimeSummary> {
    let Walk { mut anime, links } = walk;
    let mut waiting_on: HashMap<&str, usize> = anime.keys().map(|id| (id.as_str(), 0)).collect();
    let mut later_of: HashMap<&str, Vec<&str>> = HashMap::new();
    let unique_links: BTreeSet<(&str, &str)> = links
        .iter()
        .map(|(earlier, later)| (earlier.as_str(), later.as_str()))
        .collect();
    for (earlier, later) in unique_links {
        if let Some(count) = waiting_on.get_mut(later) {
            *count += 1;
            later_of.entry(earlier).or_default().push(later);
        }
    }
    let mut ordered_ids: Vec<String> = Vec::with_capacity(anime.len());
    while !waiting_on.is_empty() {
        let first_free = waiting_on
            .iter()
            .filter(|(_, count)| **count == 0)
            .map(|(id, _)| *id)
            .min_by(|left, right| chronological(&anime[*left], &anime[*right]));
        let next = first_free.unwrap_or_else(|| {
            waiting_on
                .keys()
                .copied()
                .min_by(|left, right| chronological(&anime[*left], &anime[*right]))
                .unwrap_or_default()
        });
        waiting_on.remove(next);
        for later in later_of.get(next).into_iter().flatten() {
            if let Some(count) = waiting_on.get_mut(later) {
                *count = count.saturating_sub(1);
            }
        }
        ordered_ids.push(next.to_owned());
    }
    ordered_ids
        .into_iter()
        .filter_map(|id| anime.remove(&id))
        .collect()
}

impl Catalog {
    /// Caps the anime one franchise walk visits.
    pub fn with_franchise_limit(mut self, max_franchise_anime: u32) -> Self {
        self.max_franchise_anime = max_franchise_anime.max(1) as usize;
        self
    }

    /// The anime reachable from `start` through relations `follows` accepts, `start` included,
    /// with the prequel/sequel links among them.
    async fn walk(
        &self,
        start: &AnimeId,
        follows: impl Fn(RelationKind) -> bool,
    ) -> Result<Walk, CatalogError> {
        let first = self.anime(start).await?;
        let mut walk = Walk {
            anime: HashMap::new(),
            links: Vec::new(),
        };
        let mut queue = VecDeque::from([first]);
        let mut seen: HashSet<String> = HashSet::from([start.to_string()]);
        while let Some(detail) = queue.pop_front() {
            let id = detail.summary.id.to_string();
            for relation in &detail.relations {
                let related = relation.anime.id.to_string();
                match relation.kind {
                    RelationKind::Sequel => walk.links.push((id.clone(), related.clone())),
                    RelationKind::Prequel => walk.links.push((related.clone(), id.clone())),
                    RelationKind::Related => {}
                }
                let within_limit = seen.len() < self.max_franchise_anime;
                if follows(relation.kind) && within_limit && seen.insert(related) {
                    // Removed since the relation was read: the walk goes on without it.
                    if let Some(next) = self.store.get_anime(&relation.anime.id).await? {
                        queue.push_back(next);
                    }
                }
            }
            walk.anime.insert(id, detail.summary);
        }
        Ok(walk)
    }

    /// The franchise of an anime: every anime prequel and sequel links reach, in watch order.
    pub async fn franchise(&self, id: &AnimeId) -> Result<Vec<AnimeSummary>, CatalogError> {
        let walk = self.walk(id, |kind| kind != RelationKind::Related).await?;
        Ok(watch_order(walk))
    }

    /// The anime most like `id`, at most `limit`: by the tags they share, rarer tags weighing
    /// more, plus a share for a direct relation. The anime linked to it by any relation, directly
    /// or not, are left out unless `include_franchise`.
    pub async fn similar(
        &self,
        id: &AnimeId,
        limit: SearchLimit,
        include_franchise: bool,
    ) -> Result<Vec<SimilarResult>, CatalogError> {
        let detail = self.anime(id).await?;
        let direct: HashMap<String, RelationKind> = detail
            .relations
            .iter()
            .map(|relation| (relation.anime.id.to_string(), relation.kind))
            .collect();
        let excluded: HashSet<String> = if include_franchise {
            HashSet::from([id.to_string()])
        } else {
            self.walk(id, |_| true).await?.anime.into_keys().collect()
        };
        let mut ranked: HashMap<String, (f64, Vec<String>)> = self
            .index
            .alike(id.as_str())
            .into_iter()
            .map(|found| (found.anime_id, (found.likeness, found.shared_tags)))
            .collect();
        for related in direct.keys() {
            ranked.entry(related.clone()).or_insert((0.0, Vec::new()));
        }
        let mut scored: Vec<(String, f64, Vec<String>)> = ranked
            .into_iter()
            .filter(|(candidate, _)| !excluded.contains(candidate))
            .map(|(candidate, (likeness, shared_tags))| {
                let relation = direct
                    .get(&candidate)
                    .map_or(0.0, |kind| relation_weight(*kind));
                let score = (1.0 - RELATION_SHARE) * likeness + RELATION_SHARE * relation;
                (candidate, score, shared_tags)
            })
            .collect();
        scored.sort_by(|left, right| {
            right
                .1
                .total_cmp(&left.1)
                .then_with(|| left.0.cmp(&right.0))
        });
        scored.truncate(limit.get() as usize);
        let ids: Vec<AnimeId> = scored
            .iter()
            .map(|(candidate, _, _)| AnimeId::from_storage(candidate.clone()))
            .collect();
        let mut summaries = self.summaries_by_id(&ids).await?;
        Ok(scored
            .into_iter()
            .filter_map(|(candidate, score, shared_tags)| {
                Some(SimilarResult {
                    relation: direct.get(&candidate).copied(),
                    anime: summaries.remove(&candidate)?,
                    score,
                    shared_tags,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AnimeStatus, AnimeType};

    fn summary(id: &str, year: u32) -> AnimeSummary {
        AnimeSummary {
            id: AnimeId::from_storage(id.to_owned()),
            title: id.to_owned(),
            anime_type: AnimeType::Tv,
            status: AnimeStatus::Finished,
            episode_count: 12,
            season: Some(Season::Spring),
            year: Some(year),
            picture: String::new(),
            thumbnail: String::new(),
            score: None,
            popularity: 1,
        }
    }

    fn walk(anime: &[(&str, u32)], links: &[(&str, &str)]) -> Walk {
        Walk {
            anime: anime
                .iter()
                .map(|(id, year)| ((*id).to_owned(), summary(id, *year)))
                .collect(),
            links: links
                .iter()
                .map(|(earlier, later)| ((*earlier).to_owned(), (*later).to_owned()))
                .collect(),
        }
    }

    fn titles(walk: Walk) -> Vec<String> {
        watch_order(walk)
            .into_iter()
            .map(|anime| anime.title)
            .collect()
    }

    #[test]
    fn sequels_follow_their_prequels_even_against_the_calendar() {
        let anime = [("film", 2001), ("first", 2005), ("second", 2000)];
        let linked = walk(&anime, &[("first", "second"), ("first", "second")]);
        let cycle = walk(&anime, &[("first", "second"), ("second", "first")]);

        // The unlinked film comes by its year; a cycle in the data is broken at its earliest.
        assert_eq!(titles(linked), ["film", "first", "second"]);
        assert_eq!(titles(cycle), ["film", "second", "first"]);
    }

    #[test]
    fn a_chain_is_walked_in_link_order() {
        let walk = Walk {
            anime: [summary("c", 1990), summary("a", 2010), summary("b", 2000)]
                .into_iter()
                .map(|anime| (anime.id.to_string(), anime))
                .collect(),
            links: vec![
                ("a".to_owned(), "b".to_owned()),
                ("b".to_owned(), "c".to_owned()),
            ],
        };
        let order: Vec<String> = watch_order(walk)
            .into_iter()
            .map(|anime| anime.title)
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
