package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

var _ catalog.Store = (*Store)(nil)

const authorColumns = `a.id, a.name, a.bio, a.bio_html, a.tradition, a.photo_media_id, a.user_id, a.created_at, a.updated_at`

// CreateAuthor implements catalog.Store.
func (s *Store) CreateAuthor(ctx context.Context, a *catalog.Author) error {
	return s.fail(insertAuthor(ctx, s.db.Write, a), "author")
}

// execer is a *sql.DB or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func insertAuthor(ctx context.Context, db execer, a *catalog.Author) error {
	_, err := db.ExecContext(ctx, `
		INSERT INTO authors (id, name, sort_name, bio, bio_html, tradition, photo_media_id, user_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, a.Name, catalog.SortTitle(a.Name), a.Bio, a.BioHTML, string(a.Tradition), a.PhotoMediaID,
		nullString(a.UserID), a.CreatedAt.UTC(), a.UpdatedAt.UTC())
	return err
}

// UpdateAuthor implements catalog.Store.
// The published plans that name the author are indexed again in the same
// transaction, since author names are found by search.
func (s *Store) UpdateAuthor(ctx context.Context, a *catalog.Author) error {
	return s.tx(ctx, "author", func(tx *sql.Tx) error {
		if err := one(tx.ExecContext(ctx, `
			UPDATE authors SET name = $2, sort_name = $3, bio = $4, bio_html = $5, tradition = $6, photo_media_id = $7,
				user_id = $8, updated_at = $9
			WHERE id = $1`,
			a.ID, a.Name, catalog.SortTitle(a.Name), a.Bio, a.BioHTML, string(a.Tradition), a.PhotoMediaID,
			nullString(a.UserID), a.UpdatedAt.UTC())); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT p.id FROM plans p JOIN revision_authors ra ON ra.revision_id = p.published_revision_id
			WHERE ra.author_id = $1 AND p.status = 'published'`, a.ID)
		if err != nil {
			return err
		}
		var plans []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			plans = append(plans, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range plans {
			if err := s.indexPlan(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteAuthor implements catalog.Store. An author some revision names is
// kept by its foreign key, which the dialect reports as invalid.
func (s *Store) DeleteAuthor(ctx context.Context, id string) error {
	return s.execOne(ctx, "author", `DELETE FROM authors WHERE id = $1`, id)
}

// AuthorByID implements catalog.Store.
func (s *Store) AuthorByID(ctx context.Context, id string) (*catalog.Author, error) {
	a, err := scanAuthor(s.db.Read.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors a WHERE a.id = $1`, id))
	return a, s.fail(err, "author")
}

// AuthorByUser implements catalog.Store.
func (s *Store) AuthorByUser(ctx context.Context, userID string) (*catalog.Author, error) {
	a, err := scanAuthor(s.db.Read.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors a WHERE a.user_id = $1`, userID))
	return a, s.fail(err, "author")
}

// AuthorByName implements catalog.Store.
func (s *Store) AuthorByName(ctx context.Context, name string) (*catalog.Author, error) {
	a, err := scanAuthor(s.db.Read.QueryRowContext(ctx,
		`SELECT `+authorColumns+` FROM authors a WHERE a.name = $1 ORDER BY a.created_at, a.id LIMIT 1`, name))
	return a, s.fail(err, "author")
}

// AuthorsByIDs implements catalog.Store.
func (s *Store) AuthorsByIDs(ctx context.Context, ids []string) ([]*catalog.Author, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q, args := inList(`SELECT `+authorColumns+` FROM authors a WHERE a.id IN `, ids)
	return s.queryAuthors(ctx, q, args...)
}

// ListAuthors implements catalog.Store.
func (s *Store) ListAuthors(ctx context.Context, q catalog.AuthorQuery) ([]*catalog.Author, error) {
	w := where{}
	if q.Q != "" {
		// Folded as sort_name is, so any case matches on both engines
		// (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
		w.add(`a.sort_name LIKE ` + w.arg("%"+likeEscaper.Replace(catalog.SortTitle(q.Q))+"%") + ` ESCAPE '\'`)
	}
	if q.Published {
		w.add(`EXISTS (SELECT 1 FROM revision_authors ra JOIN plans p ON p.published_revision_id = ra.revision_id
			WHERE ra.author_id = a.id AND p.status = 'published')`)
	}
	if q.AfterID != "" {
		k, id := w.arg(q.AfterKey), w.arg(q.AfterID)
		w.add(`(a.sort_name > ` + k + ` OR (a.sort_name = ` + k + ` AND a.id > ` + id + `))`)
	}
	query := `SELECT ` + authorColumns + ` FROM authors a` + w.sql() + ` ORDER BY a.sort_name, a.id LIMIT ` + w.arg(q.Limit)
	return s.queryAuthors(ctx, query, w.args...)
}

func (s *Store) queryAuthors(ctx context.Context, query string, args ...any) ([]*catalog.Author, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []*catalog.Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, a)
	}
	return out, s.fail(rows.Err(), "")
}

func scanAuthor(row scanner) (*catalog.Author, error) {
	var a catalog.Author
	var tradition string
	var user sql.NullString
	if err := row.Scan(&a.ID, &a.Name, &a.Bio, &a.BioHTML, &tradition, &a.PhotoMediaID, &user, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.Tradition, a.UserID = catalog.Tradition(tradition), user.String
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// where builds a WHERE clause whose values are all parameters.
type where struct {
	conds []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// inList appends "($1, $2, ...)" for values to prefix.
func inList(prefix string, values []string, before ...any) (string, []any) {
	args := append([]any{}, before...)
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('(')
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, v)
		b.WriteString("$" + strconv.Itoa(len(args)))
	}
	b.WriteByte(')')
	return b.String(), args
}
