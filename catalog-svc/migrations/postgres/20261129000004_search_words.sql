-- Every word of every search term, with a trigram index: misspelt query words are corrected to
-- the words the catalog really uses, then terms are found by word through the tsvector index.
-- Matching whole terms by trigram similarity instead costs more the larger the catalog grows.
CREATE TABLE search_word (
    word TEXT PRIMARY KEY
);
CREATE INDEX search_word_trgm_idx ON search_word USING gin (word gin_trgm_ops);

INSERT INTO search_word (word)
SELECT DISTINCT regexp_split_to_table(term, ' ') FROM search_term
ON CONFLICT (word) DO NOTHING;
