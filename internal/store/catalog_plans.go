package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

const planColumns = `p.id, p.slug, p.status, p.created_by, p.published_revision_id, p.working_revision_id,
	p.created_at, p.updated_at, p.first_published_at, p.published_at, p.archived_at`

const revisionColumns = `r.id, r.plan_id, r.number, r.state, r.version, r.review_note, r.submitted_at, r.reviewed_at,
	r.reviewed_by, r.created_at, r.updated_at, r.title, r.subtitle, r.description, r.description_html, r.tradition,
	r.level, r.language, r.cover_media_id, r.fixed_start_dates, r.day_count, r.minutes`

// tx runs fn in a write transaction, committed if fn returns nil.
func (s *Store) tx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err, what)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.fail(err, what)
	}
	return s.fail(tx.Commit(), what)
}

// CreatePlan implements catalog.Store.
func (s *Store) CreatePlan(ctx context.Context, p *catalog.Plan, r *catalog.Revision, newAuthors ...*catalog.Author) error {
	return s.tx(ctx, "plan", func(tx *sql.Tx) error {
		for _, a := range newAuthors {
			if err := insertAuthor(ctx, tx, a); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO plans (id, slug, status, created_by, published_revision_id, working_revision_id,
				created_at, updated_at, first_published_at, published_at, archived_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			p.ID, p.Slug, string(p.Status), nullString(p.CreatedBy), nullString(p.PublishedRevisionID),
			nullString(p.WorkingRevisionID), p.CreatedAt.UTC(), p.UpdatedAt.UTC(), utcPtr(p.FirstPublishedAt),
			utcPtr(p.PublishedAt), utcPtr(p.ArchivedAt)); err != nil {
			return err
		}
		if err := saveRevision(ctx, tx, r, 0); err != nil {
			return err
		}
		if p.Status == catalog.Published {
			return s.indexPlan(ctx, tx, p.ID)
		}
		return nil
	})
}

// SaveRevision implements catalog.Store.
func (s *Store) SaveRevision(ctx context.Context, p *catalog.Plan, r *catalog.Revision, version int) error {
	return s.tx(ctx, "plan", func(tx *sql.Tx) error {
		if err := saveRevision(ctx, tx, r, version); err != nil {
			return err
		}
		return updatePlan(ctx, tx, p)
	})
}

func updatePlan(ctx context.Context, tx *sql.Tx, p *catalog.Plan) error {
	res, err := tx.ExecContext(ctx, `
		UPDATE plans SET slug = $2, status = $3, published_revision_id = $4, working_revision_id = $5, updated_at = $6,
			first_published_at = $7, published_at = $8, archived_at = $9
		WHERE id = $1`,
		p.ID, p.Slug, string(p.Status), nullString(p.PublishedRevisionID), nullString(p.WorkingRevisionID),
		p.UpdatedAt.UTC(), utcPtr(p.FirstPublishedAt), utcPtr(p.PublishedAt), utcPtr(p.ArchivedAt))
	return one(res, err)
}

// one turns "no row changed" into sql.ErrNoRows.
func one(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// saveRevision inserts r (version 0) at r.Version+1, or replaces its
// content if it is still at version, and sets r.Version.
func saveRevision(ctx context.Context, tx *sql.Tx, r *catalog.Revision, version int) error {
	dates, err := json.Marshal(nonNil(r.FixedStartDates))
	if err != nil {
		return err
	}
	minutes := r.Minutes()
	if version == 0 {
		_, err = tx.ExecContext(ctx, `
			INSERT INTO plan_revisions (id, plan_id, number, state, version, review_note, submitted_at, reviewed_at,
				reviewed_by, created_at, updated_at, title, sort_title, subtitle, description, description_html,
				tradition, level, language, cover_media_id, fixed_start_dates, day_count, minutes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			r.ID, r.PlanID, r.Number, string(r.State), r.Version+1, r.ReviewNote, utcPtr(r.SubmittedAt), utcPtr(r.ReviewedAt),
			nullString(r.ReviewedBy), r.CreatedAt.UTC(), r.UpdatedAt.UTC(), r.Title, catalog.SortTitle(r.Title),
			r.Subtitle, r.Description, r.DescriptionHTML, string(r.Tradition), string(r.Level), r.Language,
			r.CoverMediaID, string(dates), len(r.Days), minutes)
		if err != nil {
			return err
		}
		r.Version++
	} else {
		res, err := tx.ExecContext(ctx, `
			UPDATE plan_revisions SET version = version + 1, updated_at = $3, title = $4, sort_title = $5, subtitle = $6,
				description = $7, description_html = $8, tradition = $9, level = $10, language = $11, cover_media_id = $12,
				fixed_start_dates = $13, day_count = $14, minutes = $15
			WHERE id = $1 AND version = $2`,
			r.ID, version, r.UpdatedAt.UTC(), r.Title, catalog.SortTitle(r.Title), r.Subtitle, r.Description,
			r.DescriptionHTML, string(r.Tradition), string(r.Level), r.Language, r.CoverMediaID, string(dates),
			len(r.Days), minutes)
		if err := one(res, err); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.E(errs.Conflict, "the revision was changed meanwhile")
			}
			return err
		}
		r.Version = version + 1
		for _, table := range []string{"revision_authors", "revision_topics", "plan_days"} {
			// Deleting the days deletes their items and tasks by cascade.
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE revision_id = $1`, r.ID); err != nil {
				return err
			}
		}
	}
	r.DayCount = len(r.Days)
	return insertContent(ctx, tx, r)
}

// insertContent inserts r's authors, topics, days, items and tasks, many
// rows per statement.
func insertContent(ctx context.Context, tx *sql.Tx, r *catalog.Revision) error {
	var authors, topics, days, items, tasks [][]any
	for i, id := range r.AuthorIDs {
		authors = append(authors, []any{r.ID, id, i})
	}
	for i, t := range r.Topics {
		topics = append(topics, []any{r.ID, t, i})
	}
	for _, d := range r.Days {
		days = append(days, []any{r.ID, d.Number, d.Title, d.Intro, d.IntroHTML})
		for i, it := range d.Items {
			items = append(items, []any{r.ID, it.ID, d.Number, i, string(it.Kind), it.Title, it.Body, it.BodyHTML,
				it.MediaID, it.URL, it.Citation, it.SegmentStart, it.SegmentEnd, it.Minutes, it.RootText, it.RootHTML,
				it.RootLanguage})
		}
		for i, t := range d.Tasks {
			tasks = append(tasks, []any{r.ID, t.ID, d.Number, i, string(t.Kind), t.Prompt, t.PromptHTML, t.Minutes, t.Optional})
		}
	}
	inserts := []struct {
		table, columns string
		rows           [][]any
	}{
		{"revision_authors", "revision_id, author_id, position", authors},
		{"revision_topics", "revision_id, topic, position", topics},
		{"plan_days", "revision_id, number, title, intro, intro_html", days},
		{"plan_items", `revision_id, id, day_number, position, kind, title, body, body_html, media_id, url, citation,
			segment_start, segment_end, minutes, root_text, root_html, root_language`, items},
		{"plan_tasks", "revision_id, id, day_number, position, kind, prompt, prompt_html, minutes, optional", tasks},
	}
	for _, ins := range inserts {
		if err := insertRows(ctx, tx, ins.table, ins.columns, ins.rows); err != nil {
			return err
		}
	}
	return nil
}

// insertRows inserts rows in batches that stay well under both engines'
// limits on parameters per statement.
func insertRows(ctx context.Context, tx *sql.Tx, table, columns string, rows [][]any) error {
	const maxParams = 4000
	for len(rows) > 0 {
		n := min(len(rows), maxParams/len(rows[0]))
		var b strings.Builder
		args := make([]any, 0, n*len(rows[0]))
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, columns)
		for i, row := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// ChangeState implements catalog.Store.
func (s *Store) ChangeState(ctx context.Context, p *catalog.Plan, changes ...catalog.RevisionChange) error {
	return s.tx(ctx, "plan", func(tx *sql.Tx) error {
		for _, c := range changes {
			var res sql.Result
			var err error
			switch c.To {
			case catalog.RevisionInReview:
				res, err = tx.ExecContext(ctx, `UPDATE plan_revisions SET state = $3, submitted_at = $4, review_note = ''
					WHERE id = $1 AND state = $2`, c.RevisionID, string(c.From), string(c.To), c.At.UTC())
			case catalog.RevisionSuperseded:
				res, err = tx.ExecContext(ctx, `UPDATE plan_revisions SET state = $3 WHERE id = $1 AND state = $2`,
					c.RevisionID, string(c.From), string(c.To))
			default:
				res, err = tx.ExecContext(ctx, `UPDATE plan_revisions SET state = $3, review_note = $4, reviewed_at = $5,
						reviewed_by = $6
					WHERE id = $1 AND state = $2`, c.RevisionID, string(c.From), string(c.To), c.Note, c.At.UTC(),
					nullString(c.ReviewedBy))
			}
			if err := one(res, err); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return errs.E(errs.Conflict, "the plan changed meanwhile; reload it")
				}
				return err
			}
		}
		if err := updatePlan(ctx, tx, p); err != nil {
			return err
		}
		return s.indexPlan(ctx, tx, p.ID)
	})
}

