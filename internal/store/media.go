package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media"
)

var _ media.Store = (*Store)(nil)

const mediumColumns = `id, owner_id, kind, filename, content_type, size, sha256, status, failure, object_key, secret,
	width, height, duration_ms, bitrate, pages, peaks, variants, expires_at, created_at, updated_at`

// CreateMedium implements media.Store.
func (s *Store) CreateMedium(ctx context.Context, m *media.Medium) error {
	peaks, variants, err := mediumJSON(m)
	if err != nil {
		return err
	}
	_, err = s.db.Write.ExecContext(ctx, `INSERT INTO media (`+mediumColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		m.ID, nullString(m.OwnerID), string(m.Kind), m.Filename, m.ContentType, m.Size, m.SHA256, string(m.Status), m.Failure,
		m.ObjectKey, m.Secret, nullInt(int64(m.Width)), nullInt(int64(m.Height)), nullInt(m.Duration.Milliseconds()),
		nullInt(int64(m.Bitrate)), nullInt(int64(m.Pages)), peaks, variants, m.ExpiresAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC())
	return s.fail(err, "")
}

// MediumByID implements media.Store.
func (s *Store) MediumByID(ctx context.Context, id string) (*media.Medium, error) {
	m, err := scanMedium(s.db.Read.QueryRowContext(ctx, `SELECT `+mediumColumns+` FROM media WHERE id = $1`, id))
	return m, s.fail(err, "media")
}

// UpdateMedium implements media.Store.
func (s *Store) UpdateMedium(ctx context.Context, m *media.Medium, from media.Status) error {
	peaks, variants, err := mediumJSON(m)
	if err != nil {
		return err
	}
	res, err := s.db.Write.ExecContext(ctx, `
		UPDATE media SET content_type = $2, sha256 = $3, status = $4, failure = $5, width = $6, height = $7, duration_ms = $8,
			bitrate = $9, pages = $10, peaks = $11, variants = $12, updated_at = $13
		WHERE id = $1 AND status = $14`,
		m.ID, m.ContentType, m.SHA256, string(m.Status), m.Failure, nullInt(int64(m.Width)), nullInt(int64(m.Height)),
		nullInt(m.Duration.Milliseconds()), nullInt(int64(m.Bitrate)), nullInt(int64(m.Pages)), peaks, variants,
		m.UpdatedAt.UTC(), string(from))
	if err != nil {
		return s.fail(err, "")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.fail(err, "")
	} else if n == 0 {
		return errs.E(errs.Conflict, "the media changed meanwhile: read it again")
	}
	return nil
}

// DeleteMedium implements media.Store.
func (s *Store) DeleteMedium(ctx context.Context, id string) error {
	_, err := s.db.Write.ExecContext(ctx, `DELETE FROM media WHERE id = $1`, id)
	return s.fail(err, "")
}

