-- +goose Up
-- Recommendations: what a person answered when they began (their
-- onboarding answers), and the anonymous aggregates the recommendation job
-- computes every hour from everyone's enrolments (docs/recommendations.md).

-- Onboarding answers, part of the profile: erased with the account.
-- preferred_traditions is a comma-separated list of catalogue traditions;
-- '' and 0 mean "not answered".
ALTER TABLE users ADD COLUMN preferred_traditions text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN experience_level text NOT NULL DEFAULT ''
    CHECK (experience_level IN ('', 'beginner', 'intermediate', 'advanced'));
ALTER TABLE users ADD COLUMN minutes_per_day integer NOT NULL DEFAULT 0
    CHECK (minutes_per_day BETWEEN 0 AND 240);

-- How much a plan is read lately: enrolments and completions of the last 90
-- days, each weighing less with age (a half-life of 14 days). Counts only,
-- no person: these rows outlive the accounts they were counted from.
CREATE TABLE plan_popularity (
    plan_id     text PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    score       real NOT NULL,
    recent      integer NOT NULL,
    finishers   integer NOT NULL,
    computed_at timestamp NOT NULL
);

-- "People who finished plan_id went on to next_plan_id": how many people
-- enrolled in or finished next_plan_id after finishing plan_id, kept only
-- when at least a few people did, and their share of plan_id's finishers.
CREATE TABLE plan_next (
    plan_id      text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    next_plan_id text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    people       integer NOT NULL,
    share        real NOT NULL,
    computed_at  timestamp NOT NULL,
    PRIMARY KEY (plan_id, next_plan_id)
);

-- +goose Down
DROP TABLE plan_next;
DROP TABLE plan_popularity;
ALTER TABLE users DROP COLUMN minutes_per_day;
ALTER TABLE users DROP COLUMN experience_level;
ALTER TABLE users DROP COLUMN preferred_traditions;
