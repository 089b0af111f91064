package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

const enrollmentColumns = `e.id, e.user_id, e.plan_id, e.status, e.pace, e.per_week, e.start_date, e.anchor_date,
	e.anchor_day, e.paused_on, e.reminder_time, e.cycle, e.completed_at, e.created_at, e.updated_at,
	p.slug, p.status, coalesce(CAST(p.published_revision_id AS text), ''), u.timezone, u.day_start_hour,
	(SELECT string_agg(CAST(d.day_number AS text), ',' ORDER BY d.day_number) FROM day_completions d
		WHERE d.enrollment_id = e.id AND d.cycle = e.cycle)`

const enrollmentFrom = ` FROM enrollments e JOIN plans p ON p.id = e.plan_id JOIN users u ON u.id = e.user_id `

func scanEnrollment(row scanner) (*practice.Enrollment, error) {
	var r enrollmentRow
	if err := row.Scan(r.dests()...); err != nil {
		return nil, err
	}
	return r.enrollment()
}

// enrollmentRow receives enrollmentColumns.
type enrollmentRow struct {
	e             practice.Enrollment
	status, pace  string
	start, anchor string
	paused        sql.NullString
	completed     sql.NullTime
	done          sql.NullString
	planStatus    string
}

func (r *enrollmentRow) dests() []any {
	e := &r.e
	return []any{&e.ID, &e.UserID, &e.PlanID, &r.status, &r.pace, &e.PerWeek, &r.start, &r.anchor, &e.AnchorDay, &r.paused,
		&e.ReminderTime, &e.Cycle, &r.completed, &e.CreatedAt, &e.UpdatedAt, &e.PlanSlug, &r.planStatus, &e.PlanRevision, &e.Zone, &e.DayStartHour, &r.done}
}

func (r *enrollmentRow) enrollment() (*practice.Enrollment, error) {
	e := r.e
	e.Status, e.Pace, e.PlanStatus = practice.Status(r.status), practice.Pace(r.pace), catalog.Status(r.planStatus)
	if r.done.Valid {
		for _, n := range strings.Split(r.done.String, ",") {
			d, err := strconv.Atoi(n)
			if err != nil {
				return nil, err
			}
			e.Done = append(e.Done, d)
		}
	}
	e.DaysDone = len(e.Done)
	var err error
	if e.StartDate, err = practice.ParseDate(r.start); err != nil {
		return nil, err
	}
	if e.AnchorDate, err = practice.ParseDate(r.anchor); err != nil {
		return nil, err
	}
	if r.paused.Valid {
		d, err := practice.ParseDate(r.paused.String)
		if err != nil {
			return nil, err
		}
		e.PausedOn = &d
	}
	e.CompletedAt = timePtr(r.completed)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

func datePtr(d *practice.Date) sql.NullString {
	if d == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: d.String(), Valid: true}
}

// CreateEnrollment implements practice.Store.
func (s *Store) CreateEnrollment(ctx context.Context, e *practice.Enrollment) error {
	_, err := s.db.Write.ExecContext(ctx, `INSERT INTO enrollments (id, user_id, plan_id, status, pace, per_week,
			start_date, anchor_date, anchor_day, paused_on, reminder_time, cycle, completed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		e.ID, e.UserID, e.PlanID, string(e.Status), string(e.Pace), e.PerWeek, e.StartDate.String(), e.AnchorDate.String(),
		e.AnchorDay, datePtr(e.PausedOn), e.ReminderTime, e.Cycle, utcPtr(e.CompletedAt), e.CreatedAt.UTC(), e.UpdatedAt.UTC())
	return s.fail(err, "enrollment")
}

// Enrollment implements practice.Store.
func (s *Store) Enrollment(ctx context.Context, userID, id string) (*practice.Enrollment, error) {
	e, err := scanEnrollment(s.db.Read.QueryRowContext(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+
		`WHERE e.id = $1 AND e.user_id = $2`, id, userID))
	return e, s.fail(err, "enrollment")
}

// CurrentEnrollment implements practice.Store.
func (s *Store) CurrentEnrollment(ctx context.Context, userID, planID string) (*practice.Enrollment, error) {
	e, err := scanEnrollment(s.db.Read.QueryRowContext(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+
		`WHERE e.user_id = $1 AND e.plan_id = $2 AND e.status IN ('active', 'paused')`, userID, planID))
	return e, s.fail(err, "enrollment")
}

// EnrolledIn implements practice.Store.
func (s *Store) EnrolledIn(ctx context.Context, userID, planID string) (bool, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM enrollments
		WHERE user_id = $1 AND plan_id = $2 AND status <> 'abandoned'`, userID, planID).Scan(&n)
	return n > 0, s.fail(err, "")
}

