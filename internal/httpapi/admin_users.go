package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/identity"
)

type adminUserBody struct {
	UserBody
	Disabled bool `json:"disabled"`
}

func toAdminUserBody(u *identity.User) adminUserBody {
	return adminUserBody{UserBody: *toUserBody(u), Disabled: u.DisabledAt != nil}
}

type listUsersInput struct {
	Q      string `query:"q" maxLength:"200" doc:"Part of an email address or display name, any case."`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"50"`
}

// Resolve reports a bad cursor together with any other invalid parameter
// (huma checks limit and q before the handler runs).
func (in *listUsersInput) Resolve(huma.Context) []error {
	if !identity.ValidCursor(in.Cursor) {
		return []error{&huma.ErrorDetail{Location: "query.cursor", Message: identity.BadCursor, Value: in.Cursor}}
	}
	return nil
}

type listUsersOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []adminUserBody `json:"items"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
	}
}

type patchUserInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Role     *string `json:"role,omitempty" required:"false" enum:"user,author,admin"`
		Disabled *bool   `json:"disabled,omitempty" required:"false" doc:"A disabled account cannot sign in or refresh, and its access tokens stop within a minute."`
	}
}

type adminUserOutput struct {
	Body adminUserBody
}

func registerAdminUsers(api huma.API, ids *identity.Service, fail func(context.Context, error) error) {
	tags := []string{"Administration"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-list-users", Method: http.MethodGet, Path: "/v1/admin/users", Tags: tags,
		Summary:     "Find users",
		Description: "Users whose email or display name contains q, in creation order, a page at a time.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.ManageUsers), func(ctx context.Context, in *listUsersInput) (*listUsersOutput, error) {
		page, err := ids.ListUsers(ctx, principal(ctx), in.Q, in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &listUsersOutput{CacheControl: "no-store"}
		out.Body.Items = []adminUserBody{}
		for _, u := range page.Items {
			out.Body.Items = append(out.Body.Items, toAdminUserBody(u))
		}
		out.Body.NextCursor = page.NextCursor
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-update-user", Method: http.MethodPatch, Path: "/v1/admin/users/{id}", Tags: tags,
		Summary:     "Change a user's role or access",
		Description: "Sets the role, or disables or enables the account. Nobody changes their own role or disables themselves (403). Disabling signs the account out everywhere.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, identity.ManageUsers), func(ctx context.Context, in *patchUserInput) (*adminUserOutput, error) {
		ch := identity.AccessChange{Disabled: in.Body.Disabled}
		if in.Body.Role != nil {
			r := identity.Role(*in.Body.Role)
			ch.Role = &r
		}
		u, err := ids.ChangeAccess(ctx, principal(ctx), in.ID, ch)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &adminUserOutput{Body: toAdminUserBody(u)}, nil
	})
}
