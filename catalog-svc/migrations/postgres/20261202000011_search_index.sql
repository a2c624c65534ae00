-- Search moved to catalog-svc's own index (tantivy, in memory or under the data directory), built
-- from `search_term` at start and kept current by reading the anime changed since its last
-- catch-up: `updated_at_ms` (Unix milliseconds, written by every insert and update) says which.
ALTER TABLE anime ADD COLUMN IF NOT EXISTS updated_at_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS anime_updated_at_ms_idx ON anime (updated_at_ms);

-- The SQL candidate search is gone. Its indexes only cost writes now; dropping them leaves the
-- previous release working (its search queries still run, more slowly) during a rolling upgrade.
-- The `search_word` table and the `search_term.term_vector` column, which that release still
-- writes and reads, are dropped by a later release (expand, then contract: docs/operations.md).
DROP INDEX IF EXISTS search_term_trgm_idx;
DROP INDEX IF EXISTS search_term_vector_idx;
DROP INDEX IF EXISTS search_term_prefix_idx;
DROP INDEX IF EXISTS search_word_trgm_idx;
DROP INDEX IF EXISTS search_word_prefix_idx;