// ListEnrollments implements practice.Store.
func (s *Store) ListEnrollments(ctx context.Context, userID string, statuses []practice.Status, after string, limit int) ([]*practice.Enrollment, error) {
	q := `SELECT ` + enrollmentColumns + enrollmentFrom + `WHERE e.user_id = $1`
	args := []any{userID}
	if after != "" {
		args = append(args, after)
		q += ` AND e.id < $2`
	}
	if len(statuses) > 0 {
		marks := make([]string, len(statuses))
		for i, st := range statuses {
			args = append(args, string(st))
			marks[i] = "$" + strconv.Itoa(len(args))
		}
		q += ` AND e.status IN (` + strings.Join(marks, ", ") + `)`
	}
	args = append(args, limit)
	q += ` ORDER BY e.id DESC LIMIT $` + strconv.Itoa(len(args))
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []*practice.Enrollment{}
	for rows.Next() {
		e, err := scanEnrollment(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, e)
	}
	return out, s.fail(rows.Err(), "")
}

// DoneDays implements practice.Store.
func (s *Store) DoneDays(ctx context.Context, enrollmentID string, cycle int) ([]int, error) {
	return doneDays(ctx, s.db.Read, s, enrollmentID, cycle)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func doneDays(ctx context.Context, q querier, s *Store, enrollmentID string, cycle int) ([]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT day_number FROM day_completions WHERE enrollment_id = $1 AND cycle = $2
		ORDER BY day_number`, enrollmentID, cycle)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, n)
	}
	return out, s.fail(rows.Err(), "")
}

const completionColumns = `enrollment_id, cycle, kind, target_id, day_number, at, local_date, timezone, client_id`

func scanCompletions(s *Store, rows *sql.Rows, err error) ([]practice.Completion, error) {
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []practice.Completion{}
	for rows.Next() {
		var c practice.Completion
		var date string
		if err := rows.Scan(&c.EnrollmentID, &c.Cycle, &c.Kind, &c.TargetID, &c.Day, &c.At, &date, &c.Zone, &c.ClientID); err != nil {
			return nil, s.fail(err, "")
		}
		c.At = c.At.UTC()
		if c.LocalDate, err = practice.ParseDate(date); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.fail(rows.Err(), "")
}

// DayCompletions implements practice.Store.
func (s *Store) DayCompletions(ctx context.Context, enrollmentID string, cycle, day int) ([]practice.Completion, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+completionColumns+` FROM completions
		WHERE enrollment_id = $1 AND cycle = $2 AND day_number = $3`, enrollmentID, cycle, day)
	return scanCompletions(s, rows, err)
}

// DayState implements practice.Store, in one query.
func (s *Store) DayState(ctx context.Context, enrollmentID string, cycle, day int) ([]practice.Completion, bool, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT j.has_journal, c.kind, c.target_id, c.at, c.local_date, c.timezone, c.client_id
		FROM (SELECT EXISTS (SELECT 1 FROM journal_entries WHERE enrollment_id = $1 AND day_number = $3) AS has_journal) j
		LEFT JOIN completions c ON c.enrollment_id = $1 AND c.cycle = $2 AND c.day_number = $3`, enrollmentID, cycle, day)
	if err != nil {
		return nil, false, s.fail(err, "")
	}
	defer rows.Close()
	out := []practice.Completion{}
	journal := false
	for rows.Next() {
		var (
			kind, target, date, zone, client sql.NullString
			at                               sql.NullTime
		)
		if err := rows.Scan(&journal, &kind, &target, &at, &date, &zone, &client); err != nil {
			return nil, false, s.fail(err, "")
		}
		if !kind.Valid {
			continue // no completions: the row only says whether there is a journal entry
		}
		c := practice.Completion{EnrollmentID: enrollmentID, Cycle: cycle, Kind: kind.String, TargetID: target.String, Day: day,
			At: at.Time.UTC(), Zone: zone.String, ClientID: client.String}
		if c.LocalDate, err = practice.ParseDate(date.String); err != nil {
			return nil, false, err
		}
		out = append(out, c)
	}
	return out, journal, s.fail(rows.Err(), "")
}

