-- +goose Up
-- Profile preferences, email verification and the state that slows down
-- password guessing for one account.
ALTER TABLE users ADD COLUMN day_start_hour integer NOT NULL DEFAULT 0 CHECK (day_start_hour BETWEEN 0 AND 23);
ALTER TABLE users ADD COLUMN theme text NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark'));
ALTER TABLE users ADD COLUMN email_verified_at timestamp;
ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
-- The display name lower-cased in Go, so that finding people by name folds
-- case the same way on both engines (SQLite's lower() knows ASCII only).
ALTER TABLE users ADD COLUMN search_name text NOT NULL DEFAULT '';
UPDATE users SET search_name = lower(display_name);
ALTER TABLE users ADD COLUMN locked_until timestamp;

-- When the password was last entered on this device: deleting the account
-- asks for a recent one.
ALTER TABLE sessions ADD COLUMN auth_time timestamp;

-- Every refresh token a session was given, stored as a SHA-256 hash. The
-- current one has no used_at; presenting one that was used already is reuse.
CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at timestamp NOT NULL,
    used_at    timestamp
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

-- Single-use tokens sent by email (verify, reset) or printed at first start
-- (setup, with no user), stored as SHA-256 hashes.
CREATE TABLE email_tokens (
    token_hash text PRIMARY KEY,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'setup_admin')),
    user_id    text REFERENCES users (id) ON DELETE CASCADE,
    email      text NOT NULL DEFAULT '',
    created_at timestamp NOT NULL,
    expires_at timestamp NOT NULL,
    used_at    timestamp
);
CREATE INDEX email_tokens_user_id_idx ON email_tokens (user_id);
CREATE INDEX email_tokens_expires_at_idx ON email_tokens (expires_at);

-- Keys that sign access tokens, shared by every replica. A retired key
-- no longer signs but keeps verifying until its tokens have expired.
CREATE TABLE signing_keys (
    id          text PRIMARY KEY,
    private_key blob,
    public_key  blob NOT NULL,
    created_at  timestamp NOT NULL,
    retired_at  timestamp
);

-- +goose Down
DROP TABLE signing_keys;
DROP TABLE email_tokens;
DROP TABLE refresh_tokens;
ALTER TABLE sessions DROP COLUMN auth_time;
ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN search_name;
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN email_verified_at;
ALTER TABLE users DROP COLUMN theme;
ALTER TABLE users DROP COLUMN day_start_hour;