// DeletePlan implements catalog.Store.
func (s *Store) DeletePlan(ctx context.Context, id string) error {
	return s.execOne(ctx, "plan", `DELETE FROM plans WHERE id = $1`, id)
}

// PlanByID implements catalog.Store.
func (s *Store) PlanByID(ctx context.Context, id string) (*catalog.Plan, error) {
	p, err := scanPlan(s.db.Read.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.id = $1`, id))
	return p, s.fail(err, "plan")
}

// PlanBySlug implements catalog.Store.
func (s *Store) PlanBySlug(ctx context.Context, slug string) (*catalog.Plan, error) {
	p, err := scanPlan(s.db.Read.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.slug = $1`, slug))
	return p, s.fail(err, "plan")
}

// SlugsLike implements catalog.Store.
func (s *Store) SlugsLike(ctx context.Context, base string) ([]string, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT slug FROM plans WHERE slug = $1 OR slug LIKE $2 ESCAPE '\'`,
		base, likeEscaper.Replace(base)+"-%")
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, slug)
	}
	return out, s.fail(rows.Err(), "")
}

// CountPlans implements catalog.Store.
func (s *Store) CountPlans(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM plans`).Scan(&n)
	return n, s.fail(err, "")
}

// planRow receives planColumns.
type planRow struct {
	p                          catalog.Plan
	status                     string
	createdBy, pub, working    sql.NullString
	first, published, archived sql.NullTime
}

func (r *planRow) dest() []any {
	return []any{&r.p.ID, &r.p.Slug, &r.status, &r.createdBy, &r.pub, &r.working, &r.p.CreatedAt, &r.p.UpdatedAt,
		&r.first, &r.published, &r.archived}
}

func (r *planRow) plan() *catalog.Plan {
	p := r.p
	p.Status = catalog.Status(r.status)
	p.CreatedBy, p.PublishedRevisionID, p.WorkingRevisionID = r.createdBy.String, r.pub.String, r.working.String
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.FirstPublishedAt, p.PublishedAt, p.ArchivedAt = timePtr(r.first), timePtr(r.published), timePtr(r.archived)
	return &p
}

func scanPlan(row scanner) (*catalog.Plan, error) {
	var r planRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.plan(), nil
}

// revisionRow receives revisionColumns (metadata without authors and topics).
type revisionRow struct {
	r                              catalog.Revision
	state, tradition, level, dates string
	reviewedBy                     sql.NullString
	submitted, reviewed            sql.NullTime
	minutes                        int
}

func (x *revisionRow) dest() []any {
	r := &x.r
	return []any{&r.ID, &r.PlanID, &r.Number, &x.state, &r.Version, &r.ReviewNote, &x.submitted, &x.reviewed,
		&x.reviewedBy, &r.CreatedAt, &r.UpdatedAt, &r.Title, &r.Subtitle, &r.Description, &r.DescriptionHTML, &x.tradition,
		&x.level, &r.Language, &r.CoverMediaID, &x.dates, &r.DayCount, &x.minutes}
}

func (x *revisionRow) revision() (*catalog.Revision, error) {
	r := x.r
	r.State, r.Tradition, r.Level = catalog.RevisionState(x.state), catalog.Tradition(x.tradition), catalog.Level(x.level)
	r.ReviewedBy, r.SubmittedAt, r.ReviewedAt = x.reviewedBy.String, timePtr(x.submitted), timePtr(x.reviewed)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(x.dates), &r.FixedStartDates); err != nil {
		return nil, fmt.Errorf("revision %s: fixed_start_dates: %w", r.ID, err)
	}
	r.AuthorIDs, r.Topics = []string{}, []string{}
	return &r, nil
}

func scanRevision(row scanner) (*catalog.Revision, error) {
	var x revisionRow
	if err := row.Scan(x.dest()...); err != nil {
		return nil, err
	}
	return x.revision()
}

// RevisionMeta implements catalog.Store.
func (s *Store) RevisionMeta(ctx context.Context, id string) (*catalog.Revision, error) {
	r, err := scanRevision(s.db.Read.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM plan_revisions r WHERE r.id = $1`, id))
	if err != nil {
		return nil, s.fail(err, "revision")
	}
	if err := s.fillTags(ctx, map[string]*catalog.Revision{r.ID: r}); err != nil {
		return nil, s.fail(err, "")
	}
	return r, nil
}