// EnrollmentDay implements practice.Store, in one query: the enrolment
// (materialised once, so its finished days are aggregated once), then one
// row per completion of the day, or one row with none.
func (s *Store) EnrollmentDay(ctx context.Context, userID, id string, day int) (*practice.Enrollment, []practice.Completion, bool, error) {
	rows, err := s.db.Read.QueryContext(ctx, `WITH en AS MATERIALIZED (SELECT `+enrollmentColumns+`,
			EXISTS (SELECT 1 FROM journal_entries j WHERE j.enrollment_id = e.id AND j.day_number = $3) AS has_journal
			`+enrollmentFrom+`WHERE e.id = $1 AND e.user_id = $2)
		SELECT en.*, c.kind, c.target_id, c.at, c.local_date, c.timezone, c.client_id
		FROM en LEFT JOIN completions c ON c.enrollment_id = en.id AND c.cycle = en.cycle AND c.day_number = $3`, id, userID, day)
	if err != nil {
		return nil, nil, false, s.fail(err, "")
	}
	defer rows.Close()
	var (
		e       *practice.Enrollment
		out     = []practice.Completion{}
		journal bool
	)
	for rows.Next() {
		var (
			kind, target, date, zone, client sql.NullString
			at                               sql.NullTime
		)
		row, err := scanEnrollment(withMore{rows, []any{&journal, &kind, &target, &at, &date, &zone, &client}})
		if err != nil {
			return nil, nil, false, s.fail(err, "")
		}
		if e == nil {
			e = row
		}
		if !kind.Valid {
			continue // no completions: the row is only the enrolment
		}
		c := practice.Completion{EnrollmentID: e.ID, Cycle: e.Cycle, Kind: kind.String, TargetID: target.String, Day: day,
			At: at.Time.UTC(), Zone: zone.String, ClientID: client.String}
		if c.LocalDate, err = practice.ParseDate(date.String); err != nil {
			return nil, nil, false, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, s.fail(err, "")
	}
	if e == nil {
		return nil, nil, false, s.fail(sql.ErrNoRows, "enrollment")
	}
	return e, out, journal, nil
}

// withMore scans a row's leading columns with a scan function of their
// own and the columns after them into more.
type withMore struct {
	row  scanner
	more []any
}

func (w withMore) Scan(dest ...any) error { return w.row.Scan(append(dest, w.more...)...) }

func scanJournal(row scanner) (*practice.JournalEntry, error) {
	var j practice.JournalEntry
	if err := row.Scan(&j.EnrollmentID, &j.Day, &j.Body, &j.UpdatedAt, &j.ClientID); err != nil {
		return nil, err
	}
	j.UpdatedAt = j.UpdatedAt.UTC()
	return &j, nil
}

const journalColumns = `enrollment_id, day_number, body, updated_at, client_id`

// Journal implements practice.Store.
func (s *Store) Journal(ctx context.Context, enrollmentID string, day int) (*practice.JournalEntry, error) {
	j, err := scanJournal(s.db.Read.QueryRowContext(ctx, `SELECT `+journalColumns+` FROM journal_entries
		WHERE enrollment_id = $1 AND day_number = $2`, enrollmentID, day))
	return j, s.fail(err, "journal entry")
}

// Receipt implements practice.Store.
func (s *Store) Receipt(ctx context.Context, userID, clientID string) (*practice.Receipt, error) {
	r := practice.Receipt{UserID: userID, ClientID: clientID}
	err := s.db.Read.QueryRowContext(ctx, `SELECT digest, result, at FROM sync_receipts WHERE user_id = $1 AND client_id = $2`,
		userID, clientID).Scan(&r.Digest, &r.Result, &r.At)
	if err != nil {
		return nil, s.fail(err, "receipt")
	}
	r.At = r.At.UTC()
	return &r, nil
}

// profileColumns are a person's profile, with defaults ($2, $3) for one
// who has none.
const profileColumns = `u.id, coalesce(pp.grace_per_week, $2), coalesce(pp.show_streaks, $3),
		coalesce(pp.current_streak, 0), coalesce(pp.longest_streak, 0), pp.last_date, coalesce(pp.last_zone, ''),
		coalesce(pp.grace_dates, '[]'), coalesce(pp.days_practised, 0), coalesce(pp.seconds, 0), pp.updated_at,
		u.timezone, u.day_start_hour`

const profileSelect = `SELECT ` + profileColumns + `
	FROM users u LEFT JOIN practice_profiles pp ON pp.user_id = u.id WHERE u.id = $1`

func scanProfile(row scanner) (*practice.Profile, error) {
	var r profileRow
	if err := row.Scan(r.dests()...); err != nil {
		return nil, err
	}
	return r.profile()
}

// profileRow receives profileColumns.
type profileRow struct {
	p       practice.Profile
	last    sql.NullString
	grace   string
	updated sql.NullTime
}

func (r *profileRow) dests() []any {
	p := &r.p
	return []any{&p.UserID, &p.GracePerWeek, &p.ShowStreaks, &p.Streak.Current, &p.Streak.Longest, &r.last,
		&p.Streak.LastZone, &r.grace, &p.DaysPractised, &p.Seconds, &r.updated, &p.Zone, &p.DayStartHour}
}

func (r *profileRow) profile() (*practice.Profile, error) {
	p := r.p
	if r.last.Valid {
		var err error
		if p.Streak.Last, err = practice.ParseDate(r.last.String); err != nil {
			return nil, err
		}
		p.Streak.Has = true
	}
	if err := json.Unmarshal([]byte(r.grace), &p.Streak.Grace); err != nil {
		return nil, err
	}
	if r.updated.Valid {
		p.UpdatedAt = r.updated.Time.UTC()
	}
	return &p, nil
}

// Profile implements practice.Store.
func (s *Store) Profile(ctx context.Context, userID string) (*practice.Profile, error) {
	p, err := scanProfile(s.db.Read.QueryRowContext(ctx, profileSelect, userID, s.defaultGrace(ctx), true))
	return p, s.fail(err, "user")
}

// Activity implements practice.Store.
func (s *Store) Activity(ctx context.Context, userID string, from, to practice.Date) ([]practice.DayRecord, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+dayColumns+` FROM practice_days
		WHERE user_id = $1 AND local_date >= $2 AND local_date <= $3 ORDER BY local_date`, userID, from.String(), to.String())
	return scanDays(s, rows, err)
}

const dayColumns = `local_date, timezone, first_at, days_finished, sessions, seconds`

func scanDay(row scanner) (*practice.DayRecord, error) {
	var d practice.DayRecord
	var date string
	if err := row.Scan(&date, &d.Zone, &d.At, &d.DaysFinished, &d.Sessions, &d.Seconds); err != nil {
		return nil, err
	}
	d.At = d.At.UTC()
	var err error
	d.Date, err = practice.ParseDate(date)
	return &d, err
}

