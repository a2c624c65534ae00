//! Ranking: exact title > title prefix > synonym > fuzzy, then by similarity.

use std::collections::HashMap;

use strsim::normalized_damerau_levenshtein;

use super::trigrams;

/// Lowest fuzzy similarity (0..1) that still counts as a match.
const FUZZY_THRESHOLD: f32 = 0.62;

/// Whether a search term is an anime's title or one of its synonyms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// The main title.
    Title,
    /// A synonym: another language, a romanisation, an abbreviation.
    Synonym,
}

impl TermKind {
    /// The storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Title => "title",
            TermKind::Synonym => "synonym",
        }
    }

    /// The kind with this storage name; anything else is a synonym.
    pub fn from_name(name: &str) -> Self {
        if name == "title" {
            TermKind::Title
        } else {
            TermKind::Synonym
        }
    }
}

/// A stored term that the backend's index found close to the query.
#[derive(Clone, Debug)]
pub struct SearchCandidate {
    /// The anime the term belongs to.
    pub anime_id: String,
    /// The normalised term.
    pub term: String,
    /// The term as written.
    pub original: String,
    /// Title or synonym.
    pub kind: TermKind,
}

/// How a hit matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The title equals the query.
    Exact,
    /// The title, or a word of it, starts with the query.
    Prefix,
    /// A synonym equals or starts with the query.
    Synonym,
    /// Close enough despite typos.
    Fuzzy,
}

/// One ranked anime.
#[derive(Clone, Debug)]
pub struct RankedHit {
    /// The anime.
    pub anime_id: String,
    /// How it matched.
    pub kind: MatchKind,
    /// The title or synonym that matched, as written.
    pub matched: String,
    /// Similarity of the query to the matched term, 0..1.
    pub score: f32,
}

