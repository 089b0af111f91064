package store

import (
	"context"
	"database/sql"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
)

var _ recommend.Store = (*Store)(nil)

// History implements recommend.Store.
func (s *Store) History(ctx context.Context, userID string) ([]recommend.Taken, error) {
	out, listings, err := withListings(ctx, s, `
		SELECT e.plan_id, e.status, e.created_at, e.completed_at
		FROM enrollments e JOIN plans p ON p.id = e.plan_id
		WHERE e.user_id = $1 AND p.published_revision_id IS NOT NULL
		ORDER BY e.id DESC`, []any{userID}, func(row scanner) (recommend.Taken, string, error) {
		var (
			t              recommend.Taken
			planID, status string
			done           sql.NullTime
		)
		err := row.Scan(&planID, &status, &t.EnrolledAt, &done)
		t.Status, t.EnrolledAt, t.CompletedAt = practice.Status(status), t.EnrolledAt.UTC(), timePtr(done)
		return t, planID, err
	})
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for i, t := range out {
		if t.Listing = listings[i]; t.Listing != nil {
			kept = append(kept, t)
		}
	}
	return kept, nil
}

// withListings runs query, scans each row with scan into a value and the
// id of a plan, and returns the values with the published listing of each
// one's plan (nil for a plan that has none any more).
func withListings[T any](ctx context.Context, s *Store, query string, args []any,
	scan func(scanner) (T, string, error)) ([]T, []*catalog.Listing, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, s.fail(err, "")
	}
	var (
		out []T
		ids []string
	)
	for rows.Next() {
		v, id, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, nil, s.fail(err, "")
		}
		out, ids = append(out, v), append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, s.fail(err, "")
	}
	byID, err := s.listingsByID(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	listings := make([]*catalog.Listing, len(ids))
	for i, id := range ids {
		listings[i] = byID[id]
	}
	return out, listings, nil
}

