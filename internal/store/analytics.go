package store

import (
	"context"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
)

var _ analytics.Store = (*Store)(nil)

// The dashboard's counts read time ranges of the practice tables through
// the indexes of migration 00014, and group by UTC day with utcDay, the one
// expression the engines write differently.

// utcDay returns the SQL that groups rows by the UTC day of the time in
// column (key) and the SQL of that day as text, YYYY-MM-DD, to select with
// it. On PostgreSQL the day is grouped as a date and formatted once per
// day: formatting every row costs more than all the rest.
func (s *Store) utcDay(column string) (key, text string) {
	if s.db.Dialect.Name() == Postgres {
		key = `(` + column + ` AT TIME ZONE 'UTC')::date`
		return key, `to_char(` + key + `, 'YYYY-MM-DD')`
	}
	// SQLite keeps times as text in UTC; date() reads an offset anyway.
	key = `date(` + column + `)`
	return key, key
}

// perDay is the SELECT of one series: what it counts (name), and value
// (an aggregate) per UTC day of column for the rows of table in the
// window $1 to $2.
func (s *Store) perDay(name, value, table, column string) string {
	key, text := s.utcDay(column)
	return `SELECT '` + name + `', ` + text + `, ` + value + ` FROM ` + table +
		` WHERE ` + column + ` >= $1 AND ` + column + ` < $2 GROUP BY ` + key
}

// StatsUsers implements analytics.Store.
func (s *Store) StatsUsers(ctx context.Context, w analytics.Window) (analytics.Users, error) {
	var u analytics.Users
	err := s.db.Read.QueryRowContext(ctx, `
		SELECT count(*),
			coalesce(sum(CASE WHEN created_at >= $1 AND created_at < $2 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN role = 'user' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN role = 'author' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN role = 'admin' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN disabled_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM users`, w.From.UTC(), w.To.UTC()).Scan(&u.Total, &u.New, &u.Readers, &u.Authors, &u.Admins, &u.Disabled)
	return u, s.fail(err, "")
}

// StatsActive implements analytics.Store. The month's activity is read
// once, through the time indexes: each person's latest time in it, counted
// against the start of each window. (Counting distinct people per window
// instead would sort the month's rows three times.)
func (s *Store) StatsActive(ctx context.Context, w analytics.ActiveWindows) (analytics.Active, error) {
	var a analytics.Active
	err := s.db.Read.QueryRowContext(ctx, `
		SELECT coalesce(sum(CASE WHEN last >= $3 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN last >= $2 THEN 1 ELSE 0 END), 0),
			count(*)
		FROM (
			SELECT user_id, max(at) AS last FROM (
				SELECT e.user_id AS user_id, c.at AS at
				FROM completions c JOIN enrollments e ON e.id = c.enrollment_id
				WHERE c.at >= $1 AND c.at < $4
				UNION ALL
				SELECT user_id, started_at FROM practice_sessions
				WHERE started_at >= $1 AND started_at < $4
			) activity
			GROUP BY user_id
		) people`, w.Month.UTC(), w.Week.UTC(), w.Today.UTC(), w.End.UTC()).Scan(&a.Today, &a.Week, &a.Month)
	return a, s.fail(err, "")
}

// StatsSeries implements analytics.Store: one row per kind of count and
// day that had any.
func (s *Store) StatsSeries(ctx context.Context, w analytics.Window) ([]analytics.DayCounts, error) {
	rows, err := s.db.Read.QueryContext(ctx, strings.Join([]string{
		s.perDay("enrollments", "count(*)", "enrollments", "created_at"),
		s.perDay("completions", "count(*)", "enrollments", "completed_at"),
		s.perDay("ticks", "count(*)", "completions", "at"),
		s.perDay("practice", "sum(seconds)", "practice_sessions", "started_at"),
		s.perDay("users", "count(*)", "users", "created_at"),
	}, "\nUNION ALL\n"), w.From.UTC(), w.To.UTC())
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	byDate := map[string]*analytics.DayCounts{}
	var dates []string
	for rows.Next() {
		var (
			kind, date string
			n          int64
		)
		if err := rows.Scan(&kind, &date, &n); err != nil {
			return nil, s.fail(err, "")
		}
		d := byDate[date]
		if d == nil {
			d = &analytics.DayCounts{Date: date}
			byDate[date] = d
			dates = append(dates, date)
		}
		switch kind {
		case "enrollments":
			d.Enrollments = int(n)
		case "completions":
			d.Completions = int(n)
		case "ticks":
			d.Ticks = int(n)
		case "practice":
			d.PracticeSeconds = n
		case "users":
			d.NewUsers = int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "")
	}
	out := make([]analytics.DayCounts, 0, len(dates))
	for _, date := range dates {
		out = append(out, *byDate[date])
	}
	return out, nil
}

// StatsTopPlans implements analytics.Store. The window's enrolments pick
// the plans; only theirs are counted for all time, through the plan index.
func (s *Store) StatsTopPlans(ctx context.Context, w analytics.Window, limit int) ([]analytics.TopPlan, error) {
	rows, err := s.db.Read.QueryContext(ctx, `
		WITH recent AS (
			SELECT plan_id, count(*) AS n FROM enrollments
			WHERE created_at >= $1 AND created_at < $2 GROUP BY plan_id
		), top AS (
			SELECT p.id AS id, p.slug AS slug, r.title AS title, recent.n AS n
			FROM recent
			JOIN plans p ON p.id = recent.plan_id
			JOIN plan_revisions r ON r.id = p.published_revision_id
			WHERE p.status = 'published'
			ORDER BY recent.n DESC, p.id
			LIMIT $3
		)
		SELECT top.id, top.slug, top.title, top.n, count(*),
			coalesce(sum(CASE WHEN e.completed_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.status = 'active' THEN 1 ELSE 0 END), 0)
		FROM top JOIN enrollments e ON e.plan_id = top.id
		GROUP BY top.id, top.slug, top.title, top.n
		ORDER BY top.n DESC, top.id`, w.From.UTC(), w.To.UTC(), limit)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []analytics.TopPlan{}
	for rows.Next() {
		var p analytics.TopPlan
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.WindowEnrollments, &p.Enrollments, &p.Completions, &p.ActiveReaders); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, p)
	}
	return out, s.fail(rows.Err(), "")
}

// StatsPlans implements analytics.Store.
func (s *Store) StatsPlans(ctx context.Context) (analytics.Plans, error) {
	var p analytics.Plans
	err := s.db.Read.QueryRowContext(ctx, `
		SELECT
			coalesce(sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'in_review' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'archived' THEN 1 ELSE 0 END), 0),
			(SELECT count(*) FROM plan_revisions WHERE state = 'in_review')
		FROM plans`).Scan(&p.Draft, &p.InReview, &p.Published, &p.Archived, &p.ReviewQueue)
	return p, s.fail(err, "")
}
