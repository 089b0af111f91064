package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// ListPublished implements catalog.Store.
func (s *Store) ListPublished(ctx context.Context, q catalog.CatalogQuery) ([]*catalog.Listing, error) {
	if q.Search != nil && q.Sort == catalog.Relevance && s.db.Dialect.Name() == Postgres {
		return s.searchPostgres(ctx, q)
	}
	w := where{}
	w.add(`p.status = 'published'`)
	join, rank := "", ""
	if q.Search != nil {
		join, rank = s.textSearch(&w, q.Search)
	}
	filter(&w, q, revisionColumnsOf)
	order, offset := `p.first_published_at DESC, p.id DESC`, ""
	if q.Sort == catalog.Relevance && rank != "" {
		order, offset = rank+`, p.first_published_at DESC, p.id DESC`, ` OFFSET `+w.arg(q.Offset)
	} else if q.Sort == catalog.ByTitle {
		order = `r.sort_title, p.id`
		if q.AfterID != "" {
			k, id := w.arg(q.AfterKey), w.arg(q.AfterID)
			w.add(`(r.sort_title > ` + k + ` OR (r.sort_title = ` + k + ` AND p.id > ` + id + `))`)
		}
	} else if q.AfterID != "" {
		at, err := time.Parse(time.RFC3339Nano, q.AfterKey)
		if err != nil {
			return nil, errs.E(errs.Invalid, "the cursor is not one this server gave out")
		}
		k, id := w.arg(at.UTC()), w.arg(q.AfterID)
		w.add(`(p.first_published_at < ` + k + ` OR (p.first_published_at = ` + k + ` AND p.id < ` + id + `))`)
	}
	query := `SELECT ` + planColumns + `, ` + revisionColumns + `
		FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id` + join + w.sql() +
		` ORDER BY ` + order + ` LIMIT ` + w.arg(q.Limit) + offset
	db := s.db.Read
	if q.Search != nil {
		db = s.db.Search
	}
	return s.listings(ctx, db, query, w.args)
}

// filterColumns name what the catalogue filters by in a query: the
// published revision's columns, or their copies in PostgreSQL's search
// index (searchColumnsOf).
type filterColumns struct{ tradition, level, language, days, revision string }

var revisionColumnsOf = filterColumns{"r.tradition", "r.level", "r.language", "r.day_count", "r.id"}

// filter adds q's filters to w.
func filter(w *where, q catalog.CatalogQuery, c filterColumns) {
	if q.Tradition != "" {
		w.add(c.tradition + ` = ` + w.arg(string(q.Tradition)))
	}
	if q.Level != "" {
		w.add(c.level + ` = ` + w.arg(string(q.Level)))
	}
	if q.Language != "" {
		// Language tags ignore case; lower() on both sides makes both
		// engines agree (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
		lang := strings.ToLower(q.Language)
		w.add(`(lower(` + c.language + `) = ` + w.arg(lang) + ` OR lower(` + c.language + `) LIKE ` +
			w.arg(likeEscaper.Replace(lang)+"-%") + ` ESCAPE '\')`)
	}
	topicAndAuthor(w, q, c)
	if q.MinDays > 0 {
		w.add(c.days + ` >= ` + w.arg(q.MinDays))
	}
	if q.MaxDays > 0 {
		w.add(c.days + ` <= ` + w.arg(q.MaxDays))
	}
}

// topicAndAuthor adds q's topic and author filters to w.
func topicAndAuthor(w *where, q catalog.CatalogQuery, c filterColumns) {
	if q.Topic != "" {
		w.add(`EXISTS (SELECT 1 FROM revision_topics t WHERE t.revision_id = ` + c.revision + ` AND t.topic = ` + w.arg(q.Topic) + `)`)
	}
	if q.AuthorID != "" {
		w.add(`EXISTS (SELECT 1 FROM revision_authors ra WHERE ra.revision_id = ` + c.revision + ` AND ra.author_id = ` + w.arg(q.AuthorID) + `)`)
	}
}

// ListStudio implements catalog.Store.
func (s *Store) ListStudio(ctx context.Context, q catalog.StudioQuery) ([]*catalog.Listing, error) {
	w := where{}
	switch q.Status {
	case "":
	case catalog.InReview:
		// The review queue: new plans in review, and new revisions of
		// published plans in review.
		w.add(`(p.status = 'in_review' OR r.state = 'in_review')`)
	default:
		w.add(`p.status = ` + w.arg(string(q.Status)))
	}
	if q.EditableBy != "" {
		u := w.arg(q.EditableBy)
		w.add(`(p.created_by = ` + u + ` OR EXISTS (SELECT 1 FROM revision_authors ra JOIN authors a ON a.id = ra.author_id
			WHERE a.user_id = ` + u + ` AND (ra.revision_id = p.working_revision_id OR ra.revision_id = p.published_revision_id)))`)
	}
	if q.AfterID != "" {
		w.add(`p.id < ` + w.arg(q.AfterID))
	}
	query := `SELECT ` + planColumns + `, ` + revisionColumns + `
		FROM plans p JOIN plan_revisions r ON r.id = coalesce(p.working_revision_id, p.published_revision_id)` +
		w.sql() + ` ORDER BY p.id DESC LIMIT ` + w.arg(q.Limit)
	return s.listings(ctx, s.db.Read, query, w.args)
}

// listings runs a query selecting planColumns and revisionColumns and
// loads the authors of each revision.
func (s *Store) listings(ctx context.Context, db *sql.DB, query string, args []any) ([]*catalog.Listing, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	var out []*catalog.Listing
	revs := map[string]*catalog.Revision{}
	for rows.Next() {
		var pr planRow
		var rr revisionRow
		if err := rows.Scan(append(pr.dest(), rr.dest()...)...); err != nil {
			rows.Close()
			return nil, s.fail(err, "")
		}
		r, err := rr.revision()
		if err != nil {
			rows.Close()
			return nil, err
		}
		revs[r.ID] = r
		out = append(out, &catalog.Listing{Plan: pr.plan(), Revision: r, Days: r.DayCount, Minutes: rr.minutes})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "")
	}
	if err := s.fillTags(ctx, revs); err != nil {
		return nil, s.fail(err, "")
	}
	var authorIDs []string
	seen := map[string]bool{}
	for _, r := range revs {
		for _, id := range r.AuthorIDs {
			if !seen[id] {
				seen[id] = true
				authorIDs = append(authorIDs, id)
			}
		}
	}
	authors, err := s.AuthorsByIDs(ctx, authorIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]*catalog.Author{}
	for _, a := range authors {
		byID[a.ID] = a
	}
	for _, l := range out {
		for _, id := range l.Revision.AuthorIDs {
			if a := byID[id]; a != nil {
				l.Authors = append(l.Authors, a)
			}
		}
	}
	return out, nil
}
