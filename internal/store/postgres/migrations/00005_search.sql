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
-- tasks (D). head is the same without the days: small enough to stay in
-- the row, so ranking and suggestions never read the whole text.
CREATE TABLE plan_search (
    plan_id  uuid PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    head     tsvector NOT NULL,
    document tsvector NOT NULL
);
CREATE INDEX plan_search_document_idx ON plan_search USING gin (document);
CREATE INDEX plan_search_head_idx ON plan_search USING gin (head);

-- Every word of a published plan, of four letters or more: what a
-- misspelt word is corrected to. Words are never removed; a word no plan
-- has any more corrects to something that finds nothing.
CREATE TABLE search_vocabulary (
    word text PRIMARY KEY
);
CREATE INDEX search_vocabulary_trgm_idx ON search_vocabulary USING gin (word public.gin_trgm_ops);

-- +goose Down
DROP TABLE search_vocabulary;
DROP TABLE plan_search;
DROP TEXT SEARCH CONFIGURATION dharmaplans_search;
