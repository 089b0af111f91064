-- +goose Up
-- The audit log: what administrators did, to what, and when. actor_id has
-- no foreign key, so entries outlive the accounts that acted; when a person
-- deletes their account, store.DeleteUser replaces their email address in
-- actor_label and target_label and keeps the ids. target_id is text: not
-- every target is a row with a UUID (site settings). actor_search and
-- target_search are the labels in lower case, folded in Go so that both
-- engines match q alike. Details are a JSON object, kept as text.
CREATE TABLE audit_log (
    id            uuid PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor_id      uuid,
    actor_label   text NOT NULL DEFAULT '',
    action        text NOT NULL,
    target_type   text NOT NULL,
    target_id     text NOT NULL DEFAULT '',
    target_label  text NOT NULL DEFAULT '',
    details       text NOT NULL DEFAULT '{}',
    actor_search  text NOT NULL DEFAULT '',
    target_search text NOT NULL DEFAULT ''
);
-- The log reads newest first, whole or by actor, target or action.
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC, id DESC);

-- +goose Down
DROP TABLE audit_log;