func scanDays(s *Store, rows *sql.Rows, err error) ([]practice.DayRecord, error) {
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []practice.DayRecord{}
	for rows.Next() {
		d, err := scanDay(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, *d)
	}
	return out, s.fail(rows.Err(), "")
}

// CountCompleted implements practice.Store.
func (s *Store) CountCompleted(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM enrollments WHERE user_id = $1 AND status = 'completed'`,
		userID).Scan(&n)
	return n, s.fail(err, "")
}

// LastEventID implements practice.Store.
func (s *Store) LastEventID(ctx context.Context, userID string) (int64, error) {
	var id sql.NullInt64
	err := s.db.Read.QueryRowContext(ctx, `SELECT max(id) FROM practice_events WHERE user_id = $1`, userID).Scan(&id)
	return id.Int64, s.fail(err, "")
}

// Events implements practice.Store.
func (s *Store) Events(ctx context.Context, userID string, after int64, limit int) ([]practice.Event, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, kind, data, at FROM practice_events
		WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3`, userID, after, limit)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []practice.Event{}
	for rows.Next() {
		ev := practice.Event{UserID: userID}
		if err := rows.Scan(&ev.ID, &ev.Kind, &ev.Data, &ev.At); err != nil {
			return nil, s.fail(err, "")
		}
		ev.At = ev.At.UTC()
		out = append(out, ev)
	}
	return out, s.fail(rows.Err(), "")
}

// PruneEvents implements practice.Store.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Write.ExecContext(ctx, `DELETE FROM practice_events WHERE at < $1`, before.UTC())
	if err != nil {
		return 0, s.fail(err, "")
	}
	n, err := res.RowsAffected()
	return n, s.fail(err, "")
}

// PracticeUsers implements practice.Store.
func (s *Store) PracticeUsers(ctx context.Context, after string, limit int) ([]string, error) {
	q, args := `SELECT user_id FROM practice_profiles ORDER BY user_id LIMIT $1`, []any{limit}
	if after != "" {
		q, args = `SELECT user_id FROM practice_profiles WHERE user_id > $2 ORDER BY user_id LIMIT $1`, []any{limit, after}
	}
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, id)
	}
	return out, s.fail(rows.Err(), "")
}

// Write implements practice.Store: it creates the person's profile if
// needed and locks it, so that one person's writes never interleave (on
// SQLite the single writer connection serialises them anyway).
func (s *Store) Write(ctx context.Context, userID string, fn func(practice.Tx) error) error {
	return s.write(ctx, userID, "", fn)
}

// WriteEnrollment implements practice.Store: Write, with the enrolment
// read by the statement that locks the profile.
func (s *Store) WriteEnrollment(ctx context.Context, userID, enrollmentID string, fn func(practice.Tx) error) error {
	return s.write(ctx, userID, enrollmentID, fn)
}

func (s *Store) write(ctx context.Context, userID, enrollmentID string, fn func(practice.Tx) error) error {
	// The profile exists after a person's first write: read and lock it in
	// one round trip, and create it only when it is missing.
	locked := strings.Replace(profileSelect, "LEFT JOIN", "JOIN", 1)
	// With the enrolment: the profile, locked, and the enrolment, when both
	// exist; otherwise the way above, and the enrolment on its own.
	withEnrollment := `SELECT ` + profileColumns + `, ` + enrollmentColumns + `
		FROM users u JOIN practice_profiles pp ON pp.user_id = u.id
			JOIN enrollments e ON e.user_id = u.id JOIN plans p ON p.id = e.plan_id
		WHERE u.id = $1 AND e.id = $4`
	if s.db.Dialect.Name() == Postgres {
		locked += ` FOR UPDATE OF pp`
		withEnrollment += ` FOR UPDATE OF pp`
	}
	return s.tx(ctx, "", func(tx *sql.Tx) error {
		t := &practiceTx{ctx: ctx, tx: tx, s: s, userID: userID}
		if enrollmentID != "" {
			var pr profileRow
			var er enrollmentRow
			err := tx.QueryRowContext(ctx, withEnrollment, userID, s.defaultGrace(ctx), true, enrollmentID).
				Scan(append(pr.dests(), er.dests()...)...)
			if err == nil {
				if t.profile, err = pr.profile(); err != nil {
					return err
				}
				if t.read, err = er.enrollment(); err != nil {
					return err
				}
				return fn(t)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return s.fail(err, "")
			}
		}
		prof, err := scanProfile(tx.QueryRowContext(ctx, locked, userID, s.defaultGrace(ctx), true))
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, `INSERT INTO practice_profiles (user_id, grace_per_week, show_streaks, current_streak,
					longest_streak, last_date, last_zone, grace_dates, days_practised, seconds, updated_at)
				SELECT id, $2, true, 0, 0, NULL, '', '[]', 0, 0, created_at FROM users WHERE id = $1
				ON CONFLICT (user_id) DO NOTHING`, userID, s.defaultGrace(ctx))
			if err != nil {
				return s.fail(err, "")
			}
			prof, err = scanProfile(tx.QueryRowContext(ctx, locked, userID, s.defaultGrace(ctx), true))
		}
		if err != nil {
			return s.fail(err, "user")
		}
		t.profile = prof
		return fn(t)
	})
}

