package settings

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Invite is an invitation to sign up while registration is by invitation.
// Its code is shown once, when it is made; the database keeps only a hash.
type Invite struct {
	ID       string
	CodeHash string
	// Email, when set, is the only address that may sign up with it.
	Email     string
	CreatedBy string // "" once the account is gone
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	UsedBy    string // the account made with it; "" until then, or once it is gone
	RevokedAt *time.Time
}

// InviteStatus is where an invitation stands.
type InviteStatus string

// The states of an invitation.
const (
	InvitePending InviteStatus = "pending"
	InviteUsed    InviteStatus = "used"
	InviteRevoked InviteStatus = "revoked"
	InviteExpired InviteStatus = "expired"
)

// Status is where inv stands at now.
func (inv *Invite) Status(now time.Time) InviteStatus {
	switch {
	case inv.UsedAt != nil:
		return InviteUsed
	case inv.RevokedAt != nil:
		return InviteRevoked
	case !now.Before(inv.ExpiresAt):
		return InviteExpired
	}
	return InvitePending
}

// InviteStatus is where inv stands now.
func (s *Service) InviteStatus(inv *Invite) InviteStatus { return inv.Status(s.now()) }

// Invitation lifetimes.
const (
	DefaultInviteTTL = 14 * 24 * time.Hour
	MaxInviteTTL     = 365 * 24 * time.Hour
)

// InviteRequest is what an administrator chooses for a new invitation.
type InviteRequest struct {
	// Email, when set, limits the invitation to that address.
	Email string
	// ExpiresIn is how long it stays valid; zero means DefaultInviteTTL.
	ExpiresIn time.Duration
}

// NewInvite is an invitation just made, with its code, which is shown now
// and never again.
type NewInvite struct {
	*Invite
	Code string
	// Link is the web app's sign-up page with the code.
	Link string
}

// CreateInvite makes an invitation for an administrator.
func (s *Service) CreateInvite(ctx context.Context, p *identity.Principal, r InviteRequest) (*NewInvite, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	var fields []errs.FieldError
	email := ""
	if strings.TrimSpace(r.Email) != "" {
		e, err := identity.NormalizeEmail(r.Email)
		if err != nil {
			fields = append(fields, errs.FieldError{Field: "body.email", Message: "email " + err.Error()})
		}
		email = e
	}
	ttl := r.ExpiresIn
	if ttl == 0 {
		ttl = DefaultInviteTTL
	}
	if ttl < 0 || ttl > MaxInviteTTL {
		fields = append(fields, errs.FieldError{Field: "body.expires_in_days", Message: "an invitation lasts from 1 to 365 days"})
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	code := rand.Text() // 26 characters of base32: 130 random bits
	now := s.now().UTC().Truncate(time.Microsecond)
	inv := &Invite{ID: identity.NewID(), CodeHash: hashCode(code), Email: email, CreatedBy: p.UserID,
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.store.CreateInvite(ctx, inv); err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "invitation created", "by", p.UserID, "invite_id", inv.ID)
	details := map[string]any{"expires_at": inv.ExpiresAt.Format(time.RFC3339)}
	if email != "" {
		details["email"] = email
	}
	s.record(ctx, audit.Entry{ActorID: p.UserID, Action: audit.InviteCreated, TargetType: audit.TargetInvite,
		TargetID: inv.ID, TargetLabel: inviteLabel(inv), Details: details})
	return &NewInvite{Invite: inv, Code: code, Link: s.inviteLink(code)}, nil
}

// inviteLink is the sign-up page of the web app with an invitation code.
func (s *Service) inviteLink(code string) string {
	return strings.TrimSuffix(s.baseURL, "/") + "/sign-up?invite=" + url.QueryEscape(code)
}

// inviteLabel names an invitation in the audit log.
func inviteLabel(inv *Invite) string {
	if inv.Email != "" {
		return "Invitation for " + inv.Email
	}
	return "Invitation for anyone"
}

// MaxPageSize bounds a page of invitations.
const MaxPageSize = 100

// ListInvites lists invitations, newest first, a page at a time, for
// administrators. Codes are never shown again.
func (s *Service) ListInvites(ctx context.Context, p *identity.Principal, cursor string, limit int) (*identity.Page[*Invite], error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	var fields []errs.FieldError
	before, ok := identity.DecodeIDCursor(cursor)
	if !ok {
		fields = append(fields, errs.FieldError{Field: "query.cursor", Message: identity.BadCursor})
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > MaxPageSize {
		fields = append(fields, errs.FieldError{Field: "query.limit", Message: fmt.Sprintf("limit must be from 1 to %d", MaxPageSize)})
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	list, err := s.store.ListInvites(ctx, before, limit+1)
	if err != nil {
		return nil, err
	}
	page := &identity.Page[*Invite]{Items: list}
	if len(list) > limit {
		page.Items = list[:limit]
		page.NextCursor = identity.IDCursor(list[limit-1].ID)
	}
	return page, nil
}

// RevokeInvite withdraws an unused invitation for an administrator.
// Withdrawing one again changes nothing; one that was used is a Conflict.
func (s *Service) RevokeInvite(ctx context.Context, p *identity.Principal, id string) error {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return err
	}
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return errInviteNotFound
	}
	inv, err := s.store.Invite(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return errInviteNotFound
	}
	if err != nil {
		return err
	}
	switch {
	case inv.UsedAt != nil:
		return errInviteUsed
	case inv.RevokedAt != nil:
		return nil
	}
	err = s.store.RevokeInvite(ctx, id, s.now().UTC())
	if errs.Is(err, errs.NotFound) {
		return errInviteUsed // used (or withdrawn by another admin) since it was read
	}
	if err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "invitation withdrawn", "by", p.UserID, "invite_id", id)
	s.record(ctx, audit.Entry{ActorID: p.UserID, Action: audit.InviteRevoked, TargetType: audit.TargetInvite,
		TargetID: inv.ID, TargetLabel: inviteLabel(inv)})
	return nil
}

