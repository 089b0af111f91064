-- +goose Up
-- PostgreSQL's vocabulary trigram index becomes GIN; SQLite's FTS5 trigram
-- table is unchanged. The version keeps both engines' migrations in step.
SELECT 1;

-- +goose Down
SELECT 1;
