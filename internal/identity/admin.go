package identity

import (
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Page is one page of a list and the cursor of the next ("" at the end).
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// MaxPageSize bounds list pages.
const MaxPageSize = 100

// ListUsers finds users by a substring of their email or name, a page at a
// time, for administrators.
func (s *Service) ListUsers(ctx context.Context, p *Principal, q, cursor string, limit int) (*Page[*User], error) {
	if err := Authorize(p, ManageUsers); err != nil {
		return nil, err
	}
	var fields []errs.FieldError
	after, ok := DecodeIDCursor(cursor)
	if !ok {
		fields = append(fields, errs.FieldError{Field: "query.cursor", Message: BadCursor})
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > MaxPageSize {
		fields = append(fields, errs.FieldError{Field: "query.limit", Message: "limit must be from 1 to 100"})
	}
	if len(q) > 200 {
		fields = append(fields, errs.FieldError{Field: "query.q", Message: "q must be at most 200 characters"})
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	users, err := s.store.ListUsers(ctx, UserQuery{Q: strings.TrimSpace(q), After: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	page := &Page[*User]{Items: users}
	if len(users) > limit {
		page.Items = users[:limit]
		page.NextCursor = IDCursor(users[limit-1].ID)
	}
	return page, nil
}

// BadCursor is the message for a cursor this server did not give out.
const BadCursor = "cursor is not one this server gave out"

// ValidCursor reports whether cursor is one ListUsers could have given out
// (or empty), so the HTTP layer can report a bad cursor together with
// every other invalid parameter.
func ValidCursor(cursor string) bool {
	_, ok := DecodeIDCursor(cursor)
	return ok
}

// IDCursor is the cursor of a list in id order that continues after id.
func IDCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

// DecodeIDCursor returns the id an IDCursor continues after ("" for the
// empty cursor), and false for anything IDCursor did not make.
func DecodeIDCursor(cursor string) (string, bool) {
	if cursor == "" {
		return "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	id, err := uuid.ParseBytes(b)
	if err != nil {
		return "", false
	}
	return id.String(), true
}

// AccessChange is an administrator's change to an account: nil leaves a
// field as it is.
type AccessChange struct {
	Role     *Role
	Disabled *bool
}

// ChangeAccess sets a user's role or disables or enables the account.
// Nobody changes their own role or disables themselves. Disabling signs the
// account out everywhere: its refresh tokens stop at once, its access tokens
// within a minute.
func (s *Service) ChangeAccess(ctx context.Context, p *Principal, userID string, ch AccessChange) (*User, error) {
	if err := Authorize(p, ManageUsers); err != nil {
		return nil, err
	}
	if ch.Role != nil && !ch.Role.Valid() {
		return nil, errs.Validation(errs.FieldError{Field: "body.role", Message: "role must be user, author or admin"})
	}
	if _, err := uuid.Parse(userID); err != nil {
		return nil, errs.E(errs.NotFound, "user not found")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	before := *u
	if u.ID == p.UserID && ((ch.Role != nil && *ch.Role != u.Role) || (ch.Disabled != nil && *ch.Disabled)) {
		return nil, errs.E(errs.Forbidden, "you cannot change your own role or disable your own account; ask another admin")
	}
	now := s.now().UTC()
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	disabling := false
	if ch.Disabled != nil {
		switch {
		case *ch.Disabled && u.DisabledAt == nil:
			u.DisabledAt, disabling = &now, true
		case !*ch.Disabled:
			u.DisabledAt = nil
		}
	}
	u.UpdatedAt = now
	if err := s.store.UpdateAccess(ctx, u); err != nil {
		return nil, err
	}
	if disabling {
		if _, err := s.revokeAll(ctx, u.ID, ""); err != nil {
			return nil, err
		}
	}
	// This replica sees the change at once; the others within Config.StateTTL.
	s.invalidateUser(ctx, u.ID)
	s.logger.InfoContext(ctx, "account access changed", "by", p.UserID, "user_id", u.ID,
		"role", string(u.Role), "disabled", u.DisabledAt != nil)
	s.recordAccess(ctx, p, &before, u)
	return u, nil
}

// recordAccess records in the audit log what ChangeAccess changed: nothing
// for a change to what already was.
func (s *Service) recordAccess(ctx context.Context, p *Principal, before, after *User) {
	entry := func(action audit.Action, details map[string]any) audit.Entry {
		return audit.Entry{ActorID: p.UserID, Action: action, TargetType: audit.TargetUser, TargetID: after.ID,
			TargetLabel: after.Email, Details: details}
	}
	// A failure to record is logged by the recorder; the change stands.
	if before.Role != after.Role {
		_ = s.audit.Record(ctx, entry(audit.UserRoleChanged,
			map[string]any{"role": map[string]any{"from": string(before.Role), "to": string(after.Role)}}))
	}
	switch {
	case before.DisabledAt == nil && after.DisabledAt != nil:
		_ = s.audit.Record(ctx, entry(audit.UserDisabled, nil))
	case before.DisabledAt != nil && after.DisabledAt == nil:
		_ = s.audit.Record(ctx, entry(audit.UserEnabled, nil))
	}
}

// RevokeUserSessions signs a user out everywhere (administrators): every
// session ends, so refresh tokens stop at once and access tokens within
// Config.StateTTL (at once on this replica). It returns how many sessions
// were ended. An admin may do it to themselves, which signs them out too,
// this session included: the way to end every session at once when an
// account may be in other hands.
func (s *Service) RevokeUserSessions(ctx context.Context, p *Principal, userID string) (int, error) {
	if err := Authorize(p, ManageUsers); err != nil {
		return 0, err
	}
	if _, err := uuid.Parse(userID); err != nil {
		return 0, errs.E(errs.NotFound, "user not found")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return 0, err
	}
	n, err := s.revokeAll(ctx, u.ID, "")
	if err != nil {
		return 0, err
	}
	s.logger.InfoContext(ctx, "sessions revoked by an administrator", "by", p.UserID, "user_id", u.ID, "sessions", n)
	_ = s.audit.Record(ctx, audit.Entry{ActorID: p.UserID, Action: audit.UserSessionsRevoked, TargetType: audit.TargetUser,
		TargetID: u.ID, TargetLabel: u.Email, Details: map[string]any{"count": n}})
	return n, nil
}

// UserDetail is an account as administrators see it.
type UserDetail struct {
	User *User
	// Sessions counts the sessions that are signed in and usable.
	Sessions int
	// LastSeenAt is the latest sign-in or token refresh of a session not
	// signed out; nil when there is none.
	LastSeenAt *time.Time
}

// UserDetail returns an account and how it is signed in (administrators).
func (s *Service) UserDetail(ctx context.Context, p *Principal, userID string) (*UserDetail, error) {
	if err := Authorize(p, ManageUsers); err != nil {
		return nil, err
	}
	if _, err := uuid.Parse(userID); err != nil {
		return nil, errs.E(errs.NotFound, "user not found")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.SessionsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	d := &UserDetail{User: u}
	now := s.now()
	for _, sess := range sessions {
		if d.LastSeenAt == nil || sess.LastUsedAt.After(*d.LastSeenAt) {
			at := sess.LastUsedAt
			d.LastSeenAt = &at
		}
		if now.Before(sess.ExpiresAt) && now.Sub(sess.LastUsedAt) <= s.cfg.IdleTimeout {
			d.Sessions++
		}
	}
	return d, nil
}

// invalidateUser forgets the cached state of every session of a user.
func (s *Service) invalidateUser(ctx context.Context, userID string) {
	sessions, err := s.store.SessionsByUser(ctx, userID)
	if err != nil {
		return
	}
	for _, sess := range sessions {
		s.states.Invalidate(sess.ID)
	}
}
