-- +goose Up
-- Documents now carry each synonym phrase they have as one word too
-- ("lovingkindness" for "loving kindness"), as PostgreSQL's queries look
-- for it (both engines index the same words). Emptied here, the index is
-- written anew for every published plan as migrating ends (app.MigrateUp).
DELETE FROM plan_search;

-- +goose Down
SELECT 1;
