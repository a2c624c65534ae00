//! The vocabulary synthetic records are built from: title words, title suffixes, tags, studios and
//! producers. Titles mix romaji and English the way real anime titles do.

/// Romaji words titles are assembled from, with [`ENGLISH_WORDS`], three to five at a time;
/// whitespace separates them.
pub const ROMAJI_WORDS: &str = "\
    kimi sora tensei shita ken yume hoshi tsuki hikari kage kaze umi yama mori hana sakura yuki \
    ame kumo natsu fuyu haru aki koi ai kokoro namida egao tomodachi senpai kouhai sensei \
    gakuen seitokai bukatsu mahou shoujo shounen yuusha maou hime ouji kishi samurai ninja \
    shinobi oni kitsune ryuu tenshi akuma shinigami majo kami sama isekai sekai monogatari \
    densetsu kiseki unmei eien mirai kako ima ashita kyou hajimari owari tabi michi tobira kagi \
    tsubasa hane honoo mizu tsuchi ikazuchi yoru asa hiru yuugure akatsuki hoshizora ginga \
    uchuu kaijuu robotto senshi sensou heiwa kakumei gekijou uta oto ongaku odori ryouri gohan \
    neko inu usagi tori sakana shiro kuro aka ao midori kin gin ore boku watashi anata minna \
    futari hitori saigo saikyou muteki dai chiisana ookina himitsu kiroku nikki tegami kotoba \
    namae kaeru mamoru tatakau aruku";

/// English words titles are assembled from, with [`ROMAJI_WORDS`]; whitespace separates them.
pub const ENGLISH_WORDS: &str = "\
    blade academy chronicle chronicles legend saga quest knight knights dragon dragons demon \
    lord hero heroes princess prince witch wizard magic spirit soul heart star stars moon sun \
    sky ocean storm thunder flame frost shadow light dark night dawn twilight eclipse galaxy \
    cosmos planet mecha steel iron gear code zero infinity phantom ghost rebellion revolution \
    requiem symphony melody rhapsody idol stage club school high girls boys brothers sisters \
    family guild dungeon tower kingdom empire world another beyond eternal last first new true \
    wild silent crimson azure golden silver black white lost hidden forgotten reborn rising \
    fallen wings arc frontier";

/// The possessive particle of romaji titles, as in "Kimi no Sora".
pub const PARTICLE: &str = "no";

/// Suffixes of sequels and finales, on some TV and ONA titles.
pub const SEQUEL_SUFFIXES: &[&str] = &[
    " Season 2",
    " Season 3",
    " 2nd Season",
    ": Final Chapter",
    ": Zoku-hen",
    " Kanketsu-hen",
];

/// Suffixes of films.
pub const MOVIE_SUFFIXES: &[&str] = &[" Movie", " The Movie", " Gekijouban"];

/// Suffixes of OVAs and specials.
pub const EXTRA_SUFFIXES: &[&str] = &[" OVA", " Specials", " Recap"];

/// Tags records carry: genres, demographics, themes and a few content advisories.
pub const TAGS: &[&str] = &[
    "action",
    "adventure",
    "comedy",
    "drama",
    "fantasy",
    "horror",
    "mystery",
    "psychological",
    "romance",
    "sci-fi",
    "slice of life",
    "sports",
    "supernatural",
    "suspense",
    "mahou shoujo",
    "shounen",
    "shoujo",
    "seinen",
    "josei",
    "kids",
    "school",
    "isekai",
    "military",
    "mecha",
    "music",
    "historical",
    "martial arts",
    "space",
    "vampire",
    "time travel",
    "reincarnation",
    "idols",
    "workplace",
    "gourmet",
    "samurai",
    "post-apocalyptic",
    "super power",
    "detective",
    "gore",
    "violence",
];

/// Animation studios.
pub const STUDIOS: &[&str] = &[
    "Madhouse",
    "Sunrise",
    "Bones",
    "Production I.G",
    "Kyoto Animation",
    "MAPPA",
    "Wit Studio",
    "ufotable",
    "A-1 Pictures",
    "CloverWorks",
    "Toei Animation",
    "Shaft",
    "Trigger",
    "P.A. Works",
    "J.C.Staff",
    "Studio Deen",
    "Silver Link",
    "Lerche",
    "David Production",
    "White Fox",
    "Studio Hoshizora",
    "Kumo Animation",
    "Tsubasa Pictures",
    "Studio Akatsuki",
];

/// Producers and production committees.
pub const PRODUCERS: &[&str] = &[
    "Aniplex",
    "Dentsu",
    "Kadokawa",
    "Shueisha",
    "Kodansha",
    "Shogakukan",
    "Pony Canyon",
    "Lantis",
    "Bandai Visual",
    "TOHO animation",
    "Mainichi Broadcasting System",
    "Tokyo MX",
    "Fuji TV",
    "Movic",
    "Square Enix",
    "Sega",
    "Nippon Columbia",
    "AT-X",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_are_unique_and_at_least_two_letters() {
        let words: Vec<&str> = ROMAJI_WORDS
            .split_whitespace()
            .chain(ENGLISH_WORDS.split_whitespace())
            .collect();
        let mut sorted = words.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), words.len());
        assert!(
            words
                .iter()
                .all(|word| word.len() >= 2 && *word != PARTICLE)
        );
    }
}
