-- The catalog schema for the PostgreSQL backend. pg_trgm ships with PostgreSQL (contrib); creating
-- it needs a role allowed to create extensions, or an operator can create it beforehand.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE anime (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_normalized TEXT NOT NULL,
    anime_type TEXT NOT NULL,
    status TEXT NOT NULL,
    episode_count BIGINT NOT NULL,
    season TEXT,
    season_year BIGINT,
    synopsis TEXT NOT NULL DEFAULT '',
    picture TEXT NOT NULL DEFAULT '',
    thumbnail TEXT NOT NULL DEFAULT '',
    episode_duration_seconds BIGINT,
    studios TEXT NOT NULL DEFAULT '[]',
    producers TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX anime_title_idx ON anime (title_normalized);
CREATE INDEX anime_season_idx ON anime (season_year, season, title_normalized);

CREATE TABLE anime_synonym (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    synonym TEXT NOT NULL,
    PRIMARY KEY (anime_id, position)
);

CREATE TABLE anime_source (
    url TEXT PRIMARY KEY,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    position BIGINT NOT NULL
);
CREATE INDEX anime_source_anime_idx ON anime_source (anime_id);

CREATE TABLE tag (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL
);

CREATE TABLE anime_tag (
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
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
CREATE INDEX anime_relation_link_target_idx ON anime_relation_link (target_source);

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
           WHEN bool_or(l.kind = 'SEQUEL') THEN 'SEQUEL'
           WHEN bool_or(l.kind = 'PREQUEL') THEN 'PREQUEL'
           ELSE 'RELATED'
       END AS kind
FROM anime_relation_link l
JOIN anime_source s ON s.url = l.target_source
WHERE s.anime_id <> l.anime_id
GROUP BY l.anime_id, s.anime_id;

CREATE TABLE episode (
    id BIGSERIAL PRIMARY KEY,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    episode_number BIGINT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    duration_seconds BIGINT,
    air_date TEXT,
    synopsis TEXT NOT NULL DEFAULT '',
    thumbnail TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX episode_anime_number_idx ON episode (anime_id, episode_number);

-- Normalised titles and synonyms, the search index's content.
CREATE TABLE search_term (
    id BIGSERIAL PRIMARY KEY,
    anime_id TEXT NOT NULL REFERENCES anime (id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    original TEXT NOT NULL,
    term_kind TEXT NOT NULL,
    term_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', term)) STORED
);
CREATE INDEX search_term_anime_idx ON search_term (anime_id);
CREATE INDEX search_term_prefix_idx ON search_term (term text_pattern_ops);
CREATE INDEX search_term_trgm_idx ON search_term USING gin (term gin_trgm_ops);
CREATE INDEX search_term_vector_idx ON search_term USING gin (term_vector);
