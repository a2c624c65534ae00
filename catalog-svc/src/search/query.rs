//! Index queries for a normalised query, after Meilisearch's rules: every word must match (the
//! last one as a prefix, the user may still be typing), a word may be written together with its
//! neighbour or apart from it, and the fuzzy stage allows typos by word length.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::TermFields;

/// Longest query whose neighbouring words are also tried written together; longer queries are
/// matched word by word only (each merge is one more conjunction to run).
const MAX_WORDS_TO_JOIN: usize = 8;
/// Shortest last word matched as the start of a word: a shorter one starts too many words to
/// be worth it, and the whole-term prefix still finds the terms it begins.
const MIN_WORD_PREFIX_CHARS: usize = 3;
/// Boosts that keep the likely best terms within the candidates the index proposes; ranking
/// orders them precisely afterwards.
const EXACT_BOOST: f32 = 20.0;
const WHOLE_PREFIX_BOOST: f32 = 5.0;
const EXACT_WORD_BOOST: f32 = 2.0;

/// How a query's words are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Words as typed: the term equals or starts with the query, or holds every word.
    Direct,
    /// Words within their typo budget.
    Fuzzy,
}

/// Typos tolerated in a word: none up to 4 characters, one up to 8, two beyond.
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The index query of a normalised, non-empty query at `stage`; `None` when the stage cannot
/// find more than the direct one (no word long enough for a typo).
pub(super) fn build(
    fields: &TermFields,
    normalized_query: &str,
    stage: Stage,
) -> Option<Box<dyn Query>> {
    let words: Vec<&str> = normalized_query.split(' ').collect();
    if stage == Stage::Fuzzy && words.iter().all(|word| typo_budget(word) == 0) {
        return None;
    }
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = word_variants(&words)
        .iter()
        .map(|variant| (Occur::Should, every_word(fields, variant, stage)))
        .collect();
    if stage == Stage::Direct {
        let whole = Term::from_field_text(fields.whole, normalized_query);
        alternatives.push((
            Occur::Should,
            boosted(
                TermQuery::new(whole.clone(), IndexRecordOption::Basic),
                EXACT_BOOST,
            ),
        ));
        alternatives.push((
            Occur::Should,
            boosted(
                FuzzyTermQuery::new_prefix(whole, 0, true),
                WHOLE_PREFIX_BOOST,
            ),
        ));
    }
    Some(Box::new(BooleanQuery::new(alternatives)))
}

/// The words as typed and, for each pair of neighbours, the words with that pair written
/// together (`full metal alchemist` → `fullmetal alchemist`, `full metalalchemist`).
fn word_variants(words: &[&str]) -> Vec<Vec<String>> {
    let mut variants = vec![
        words
            .iter()
            .map(|word| (*word).to_owned())
            .collect::<Vec<_>>(),
    ];
    if words.len() > MAX_WORDS_TO_JOIN {
        return variants;
    }
    for joined_at in 0..words.len().saturating_sub(1) {
        let mut variant: Vec<String> = Vec::with_capacity(words.len() - 1);
        variant.extend(words[..joined_at].iter().map(|word| (*word).to_owned()));
        variant.push(format!("{}{}", words[joined_at], words[joined_at + 1]));
        variant.extend(words[joined_at + 2..].iter().map(|word| (*word).to_owned()));
        variants.push(variant);
    }
    variants
}

/// Terms holding every word of `words`, each in the term's words or in its joined neighbours
/// (a query word the title writes as two), the last one as a prefix.
fn every_word(fields: &TermFields, words: &[String], stage: Stage) -> Box<dyn Query> {
    let last = words.len().saturating_sub(1);
    let clauses = words
        .iter()
        .enumerate()
        .map(|(position, word)| {
            let is_last = position == last;
            let mut forms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for field in [fields.words, fields.joined] {
                forms.extend(word_forms(field, word, is_last, stage));
            }
            let any_form: Box<dyn Query> = Box::new(BooleanQuery::new(forms));
            (Occur::Must, any_form)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The ways one word may match in one field at `stage`.
fn word_forms(
    field: Field,
    word: &str,
    is_last: bool,
    stage: Stage,
) -> Vec<(Occur, Box<dyn Query>)> {
    let term = Term::from_field_text(field, word);
    let mut forms: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        boosted(
            TermQuery::new(term.clone(), IndexRecordOption::WithFreqs),
            EXACT_WORD_BOOST,
        ),
    )];
    let budget = match stage {
        Stage::Direct => 0,
        Stage::Fuzzy => typo_budget(word),
    };
    let as_prefix = is_last && word.chars().count() >= MIN_WORD_PREFIX_CHARS;
    if as_prefix {
        forms.push((
            Occur::Should,
            Box::new(FuzzyTermQuery::new_prefix(term, budget, true)),
        ));
    } else if budget > 0 {
        forms.push((
            Occur::Should,
            Box::new(FuzzyTermQuery::new(term, budget, true)),
        ));
    }
    forms
}

fn boosted(query: impl Query, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typo_budget_grows_with_the_word() {
        assert_eq!(typo_budget("naru"), 0);
        assert_eq!(typo_budget("narut"), 1);
        assert_eq!(typo_budget("shingeki"), 1);
        assert_eq!(typo_budget("fullmetal"), 2);
    }

    #[test]
    fn neighbouring_words_are_also_tried_together() {
        let variants = word_variants(&["full", "metal", "alchemist"]);
        assert_eq!(
            variants,
            [
                vec!["full", "metal", "alchemist"],
                vec!["fullmetal", "alchemist"],
                vec!["full", "metalalchemist"],
            ]
        );
    }
}
