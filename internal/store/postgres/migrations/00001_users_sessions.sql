-- +goose Up
-- People who use Dharma Plans. Emails are stored normalised (trimmed, lower
-- case), so the unique index is the uniqueness rule.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text,
    display_name  text NOT NULL,
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'author', 'admin')),
    timezone      text NOT NULL DEFAULT 'UTC',
    locale        text NOT NULL DEFAULT 'en',
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A signed-in device: one refresh-token family.
CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE users;
