-- Crunchyroll mapping filled by the catalog sync, and the sync's own progress.

ALTER TABLE anime ADD COLUMN crunchyroll_series_id TEXT;
ALTER TABLE anime ADD COLUMN crunchyroll_season_id TEXT;
CREATE INDEX anime_crunchyroll_season_idx ON anime (crunchyroll_season_id);

ALTER TABLE episode ADD COLUMN crunchyroll_episode_id TEXT;
CREATE INDEX episode_crunchyroll_idx ON episode (crunchyroll_episode_id);

-- One row per sync run. `cursor` is the last Crunchyroll series id (in ascending order) whose
-- seasons are fully written: an interrupted run resumes after it.
CREATE TABLE sync_run (
    id BIGSERIAL PRIMARY KEY,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    cursor TEXT NOT NULL DEFAULT '',
    series_processed BIGINT NOT NULL DEFAULT 0,
    seasons_matched BIGINT NOT NULL DEFAULT 0,
    episodes_written BIGINT NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
);
