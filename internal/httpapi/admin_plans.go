package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

type rejectInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Note string `json:"note" maxLength:"20000" doc:"What the authors should change; they see it in the studio."`
	}
}

type authorFields struct {
	Name         *string `json:"name,omitempty" required:"false" maxLength:"1000"`
	Bio          *string `json:"bio,omitempty" required:"false" doc:"Markdown, at most 200 KB."`
	Tradition    *string `json:"tradition,omitempty" required:"false" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	PhotoMediaID *string `json:"photo_media_id,omitempty" required:"false" maxLength:"64"`
	UserID       *string `json:"user_id,omitempty" required:"false" maxLength:"64" doc:"Links an account, which may then write the plans naming this author; empty unlinks."`
}

func (f *authorFields) input() catalog.AuthorInput {
	in := catalog.AuthorInput{Name: f.Name, Bio: f.Bio, PhotoMediaID: f.PhotoMediaID, UserID: f.UserID}
	if f.Tradition != nil {
		t := catalog.Tradition(*f.Tradition)
		in.Tradition = &t
	}
	return in
}

type createAuthorInput struct {
	Body authorFields
}

type patchAuthorInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body authorFields
}

type adminAuthorIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type adminAuthorOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         AdminAuthorBody
}

type adminAuthorsInput struct {
	Q      string `query:"q" maxLength:"200" doc:"Part of the name, any case, diacritics folded."`
	Cursor string `query:"cursor" maxLength:"1000"`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"50"`
}

type adminAuthorsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []AdminAuthorBody `json:"items"`
		NextCursor string            `json:"next_cursor,omitempty"`
	}
}

func registerAdminCatalog(api huma.API, cat *catalog.Service, views mediaViews, fail func(context.Context, error) error) {
	tags := []string{"Administration"}
	review := func(o huma.Operation) huma.Operation {
		o.Tags = tags
		o.Errors = append(o.Errors, http.StatusNotFound, http.StatusConflict)
		return protect(o, identity.ReviewPlans)
	}
	huma.Register(api, review(huma.Operation{
		OperationID: "admin-publish-plan", Method: http.MethodPost, Path: "/v1/admin/plans/{id}/publish",
		Summary: "Publish a plan",
		Description: "Publishes the revision in review: readers see it at once, in place of any earlier one. Enrolled readers keep their day numbers; " +
			"a reader past the end of a revision that removed days has finished the plan. For an archived plan with nothing in review, brings it back to the catalogue.",
	}), func(ctx context.Context, in *planIDInput) (*studioPlanOutput, error) {
		e, err := cat.Publish(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	huma.Register(api, review(huma.Operation{
		OperationID: "admin-reject-plan", Method: http.MethodPost, Path: "/v1/admin/plans/{id}/reject",
		Summary:     "Send a plan back",
		Description: "Returns the revision in review to its authors as a draft, with a note saying what to change.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}), func(ctx context.Context, in *rejectInput) (*studioPlanOutput, error) {
		e, err := cat.Reject(ctx, principal(ctx), in.ID, in.Body.Note)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	huma.Register(api, review(huma.Operation{
		OperationID: "admin-archive-plan", Method: http.MethodPost, Path: "/v1/admin/plans/{id}/archive",
		Summary:     "Archive a plan",
		Description: "Takes a published plan out of the catalogue. Its page and days still answer for readers who enrolled; publishing it again brings it back.",
	}), func(ctx context.Context, in *planIDInput) (*studioPlanOutput, error) {
		e, err := cat.Archive(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	manage := func(o huma.Operation) huma.Operation {
		o.Tags = tags
		o.Errors = append(o.Errors, http.StatusNotFound, http.StatusUnprocessableEntity)
		return protect(o, identity.ManageSystem)
	}
	authorOut := func(ctx context.Context, a *catalog.Author, err error) (*adminAuthorOutput, error) {
		if err != nil {
			return nil, fail(ctx, err)
		}
		b := toAdminAuthorBody(a)
		refs := mediaRefs{}
		refs.author(&b.AuthorBody)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return &adminAuthorOutput{CacheControl: "no-store", Body: b}, nil
	}
	huma.Register(api, manage(huma.Operation{
		OperationID: "admin-list-authors", Method: http.MethodGet, Path: "/v1/admin/authors",
		Summary: "Find authors", Description: "Every author, by name, whether or not they have published plans.",
	}), func(ctx context.Context, in *adminAuthorsInput) (*adminAuthorsOutput, error) {
		page, err := cat.AdminAuthors(ctx, principal(ctx), in.Q, in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &adminAuthorsOutput{CacheControl: "no-store"}
		out.Body.Items, out.Body.NextCursor = []AdminAuthorBody{}, page.NextCursor
		for _, a := range page.Items {
			out.Body.Items = append(out.Body.Items, toAdminAuthorBody(a))
		}
		refs := mediaRefs{}
		for i := range out.Body.Items {
			refs.author(&out.Body.Items[i].AuthorBody)
		}
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})
	huma.Register(api, manage(huma.Operation{
		OperationID: "admin-create-author", Method: http.MethodPost, Path: "/v1/admin/authors", DefaultStatus: http.StatusCreated,
		Summary: "Add an author",
	}), func(ctx context.Context, in *createAuthorInput) (*adminAuthorOutput, error) {
		a, err := cat.CreateAuthor(ctx, principal(ctx), in.Body.input())
		return authorOut(ctx, a, err)
	})
	huma.Register(api, manage(huma.Operation{
		OperationID: "admin-get-author", Method: http.MethodGet, Path: "/v1/admin/authors/{id}",
		Summary: "An author",
	}), func(ctx context.Context, in *adminAuthorIDInput) (*adminAuthorOutput, error) {
		a, err := cat.AdminAuthor(ctx, principal(ctx), in.ID)
		return authorOut(ctx, a, err)
	})
	huma.Register(api, manage(huma.Operation{
		OperationID: "admin-update-author", Method: http.MethodPatch, Path: "/v1/admin/authors/{id}",
		Summary: "Change an author", Description: "Changes the fields sent; the public catalogue shows the change at once.",
	}), func(ctx context.Context, in *patchAuthorInput) (*adminAuthorOutput, error) {
		a, err := cat.UpdateAuthor(ctx, principal(ctx), in.ID, in.Body.input())
		return authorOut(ctx, a, err)
	})
	huma.Register(api, manage(huma.Operation{
		OperationID: "admin-delete-author", Method: http.MethodDelete, Path: "/v1/admin/authors/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete an author", Description: "Deletes an author no plan names (409 otherwise).",
		Errors: []int{http.StatusConflict},
	}), func(ctx context.Context, in *adminAuthorIDInput) (*noContent, error) {
		if err := cat.DeleteAuthor(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{CacheControl: "no-store"}, nil
	})
}
