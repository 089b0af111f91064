-- +goose Up
-- Where each person stopped in an audio or video item of a plan they
-- follow, so that any of their devices resumes there. Deleted with the
-- enrolment, and so with the account.
CREATE TABLE listening_positions (
    enrollment_id text NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    item_id       text NOT NULL,
    position_ms   integer NOT NULL CHECK (position_ms >= 0),
    updated_at    timestamp NOT NULL,
    PRIMARY KEY (enrollment_id, item_id)
);

-- +goose Down
DROP TABLE listening_positions;