// listingsByID loads the published listings of plans that were ever
// published, whatever their status now, by plan id.
func (s *Store) listingsByID(ctx context.Context, ids []string) (map[string]*catalog.Listing, error) {
	out := map[string]*catalog.Listing{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args := inList(`SELECT `+planColumns+`, `+revisionColumns+`
		FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id WHERE p.id IN `, dedupe(ids))
	list, err := s.listings(ctx, s.db.Read, q, args)
	if err != nil {
		return nil, err
	}
	for _, l := range list {
		out[l.Plan.ID] = l
	}
	return out, nil
}

// Candidates implements recommend.Store.
func (s *Store) Candidates(ctx context.Context, q recommend.CandidateQuery) ([]recommend.Candidate, error) {
	w := where{}
	w.add(`p.status = 'published'`)
	if len(q.IDs) > 0 {
		w.add(`p.id IN ` + w.list(q.IDs))
	}
	if len(q.Traditions) > 0 {
		ts := make([]string, len(q.Traditions))
		for i, t := range q.Traditions {
			ts[i] = string(t)
		}
		w.add(`r.tradition IN ` + w.list(ts))
	}
	if len(q.Topics) > 0 {
		w.add(`EXISTS (SELECT 1 FROM revision_topics t WHERE t.revision_id = r.id AND t.topic IN ` + w.list(q.Topics) + `)`)
	}
	if len(q.Exclude) > 0 {
		w.add(`p.id NOT IN ` + w.list(q.Exclude))
	}
	// The same order twice: in the window, on the tables' columns; outside,
	// on the names the inner query gives them.
	within, order := `p.first_published_at DESC, p.id DESC`, `published DESC, id DESC`
	if q.Sort == recommend.MostPopular {
		within, order = `coalesce(pp.score, 0) DESC, `+within, `score DESC, `+order
	}
	inner := `SELECT p.id AS id, coalesce(pp.score, 0) AS score, coalesce(pp.recent, 0) AS recent,
			coalesce(pp.finishers, 0) AS finishers, p.first_published_at AS published,
			row_number() OVER (PARTITION BY r.tradition ORDER BY ` + within + `) AS place
		FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id
		LEFT JOIN plan_popularity pp ON pp.plan_id = p.id` + w.sql()
	if q.PerTradition <= 0 {
		q.PerTradition = q.Limit
	}
	query := `SELECT id, score, recent, finishers FROM (` + inner + `) ranked
		WHERE place <= ` + w.arg(q.PerTradition) + ` ORDER BY ` + order + ` LIMIT ` + w.arg(q.Limit)
	out, listings, err := withListings(ctx, s, query, w.args, func(row scanner) (recommend.Candidate, string, error) {
		var c recommend.Candidate
		err := row.Scan(&c.Popularity.PlanID, &c.Popularity.Score, &c.Popularity.Recent, &c.Popularity.Finishers)
		return c, c.Popularity.PlanID, err
	})
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for i, c := range out {
		// A plan unpublished between the two reads is left out.
		if c.Listing = listings[i]; c.Listing != nil {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// NextPlans implements recommend.Store.
func (s *Store) NextPlans(ctx context.Context, from []string, limit int) ([]recommend.Next, error) {
	if len(from) == 0 {
		return nil, nil
	}
	w := where{}
	query := `SELECT plan_id, next_plan_id, people, share FROM plan_next WHERE plan_id IN ` + w.list(from) + `
		ORDER BY share DESC, people DESC, plan_id, next_plan_id LIMIT ` + w.arg(limit)
	rows, err := s.db.Read.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []recommend.Next
	for rows.Next() {
		var n recommend.Next
		if err := rows.Scan(&n.PlanID, &n.NextPlanID, &n.People, &n.Share); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, n)
	}
	return out, s.fail(rows.Err(), "")
}

// EachEnrolment implements recommend.Store. Rows come in the order of the
// enrolments' user index, so one person's come together.
func (s *Store) EachEnrolment(ctx context.Context, fn func(recommend.Enrolment) error) error {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT user_id, plan_id, created_at, completed_at FROM enrollments ORDER BY user_id, id`)
	if err != nil {
		return s.fail(err, "")
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e    recommend.Enrolment
			done sql.NullTime
		)
		if err := rows.Scan(&e.UserID, &e.PlanID, &e.EnrolledAt, &done); err != nil {
			return s.fail(err, "")
		}
		e.EnrolledAt, e.CompletedAt = e.EnrolledAt.UTC(), timePtr(done)
		if err := fn(e); err != nil {
			return err
		}
	}
	return s.fail(rows.Err(), "")
}

// ReplaceSignals implements recommend.Store. Counts of plans deleted since
// they were counted are dropped rather than failing the run.
func (s *Store) ReplaceSignals(ctx context.Context, sig *recommend.Signals) error {
	return s.tx(ctx, "", func(tx *sql.Tx) error {
		for _, table := range []string{"plan_next", "plan_popularity"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		exists, err := planIDs(ctx, tx)
		if err != nil {
			return err
		}
		at := sig.At.UTC()
		var pop, next [][]any
		for _, p := range sig.Popularity {
			if exists[p.PlanID] {
				pop = append(pop, []any{p.PlanID, p.Score, p.Recent, p.Finishers, at})
			}
		}
		for _, n := range sig.Next {
			if exists[n.PlanID] && exists[n.NextPlanID] {
				next = append(next, []any{n.PlanID, n.NextPlanID, n.People, n.Share, at})
			}
		}
		if err := insertRows(ctx, tx, "plan_popularity", "plan_id, score, recent, finishers, computed_at", pop); err != nil {
			return err
		}
		return insertRows(ctx, tx, "plan_next", "plan_id, next_plan_id, people, share, computed_at", next)
	})
}

// planIDs returns the ids of every plan.
func planIDs(ctx context.Context, tx *sql.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM plans`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}

// list adds values as parameters and returns "($1, $2, ...)".
func (w *where) list(values []string) string {
	q, args := inList("", values, w.args...)
	w.args = args
	return q
}

// dedupe returns ids without repeats, in first-seen order.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
