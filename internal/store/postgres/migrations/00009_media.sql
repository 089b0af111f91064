-- +goose Up
-- Media: covers, author photos, talks, guided meditations, PDFs and videos.
-- A row is made when an upload starts (uploading), verified when the
-- client says it is complete (processing), then processed in the
-- background (ready, failed, or unprocessed when this server cannot read
-- that kind, such as video without ffprobe). The bytes live in the blob
-- store under object_key; variants (image sizes and formats) are JSON.
-- Media outlive their uploader: plans that use them stay whole when an
-- account is deleted, so owner_id becomes NULL.
CREATE TABLE media (
    id           uuid PRIMARY KEY,
    owner_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    kind         text NOT NULL CHECK (kind IN ('image', 'audio', 'video', 'pdf')),
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    status       text NOT NULL CHECK (status IN ('uploading', 'processing', 'ready', 'failed', 'unprocessed')),
    failure      text NOT NULL,
    object_key   text NOT NULL,
    secret       text NOT NULL, -- keys the upload URL and signed file URLs of this medium
    width        integer,
    height       integer,
    duration_ms  bigint,
    bitrate      integer,
    pages        integer,
    peaks        text NOT NULL,
    variants     text NOT NULL,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX media_owner_idx ON media (owner_id, id);
CREATE INDEX media_uploading_idx ON media (expires_at) WHERE status = 'uploading';

-- +goose Down
DROP TABLE media;
