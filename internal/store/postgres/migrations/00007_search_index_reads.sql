-- +goose Up
-- How search reads its index (docs/search.md, docs/performance.md).
--
-- Documents now carry each synonym phrase they have as one word too
-- ("lovingkindness" for "loving kindness"), and queries look for that word
-- instead of the words in sequence: matching words in sequence made
-- PostgreSQL read every candidate's document again for the words'
-- positions, 300 ms for "metta" over 10,000 plans. Emptied here, the
-- index is written anew for every published plan as migrating ends
-- (app.MigrateUp).
TRUNCATE plan_search;

-- The search indexes are read on every search and typeahead request and
-- written only when a plan is published, archived or renamed. GIN's
-- "fast update" keeps new entries in an unsorted pending list that every
-- read scans in full until VACUUM merges it: after publishing 10,000
-- plans the titles index held all of them there, and each typeahead read
-- 463 pending pages. Without it, a publish writes its entries into the
-- index at once (a few milliseconds more) and reads never pay for it.
ALTER INDEX plan_search_document_idx SET (fastupdate = off);
ALTER INDEX plan_search_titles_idx SET (fastupdate = off);

-- A search's page is the plans whose titles match, by rank, then the
-- others newest first. For a word most plans have, the others come from
-- this index a few at a time instead of sorting every match.
CREATE INDEX plan_search_newest_idx ON plan_search (published_at DESC, plan_id DESC);

-- The store reads plan_search directly now, on connections that never
-- choose a sequential scan and plan each statement for its own words
-- (store.DB.Search), so that the planner can take the page from the index
-- above; a function's plan is made once for any words.
DROP FUNCTION search_matches(tsquery);

-- +goose Down
-- +goose StatementBegin
CREATE FUNCTION search_matches(q tsquery)
RETURNS TABLE (plan_id uuid, revision_id uuid, rank real, tradition text, level text, language text,
    day_count integer, published_at timestamptz)
LANGUAGE sql STABLE ROWS 1000
SET enable_seqscan = off SET enable_indexscan = off
AS $$
    SELECT s.plan_id, s.revision_id, ts_rank(s.titles, q), s.tradition, s.level, s.language, s.day_count, s.published_at
    FROM plan_search s WHERE s.document @@ q
$$;
-- +goose StatementEnd
DROP INDEX plan_search_newest_idx;
ALTER INDEX plan_search_document_idx RESET (fastupdate);
ALTER INDEX plan_search_titles_idx RESET (fastupdate);
