-- +goose Up
-- Plans and authors reference media by id. These indexes find what
-- references a medium (is it public? may it be deleted?) without reading
-- every item of every plan; most rows reference none, so they are left out.
CREATE INDEX plan_items_media_idx ON plan_items (media_id) WHERE media_id <> '';
CREATE INDEX plan_revisions_cover_idx ON plan_revisions (cover_media_id) WHERE cover_media_id <> '';
CREATE INDEX authors_photo_idx ON authors (photo_media_id) WHERE photo_media_id <> '';

-- +goose Down
DROP INDEX plan_items_media_idx;
DROP INDEX plan_revisions_cover_idx;
DROP INDEX authors_photo_idx;