// fillTags loads the authors and topics of revisions, in order.
func (s *Store) fillTags(ctx context.Context, revs map[string]*catalog.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(revs))
	for id := range revs {
		ids = append(ids, id)
	}
	// One statement for both: a round trip costs more than either.
	in, args := inList(`IN `, ids)
	rows, err := s.db.Read.QueryContext(ctx, `
		SELECT revision_id, 0, position, CAST(author_id AS text) FROM revision_authors WHERE revision_id `+in+`
		UNION ALL
		SELECT revision_id, 1, position, topic FROM revision_topics WHERE revision_id `+in+`
		ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rev, v string
		var topic, position int
		if err := rows.Scan(&rev, &topic, &position, &v); err != nil {
			return err
		}
		if r := revs[rev]; topic == 0 {
			r.AuthorIDs = append(r.AuthorIDs, v)
		} else {
			r.Topics = append(r.Topics, v)
		}
	}
	return rows.Err()
}

// Revision implements catalog.Store.
func (s *Store) Revision(ctx context.Context, id string) (*catalog.Revision, error) {
	r, err := s.RevisionMeta(ctx, id)
	if err != nil {
		return nil, err
	}
	r.Days, err = s.days(ctx, id, 0)
	return r, s.fail(err, "")
}

// Day implements catalog.Store.
func (s *Store) Day(ctx context.Context, revisionID string, number int) (*catalog.Day, error) {
	if number < 1 { // days(0) would load every day
		return nil, errs.E(errs.NotFound, "day %d not found", number)
	}
	days, err := s.days(ctx, revisionID, number)
	if err != nil {
		return nil, s.fail(err, "")
	}
	if len(days) == 0 {
		return nil, errs.E(errs.NotFound, "day %d not found", number)
	}
	return &days[0], nil
}

// days loads the days of a revision with their items and tasks: all of
// them, or only day number when it is not 0.
func (s *Store) days(ctx context.Context, revisionID string, number int) ([]catalog.Day, error) {
	cond, args := `revision_id = $1`, []any{revisionID}
	if number != 0 {
		cond, args = `revision_id = $1 AND number = $2`, []any{revisionID, number}
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT number, title, intro, intro_html FROM plan_days WHERE `+cond+` ORDER BY number`, args...)
	if err != nil {
		return nil, err
	}
	days := []catalog.Day{}
	index := map[int]int{}
	for rows.Next() {
		d := catalog.Day{Items: []catalog.Item{}, Tasks: []catalog.Task{}}
		if err := rows.Scan(&d.Number, &d.Title, &d.Intro, &d.IntroHTML); err != nil {
			rows.Close()
			return nil, err
		}
		index[d.Number] = len(days)
		days = append(days, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(days) == 0 {
		return days, err
	}
	cond = strings.ReplaceAll(cond, "number", "day_number")
	rows, err = s.db.Read.QueryContext(ctx, `
		SELECT day_number, id, kind, title, body, body_html, media_id, url, citation, segment_start, segment_end, minutes,
			root_text, root_html, root_language
		FROM plan_items WHERE `+cond+` ORDER BY day_number, position`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n int
		var it catalog.Item
		var kind string
		if err := rows.Scan(&n, &it.ID, &kind, &it.Title, &it.Body, &it.BodyHTML, &it.MediaID, &it.URL, &it.Citation,
			&it.SegmentStart, &it.SegmentEnd, &it.Minutes, &it.RootText, &it.RootHTML, &it.RootLanguage); err != nil {
			rows.Close()
			return nil, err
		}
		it.Kind = catalog.ItemKind(kind)
		d := &days[index[n]]
		d.Items = append(d.Items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.Read.QueryContext(ctx, `
		SELECT day_number, id, kind, prompt, prompt_html, minutes, optional
		FROM plan_tasks WHERE `+cond+` ORDER BY day_number, position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var t catalog.Task
		var kind string
		if err := rows.Scan(&n, &t.ID, &kind, &t.Prompt, &t.PromptHTML, &t.Minutes, &t.Optional); err != nil {
			return nil, err
		}
		t.Kind = catalog.TaskKind(kind)
		d := &days[index[n]]
		d.Tasks = append(d.Tasks, t)
	}
	return days, rows.Err()
}

// Outline implements catalog.Store.
func (s *Store) Outline(ctx context.Context, revisionID string) ([]catalog.DayOutline, error) {
	rows, err := s.db.Read.QueryContext(ctx, `
		SELECT d.number, d.title,
			(SELECT count(*) FROM plan_items i WHERE i.revision_id = d.revision_id AND i.day_number = d.number),
			(SELECT count(*) FROM plan_tasks t WHERE t.revision_id = d.revision_id AND t.day_number = d.number),
			(SELECT coalesce(sum(i.minutes), 0) FROM plan_items i WHERE i.revision_id = d.revision_id AND i.day_number = d.number)
			+ (SELECT coalesce(sum(t.minutes), 0) FROM plan_tasks t WHERE t.revision_id = d.revision_id AND t.day_number = d.number)
		FROM plan_days d WHERE d.revision_id = $1 ORDER BY d.number`, revisionID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []catalog.DayOutline{}
	for rows.Next() {
		var o catalog.DayOutline
		if err := rows.Scan(&o.Number, &o.Title, &o.Items, &o.Tasks, &o.Minutes); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, o)
	}
	return out, s.fail(rows.Err(), "")
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Targets implements catalog.Store.
func (s *Store) Targets(ctx context.Context, revisionID string) ([]catalog.Target, error) {
	rows, err := s.db.Read.QueryContext(ctx, `
		SELECT 'item', id, day_number, position, false FROM plan_items WHERE revision_id = $1
		UNION ALL
		SELECT 'task', id, day_number, position, optional FROM plan_tasks WHERE revision_id = $1
		ORDER BY 3, 1, 4`, revisionID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []catalog.Target{}
	for rows.Next() {
		var t catalog.Target
		var position int
		if err := rows.Scan(&t.Kind, &t.ID, &t.Day, &position, &t.Optional); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, t)
	}
	return out, s.fail(rows.Err(), "")
}
