//! Tag profiles: which tags each anime carries and which anime carry each tag, kept beside the
//! search index (and caught up with it), so "anime like this one" is an in-memory walk over the
//! posting lists of its tags instead of a query over the whole catalog.
//!
//! Likeness is the cosine of the anime's tag vectors weighted by inverse document frequency
//! (`ln(anime / anime carrying the tag)`): sharing a rare tag (`mecha`) counts far more than
//! sharing a common one (`action`), and an anime with many tags is not favoured for them.

use std::collections::HashMap;

/// One anime like another.
#[derive(Clone, Debug, PartialEq)]
pub struct TagMatch {
    /// The anime.
    pub anime_id: String,
    /// Cosine of the IDF-weighted tag vectors, 0..1.
    pub likeness: f64,
    /// The tags both carry, rarest first.
    pub shared_tags: Vec<String>,
}

/// Interned tags per anime and anime per tag.
#[derive(Default)]
pub struct TagProfiles {
    anime_ids: Vec<String>,
    anime_slots: HashMap<String, u32>,
    tags_of: Vec<Vec<u32>>,
    tag_names: Vec<String>,
    tag_slots: HashMap<String, u32>,
    holders: Vec<Vec<u32>>,
    tagged_anime: usize,
}

impl TagProfiles {
    /// Sets the tags of an anime (none forgets it).
    pub fn replace(&mut self, anime_id: &str, tags: &[String]) {
        let slot = self.anime_slot(anime_id);
        let old = std::mem::take(&mut self.tags_of[slot as usize]);
        if !old.is_empty() {
            self.tagged_anime -= 1;
        }
        for tag in old {
            self.holders[tag as usize].retain(|holder| *holder != slot);
        }
        let mut new: Vec<u32> = tags.iter().map(|tag| self.tag_slot(tag)).collect();
        new.sort_unstable();
        new.dedup();
        for tag in &new {
            self.holders[*tag as usize].push(slot);
        }
        if !new.is_empty() {
            self.tagged_anime += 1;
        }
        self.tags_of[slot as usize] = new;
    }

    /// Every anime sharing a tag with `anime_id` (itself excluded), most alike first, ties by id.
    pub fn alike(&self, anime_id: &str) -> Vec<TagMatch> {
        let Some(&target) = self.anime_slots.get(anime_id) else {
            return Vec::new();
        };
        let target_tags = &self.tags_of[target as usize];
        let target_norm = self.norm(target_tags);
        if target_norm == 0.0 {
            return Vec::new();
        }
        let mut overlap: HashMap<u32, f64> = HashMap::new();
        for tag in target_tags {
            let weight = self.idf(*tag).powi(2);
            for holder in &self.holders[*tag as usize] {
                if *holder != target {
                    *overlap.entry(*holder).or_default() += weight;
                }
            }
        }
        let mut matches: Vec<TagMatch> = overlap
            .into_iter()
            .filter(|(_, shared_weight)| *shared_weight > 0.0)
            .map(|(slot, shared_weight)| {
                let candidate_tags = &self.tags_of[slot as usize];
                let mut shared: Vec<u32> = target_tags
                    .iter()
                    .filter(|tag| candidate_tags.binary_search(tag).is_ok())
                    .copied()
                    .collect();
                shared.sort_by_key(|tag| self.holders[*tag as usize].len());
                TagMatch {
                    anime_id: self.anime_ids[slot as usize].clone(),
                    likeness: shared_weight / (target_norm * self.norm(candidate_tags)),
                    shared_tags: shared
                        .into_iter()
                        .map(|tag| self.tag_names[tag as usize].clone())
                        .collect(),
                }
            })
            .collect();
        matches.sort_by(|left, right| {
            right
                .likeness
                .total_cmp(&left.likeness)
                .then_with(|| left.anime_id.cmp(&right.anime_id))
        });
        matches
    }

    /// `ln(tagged anime / anime carrying the tag)`: 0 for a tag every anime carries.
    fn idf(&self, tag: u32) -> f64 {
        let carriers = self.holders[tag as usize].len().max(1) as f64;
        (self.tagged_anime.max(1) as f64 / carriers).ln()
    }

    /// The length of a tag vector weighted by IDF.
    fn norm(&self, tags: &[u32]) -> f64 {
        tags.iter()
            .map(|tag| self.idf(*tag).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    fn anime_slot(&mut self, anime_id: &str) -> u32 {
        if let Some(slot) = self.anime_slots.get(anime_id) {
            return *slot;
        }
        let slot = self.anime_ids.len() as u32;
        self.anime_ids.push(anime_id.to_owned());
        self.tags_of.push(Vec::new());
        self.anime_slots.insert(anime_id.to_owned(), slot);
        slot
    }

    fn tag_slot(&mut self, tag: &str) -> u32 {
        if let Some(slot) = self.tag_slots.get(tag) {
            return *slot;
        }
        let slot = self.tag_names.len() as u32;
        self.tag_names.push(tag.to_owned());
        self.holders.push(Vec::new());
        self.tag_slots.insert(tag.to_owned(), slot);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn profiles() -> TagProfiles {
        let mut profiles = TagProfiles::default();
        profiles.replace("gundam", &tags(&["action", "mecha", "space", "war"]));
        profiles.replace("macross", &tags(&["action", "mecha", "space", "music"]));
        profiles.replace("naruto", &tags(&["action", "ninja", "shounen"]));
        profiles.replace("bleach", &tags(&["action", "shounen", "swords"]));
        profiles.replace("k-on", &tags(&["music", "school", "comedy"]));
        profiles.replace("haikyuu", &tags(&["sports", "school", "shounen"]));
        profiles
    }

    #[test]
    fn sharing_rare_tags_counts_more_than_sharing_common_ones() {
        let alike = profiles().alike("gundam");
        let ids: Vec<&str> = alike.iter().map(|one| one.anime_id.as_str()).collect();
        assert_eq!(ids.first(), Some(&"macross"));
        assert_eq!(alike[0].shared_tags, ["mecha", "space", "action"]);
        assert!(!ids.contains(&"gundam"));
        assert!(!ids.contains(&"haikyuu"), "{ids:?}");
    }

    #[test]
    fn replacing_tags_moves_an_anime_between_posting_lists() {
        let mut profiles = profiles();
        profiles.replace("k-on", &tags(&["mecha", "space"]));
        let alike = profiles.alike("k-on");
        assert_eq!(alike[0].anime_id, "gundam");
        assert!(
            profiles
                .alike("haikyuu")
                .iter()
                .all(|one| one.anime_id != "k-on")
        );
        profiles.replace("k-on", &[]);
        assert!(profiles.alike("k-on").is_empty());
    }
}
