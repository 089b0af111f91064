-- +goose Up
-- The search indexes are read on every search and typeahead request and
-- written only when a plan is published, archived or renamed. GIN's
-- "fast update" keeps new entries in an unsorted pending list that every
-- read scans in full until VACUUM merges it: after publishing 10,000
-- plans the titles index held all of them there, and each typeahead read
-- 463 pending pages. Without it, a publish writes its entries into the
-- index at once (a few milliseconds more) and reads never pay for it.
ALTER INDEX plan_search_document_idx SET (fastupdate = off);
ALTER INDEX plan_search_titles_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('plan_search_document_idx'::regclass);
SELECT gin_clean_pending_list('plan_search_titles_idx'::regclass);

-- +goose Down
ALTER INDEX plan_search_document_idx RESET (fastupdate);
ALTER INDEX plan_search_titles_idx RESET (fastupdate);
