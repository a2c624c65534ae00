-- The planner prices pg_trgm's operators like plain comparisons, so on small and medium tables it
-- prefers a sequential scan that evaluates them on every row, which costs far more than the
-- trigram index. Pricing them nearer their real cost keeps search on the indexes. Changing an
-- extension's functions needs their owner; without that right search still works, only slower
-- on small catalogs.
DO $$
BEGIN
    ALTER FUNCTION similarity_op(text, text) COST 200;
    ALTER FUNCTION word_similarity_op(text, text) COST 200;
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm operator costs left unchanged: %', SQLERRM;
END
$$;
