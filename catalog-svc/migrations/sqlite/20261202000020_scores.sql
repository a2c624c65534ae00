-- Scores as the anime-offline-database records them (each where present), the one the list sorts
-- and filters by, and popularity: how many sources list the title.

ALTER TABLE anime ADD COLUMN score REAL;
ALTER TABLE anime ADD COLUMN score_arithmetic_geometric_mean REAL;
ALTER TABLE anime ADD COLUMN score_arithmetic_mean REAL;
ALTER TABLE anime ADD COLUMN score_median REAL;
ALTER TABLE anime ADD COLUMN popularity INTEGER NOT NULL DEFAULT 0;

UPDATE anime SET popularity = (SELECT COUNT(*) FROM anime_source s WHERE s.anime_id = anime.id);

CREATE INDEX anime_score_idx ON anime (score, id);
CREATE INDEX anime_popularity_idx ON anime (popularity, id);
CREATE INDEX anime_year_idx ON anime (season_year, id);
CREATE INDEX anime_episodes_idx ON anime (episode_count, id);
CREATE INDEX anime_title_id_idx ON anime (title_normalized, id);
