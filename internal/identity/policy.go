package identity

import (
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Principal is who is making a request: the signed-in user, the session
// their access token belongs to, and their role as it is now (not as it was
// when the token was signed).
type Principal struct {
	UserID    string
	SessionID string
	Role      Role
	AuthTime  time.Time // when the password was last entered in this session
	// ExpiresAt is when the access token that authenticated the request
	// expires; long-lived responses (event streams) end then.
	ExpiresAt time.Time
}

// Action is something a principal may be allowed to do. Every protected
// operation names one; Authorize is the one place that decides.
type Action string

// The actions, with the least role each needs in policy below.
const (
	// UseAccount is everything a signed-in person does with their own
	// account and their own data.
	UseAccount Action = "account.use"
	// AuthorPlans is writing plans in the studio.
	AuthorPlans Action = "plans.author"
	// ReviewPlans is publishing, rejecting and archiving plans.
	ReviewPlans Action = "plans.review"
	// ManageUsers is listing users and changing roles and access.
	ManageUsers Action = "users.manage"
	// ManageSystem is site-wide configuration and authors.
	ManageSystem Action = "system.manage"
)

// policy is the whole authorisation table: the least role for each action.
// Rules about whose resource it is (own sessions, own plans) are checked
// by the feature with Owns after Authorize.
var policy = map[Action]Role{
	UseAccount:   RoleUser,
	AuthorPlans:  RoleAuthor,
	ReviewPlans:  RoleAdmin,
	ManageUsers:  RoleAdmin,
	ManageSystem: RoleAdmin,
}

// Known reports whether a is in the policy table.
func (a Action) Known() bool { _, ok := policy[a]; return ok }

// MinRole is the least role a needs.
func (a Action) MinRole() Role { return policy[a] }

// Authorize decides whether p may do a: an unauthenticated error without a
// principal, a forbidden one when the role is not enough. An action missing
// from the table is refused: deny by default.
func Authorize(p *Principal, a Action) error {
	if p == nil {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	min, ok := policy[a]
	if !ok || !p.Role.AtLeast(min) {
		return errs.E(errs.Forbidden, "your account may not do this")
	}
	return nil
}

// Owns reports whether p may act on a resource owned by ownerID: its owner,
// or an admin. Callers answer not found otherwise, so foreign ids reveal
// nothing.
func (p *Principal) Owns(ownerID string) bool {
	return p != nil && (p.UserID == ownerID || p.Role == RoleAdmin)
}
