package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/markdown"
)

// planFields are a plan's metadata as the studio sends them; absent fields
// stay as they are.
type planFields struct {
	Slug            *string   `json:"slug,omitempty" required:"false" maxLength:"200" doc:"Derived from the title when left out. Fixed once the plan is published."`
	Title           *string   `json:"title,omitempty" required:"false" maxLength:"1000"`
	Subtitle        *string   `json:"subtitle,omitempty" required:"false" maxLength:"1000"`
	Description     *string   `json:"description,omitempty" required:"false" doc:"Markdown, at most 200 KB."`
	AuthorIDs       *[]string `json:"author_ids,omitempty" required:"false" maxItems:"10" doc:"Authors in display order. Left out on creation: the author linked to your account (made from your display name if you have none)."`
	Tradition       *string   `json:"tradition,omitempty" required:"false" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	Topics          *[]string `json:"topics,omitempty" required:"false" maxItems:"20"`
	Level           *string   `json:"level,omitempty" required:"false" enum:"beginner,intermediate,advanced" doc:"Default beginner."`
	Language        *string   `json:"language,omitempty" required:"false" maxLength:"35" doc:"BCP 47 tag; default en."`
	CoverMediaID    *string   `json:"cover_media_id,omitempty" required:"false" maxLength:"64"`
	FixedStartDates *[]string `json:"fixed_start_dates,omitempty" required:"false" maxItems:"50" doc:"Dates (YYYY-MM-DD, in order) on which the plan always starts, as for a rains retreat; empty for any day."`
}

func (f *planFields) input() catalog.PlanInput {
	in := catalog.PlanInput{Slug: f.Slug, Title: f.Title, Subtitle: f.Subtitle, Description: f.Description,
		AuthorIDs: f.AuthorIDs, Topics: f.Topics, Language: f.Language, CoverMediaID: f.CoverMediaID, FixedStartDates: f.FixedStartDates}
	if f.Tradition != nil {
		t := catalog.Tradition(*f.Tradition)
		in.Tradition = &t
	}
	if f.Level != nil {
		l := catalog.Level(*f.Level)
		in.Level = &l
	}
	return in
}

// IfMatchHeader is the precondition of a studio write.
type IfMatchHeader struct {
	IfMatch string `header:"If-Match" doc:"The plan's ETag (its version) as last seen: the change is refused with 409 if someone saved since. Leave it out to overwrite."`
}

// version is the revision version If-Match names, 0 for none, or -1 for
// something that is not one of our ETags.
func (m IfMatchHeader) version() int {
	v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.IfMatch), "W/"))
	if v == "" || v == "*" {
		return 0
	}
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 {
		return -1
	}
	return n
}

// Resolve reports an If-Match that is not a plan version.
func (m *IfMatchHeader) Resolve(huma.Context) []error {
	if m.version() < 0 {
		return []error{&huma.ErrorDetail{Location: "header.If-Match", Message: `If-Match must be a plan ETag such as "3"`, Value: m.IfMatch}}
	}
	return nil
}

type studioPlanOutput struct {
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *StudioPlanBody
}

// studioOut answers with plan e, its media filled in.
func studioOut(ctx context.Context, views mediaViews, e *catalog.Editable) (*studioPlanOutput, error) {
	b := toStudioPlanBody(e)
	refs := mediaRefs{}
	refs.add(b.CoverMediaID, &b.Cover)
	refs.authors(b.Authors)
	for i := range b.Days {
		refs.items(b.Days[i].Items)
	}
	if err := refs.fill(ctx, views); err != nil {
		return nil, err
	}
	return &studioPlanOutput{ETag: `"` + strconv.Itoa(e.Revision.Version) + `"`, CacheControl: "no-store", Body: b}, nil
}

type createPlanInput struct {
	Body planFields
}

type listStudioInput struct {
	Status string `query:"status" enum:"draft,in_review,published,archived"`
	Cursor string `query:"cursor" maxLength:"200"`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

// Resolve reports a bad cursor with the other parameters.
func (in *listStudioInput) Resolve(huma.Context) []error {
	if !identity.ValidCursor(in.Cursor) {
		return []error{&huma.ErrorDetail{Location: "query.cursor", Message: identity.BadCursor, Value: in.Cursor}}
	}
	return nil
}

type studioPlansOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []StudioPlanCard `json:"items"`
		NextCursor string           `json:"next_cursor,omitempty"`
	}
}

type planIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type patchPlanInput struct {
	IfMatchHeader
	ID   string `path:"id" maxLength:"64"`
	Body planFields
}

type dayFields struct {
	Title    *string `json:"title,omitempty" required:"false" maxLength:"1000"`
	Intro    *string `json:"intro,omitempty" required:"false" doc:"Markdown, at most 200 KB."`
	Position int     `json:"position,omitempty" required:"false" minimum:"0" maximum:"365" doc:"Where the new day goes (1 is first); the days from there on move one later. Left out: at the end."`
}

type addDayInput struct {
	IfMatchHeader
	ID   string `path:"id" maxLength:"64"`
	Body dayFields
}

// DayPath, ItemPath and TaskPath address a day, item or task of a plan.
// (Exported: huma fills only exported embedded structs.)
type DayPath struct {
	IfMatchHeader
	ID     string `path:"id" maxLength:"64"`
	Number int    `path:"n" minimum:"1" maximum:"365"`
}

type patchDayInput struct {
	DayPath
	Body struct {
		Title *string `json:"title,omitempty" required:"false" maxLength:"1000"`
		Intro *string `json:"intro,omitempty" required:"false"`
	}
}

type reorderDaysInput struct {
	IfMatchHeader
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Order []int `json:"order" maxItems:"365" doc:"Every day number once, in the new order: [3, 1, 2] makes day 3 the first."`
	}
}

type itemFields struct {
	Kind         *string `json:"kind,omitempty" required:"false" enum:"text,audio,video,pdf,image,link"`
	Title        *string `json:"title,omitempty" required:"false" maxLength:"1000"`
	Body         *string `json:"body,omitempty" required:"false" doc:"Markdown, at most 200 KB; required for text items."`
	MediaID      *string `json:"media_id,omitempty" required:"false" maxLength:"64"`
	URL          *string `json:"url,omitempty" required:"false" maxLength:"4000" doc:"Required for link items."`
	Citation     *string `json:"citation,omitempty" required:"false" maxLength:"1000"`
	SegmentStart *string `json:"segment_start,omitempty" required:"false" maxLength:"200"`
	SegmentEnd   *string `json:"segment_end,omitempty" required:"false" maxLength:"200"`
	Minutes      *int    `json:"minutes,omitempty" required:"false"`
	RootText     *string `json:"root_text,omitempty" required:"false" doc:"The original text (Pali, Sanskrit...) shown beside the translation; Markdown."`
	RootLanguage *string `json:"root_language,omitempty" required:"false" maxLength:"35"`
	Position     int     `json:"position,omitempty" required:"false" minimum:"0" maximum:"50" doc:"On creation, where the item goes (1 is first); left out: at the end."`
}

func (f *itemFields) input() catalog.ItemInput {
	in := catalog.ItemInput{Title: f.Title, Body: f.Body, MediaID: f.MediaID, URL: f.URL, Citation: f.Citation,
		SegmentStart: f.SegmentStart, SegmentEnd: f.SegmentEnd, Minutes: f.Minutes, RootText: f.RootText, RootLanguage: f.RootLanguage}
	if f.Kind != nil {
		k := catalog.ItemKind(*f.Kind)
		in.Kind = &k
	}
	return in
}

type addItemInput struct {
	DayPath
	Body itemFields
}

type ItemPath struct {
	DayPath
	ItemID string `path:"item_id" maxLength:"64"`
}

type patchItemInput struct {
	ItemPath
	Body itemFields
}

type reorderInput struct {
	DayPath
	Body struct {
		IDs []string `json:"ids" maxItems:"50" doc:"Every id of the day's items (or tasks) once, in the new order."`
	}
}

type taskFields struct {
	Kind     *string `json:"kind,omitempty" required:"false" enum:"meditate,reflect,chant,practice,memorize"`
	Prompt   *string `json:"prompt,omitempty" required:"false" doc:"Markdown; required except for meditate."`
	Minutes  *int    `json:"minutes,omitempty" required:"false" doc:"Required for meditate (1 to 600)."`
	Optional *bool   `json:"optional,omitempty" required:"false"`
	Position int     `json:"position,omitempty" required:"false" minimum:"0" maximum:"20" doc:"On creation, where the task goes (1 is first); left out: at the end."`
}

func (f *taskFields) input() catalog.TaskInput {
	in := catalog.TaskInput{Prompt: f.Prompt, Minutes: f.Minutes, Optional: f.Optional}
	if f.Kind != nil {
		k := catalog.TaskKind(*f.Kind)
		in.Kind = &k
	}
	return in
}

type addTaskInput struct {
	DayPath
	Body taskFields
}

type TaskPath struct {
	DayPath
	TaskID string `path:"task_id" maxLength:"64"`
}

type patchTaskInput struct {
	TaskPath
	Body taskFields
}

type renderInput struct {
	Body struct {
		Markdown string `json:"markdown" maxLength:"204800"`
	}
}

type renderOutput struct {
	Body struct {
		HTML string `json:"html" doc:"Exactly the sanitised HTML readers will see."`
	}
}

type studioAuthorsInput struct {
	Q     string `query:"q" maxLength:"200" doc:"Part of the name; empty lists them all."`
	Limit int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

type studioAuthorsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items []AuthorBody `json:"items"`
	}
}

func registerStudio(api huma.API, cat *catalog.Service, ids *identity.Service, views mediaViews, fail func(context.Context, error) error) {
	tags := []string{"Studio"}
	// op registers a studio operation that answers with the plan.
	op := func(o huma.Operation) huma.Operation {
		o.Tags = tags
		o.Errors = append(o.Errors, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)
		return protect(o, identity.AuthorPlans)
	}
	done := func(ctx context.Context, e *catalog.Editable, err error) (*studioPlanOutput, error) {
		if err != nil {
			return nil, fail(ctx, err)
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	}

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-create-plan", Method: http.MethodPost, Path: "/v1/studio/plans", DefaultStatus: http.StatusCreated,
		Summary:     "Start a plan",
		Description: "Creates a draft plan from a title and a tradition (and any other metadata). A taken slug is reported with a free one to use instead.",
	}), func(ctx context.Context, in *createPlanInput) (*studioPlanOutput, error) {
		p := principal(ctx)
		name := ""
		if u, err := ids.Me(ctx, p); err == nil {
			name = u.DisplayName
		}
		e, err := cat.CreatePlan(ctx, p, name, in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-list-plans", Method: http.MethodGet, Path: "/v1/studio/plans", Tags: tags,
		Summary:     "My plans",
		Description: "The plans you may edit (every plan, for admins), newest first, with the state of the revision being written or reviewed. Admins find the review queue with status=in_review.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *listStudioInput) (*studioPlansOutput, error) {
		page, err := cat.StudioPlans(ctx, principal(ctx), catalog.Status(in.Status), in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &studioPlansOutput{CacheControl: "no-store"}
		out.Body.Items, out.Body.NextCursor = []StudioPlanCard{}, page.NextCursor
		for _, l := range page.Items {
			out.Body.Items = append(out.Body.Items, StudioPlanCard{PlanCard: toPlanCard(l), Status: string(l.Plan.Status),
				RevisionState: string(l.Revision.State), ReviewNote: l.Revision.ReviewNote, UpdatedAt: l.Plan.UpdatedAt,
				SubmittedAt: l.Revision.SubmittedAt})
		}
		refs := mediaRefs{}
		for i := range out.Body.Items {
			refs.card(&out.Body.Items[i].PlanCard)
		}
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-get-plan", Method: http.MethodGet, Path: "/v1/studio/plans/{id}",
		Summary:     "A plan to edit",
		Description: "The plan with every day, item and task of the revision being written or reviewed (or else the published one). Plans you may not edit are not found.",
	}), func(ctx context.Context, in *planIDInput) (*studioPlanOutput, error) {
		e, err := cat.StudioPlan(ctx, principal(ctx), in.ID)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-update-plan", Method: http.MethodPatch, Path: "/v1/studio/plans/{id}",
		Summary: "Change a plan's metadata",
		Description: "Changes the fields sent. Editing a published plan starts a new revision: readers keep the published one until the new one is published. " +
			"A plan in review cannot be edited until it is published or sent back.",
	}), func(ctx context.Context, in *patchPlanInput) (*studioPlanOutput, error) {
		e, err := cat.UpdatePlan(ctx, principal(ctx), in.ID, in.version(), in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-delete-plan", Method: http.MethodDelete, Path: "/v1/studio/plans/{id}", DefaultStatus: http.StatusNoContent,
		Summary:     "Delete a plan",
		Description: "Deletes a plan that was never published. A published plan is archived by an admin instead, so readers who enrolled keep it.",
	}), func(ctx context.Context, in *planIDInput) (*noContent, error) {
		if err := cat.DeletePlan(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{CacheControl: "no-store"}, nil
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-submit-plan", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/submit",
		Summary:     "Send a plan to review",
		Description: "Sends the draft to the admins. It needs an author, at least one day, and something to read or do on every day; every gap is reported at once.",
	}), func(ctx context.Context, in *planIDInput) (*studioPlanOutput, error) {
		e, err := cat.Submit(ctx, principal(ctx), in.ID)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-add-day", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days", DefaultStatus: http.StatusCreated,
		Summary: "Add a day", Description: "Adds a day at the end or at a position; days are numbered 1 to N without gaps.",
	}), func(ctx context.Context, in *addDayInput) (*studioPlanOutput, error) {
		e, err := cat.AddDay(ctx, principal(ctx), in.ID, in.version(), in.Body.Position, catalog.DayInput{Title: in.Body.Title, Intro: in.Body.Intro})
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-reorder-days", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days/reorder",
		Summary: "Reorder days", Description: "Puts the days in a new order, given as every current day number once.",
	}), func(ctx context.Context, in *reorderDaysInput) (*studioPlanOutput, error) {
		e, err := cat.ReorderDays(ctx, principal(ctx), in.ID, in.version(), in.Body.Order)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-update-day", Method: http.MethodPatch, Path: "/v1/studio/plans/{id}/days/{n}",
		Summary: "Change a day",
	}), func(ctx context.Context, in *patchDayInput) (*studioPlanOutput, error) {
		e, err := cat.UpdateDay(ctx, principal(ctx), in.ID, in.version(), in.Number, catalog.DayInput{Title: in.Body.Title, Intro: in.Body.Intro})
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-delete-day", Method: http.MethodDelete, Path: "/v1/studio/plans/{id}/days/{n}",
		Summary: "Remove a day", Description: "Removes the day with its items and tasks; the days after it move one earlier.",
	}), func(ctx context.Context, in *DayPath) (*studioPlanOutput, error) {
		e, err := cat.DeleteDay(ctx, principal(ctx), in.ID, in.version(), in.Number)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-add-item", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days/{n}/items", DefaultStatus: http.StatusCreated,
		Summary: "Add a reading", Description: "Adds an item (text, audio, video, PDF, image or link) to a day.",
	}), func(ctx context.Context, in *addItemInput) (*studioPlanOutput, error) {
		e, err := cat.AddItem(ctx, principal(ctx), in.ID, in.version(), in.Number, in.Body.Position, in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-reorder-items", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days/{n}/items/reorder",
		Summary: "Reorder a day's readings",
	}), func(ctx context.Context, in *reorderInput) (*studioPlanOutput, error) {
		e, err := cat.ReorderItems(ctx, principal(ctx), in.ID, in.version(), in.Number, in.Body.IDs)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-update-item", Method: http.MethodPatch, Path: "/v1/studio/plans/{id}/days/{n}/items/{item_id}",
		Summary: "Change a reading",
	}), func(ctx context.Context, in *patchItemInput) (*studioPlanOutput, error) {
		e, err := cat.UpdateItem(ctx, principal(ctx), in.ID, in.version(), in.Number, in.ItemID, in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-delete-item", Method: http.MethodDelete, Path: "/v1/studio/plans/{id}/days/{n}/items/{item_id}",
		Summary: "Remove a reading",
	}), func(ctx context.Context, in *ItemPath) (*studioPlanOutput, error) {
		e, err := cat.DeleteItem(ctx, principal(ctx), in.ID, in.version(), in.Number, in.ItemID)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-add-task", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days/{n}/tasks", DefaultStatus: http.StatusCreated,
		Summary: "Add a practice", Description: "Adds a task (meditate, reflect, chant, practice or memorize) to a day.",
	}), func(ctx context.Context, in *addTaskInput) (*studioPlanOutput, error) {
		e, err := cat.AddTask(ctx, principal(ctx), in.ID, in.version(), in.Number, in.Body.Position, in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-reorder-tasks", Method: http.MethodPost, Path: "/v1/studio/plans/{id}/days/{n}/tasks/reorder",
		Summary: "Reorder a day's practices",
	}), func(ctx context.Context, in *reorderInput) (*studioPlanOutput, error) {
		e, err := cat.ReorderTasks(ctx, principal(ctx), in.ID, in.version(), in.Number, in.Body.IDs)
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-update-task", Method: http.MethodPatch, Path: "/v1/studio/plans/{id}/days/{n}/tasks/{task_id}",
		Summary: "Change a practice",
	}), func(ctx context.Context, in *patchTaskInput) (*studioPlanOutput, error) {
		e, err := cat.UpdateTask(ctx, principal(ctx), in.ID, in.version(), in.Number, in.TaskID, in.Body.input())
		return done(ctx, e, err)
	})

	huma.Register(api, op(huma.Operation{
		OperationID: "studio-delete-task", Method: http.MethodDelete, Path: "/v1/studio/plans/{id}/days/{n}/tasks/{task_id}",
		Summary: "Remove a practice",
	}), func(ctx context.Context, in *TaskPath) (*studioPlanOutput, error) {
		e, err := cat.DeleteTask(ctx, principal(ctx), in.ID, in.version(), in.Number, in.TaskID)
		return done(ctx, e, err)
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-list-authors", Method: http.MethodGet, Path: "/v1/studio/authors", Tags: tags,
		Summary:     "Authors to name on a plan",
		Description: "Authors whose name contains q (any case, diacritics folded), by name: every author for admins; for others their own author (linked to their account, published or not) first, then the authors of published plans.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *studioAuthorsInput) (*studioAuthorsOutput, error) {
		list, err := cat.StudioAuthors(ctx, principal(ctx), in.Q, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &studioAuthorsOutput{CacheControl: "no-store"}
		out.Body.Items = []AuthorBody{}
		refs := mediaRefs{}
		for _, a := range list {
			out.Body.Items = append(out.Body.Items, toAuthorBody(a))
		}
		for i := range out.Body.Items {
			refs.author(&out.Body.Items[i])
		}
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-render-markdown", Method: http.MethodPost, Path: "/v1/studio/markdown", Tags: tags,
		Summary:     "Preview Markdown",
		Description: "Renders Markdown exactly as readers will see it, sanitised, for a live preview.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *renderInput) (*renderOutput, error) {
		out := &renderOutput{}
		out.Body.HTML = markdown.HTML(in.Body.Markdown)
		return out, nil
	})
}
