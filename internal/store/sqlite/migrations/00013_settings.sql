-- +goose Up
-- The system settings administrators change while the server runs: one
-- JSON document, versioned so that two administrators cannot overwrite
-- each other's change unknowingly. No row means the defaults.
CREATE TABLE settings (
    id         integer PRIMARY KEY CHECK (id = 1),
    version    integer NOT NULL CHECK (version > 0),
    document   text NOT NULL,
    updated_at timestamp NOT NULL,
    updated_by text REFERENCES users (id) ON DELETE SET NULL
);

-- Invitations to sign up while registration is by invitation. The code is
-- shown once; only its SHA-256 is kept. An invitation with an email is for
-- that address alone.
CREATE TABLE invites (
    id         text PRIMARY KEY,
    code_hash  text NOT NULL,
    email      text,
    created_by text REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamp NOT NULL,
    expires_at timestamp NOT NULL,
    used_at    timestamp,
    used_by    text REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamp
);
CREATE UNIQUE INDEX invites_code_hash_key ON invites (code_hash);

-- +goose Down
DROP TABLE invites;
DROP TABLE settings;
