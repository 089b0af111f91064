package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// The audit log, and what administrators see of a person's sessions.

type auditActorBody struct {
	ID    string `json:"id,omitempty" format:"uuid" doc:"The account that acted; absent for the operator at the command line."`
	Label string `json:"label" doc:"How the account was known when it acted: its email address, or \"deleted account\" once the account is deleted."`
}

type auditTargetBody struct {
	Type  string `json:"type" doc:"What kind of thing was acted on: user, plan, author, settings, invite." example:"plan"`
	ID    string `json:"id" doc:"Its id."`
	Label string `json:"label" doc:"What it was called then: a plan's title, an author's name, a person's email address (\"deleted account\" once the account is deleted)."`
}

// AuditEntryBody is one entry of the audit log.
type AuditEntryBody struct {
	ID      string          `json:"id" format:"uuid"`
	At      time.Time       `json:"at"`
	Actor   auditActorBody  `json:"actor"`
	Action  string          `json:"action" doc:"What was done, as <target type>.<verb>: user.role_changed, user.disabled, user.enabled, user.sessions_revoked, plan.published, plan.rejected, plan.archived, author.created, author.updated, author.deleted, and others as features add them." example:"plan.published"`
	Target  auditTargetBody `json:"target"`
	Details map[string]any  `json:"details" doc:"What changed, by action: {\"role\": {\"from\", \"to\"}} for a role, {\"count\"} for revoked sessions, {\"revision\", \"note\"} for a rejection, {\"changed\": [fields], <field>: {\"from\", \"to\"}} for an author. Empty when there is nothing to add."`
}

func toAuditEntryBody(e *audit.Entry) AuditEntryBody {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	return AuditEntryBody{
		ID: e.ID, At: e.At, Action: string(e.Action), Details: details,
		Actor:  auditActorBody{ID: e.ActorID, Label: e.ActorLabel},
		Target: auditTargetBody{Type: e.TargetType, ID: e.TargetID, Label: e.TargetLabel},
	}
}

type listAuditInput struct {
	ActorID    string    `query:"actor_id" doc:"Only what this account did (a user id)."`
	Action     string    `query:"action" doc:"Only this action, such as plan.published; or, ending in a dot, every action on a kind of target, such as user." example:"user."`
	TargetType string    `query:"target_type" doc:"Only actions on this kind of thing: user, plan, author, settings, invite."`
	TargetID   string    `query:"target_id" maxLength:"200" doc:"Only actions on the thing with this id."`
	Q          string    `query:"q" maxLength:"200" doc:"Part of the actor's or the target's label (an email address, a plan's title, an author's name), any case."`
	Since      time.Time `query:"since" doc:"Only actions at or after this time (RFC 3339)."`
	Until      time.Time `query:"until" doc:"Only actions before this time (RFC 3339); later than since."`
	Cursor     string    `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page."`
	Limit      int       `query:"limit" minimum:"1" maximum:"100" default:"50"`
}

func (in *listAuditInput) filter() audit.Filter {
	return audit.Filter{ActorID: in.ActorID, Action: in.Action, TargetType: in.TargetType, TargetID: in.TargetID,
		Since: in.Since, Until: in.Until, Q: in.Q}
}

// Resolve reports what is wrong with the filter together with what huma
// finds (the lengths of q and target_id, the limit, malformed times).
func (in *listAuditInput) Resolve(huma.Context) []error {
	var list []error
	for _, f := range audit.CheckFilter(in.filter(), in.Cursor) {
		if f.Field == "query.q" || f.Field == "query.target_id" {
			continue // huma checks their length
		}
		list = append(list, &huma.ErrorDetail{Location: f.Field, Message: f.Message})
	}
	return list
}

type listAuditOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []AuditEntryBody `json:"items"`
		NextCursor string           `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
	}
}

func registerAdminAudit(api huma.API, log *audit.Service, fail func(context.Context, error) error) {
	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-list-audit", Method: http.MethodGet, Path: "/v1/admin/audit", Tags: []string{"Administration"},
		Summary: "Read the audit log",
		Description: "What administrators did (roles, disabled accounts, revoked sessions, plan reviews, authors, settings), newest first, " +
			"a page at a time, filtered by actor, action or action prefix, target, time and a part of a label.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, identity.ManageSystem), func(ctx context.Context, in *listAuditInput) (*listAuditOutput, error) {
		// The route's protect is the authorisation: audit cannot ask
		// identity, which reports to it.
		page, err := log.List(ctx, in.filter(), in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &listAuditOutput{CacheControl: "no-store"}
		out.Body.Items = []AuditEntryBody{}
		for _, e := range page.Items {
			out.Body.Items = append(out.Body.Items, toAuditEntryBody(e))
		}
		out.Body.NextCursor = page.NextCursor
		return out, nil
	})
}

// adminUserDetailBody is adminUserBody and more. (huma documents the
// fields of embedded exported types only, so it embeds UserBody.)
type adminUserDetailBody struct {
	UserBody
	Disabled   bool       `json:"disabled"`
	Sessions   int        `json:"sessions" doc:"How many sessions (signed-in devices) can still be used."`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty" doc:"The latest sign-in or token refresh of a session not signed out; absent when there is none."`
}

type adminUserIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type adminUserDetailOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         adminUserDetailBody
}

type revokeUserSessionsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Revoked int `json:"revoked" doc:"How many sessions were ended."`
	}
}

func registerAdminUserSessions(api huma.API, ids *identity.Service, fail func(context.Context, error) error) {
	tags := []string{"Administration"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-get-user", Method: http.MethodGet, Path: "/v1/admin/users/{id}", Tags: tags,
		Summary:     "Look at a user",
		Description: "The account, how many sessions it can still use and when it was last seen.",
		Errors:      []int{http.StatusNotFound},
	}, identity.ManageUsers), func(ctx context.Context, in *adminUserIDInput) (*adminUserDetailOutput, error) {
		d, err := ids.UserDetail(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &adminUserDetailOutput{CacheControl: "no-store",
			Body: adminUserDetailBody{UserBody: *toUserBody(d.User), Disabled: d.User.DisabledAt != nil, Sessions: d.Sessions, LastSeenAt: d.LastSeenAt}}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-revoke-user-sessions", Method: http.MethodDelete, Path: "/v1/admin/users/{id}/sessions", Tags: tags,
		Summary: "Sign a user out everywhere",
		Description: "Ends every session of the account: its refresh tokens stop at once, its access tokens within a minute. " +
			"The account stays enabled, so its owner can sign in again. Done to oneself, it signs this session out too. Recorded in the audit log.",
		Errors: []int{http.StatusNotFound},
	}, identity.ManageUsers), func(ctx context.Context, in *adminUserIDInput) (*revokeUserSessionsOutput, error) {
		n, err := ids.RevokeUserSessions(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &revokeUserSessionsOutput{CacheControl: "no-store"}
		out.Body.Revoked = n
		return out, nil
	})
}
