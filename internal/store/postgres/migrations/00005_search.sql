-- +goose Up
-- Search: a weighted document per published plan, and the vocabulary
-- misspellings are corrected against.
--
-- unaccent and pg_trgm come with PostgreSQL (contrib). They are created
-- in schema public, so that every schema of a database shares them, and
-- named with it. Creating an extension needs the CREATE privilege on the
-- database; where the application's role lacks it, an administrator runs
-- these two statements once before migrating (docs/search.md). The lock
-- keeps two migrations of different schemas from creating them at once.
SELECT pg_advisory_xact_lock(7233160240957300);
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- Text is folded (lower case, no diacritics) and split into words by the
-- application before it is indexed, the same for both engines; this
-- configuration also unaccents anything that reaches it.
CREATE TEXT SEARCH CONFIGURATION dharmaplans_search (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION dharmaplans_search
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple;

-- One row per published plan. document is all of it: title (weight A);
-- subtitle, topics and author names (B); description (C); days, items and
-- tasks (D). titles is the title, subtitle and keywords alone: small
-- enough to stay in the row, so that ranking and typeahead never read the
-- whole text. The plan's published revision and what the catalogue
-- filters and counts by are copied here, so a search reads no other table
-- until it has its page.
CREATE TABLE plan_search (
    plan_id      uuid PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    revision_id  uuid NOT NULL,
    tradition    text NOT NULL,
    level        text NOT NULL,
    language     text NOT NULL,
    day_count    integer NOT NULL,
    published_at timestamptz NOT NULL,
    sort_title   text NOT NULL,
    titles       tsvector NOT NULL,
    document     tsvector NOT NULL
);
CREATE INDEX plan_search_document_idx ON plan_search USING gin (document);
CREATE INDEX plan_search_titles_idx ON plan_search USING gin (titles);

-- The plans whose document matches q, with the rank of their titles
-- (ranking the head or the document costs ten times more, most of it for
-- words matched as prefixes) and what the catalogue filters by. The documents are large and kept out of
-- line (TOAST), which the planner does not count: for a word most plans
-- have, it would read every document rather than the GIN index, ten
-- times slower. Here the index is the only way.
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

-- Every word of a published plan, of four letters or more: what a
-- misspelt word is corrected to. Words are never removed; a word no plan
-- has any more corrects to something that finds nothing.
CREATE TABLE search_vocabulary (
    word text PRIMARY KEY
);
-- GiST, for pg_trgm's distance operator: the nearest words come straight
-- from the index.
CREATE INDEX search_vocabulary_trgm_idx ON search_vocabulary USING gist (word public.gist_trgm_ops);

-- +goose Down
DROP FUNCTION search_matches(tsquery);
DROP TABLE search_vocabulary;
DROP TABLE plan_search;
DROP TEXT SEARCH CONFIGURATION dharmaplans_search;