// practiceTx implements practice.Tx.
type practiceTx struct {
	ctx     context.Context
	tx      *sql.Tx
	s       *Store
	userID  string
	profile *practice.Profile
	// read is the enrolment WriteEnrollment read with the lock, for the
	// first Enrollment call to answer.
	read *practice.Enrollment
}

func (t *practiceTx) fail(err error, what string) error { return t.s.fail(err, what) }

func (t *practiceTx) Profile() (*practice.Profile, error) {
	p := *t.profile
	return &p, nil
}

func (t *practiceTx) SaveProfile(p *practice.Profile) error {
	grace := make([]string, len(p.Streak.Grace))
	for i, g := range p.Streak.Grace {
		grace[i] = g.String()
	}
	graceJSON, _ := json.Marshal(grace)
	var last sql.NullString
	if p.Streak.Has {
		last = sql.NullString{String: p.Streak.Last.String(), Valid: true}
	}
	_, err := t.tx.ExecContext(t.ctx, `UPDATE practice_profiles SET grace_per_week = $2, show_streaks = $3,
			current_streak = $4, longest_streak = $5, last_date = $6, last_zone = $7, grace_dates = $8,
			days_practised = $9, seconds = $10, updated_at = $11
		WHERE user_id = $1`, t.userID, p.GracePerWeek, p.ShowStreaks, p.Streak.Current, p.Streak.Longest, last,
		p.Streak.LastZone, string(graceJSON), p.DaysPractised, p.Seconds, p.UpdatedAt.UTC())
	if err == nil {
		saved := *p
		// As it reads back: in UTC, with the account's zone and day start.
		saved.UpdatedAt, saved.Zone, saved.DayStartHour = p.UpdatedAt.UTC(), t.profile.Zone, t.profile.DayStartHour
		t.profile = &saved
	}
	return t.fail(err, "")
}

func (t *practiceTx) Enrollment(id string) (*practice.Enrollment, error) {
	if e := t.read; e != nil && e.ID == id {
		t.read = nil // later calls see what the transaction changed since
		return e, nil
	}
	e, err := scanEnrollment(t.tx.QueryRowContext(t.ctx, `SELECT `+enrollmentColumns+enrollmentFrom+
		`WHERE e.id = $1 AND e.user_id = $2`, id, t.userID))
	return e, t.fail(err, "enrollment")
}

func (t *practiceTx) UpdateEnrollment(e *practice.Enrollment) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE enrollments SET status = $3, pace = $4, per_week = $5, start_date = $6,
			anchor_date = $7, anchor_day = $8, paused_on = $9, reminder_time = $10, cycle = $11, completed_at = $12,
			updated_at = $13
		WHERE id = $1 AND user_id = $2`, e.ID, t.userID, string(e.Status), string(e.Pace), e.PerWeek, e.StartDate.String(),
		e.AnchorDate.String(), e.AnchorDay, datePtr(e.PausedOn), e.ReminderTime, e.Cycle, utcPtr(e.CompletedAt), e.UpdatedAt.UTC())
	if err := one(res, err); err != nil {
		return t.fail(err, "enrollment")
	}
	return nil
}

func (t *practiceTx) SaveReceipt(r *practice.Receipt) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO sync_receipts (user_id, client_id, digest, result, at)
		VALUES ($1, $2, $3, $4, $5)`, t.userID, r.ClientID, r.Digest, r.Result, r.At.UTC())
	return t.fail(err, "receipt")
}

