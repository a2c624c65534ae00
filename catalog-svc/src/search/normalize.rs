//! Text normalisation: case folding, accent stripping and punctuation removal.

use deunicode::deunicode_char;

/// Folds text for matching: lowercase, Latin accents stripped (`é` → `e`, `×` → `x`), full-width
/// forms narrowed, every run of non-alphanumeric characters turned into one space. Other scripts
/// (Japanese, Korean, ...) are kept as they are, lowercased.
pub fn normalize(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_ascii() {
            folded.push(character.to_ascii_lowercase());
        } else if is_foldable(character) {
            match deunicode_char(character) {
                // A folded letter joins its word ("é" in "Pokémon"); a folded symbol stands
                // apart ("×" in "SPY×FAMILY" reads "spy x family").
                Some(ascii) if character.is_alphabetic() => {
                    folded.push_str(&ascii.to_ascii_lowercase())
                }
                Some(ascii) => {
                    folded.push(' ');
                    folded.push_str(&ascii.to_ascii_lowercase());
                    folded.push(' ');
                }
                None => folded.push(' '),
            }
        } else {
            folded.extend(character.to_lowercase());
        }
    }
    let mut normalized = String::with_capacity(folded.len());
    for word in folded.split(|character: char| !character.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.push_str(word);
    }
    normalized
}

/// Latin letters with diacritics, Latin-1 symbols such as `×`, and full-width ASCII forms.
fn is_foldable(character: char) -> bool {
    matches!(character as u32,
        0x00A0..=0x024F | 0x1E00..=0x1EFF | 0x2000..=0x206F | 0xFF01..=0xFF5E)
}

/// The distinct character trigrams of normalised text, in order of first appearance, skipping
/// those that are only spaces.
pub fn trigrams(normalized: &str) -> Vec<String> {
    let characters: Vec<char> = normalized.chars().collect();
    let mut seen = Vec::new();
    for window in characters.windows(3) {
        let trigram: String = window.iter().collect();
        if trigram.trim().is_empty() || seen.contains(&trigram) {
            continue;
        }
        seen.push(trigram);
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_punctuation_are_folded() {
        assert_eq!(normalize("SPY×FAMILY"), "spy x family");
        assert_eq!(normalize("  Pokémon:  The Movie!! "), "pokemon the movie");
        assert_eq!(
            normalize("Re:ZERO -Starting Life-"),
            "re zero starting life"
        );
        assert_eq!(normalize("ＳＰＹ"), "spy");
        assert_eq!(normalize("進撃の巨人"), "進撃の巨人");
    }

    #[test]
    fn trigrams_skip_blank_and_repeated_windows() {
        assert_eq!(trigrams("ab"), Vec::<String>::new());
        assert_eq!(trigrams("aaaa"), vec!["aaa".to_owned()]);
        assert_eq!(trigrams("ab cd"), vec!["ab ", "b c", " cd"]);
    }
}
