-- +goose Up
-- The admin dashboard (internal/analytics) counts what happened in a span
-- of days: enrolments started and finished, items and tasks marked done,
-- practice sessions, new accounts. These indexes read those spans, and
-- carry the columns the counts need, so the tables themselves are seldom
-- read. enrollments_plan_idx counts a plan's readers.
CREATE INDEX completions_at_idx ON completions (at, enrollment_id);
CREATE INDEX practice_sessions_started_idx ON practice_sessions (started_at, user_id, seconds);
CREATE INDEX enrollments_created_idx ON enrollments (created_at, plan_id);
CREATE INDEX enrollments_completed_idx ON enrollments (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX enrollments_plan_idx ON enrollments (plan_id, status, completed_at);
CREATE INDEX users_created_idx ON users (created_at);

-- +goose Down
DROP INDEX users_created_idx;
DROP INDEX enrollments_plan_idx;
DROP INDEX enrollments_completed_idx;
DROP INDEX enrollments_created_idx;
DROP INDEX practice_sessions_started_idx;
DROP INDEX completions_at_idx;
