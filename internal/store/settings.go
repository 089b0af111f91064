package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

var _ settings.Store = (*Store)(nil)

// Settings implements settings.Store.
func (s *Store) Settings(ctx context.Context) (*settings.Stored, error) {
	var (
		st settings.Stored
		by sql.NullString
	)
	err := s.db.Read.QueryRowContext(ctx, `SELECT version, document, updated_at, updated_by FROM settings WHERE id = 1`).
		Scan(&st.Version, &st.Document, &st.UpdatedAt, &by)
	if err != nil {
		return nil, s.fail(err, "settings")
	}
	st.UpdatedAt, st.UpdatedBy = st.UpdatedAt.UTC(), by.String
	return &st, nil
}

// SaveSettings implements settings.Store: the version check and the write
// are one statement, so of two administrators saving from one version, one
// wins and the other gets a Conflict.
func (s *Store) SaveSettings(ctx context.Context, st *settings.Stored) error {
	var (
		res sql.Result
		err error
	)
	if st.Version == 1 {
		res, err = s.db.Write.ExecContext(ctx, `INSERT INTO settings (id, version, document, updated_at, updated_by)
			VALUES (1, 1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, st.Document, st.UpdatedAt.UTC(), nullString(st.UpdatedBy))
	} else {
		res, err = s.db.Write.ExecContext(ctx, `UPDATE settings SET version = $1, document = $2, updated_at = $3, updated_by = $4
			WHERE id = 1 AND version = $5`, st.Version, st.Document, st.UpdatedAt.UTC(), nullString(st.UpdatedBy), st.Version-1)
	}
	if err != nil {
		return s.fail(err, "settings")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.fail(err, "settings")
	} else if n == 0 {
		return errs.E(errs.Conflict, "the settings have changed since version %d", st.Version-1)
	}
	return nil
}

const inviteColumns = `id, code_hash, email, created_by, created_at, expires_at, used_at, used_by, revoked_at`

func scanInvite(row scanner) (*settings.Invite, error) {
	var (
		inv               settings.Invite
		email, by, usedBy sql.NullString
		usedAt, revokedAt sql.NullTime
	)
	if err := row.Scan(&inv.ID, &inv.CodeHash, &email, &by, &inv.CreatedAt, &inv.ExpiresAt, &usedAt, &usedBy, &revokedAt); err != nil {
		return nil, err
	}
	inv.Email, inv.CreatedBy, inv.UsedBy = email.String, by.String, usedBy.String
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	inv.UsedAt, inv.RevokedAt = timePtr(usedAt), timePtr(revokedAt)
	return &inv, nil
}

// CreateInvite implements settings.Store.
func (s *Store) CreateInvite(ctx context.Context, inv *settings.Invite) error {
	_, err := s.db.Write.ExecContext(ctx, `INSERT INTO invites (`+inviteColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		inv.ID, inv.CodeHash, nullString(inv.Email), nullString(inv.CreatedBy), inv.CreatedAt.UTC(), inv.ExpiresAt.UTC(),
		utcPtr(inv.UsedAt), nullString(inv.UsedBy), utcPtr(inv.RevokedAt))
	return s.fail(err, "invitation")
}

// Invite implements settings.Store.
func (s *Store) Invite(ctx context.Context, id string) (*settings.Invite, error) {
	inv, err := scanInvite(s.db.Read.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = $1`, id))
	return inv, s.fail(err, "invitation")
}

// InviteByCode implements settings.Store.
func (s *Store) InviteByCode(ctx context.Context, codeHash string) (*settings.Invite, error) {
	inv, err := scanInvite(s.db.Read.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE code_hash = $1`, codeHash))
	return inv, s.fail(err, "invitation")
}

// maxUUID sorts after every id.
const maxUUID = "ffffffff-ffff-ffff-ffff-ffffffffffff"

// ListInvites implements settings.Store.
func (s *Store) ListInvites(ctx context.Context, before string, limit int) ([]*settings.Invite, error) {
	if before == "" {
		before = maxUUID
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	list := []*settings.Invite{}
	for rows.Next() {
		inv, err := scanInvite(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		list = append(list, inv)
	}
	return list, s.fail(rows.Err(), "")
}

// ClaimInvite implements settings.Store: one statement checks and marks,
// so two claims of one invitation cannot both succeed.
func (s *Store) ClaimInvite(ctx context.Context, codeHash, email string, at time.Time) (*settings.Invite, error) {
	inv, err := scanInvite(s.db.Write.QueryRowContext(ctx, `UPDATE invites SET used_at = $3
		WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3
			AND (email IS NULL OR email = $2)
		RETURNING `+inviteColumns, codeHash, email, at.UTC()))
	return inv, s.fail(err, "invitation")
}

// ConfirmInvite implements settings.Store.
func (s *Store) ConfirmInvite(ctx context.Context, id, userID string) error {
	return s.execOne(ctx, "invitation", `UPDATE invites SET used_by = $2 WHERE id = $1 AND used_at IS NOT NULL`, id, userID)
}

// ReleaseInvite implements settings.Store.
func (s *Store) ReleaseInvite(ctx context.Context, id string) error {
	return s.execOne(ctx, "invitation", `UPDATE invites SET used_at = NULL WHERE id = $1 AND used_by IS NULL`, id)
}

// RevokeInvite implements settings.Store.
func (s *Store) RevokeInvite(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "invitation", `UPDATE invites SET revoked_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`, id, at.UTC())
}

// SetGraceDefault makes grace say how many grace days a week a person's
// practice profile has before they choose (the site's setting): read for
// people without a saved profile, and stored with a profile when it is
// first saved. Without it, practice.DefaultGracePerWeek.
func (s *Store) SetGraceDefault(grace func(context.Context) int) { s.graceDefault = grace }

// defaultGrace is the grace days a week a practice profile starts with.
func (s *Store) defaultGrace(ctx context.Context) int {
	if s.graceDefault == nil {
		return practice.DefaultGracePerWeek
	}
	return s.graceDefault(ctx)
}