func (t *practiceTx) AddTargetEvent(ev *practice.TargetEvent) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO target_events (enrollment_id, client_id, cycle, kind, target_id,
			day_number, done, at, local_date, timezone)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (enrollment_id, client_id) DO NOTHING`,
		ev.EnrollmentID, ev.ClientID, ev.Cycle, ev.Kind, ev.TargetID, ev.Day, ev.Done, ev.At.UTC(), ev.LocalDate.String(), ev.Zone)
	if err != nil {
		return false, t.fail(err, "")
	}
	n, err := res.RowsAffected()
	return n == 1, t.fail(err, "")
}

func (t *practiceTx) SetCompletion(enrollmentID string, cycle int, kind, targetID string, c *practice.Completion) error {
	if c == nil {
		_, err := t.tx.ExecContext(t.ctx, `DELETE FROM completions WHERE enrollment_id = $1 AND cycle = $2 AND kind = $3
			AND target_id = $4`, enrollmentID, cycle, kind, targetID)
		return t.fail(err, "")
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO completions (`+completionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (enrollment_id, cycle, kind, target_id) DO UPDATE SET day_number = excluded.day_number,
			at = excluded.at, local_date = excluded.local_date, timezone = excluded.timezone, client_id = excluded.client_id`,
		enrollmentID, cycle, kind, targetID, c.Day, c.At.UTC(), c.LocalDate.String(), c.Zone, c.ClientID)
	return t.fail(err, "")
}

// MarkState reads the target's events, the day's completions and the
// day's record in one query, a row each, told apart by the first column
// (the kind and target of an event are known).
func (t *practiceTx) MarkState(enrollmentID string, cycle int, kind, targetID string, day int) (*practice.MarkState, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT 0, '', '', client_id, day_number, done, at, local_date, timezone
			FROM target_events WHERE enrollment_id = $1 AND cycle = $2 AND kind = $3 AND target_id = $4
		UNION ALL SELECT 1, kind, CAST(target_id AS text), client_id, day_number, true, at, local_date, timezone
			FROM completions WHERE enrollment_id = $1 AND cycle = $2 AND day_number = $5
		UNION ALL SELECT 2, '', '', '', day_number, true, at, local_date, timezone
			FROM day_completions WHERE enrollment_id = $1 AND cycle = $2 AND day_number = $5`,
		enrollmentID, cycle, kind, targetID, day)
	if err != nil {
		return nil, t.fail(err, "")
	}
	defer rows.Close()
	st := &practice.MarkState{Completions: []practice.Completion{}}
	for rows.Next() {
		var (
			src                                 int
			rowKind, target, client, date, zone string
			n                                   int
			done                                bool
			at                                  time.Time
		)
		if err := rows.Scan(&src, &rowKind, &target, &client, &n, &done, &at, &date, &zone); err != nil {
			return nil, t.fail(err, "")
		}
		local, err := practice.ParseDate(date)
		if err != nil {
			return nil, err
		}
		at = at.UTC()
		switch src {
		case 0:
			st.Events = append(st.Events, practice.TargetEvent{EnrollmentID: enrollmentID, Cycle: cycle, Kind: kind,
				TargetID: targetID, Day: n, Done: done, At: at, LocalDate: local, Zone: zone, ClientID: client})
		case 1:
			st.Completions = append(st.Completions, practice.Completion{EnrollmentID: enrollmentID, Cycle: cycle,
				Kind: rowKind, TargetID: target, Day: n, At: at, LocalDate: local, Zone: zone, ClientID: client})
		default:
			st.Finished = &practice.DayCompletion{EnrollmentID: enrollmentID, Cycle: cycle, Day: n, UserID: t.userID,
				At: at, LocalDate: local, Zone: zone}
		}
	}
	return st, t.fail(rows.Err(), "")
}

func (t *practiceTx) SetDayCompletion(enrollmentID string, cycle, day int, dc *practice.DayCompletion) error {
	if dc == nil {
		_, err := t.tx.ExecContext(t.ctx, `DELETE FROM day_completions WHERE enrollment_id = $1 AND cycle = $2
			AND day_number = $3`, enrollmentID, cycle, day)
		return t.fail(err, "")
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO day_completions (enrollment_id, cycle, day_number, user_id, at,
			local_date, timezone)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (enrollment_id, cycle, day_number) DO UPDATE SET at = excluded.at, local_date = excluded.local_date,
			timezone = excluded.timezone`,
		enrollmentID, cycle, day, t.userID, dc.At.UTC(), dc.LocalDate.String(), dc.Zone)
	return t.fail(err, "")
}

func (t *practiceTx) CountDoneDays(enrollmentID string, cycle int) (int, error) {
	var n int
	err := t.tx.QueryRowContext(t.ctx, `SELECT count(*) FROM day_completions WHERE enrollment_id = $1 AND cycle = $2`,
		enrollmentID, cycle).Scan(&n)
	return n, t.fail(err, "")
}

func (t *practiceTx) AddSession(ps *practice.Session) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO practice_sessions (id, user_id, client_id, kind, started_at, seconds,
			local_date, timezone, enrollment_id, task_id, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (user_id, client_id) DO NOTHING`,
		ps.ID, t.userID, ps.ClientID, string(ps.Kind), ps.StartedAt.UTC(), ps.Seconds, ps.LocalDate.String(), ps.Zone,
		nullString(ps.EnrollmentID), nullString(ps.TaskID), ps.Note, ps.CreatedAt.UTC())
	if err != nil {
		return false, t.fail(err, "")
	}
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return n == 1, t.fail(err, "")
	}
	// Sent before: answer with the session recorded then.
	var date string
	err = t.tx.QueryRowContext(t.ctx, `SELECT id, kind, started_at, seconds, local_date, timezone,
			coalesce(CAST(enrollment_id AS text), ''), coalesce(CAST(task_id AS text), ''), note, created_at
		FROM practice_sessions WHERE user_id = $1 AND client_id = $2`, t.userID, ps.ClientID).Scan(&ps.ID, &ps.Kind,
		&ps.StartedAt, &ps.Seconds, &date, &ps.Zone, &ps.EnrollmentID, &ps.TaskID, &ps.Note, &ps.CreatedAt)
	if err != nil {
		return false, t.fail(err, "")
	}
	ps.StartedAt, ps.CreatedAt = ps.StartedAt.UTC(), ps.CreatedAt.UTC()
	ps.LocalDate, err = practice.ParseDate(date)
	return false, err
}

func (t *practiceTx) PutJournal(j *practice.JournalEntry) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO journal_entries (`+journalColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (enrollment_id, day_number) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
			client_id = excluded.client_id`, j.EnrollmentID, j.Day, j.Body, j.UpdatedAt.UTC(), j.ClientID)
	return t.fail(err, "")
}