var (
	errInviteNotFound = errs.E(errs.NotFound, "invitation not found")
	errInviteUsed     = errs.E(errs.Conflict, "this invitation has been used already, so it cannot be withdrawn")
)

// hashCode is how invitation codes are stored: the SHA-256 of the code in
// upper case. Codes are 130-bit random values, so a fast hash is enough.
func hashCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// byInvitation starts every refusal of a registration without a valid
// invitation.
const byInvitation = "registration is by invitation"

// Admit implements identity.Site: while registration is by invitation, an
// account needs a valid invitation for its address, which this claims.
func (s *Service) Admit(ctx context.Context, email, code string) (identity.Admission, error) {
	if s.cur.Load().Settings.Registration != InviteOnly {
		return openAdmission{}, nil
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, errs.E(errs.Forbidden, "%s: ask the site's administrators for an invitation and sign up through its link", byInvitation)
	}
	if len(code) > 100 {
		return nil, errs.E(errs.Forbidden, "%s, and this invitation code is not valid; check the link you were sent", byInvitation)
	}
	hash := hashCode(code)
	now := s.now().UTC()
	inv, err := s.store.ClaimInvite(ctx, hash, email, now)
	if errs.Is(err, errs.NotFound) {
		return nil, s.whyNotAdmitted(ctx, hash, email, now)
	}
	if err != nil {
		return nil, err
	}
	return &inviteAdmission{s: s, id: inv.ID}, nil
}

// whyNotAdmitted explains why an invitation code could not be claimed.
func (s *Service) whyNotAdmitted(ctx context.Context, hash, email string, now time.Time) error {
	inv, err := s.store.InviteByCode(ctx, hash)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Forbidden, "%s, and this invitation code is not valid; check the link you were sent", byInvitation)
	}
	if err != nil {
		return err
	}
	switch inv.Status(now) {
	case InviteUsed:
		return errs.E(errs.Forbidden, "%s, and this invitation has been used already; ask for a new one", byInvitation)
	case InviteRevoked:
		return errs.E(errs.Forbidden, "%s, and this invitation has been withdrawn; ask for a new one", byInvitation)
	case InviteExpired:
		return errs.E(errs.Forbidden, "%s, and this invitation has expired; ask for a new one", byInvitation)
	}
	if inv.Email != "" && inv.Email != email {
		return errs.E(errs.Forbidden, "%s, and this invitation is for another email address; sign up with the address it was sent to", byInvitation)
	}
	return errs.E(errs.Forbidden, "%s, and this invitation could not be used; try again", byInvitation)
}

// inviteAdmission is an invitation claimed for one registration.
type inviteAdmission struct {
	s  *Service
	id string
}

func (a *inviteAdmission) Confirm(ctx context.Context, userID string) error {
	return a.s.store.ConfirmInvite(ctx, a.id, userID)
}

func (a *inviteAdmission) Release(ctx context.Context) error {
	return a.s.store.ReleaseInvite(ctx, a.id)
}

// openAdmission admits under open registration: nothing to record.
type openAdmission struct{}

func (openAdmission) Confirm(context.Context, string) error { return nil }
func (openAdmission) Release(context.Context) error         { return nil }
