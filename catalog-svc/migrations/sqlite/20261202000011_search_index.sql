-- Search moved to catalog-svc's own index (tantivy, in memory or under the data directory), built
-- from `search_term` at start and kept current by reading the anime changed since its last
-- catch-up: `updated_at_ms` (Unix milliseconds, written by every insert and update) says which.
ALTER TABLE anime ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX anime_updated_at_ms_idx ON anime (updated_at_ms);

-- The FTS5 indexes and the word vocabulary served the SQL candidate search that the index
-- replaces. An embedded database has one process, so nothing older still reads them.
DROP TRIGGER IF EXISTS search_term_fts_insert;
DROP TRIGGER IF EXISTS search_term_fts_delete;
DROP TABLE IF EXISTS search_term_fts;
DROP TRIGGER IF EXISTS search_word_fts_insert;
DROP TABLE IF EXISTS search_word_fts;
DROP TABLE IF EXISTS search_word;
DROP INDEX IF EXISTS search_term_term_idx;