// StoredBytes implements media.Store.
func (s *Store) StoredBytes(ctx context.Context, ownerID string) (int64, error) {
	var n int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM media WHERE owner_id = $1 AND status <> 'failed'`,
		ownerID).Scan(&n)
	return n, s.fail(err, "")
}

// MediumPublished implements media.Store.
func (s *Store) MediumPublished(ctx context.Context, id string) (bool, error) {
	var used bool
	err := s.db.Read.QueryRowContext(ctx, `SELECT `+publishedUse(`$1`), id).Scan(&used)
	return used, s.fail(err, "")
}

// MediaByIDs implements media.Store.
func (s *Store) MediaByIDs(ctx context.Context, ids []string) ([]*media.Medium, error) {
	q, args := inList(`SELECT `+mediumColumns+` FROM media WHERE id IN `, ids)
	return s.queryMedia(ctx, q, args...)
}

// PublishedMedia implements media.Store.
func (s *Store) PublishedMedia(ctx context.Context, ids []string) ([]string, error) {
	q, args := inList(`SELECT id FROM media WHERE `+publishedUse(`CAST(media.id AS text)`)+` AND id IN `, ids)
	return s.strings(ctx, q, args...)
}

// MediumReferenced implements media.Store.
func (s *Store) MediumReferenced(ctx context.Context, id string) (bool, error) {
	var used bool
	err := s.db.Read.QueryRowContext(ctx, `SELECT `+referencedUse(`$1`), id).Scan(&used)
	return used, s.fail(err, "")
}

// publishedUse is the condition that published content uses the medium
// whose id is ref: as the cover or an item of a published revision, or
// as the photo of one of its authors. Archived plans count: readers who
// enrolled keep them.
func publishedUse(ref string) string {
	return `(EXISTS (SELECT 1 FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id
			WHERE p.status IN ('published', 'archived') AND r.cover_media_id = ` + ref + `)
		OR EXISTS (SELECT 1 FROM plans p JOIN plan_items i ON i.revision_id = p.published_revision_id
			WHERE p.status IN ('published', 'archived') AND i.media_id = ` + ref + `)
		OR EXISTS (SELECT 1 FROM authors a JOIN revision_authors ra ON ra.author_id = a.id
			JOIN plans p ON p.published_revision_id = ra.revision_id
			WHERE p.status IN ('published', 'archived') AND a.photo_media_id = ` + ref + `))`
}

// referencedUse is the condition that a plan or an author references the
// medium whose id is ref: a revision that is not superseded, as its cover
// or an item, or an author as their photo.
func referencedUse(ref string) string {
	return `(EXISTS (SELECT 1 FROM plan_revisions r WHERE r.state <> 'superseded' AND r.cover_media_id = ` + ref + `)
		OR EXISTS (SELECT 1 FROM plan_revisions r JOIN plan_items i ON i.revision_id = r.id
			WHERE r.state <> 'superseded' AND i.media_id = ` + ref + `)
		OR EXISTS (SELECT 1 FROM authors a WHERE a.photo_media_id = ` + ref + `))`
}

// MediaOf implements media.Store.
func (s *Store) MediaOf(ctx context.Context, ownerID string) ([]*media.Medium, error) {
	return s.queryMedia(ctx, `SELECT `+mediumColumns+` FROM media WHERE owner_id = $1 ORDER BY id`, ownerID)
}

// AbandonedUploads implements media.Store.
func (s *Store) AbandonedUploads(ctx context.Context, before, orphanedBefore time.Time, limit int) ([]*media.Medium, error) {
	return s.queryMedia(ctx, `SELECT `+mediumColumns+` FROM media
		WHERE (status = 'uploading' AND expires_at < $1)
			OR (owner_id IS NULL AND created_at < $2 AND NOT `+referencedUse(`CAST(media.id AS text)`)+`)
		ORDER BY expires_at LIMIT $3`, before.UTC(), orphanedBefore.UTC(), limit)
}

func (s *Store) queryMedia(ctx context.Context, query string, args ...any) ([]*media.Medium, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []*media.Medium
	for rows.Next() {
		m, err := scanMedium(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, m)
	}
	return out, s.fail(rows.Err(), "")
}

func mediumJSON(m *media.Medium) (peaks, variants string, err error) {
	p, err := json.Marshal(nonNil(m.Peaks))
	if err != nil {
		return "", "", err
	}
	v, err := json.Marshal(nonNil(m.Variants))
	return string(p), string(v), err
}

func scanMedium(row scanner) (*media.Medium, error) {
	var (
		m                                       media.Medium
		owner                                   sql.NullString
		kind, status, peaks, variants           string
		width, height, duration, bitrate, pages sql.NullInt64
	)
	err := row.Scan(&m.ID, &owner, &kind, &m.Filename, &m.ContentType, &m.Size, &m.SHA256, &status, &m.Failure, &m.ObjectKey,
		&m.Secret, &width, &height, &duration, &bitrate, &pages, &peaks, &variants, &m.ExpiresAt, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, err
	}
	m.OwnerID, m.Kind, m.Status = owner.String, media.Kind(kind), media.Status(status)
	m.Width, m.Height, m.Bitrate, m.Pages = int(width.Int64), int(height.Int64), int(bitrate.Int64), int(pages.Int64)
	m.Duration = time.Duration(duration.Int64) * time.Millisecond
	m.ExpiresAt, m.CreatedAt, m.UpdatedAt = m.ExpiresAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(peaks), &m.Peaks); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(variants), &m.Variants); err != nil {
		return nil, err
	}
	return &m, nil
}

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }
