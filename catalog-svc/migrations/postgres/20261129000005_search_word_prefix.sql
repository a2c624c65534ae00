-- Words by prefix: the last, possibly unfinished, query word is expanded to the catalog's words
-- it begins before the tsvector index is asked (a prefix tsquery scans far more of that index).
CREATE INDEX search_word_prefix_idx ON search_word (word text_pattern_ops);
