//! Small word lists for deterministic episode titles and synthetic series names.

const ADJECTIVES: [&str; 32] = [
    "Silent",
    "Crimson",
    "Broken",
    "Hidden",
    "Endless",
    "Golden",
    "Lost",
    "Burning",
    "Frozen",
    "Distant",
    "Fallen",
    "Hollow",
    "Shining",
    "Restless",
    "Forgotten",
    "Final",
    "First",
    "Last",
    "Secret",
    "Wandering",
    "Quiet",
    "Stolen",
    "Rising",
    "Azure",
    "Bitter",
    "Gentle",
    "Iron",
    "Midnight",
    "Scarlet",
    "Wild",
    "Faded",
    "Eternal",
];

const NOUNS: [&str; 32] = [
    "Promise", "Blade", "Summer", "Dream", "Storm", "Moon", "Journey", "Truth", "Memory", "Flame",
    "Shadow", "Letter", "Festival", "Sky", "Rival", "Garden", "Train", "Oath", "Harbor", "Melody",
    "Crown", "Bridge", "Lantern", "Ocean", "Signal", "Winter", "Castle", "Voice", "Forest",
    "Beast", "Road", "Star",
];

const SERIES_SUFFIXES: [&str; 16] = [
    "Chronicles",
    "Academy",
    "Saga",
    "Online",
    "Requiem",
    "Frontier",
    "Diaries",
    "Rhapsody",
    "Legends",
    "Protocol",
    "Story",
    "Quest",
    "Odyssey",
    "Tales",
    "Club",
    "Overdrive",
];

fn pick<'a>(words: &[&'a str], bits: u64) -> &'a str {
    words[(bits % words.len() as u64) as usize]
}

/// A deterministic episode title for a hash, e.g. `The Silent Promise`.
pub(crate) fn episode_title(hash: u64) -> String {
    let adjective = pick(&ADJECTIVES, hash >> 8);
    let noun = pick(&NOUNS, hash >> 16);
    let other_noun = pick(&NOUNS, hash >> 24);
    match hash % 4 {
        0 => format!("The {adjective} {noun}"),
        1 => format!("{noun} and {other_noun}"),
        2 => format!("A {adjective} {noun}"),
        _ => format!("{noun} of the {adjective} {other_noun}"),
    }
}

/// A synthetic series title for a random draw, e.g. `Crimson Blade Chronicles`.
pub(crate) fn series_title(draw: u64) -> String {
    format!(
        "{} {} {}",
        pick(&ADJECTIVES, draw),
        pick(&NOUNS, draw >> 8),
        pick(&SERIES_SUFFIXES, draw >> 16)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_deterministic() {
        assert_eq!(episode_title(12_345), episode_title(12_345));
        assert_eq!(series_title(7), series_title(7));
    }
}