func (t *practiceTx) Journal(enrollmentID string, day int) (*practice.JournalEntry, error) {
	j, err := scanJournal(t.tx.QueryRowContext(t.ctx, `SELECT `+journalColumns+` FROM journal_entries
		WHERE enrollment_id = $1 AND day_number = $2`, enrollmentID, day))
	return j, t.fail(err, "journal entry")
}

// RefreshDay reads the date's record and what it is made of in one query
// (the first practice: the earliest finished day or session, a finished
// day first at the same time), then writes the record.
func (t *practiceTx) RefreshDay(date practice.Date) (before, after *practice.DayRecord, err error) {
	ds := date.String()
	var (
		was                                  sql.NullString // the record's zone; NULL: none
		wasAt                                sql.NullTime
		wasFinished, wasSessions, wasSeconds sql.NullInt64
		rec                                  = practice.DayRecord{PracticeDay: practice.PracticeDay{Date: date}}
		first                                sql.NullString // the first practice's zone; NULL: none
		firstAt                              sql.NullTime
	)
	err = t.tx.QueryRowContext(t.ctx, `SELECT b.timezone, b.first_at, b.days_finished, b.sessions, b.seconds,
			(SELECT count(*) FROM day_completions WHERE user_id = $1 AND local_date = $2), s.n, s.seconds, f.timezone, f.at
		FROM (SELECT count(*) AS n, coalesce(sum(CASE WHEN kind = 'meditation' THEN seconds ELSE 0 END), 0) AS seconds
			FROM practice_sessions WHERE user_id = $1 AND local_date = $2) s
		LEFT JOIN practice_days b ON b.user_id = $1 AND b.local_date = $2
		LEFT JOIN (SELECT timezone, at FROM (
				SELECT timezone, at, 0 AS src FROM day_completions WHERE user_id = $1 AND local_date = $2
				UNION ALL SELECT timezone, started_at, 1 FROM practice_sessions WHERE user_id = $1 AND local_date = $2) p
			ORDER BY at, src LIMIT 1) f ON true`, t.userID, ds).Scan(&was, &wasAt, &wasFinished, &wasSessions, &wasSeconds,
		&rec.DaysFinished, &rec.Sessions, &rec.Seconds, &first, &firstAt)
	if err != nil {
		return nil, nil, t.fail(err, "")
	}
	if was.Valid {
		before = &practice.DayRecord{PracticeDay: practice.PracticeDay{Date: date, Zone: was.String, At: wasAt.Time.UTC()},
			DaysFinished: int(wasFinished.Int64), Sessions: int(wasSessions.Int64), Seconds: int(wasSeconds.Int64)}
	}
	if !first.Valid {
		_, err := t.tx.ExecContext(t.ctx, `DELETE FROM practice_days WHERE user_id = $1 AND local_date = $2`, t.userID, ds)
		return before, nil, t.fail(err, "")
	}
	rec.Zone, rec.At = first.String, firstAt.Time.UTC()
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO practice_days (user_id, `+dayColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (user_id, local_date) DO UPDATE SET timezone = excluded.timezone, first_at = excluded.first_at,
			days_finished = excluded.days_finished, sessions = excluded.sessions, seconds = excluded.seconds`,
		t.userID, ds, rec.Zone, rec.At, rec.DaysFinished, rec.Sessions, rec.Seconds)
	if err != nil {
		return nil, nil, t.fail(err, "")
	}
	return before, &rec, nil
}

func (t *practiceTx) RefreshAll() error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM practice_days WHERE user_id = $1`, t.userID); err != nil {
		return t.fail(err, "")
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT local_date FROM day_completions WHERE user_id = $1
		UNION SELECT local_date FROM practice_sessions WHERE user_id = $1`, t.userID)
	if err != nil {
		return t.fail(err, "")
	}
	var dates []practice.Date
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return t.fail(err, "")
		}
		d, err := practice.ParseDate(s)
		if err != nil {
			rows.Close()
			return err
		}
		dates = append(dates, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t.fail(err, "")
	}
	for _, d := range dates {
		if _, _, err := t.RefreshDay(d); err != nil {
			return err
		}
	}
	return nil
}

func (t *practiceTx) Days() ([]practice.DayRecord, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+dayColumns+` FROM practice_days WHERE user_id = $1 ORDER BY local_date`, t.userID)
	return scanDays(t.s, rows, err)
}

func (t *practiceTx) AddEvent(kind, data string, at time.Time) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, `INSERT INTO practice_events (user_id, kind, data, at) VALUES ($1, $2, $3, $4)
		RETURNING id`, t.userID, kind, data, at.UTC()).Scan(&id)
	return id, t.fail(err, "")
}

