// Package audit keeps the record of what administrators did: who changed
// what, and when. Feature packages report their administrative actions to a
// Recorder; admins read the log, filtered, in the admin panel.
//
// The package depends on no other feature package, so every feature may
// report to it. That includes identity: so reading the log is authorised
// where it is served (the route needs identity.ManageSystem), not here.
package audit

import (
	"context"
	"time"
)

// Action names what was done, as "<target type>.<verb>". The admin panel
// filters by them; they are stable.
type Action string

// The actions recorded.
const (
	UserRoleChanged     Action = "user.role_changed"
	UserDisabled        Action = "user.disabled"
	UserEnabled         Action = "user.enabled"
	UserSessionsRevoked Action = "user.sessions_revoked"
	PlanPublished       Action = "plan.published"
	PlanRejected        Action = "plan.rejected"
	PlanArchived        Action = "plan.archived"
	AuthorCreated       Action = "author.created"
	AuthorUpdated       Action = "author.updated"
	AuthorDeleted       Action = "author.deleted"
	SettingsChanged     Action = "settings.changed"
	InviteCreated       Action = "invite.created"
	InviteRevoked       Action = "invite.revoked"
)

// DeletedAccount is the label that replaces a person's email address in
// the entries they acted in or were the target of, once they delete their
// account. The ids stay, so an admin can still follow what one account did.
const DeletedAccount = "deleted account"

// Target types.
const (
	TargetUser     = "user"
	TargetPlan     = "plan"
	TargetAuthor   = "author"
	TargetSettings = "settings"
	TargetInvite   = "invite"
)

// An Entry is one recorded action.
type Entry struct {
	ID string
	At time.Time
	// ActorID is the user who acted ("" for the operator, at the command
	// line); ActorLabel is how they were known then (email address).
	ActorID    string
	ActorLabel string
	Action     Action
	TargetType string
	TargetID   string
	// TargetLabel is what the target was called then (a plan's title, a
	// user's email address), so the log reads well after it changes.
	TargetLabel string
	// Details are what changed: field names to values, such as
	// {"role": {"from": "user", "to": "author"}} or {"note": "..."}.
	Details map[string]any
}

// A Recorder records entries. Record fills ID and At when they are empty,
// and ActorLabel from the actor's account when it is empty.
//
// Features record after the action has succeeded, and a failure to record
// does not undo it or fail the request: the change is made and the person
// who made it is told so. The Recorder logs the failure itself (the action
// and ids only, no labels or details, which may be personal data) and also
// returns it, so a caller that must not go on without a record can stop;
// features ignore it.
type Recorder interface {
	Record(ctx context.Context, e Entry) error
}

// Discard is a Recorder that records nothing, for tests and tools that have
// no log.
var Discard Recorder = discard{}

type discard struct{}

func (discard) Record(context.Context, Entry) error { return nil }
