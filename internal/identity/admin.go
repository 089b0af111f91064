package identity

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/google/uuid"

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
	return u, nil
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