/// Ranks candidates for a normalised query and keeps the best `limit` anime.
pub fn rank_candidates(
    query: &str,
    candidates: Vec<SearchCandidate>,
    limit: usize,
) -> Vec<RankedHit> {
    let mut best_per_anime: HashMap<String, RankedHit> = HashMap::new();
    for candidate in candidates {
        let Some((kind, score)) = classify(query, &candidate) else {
            continue;
        };
        let hit = RankedHit {
            anime_id: candidate.anime_id,
            kind,
            matched: candidate.original,
            score,
        };
        match best_per_anime.get(&hit.anime_id) {
            Some(current) if !ranks_before(&hit, current) => {}
            _ => {
                best_per_anime.insert(hit.anime_id.clone(), hit);
            }
        }
    }
    let mut hits: Vec<RankedHit> = best_per_anime.into_values().collect();
    hits.sort_by(|left, right| {
        if ranks_before(left, right) {
            std::cmp::Ordering::Less
        } else if ranks_before(right, left) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    hits.truncate(limit);
    hits
}

/// Total order: match kind, then score, then the shorter matched text, then id for stability.
fn ranks_before(left: &RankedHit, right: &RankedHit) -> bool {
    left.kind
        .cmp(&right.kind)
        .then_with(|| right.score.total_cmp(&left.score))
        .then_with(|| left.matched.len().cmp(&right.matched.len()))
        .then_with(|| left.anime_id.cmp(&right.anime_id))
        .is_lt()
}

/// How a candidate matched and how closely. Spaces do not count when comparing whole texts, so a
/// query splitting or joining the title's words (`full metal alchemist`, `Fullmetal Alchemist`)
/// matches as if typed the title's way.
fn classify(query: &str, candidate: &SearchCandidate) -> Option<(MatchKind, f32)> {
    let term = candidate.term.as_str();
    let length_ratio = query.chars().count() as f32 / term.chars().count().max(1) as f32;
    let compact_term = term.replace(' ', "");
    let compact_query = query.replace(' ', "");
    let is_exact = term == query || compact_term == compact_query;
    let starts_with_query = term.starts_with(query) || compact_term.starts_with(&compact_query);
    let word_starts_with_query = !starts_with_query && term.contains(&format!(" {query}"));
    let direct_score = if is_exact {
        Some(1.0)
    } else if starts_with_query {
        Some(0.5 + 0.5 * length_ratio)
    } else if word_starts_with_query {
        Some(0.5 * length_ratio)
    } else {
        None
    };
    match (candidate.kind, direct_score) {
        (TermKind::Title, Some(score)) if is_exact => Some((MatchKind::Exact, score)),
        (TermKind::Title, Some(score)) => Some((MatchKind::Prefix, score)),
        (TermKind::Synonym, Some(score)) => Some((MatchKind::Synonym, score)),
        (_, None) => {
            let score = fuzzy_similarity(query, term);
            (score >= FUZZY_THRESHOLD).then_some((MatchKind::Fuzzy, score))
        }
    }
}

/// Word-level typo tolerance blended with whole-string trigram overlap. Each query word is scored
/// against its closest word of the term (a word the term word starts with scores high), so
/// "spy famly" is close to "spy x family"; the trigram part prefers terms with fewer extra words.
fn fuzzy_similarity(query: &str, term: &str) -> f32 {
    let term_words: Vec<&str> = term.split(' ').collect();
    let query_words: Vec<&str> = query.split(' ').collect();
    let word_score: f64 = query_words
        .iter()
        .map(|query_word| {
            term_words
                .iter()
                .map(|term_word| word_similarity(query_word, term_word))
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / query_words.len() as f64;
    if (word_score as f32) < FUZZY_THRESHOLD {
        return word_score as f32;
    }
    let overlap = trigram_overlap(query, term);
    (0.85 * word_score + 0.15 * overlap) as f32
}

/// Similarity of a query word to a stored word, 0..1: an unfinished word scores high against the
/// words it begins.
fn word_similarity(query_word: &str, term_word: &str) -> f64 {
    if query_word.chars().count() >= 3 && term_word.starts_with(query_word) {
        return 0.9;
    }
    normalized_damerau_levenshtein(query_word, term_word)
}

/// Jaccard similarity of the two texts' trigram sets.
fn trigram_overlap(left: &str, right: &str) -> f64 {
    let left_trigrams = trigrams(left);
    let right_trigrams = trigrams(right);
    if left_trigrams.is_empty() || right_trigrams.is_empty() {
        return 0.0;
    }
    let shared = left_trigrams
        .iter()
        .filter(|trigram| right_trigrams.contains(trigram))
        .count();
    shared as f64 / (left_trigrams.len() + right_trigrams.len() - shared) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::normalize;

    fn candidate(anime_id: &str, text: &str, kind: TermKind) -> SearchCandidate {
        SearchCandidate {
            anime_id: anime_id.to_owned(),
            term: normalize(text),
            original: text.to_owned(),
            kind,
        }
    }

    fn ranked_ids(query: &str, candidates: Vec<SearchCandidate>) -> Vec<String> {
        rank_candidates(&normalize(query), candidates, 10)
            .into_iter()
            .map(|hit| hit.anime_id)
            .collect()
    }

    #[test]
    fn exact_beats_prefix_beats_synonym_beats_fuzzy() {
        let candidates = vec![
            candidate("fuzzy", "Narto Gaiden", TermKind::Title),
            candidate("synonym", "Naruto Classic", TermKind::Synonym),
            candidate("prefix", "Naruto: Shippuden", TermKind::Title),
            candidate("exact", "Naruto", TermKind::Title),
        ];
        assert_eq!(
            ranked_ids("naruto", candidates),
            ["exact", "prefix", "synonym", "fuzzy"]
        );
    }

    #[test]
    fn typos_find_the_closest_title_first() {
        let candidates = vec![
            candidate("movie", "SPY x FAMILY CODE: White", TermKind::Title),
            candidate("season-2", "SPY x FAMILY Season 2", TermKind::Title),
            candidate("tv", "SPY x FAMILY", TermKind::Title),
            candidate("unrelated", "Family Guy", TermKind::Title),
        ];
        let ranked = ranked_ids("spy famly", candidates);
        assert_eq!(ranked.first().map(String::as_str), Some("tv"));
        assert!(!ranked.contains(&"unrelated".to_owned()), "{ranked:?}");
    }

    #[test]
    fn words_split_or_joined_differently_from_the_title_still_match_it_exactly() {
        let candidates = vec![
            candidate("fma", "Fullmetal Alchemist", TermKind::Title),
            candidate("fmp", "Full Metal Panic!", TermKind::Title),
        ];
        let joined = rank_candidates("full metal alchemist", candidates.clone(), 10);
        let split = rank_candidates("fullmetal", candidates, 10);
        assert_eq!(
            joined.first().map(|hit| (hit.anime_id.as_str(), hit.kind)),
            Some(("fma", MatchKind::Exact))
        );
        assert!(
            split
                .iter()
                .any(|hit| hit.anime_id == "fmp" && hit.kind == MatchKind::Prefix)
        );
    }

    #[test]
    fn an_anime_appears_once_with_its_best_match() {
        let candidates = vec![
            candidate("aot", "Shingeki no Kyojin", TermKind::Synonym),
            candidate("aot", "Attack on Titan", TermKind::Title),
        ];
        let hits = rank_candidates("shingeki", candidates, 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, MatchKind::Synonym);
        assert_eq!(hits[0].matched, "Shingeki no Kyojin");
    }
}