// Export implements practice.Store.
func (s *Store) Export(ctx context.Context, userID string) (*practice.Export, error) {
	out := &practice.Export{}
	var err error
	if out.Profile, err = s.Profile(ctx, userID); err != nil {
		return nil, err
	}
	if out.Enrollments, err = s.ListEnrollments(ctx, userID, nil, "", 1_000_000); err != nil {
		return nil, err
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT c.enrollment_id, c.cycle, c.kind, c.target_id, c.day_number, c.at,
			c.local_date, c.timezone, c.client_id
		FROM completions c JOIN enrollments e ON e.id = c.enrollment_id WHERE e.user_id = $1 ORDER BY c.at`, userID)
	if out.Completions, err = scanCompletions(s, rows, err); err != nil {
		return nil, err
	}
	rows, err = s.db.Read.QueryContext(ctx, `SELECT enrollment_id, cycle, day_number, at, local_date, timezone
		FROM day_completions WHERE user_id = $1 ORDER BY at`, userID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	for rows.Next() {
		dc := practice.DayCompletion{UserID: userID}
		var date string
		if err := rows.Scan(&dc.EnrollmentID, &dc.Cycle, &dc.Day, &dc.At, &date, &dc.Zone); err != nil {
			rows.Close()
			return nil, s.fail(err, "")
		}
		dc.At = dc.At.UTC()
		dc.LocalDate, _ = practice.ParseDate(date)
		out.Days = append(out.Days, dc)
	}
	rows.Close()
	rows, err = s.db.Read.QueryContext(ctx, `SELECT j.enrollment_id, j.day_number, j.body, j.updated_at, j.client_id
		FROM journal_entries j JOIN enrollments e ON e.id = j.enrollment_id WHERE e.user_id = $1
		ORDER BY j.enrollment_id, j.day_number`, userID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	for rows.Next() {
		j, err := scanJournal(rows)
		if err != nil {
			rows.Close()
			return nil, s.fail(err, "")
		}
		out.Journal = append(out.Journal, *j)
	}
	rows.Close()
	rows, err = s.db.Read.QueryContext(ctx, `SELECT id, client_id, kind, started_at, seconds, local_date, timezone,
			coalesce(CAST(enrollment_id AS text), ''), coalesce(CAST(task_id AS text), ''), note, created_at
		FROM practice_sessions WHERE user_id = $1 ORDER BY started_at`, userID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	for rows.Next() {
		ps := practice.Session{UserID: userID}
		var date, kind string
		if err := rows.Scan(&ps.ID, &ps.ClientID, &kind, &ps.StartedAt, &ps.Seconds, &date, &ps.Zone, &ps.EnrollmentID,
			&ps.TaskID, &ps.Note, &ps.CreatedAt); err != nil {
			rows.Close()
			return nil, s.fail(err, "")
		}
		ps.Kind = practice.SessionKind(kind)
		ps.StartedAt, ps.CreatedAt = ps.StartedAt.UTC(), ps.CreatedAt.UTC()
		ps.LocalDate, _ = practice.ParseDate(date)
		out.Sessions = append(out.Sessions, ps)
	}
	rows.Close()
	if out.Activity, err = s.Activity(ctx, userID, practice.MustDate("0001-01-01"), practice.MustDate("9999-12-31")); err != nil {
		return nil, err
	}
	rows, err = s.db.Read.QueryContext(ctx, `SELECT l.enrollment_id, l.item_id, l.position_ms, l.updated_at
		FROM listening_positions l JOIN enrollments e ON e.id = l.enrollment_id WHERE e.user_id = $1
		ORDER BY l.enrollment_id, l.item_id`, userID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	for rows.Next() {
		var pos practice.Position
		if err := rows.Scan(&pos.EnrollmentID, &pos.ItemID, &pos.Millis, &pos.UpdatedAt); err != nil {
			return nil, s.fail(err, "")
		}
		pos.UpdatedAt = pos.UpdatedAt.UTC()
		out.Positions = append(out.Positions, pos)
	}
	return out, s.fail(rows.Err(), "")
}

// Position implements practice.Store.
func (s *Store) Position(ctx context.Context, enrollmentID, itemID string) (*practice.Position, error) {
	pos := &practice.Position{EnrollmentID: enrollmentID, ItemID: itemID}
	err := s.db.Read.QueryRowContext(ctx, `SELECT position_ms, updated_at FROM listening_positions
		WHERE enrollment_id = $1 AND item_id = $2`, enrollmentID, itemID).Scan(&pos.Millis, &pos.UpdatedAt)
	pos.UpdatedAt = pos.UpdatedAt.UTC()
	return pos, s.fail(err, "position")
}

// SavePosition implements practice.Store: one statement keeps the later
// of the stored position and pos.
func (s *Store) SavePosition(ctx context.Context, pos practice.Position) (*practice.Position, error) {
	out := &practice.Position{EnrollmentID: pos.EnrollmentID, ItemID: pos.ItemID}
	err := s.db.Write.QueryRowContext(ctx, `
		INSERT INTO listening_positions (enrollment_id, item_id, position_ms, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (enrollment_id, item_id) DO UPDATE SET position_ms = excluded.position_ms, updated_at = excluded.updated_at
			WHERE excluded.updated_at >= listening_positions.updated_at
		RETURNING position_ms, updated_at`, pos.EnrollmentID, pos.ItemID, pos.Millis, pos.UpdatedAt.UTC()).Scan(&out.Millis, &out.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) { // a later position is stored
		return s.Position(ctx, pos.EnrollmentID, pos.ItemID)
	}
	out.UpdatedAt = out.UpdatedAt.UTC()
	return out, s.fail(err, "")
}

var _ practice.Store = (*Store)(nil)
