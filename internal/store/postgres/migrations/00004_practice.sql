-- +goose Up
-- Practice: enrolments and their completions, finished days, practice
-- sessions, journal entries, each person's practice record per date and
-- their streak, receipts of offline events, and live-update events.
-- Calendar dates are text YYYY-MM-DD in the person's own calendar.

CREATE TABLE enrollments (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_id       uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    status        text NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'abandoned')),
    pace          text NOT NULL CHECK (pace IN ('daily', 'weekdays', 'n_per_week', 'self_paced')),
    per_week      integer NOT NULL CHECK (per_week BETWEEN 0 AND 7),
    start_date    text NOT NULL,
    anchor_date   text NOT NULL,
    anchor_day    integer NOT NULL CHECK (anchor_day >= 1),
    paused_on     text,
    reminder_time text NOT NULL,
    cycle         integer NOT NULL CHECK (cycle >= 1),
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- One current enrolment per person and plan.
CREATE UNIQUE INDEX enrollments_current_idx ON enrollments (user_id, plan_id) WHERE status IN ('active', 'paused');
CREATE INDEX enrollments_user_idx ON enrollments (user_id, id);

-- Every done and undone of an item or task: a target's state is the fold
-- of its events in the order of their times.
CREATE TABLE target_events (
    enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    client_id     text NOT NULL,
    cycle         integer NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('item', 'task')),
    target_id     uuid NOT NULL,
    day_number    integer NOT NULL,
    done          boolean NOT NULL,
    at            timestamptz NOT NULL,
    local_date    text NOT NULL,
    timezone      text NOT NULL,
    PRIMARY KEY (enrollment_id, client_id)
);
CREATE INDEX target_events_target_idx ON target_events (enrollment_id, cycle, kind, target_id);

CREATE TABLE completions (
    enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    cycle         integer NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('item', 'task')),
    target_id     uuid NOT NULL,
    day_number    integer NOT NULL,
    at            timestamptz NOT NULL,
    local_date    text NOT NULL,
    timezone      text NOT NULL,
    client_id     text NOT NULL,
    PRIMARY KEY (enrollment_id, cycle, kind, target_id)
);
CREATE INDEX completions_day_idx ON completions (enrollment_id, cycle, day_number);

CREATE TABLE day_completions (
    enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    cycle         integer NOT NULL,
    day_number    integer NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    local_date    text NOT NULL,
    timezone      text NOT NULL,
    PRIMARY KEY (enrollment_id, cycle, day_number)
);
CREATE INDEX day_completions_user_idx ON day_completions (user_id, local_date);

CREATE TABLE practice_sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id     text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('meditation', 'chanting', 'walking', 'other')),
    started_at    timestamptz NOT NULL,
    seconds       integer NOT NULL CHECK (seconds > 0),
    local_date    text NOT NULL,
    timezone      text NOT NULL,
    enrollment_id uuid REFERENCES enrollments (id) ON DELETE SET NULL,
    task_id       uuid,
    note          text NOT NULL,
    created_at    timestamptz NOT NULL,
    UNIQUE (user_id, client_id)
);
CREATE INDEX practice_sessions_date_idx ON practice_sessions (user_id, local_date);

CREATE TABLE journal_entries (
    enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    day_number    integer NOT NULL,
    body          text NOT NULL,
    updated_at    timestamptz NOT NULL,
    client_id     text NOT NULL,
    PRIMARY KEY (enrollment_id, day_number)
);

-- A person's practice per date, recomputed from day_completions and
-- practice_sessions whenever those change.
CREATE TABLE practice_days (
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    local_date    text NOT NULL,
    timezone      text NOT NULL,
    first_at      timestamptz NOT NULL,
    days_finished integer NOT NULL,
    sessions      integer NOT NULL,
    seconds       integer NOT NULL,
    PRIMARY KEY (user_id, local_date)
);

CREATE TABLE practice_profiles (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    grace_per_week  integer NOT NULL,
    show_streaks    boolean NOT NULL,
    current_streak  integer NOT NULL,
    longest_streak  integer NOT NULL,
    last_date       text,
    last_zone       text NOT NULL,
    grace_dates     text NOT NULL,
    days_practised  integer NOT NULL,
    seconds         bigint NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE sync_receipts (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  text NOT NULL,
    digest     text NOT NULL,
    result     text NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE practice_events (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    data    text NOT NULL,
    at      timestamptz NOT NULL
);
CREATE INDEX practice_events_user_idx ON practice_events (user_id, id);
CREATE INDEX practice_events_at_idx ON practice_events (at);

-- +goose Down
DROP TABLE practice_events;
DROP TABLE sync_receipts;
DROP TABLE practice_profiles;
DROP TABLE practice_days;
DROP TABLE journal_entries;
DROP TABLE practice_sessions;
DROP TABLE day_completions;
DROP TABLE completions;
DROP TABLE target_events;
DROP TABLE enrollments;
