-- The catalog schema for the embedded SQLite backend.

CREATE TABLE anime (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    title_normalized TEXT NOT NULL,
    anime_type TEXT NOT NULL,
    status TEXT NOT NULL,
    episode_count INTEGER NOT NULL,
    season TEXT,
    season_year INTEGER,
    synopsis TEXT NOT NULL DEFAULT '',
    picture TEXT NOT NULL DEFAULT '',
    thumbnail TEXT NOT NULL DEFAULT '',
    episode_duration_seconds INTEGER,
    studios TEXT NOT NULL DEFAULT '[]',
    producers TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX anime_title_idx ON anime (title_normalized);
CREATE INDEX anime_season_idx ON anime (season_year, season, title_normalized);

CREATE TABLE anime_synonym (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    synonym TEXT NOT NULL,
    PRIMARY KEY (anime_id, position)
);

CREATE TABLE anime_source (
    url TEXT PRIMARY KEY NOT NULL,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    position INTEGER NOT NULL
);
CREATE INDEX anime_source_anime_idx ON anime_source (anime_id);

CREATE TABLE tag (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL
);

CREATE TABLE anime_tag (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    PRIMARY KEY (anime_id, tag_id)
);
CREATE INDEX anime_tag_tag_idx ON anime_tag (tag_id);

-- Relations as the source data states them: links to other anime's source URLs.
CREATE TABLE anime_relation_link (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    target_source TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (anime_id, target_source)
);

-- Relations resolved between stored anime.
CREATE TABLE anime_relation (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    related_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (anime_id, related_id)
);

-- One relation per pair of stored anime; a sequel or prequel link wins over a plain one.
CREATE VIEW anime_relation_desired AS
SELECT l.anime_id AS anime_id,
       s.anime_id AS related_id,
       CASE
           WHEN MAX(CASE WHEN l.kind = 'SEQUEL' THEN 1 ELSE 0 END) = 1 THEN 'SEQUEL'
           WHEN MAX(CASE WHEN l.kind = 'PREQUEL' THEN 1 ELSE 0 END) = 1 THEN 'PREQUEL'
           ELSE 'RELATED'
       END AS kind
FROM anime_relation_link l
JOIN anime_source s ON s.url = l.target_source
WHERE s.anime_id <> l.anime_id
GROUP BY l.anime_id, s.anime_id;

CREATE TABLE episode (
    id INTEGER PRIMARY KEY,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    episode_number INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    duration_seconds INTEGER,
    air_date TEXT,
    synopsis TEXT NOT NULL DEFAULT '',
    thumbnail TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX episode_anime_number_idx ON episode (anime_id, episode_number);

-- Normalised titles and synonyms, the search index's content.
CREATE TABLE search_term (
    id INTEGER PRIMARY KEY,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    original TEXT NOT NULL,
    term_kind TEXT NOT NULL
);
CREATE INDEX search_term_term_idx ON search_term (term);
CREATE INDEX search_term_anime_idx ON search_term (anime_id);

-- Words of the terms, with a prefix index: finds terms holding every query word, in any order,
-- the last one possibly unfinished.
CREATE VIRTUAL TABLE search_term_fts USING fts5 (
    term,
    content = 'search_term',
    content_rowid = 'id',
    tokenize = 'unicode61',
    prefix = '2 3',
    detail = 'column'
);

CREATE TRIGGER search_term_fts_insert AFTER INSERT ON search_term BEGIN
    INSERT INTO search_term_fts (rowid, term) VALUES (new.id, new.term);
END;

CREATE TRIGGER search_term_fts_delete AFTER DELETE ON search_term BEGIN
    INSERT INTO search_term_fts (search_term_fts, rowid, term) VALUES ('delete', old.id, old.term);
END;

-- Every word of every term, with a trigram index: corrects a misspelt query word to the words
-- the catalog really uses before the terms are searched.
CREATE TABLE search_word (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE search_word_fts USING fts5 (
    word,
    content = 'search_word',
    content_rowid = 'id',
    tokenize = 'trigram',
    detail = 'none'
);

CREATE TRIGGER search_word_fts_insert AFTER INSERT ON search_word BEGIN
    INSERT INTO search_word_fts (rowid, word) VALUES (new.id, new.word);
END;
