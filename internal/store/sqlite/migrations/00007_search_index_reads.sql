-- +goose Up
-- PostgreSQL's search indexes stop keeping a pending list here. FTS5
-- merges its segments as it goes (automerge); this merges what earlier
-- versions wrote into one b-tree, as 'optimize' does.
INSERT INTO plan_search_text (plan_search_text) VALUES ('optimize');

-- +goose Down
SELECT 1;
