package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

// Conditional is the If-None-Match header of a cacheable read (exported:
// huma fills only exported embedded structs).
type Conditional struct {
	IfNoneMatch string `header:"If-None-Match" doc:"An ETag from an earlier answer: 304 Not Modified while it is still current."`
}

// matches reports whether the request's If-None-Match names etag.
func (c Conditional) matches(etag string) bool {
	if c.IfNoneMatch == "" || etag == "" {
		return false
	}
	for _, tag := range strings.Split(c.IfNoneMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// cached is the envelope of a cacheable read: 200 with the body and its
// ETag, or 304 without a body when the client has it already.
type cached[T any] struct {
	Status       int
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Vary         string `header:"Vary"`
	Body         *T
}

// answer builds a cacheable answer for body under policy.
func answer[T any](in Conditional, policy string, body *T) *cached[T] {
	out := &cached[T]{Status: http.StatusOK, ETag: etagOf(body), CacheControl: policy, Vary: "Authorization"}
	if in.matches(out.ETag) {
		out.Status, out.Body = http.StatusNotModified, nil
		return out
	}
	out.Body = body
	return out
}

// Cache policies of public reads: shared caches may keep them a minute;
// anything that depends on who asks stays private.
const (
	publicCache  = "public, max-age=60"
	privateCache = "private, no-cache"
)

type listPlansInput struct {
	Conditional
	Tradition string `query:"tradition" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	Topic     string `query:"topic" maxLength:"160" doc:"Only plans with this topic (any case)."`
	Level     string `query:"level" enum:"beginner,intermediate,advanced"`
	Language  string `query:"language" maxLength:"35" doc:"A BCP 47 tag; en also finds en-GB."`
	MinDays   int    `query:"min_days" minimum:"0" maximum:"365" doc:"Only plans with at least this many days."`
	MaxDays   int    `query:"max_days" minimum:"0" maximum:"365" doc:"Only plans with at most this many days (0: no limit)."`
	Q         string `query:"q" maxLength:"1000" doc:"Words to search for in titles, subtitles, topics, authors, descriptions and the days' texts. Diacritics do not matter (metta finds Mettā), common English, Pali and Sanskrit terms find each other (loving-kindness finds mettā), each word also matches as the start of a longer one, and a word one or two letters off is corrected when nothing matches. Quotes and operators are read as spaces. At most 200 characters; words of one letter are ignored."`
	Sort      string `query:"sort" enum:"relevance,newest,title" doc:"relevance (best match first) is the default with q and means newest without it; newest is the default otherwise."`
	Cursor    string `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page, with the same filters and sort."`
	Limit     int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

// PlansPage is a page of the catalogue.
type PlansPage struct {
	Items       []PlanCard  `json:"items"`
	NextCursor  string      `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
	Facets      *FacetsBody `json:"facets,omitempty" doc:"On the first page: how many plans each filter value would show, under the other filters and the search."`
	SearchedFor string      `json:"searched_for,omitempty" doc:"When the words of q found nothing and misspellings were corrected: what was searched for instead."`
}

// FacetsBody counts plans by filter value; values without plans are left
// out.
type FacetsBody struct {
	Traditions []FacetValueBody `json:"tradition"`
	Levels     []FacetValueBody `json:"level"`
	Languages  []FacetValueBody `json:"language"`
	Lengths    []FacetValueBody `json:"length" doc:"Lengths in days: 1-7 (min_days=1&max_days=7), 8-30 and 31+ (min_days=31)."`
}

// FacetValueBody is a filter value and how many plans choosing it shows.
type FacetValueBody struct {
	Value string `json:"value"`
	Plans int    `json:"plans"`
}

type suggestInput struct {
	Conditional
	Q string `query:"q" maxLength:"1000" doc:"What has been typed so far; suggestions start at two letters."`
}

// SuggestionsBody is what typeahead offers.
type SuggestionsBody struct {
	Items []SuggestionBody `json:"items"`
}

// SuggestionBody is a plan typeahead offers.
type SuggestionBody struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

func toFacetValues(values []catalog.FacetValue) []FacetValueBody {
	out := make([]FacetValueBody, len(values))
	for i, v := range values {
		out[i] = FacetValueBody{Value: v.Value, Plans: v.Plans}
	}
	return out
}

type planInput struct {
	Conditional
	Slug string `path:"slug" maxLength:"80"`
}

type dayInput struct {
	Conditional
	Slug   string `path:"slug" maxLength:"80"`
	Number int    `path:"n" minimum:"1" maximum:"365"`
}

type listAuthorsInput struct {
	Cursor string `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

// AuthorsPage is a page of authors.
type AuthorsPage struct {
	Items      []AuthorBody `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
}

type authorInput struct {
	Conditional
	ID string `path:"id" maxLength:"64"`
}

// PublicAuthorBody is an author with their published plans.
type PublicAuthorBody struct {
	AuthorBody
	Plans []PlanCard `json:"plans"`
}

func registerPlans(api huma.API, cat *catalog.Service, views mediaViews, features featureSwitch, fail func(context.Context, error) error) {
	tags := []string{"Plans"}
	huma.Register(api, huma.Operation{
		OperationID: "list-plans", Method: http.MethodGet, Path: "/v1/plans", Tags: tags,
		Summary: "Browse and search the catalogue",
		Description: "Published plans, a page at a time, filtered by tradition, topic, level, language and length. " +
			"With q, the plans that match it, best match first, each with its matched words marked. " +
			"The first page also counts the plans by tradition, level, language and length (facets). " +
			"Answers carry an ETag; If-None-Match answers 304 while nothing changed.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *listPlansInput) (*cached[PlansPage], error) {
		page, err := cat.Plans(ctx, catalog.Filter{Tradition: in.Tradition, Topic: in.Topic, Level: in.Level, Language: in.Language,
			MinDays: in.MinDays, MaxDays: in.MaxDays, Sort: in.Sort, Q: in.Q}, in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &PlansPage{Items: []PlanCard{}, NextCursor: page.NextCursor, SearchedFor: page.SearchedFor}
		for _, l := range page.Items {
			body.Items = append(body.Items, toPlanCard(l))
		}
		if f := page.Facets; f != nil {
			body.Facets = &FacetsBody{Traditions: toFacetValues(f.Traditions), Levels: toFacetValues(f.Levels),
				Languages: toFacetValues(f.Languages), Lengths: toFacetValues(f.Lengths)}
		}
		refs := mediaRefs{}
		refs.cards(body.Items)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return answer(in.Conditional, publicCache, body), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "suggest", Method: http.MethodGet, Path: "/v1/search/suggest", Tags: tags,
		Summary: "Typeahead",
		Description: "Up to 8 published plans whose title, subtitle, topics or authors start with what has been typed, " +
			"best first, with the search's folding and synonyms; nothing before two letters. A misspelt word is corrected when nothing matches. " +
			"Nothing either while an administrator has switched search suggestions off.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *suggestInput) (*cached[SuggestionsBody], error) {
		if !features(ctx, settings.SearchSuggestions) {
			return answer(in.Conditional, publicCache, &SuggestionsBody{Items: []SuggestionBody{}}), nil
		}
		items, err := cat.Suggest(ctx, in.Q)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &SuggestionsBody{Items: make([]SuggestionBody, len(items))}
		for i, sg := range items {
			body.Items[i] = SuggestionBody{Slug: sg.Slug, Title: sg.Title}
		}
		return answer(in.Conditional, publicCache, body), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-plan", Method: http.MethodGet, Path: "/v1/plans/{slug}", Tags: tags,
		Summary:     "A plan's page",
		Description: "A published plan with its authors and its day-by-day outline. Plans that are not published are not found.",
		Errors:      []int{http.StatusNotFound},
	}, func(ctx context.Context, in *planInput) (*cached[PlanBody], error) {
		pp, err := cat.Plan(ctx, in.Slug)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := toPlanBody(pp)
		refs := mediaRefs{}
		refs.card(&body.PlanCard)
		refs.authors(body.AuthorDetails)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return answer(in.Conditional, publicCache, body), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-plan-day", Method: http.MethodGet, Path: "/v1/plans/{slug}/days/{n}", Tags: tags,
		Summary: "One day of a plan",
		Description: "The whole day: its introduction, readings (with the root text beside the translation where there is one) and practices. " +
			"Days 1 and 2 are open to everyone as a preview; later days are for readers enrolled in the plan and for admins.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *dayInput) (*cached[PublicDayBody], error) {
		d, err := cat.Day(ctx, principal(ctx), in.Slug, in.Number)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &PublicDayBody{DayBody: toDayBody(d.Day), Preview: d.Preview}
		body.Plan.Slug, body.Plan.Title, body.Plan.Days, body.Plan.Revision = d.Plan.Slug, d.Title, d.Days, d.Revision
		refs := mediaRefs{}
		refs.items(body.Items)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		policy := publicCache
		if !d.Preview {
			policy = privateCache
		}
		return answer(in.Conditional, policy, body), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-authors", Method: http.MethodGet, Path: "/v1/authors", Tags: tags,
		Summary:     "Authors",
		Description: "The authors of published plans, by name, a page at a time.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *listAuthorsInput) (*cached[AuthorsPage], error) {
		page, err := cat.Authors(ctx, in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &AuthorsPage{Items: []AuthorBody{}, NextCursor: page.NextCursor}
		for _, a := range page.Items {
			body.Items = append(body.Items, toAuthorBody(a))
		}
		refs := mediaRefs{}
		refs.authors(body.Items)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return answer(Conditional{}, publicCache, body), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-author", Method: http.MethodGet, Path: "/v1/authors/{id}", Tags: tags,
		Summary:     "An author",
		Description: "An author of published plans, with those plans, newest first.",
		Errors:      []int{http.StatusNotFound},
	}, func(ctx context.Context, in *authorInput) (*cached[PublicAuthorBody], error) {
		pa, err := cat.Author(ctx, in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &PublicAuthorBody{AuthorBody: toAuthorBody(pa.Author), Plans: []PlanCard{}}
		for _, l := range pa.Plans {
			body.Plans = append(body.Plans, toPlanCard(l))
		}
		refs := mediaRefs{}
		refs.author(&body.AuthorBody)
		refs.cards(body.Plans)
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		return answer(in.Conditional, publicCache, body), nil
	})
}

func toPlanBody(pp *catalog.PublicPlan) *PlanBody {
	l := &catalog.Listing{Plan: pp.Plan, Revision: pp.Revision, Authors: pp.Authors, Days: len(pp.Outline)}
	for _, o := range pp.Outline {
		l.Minutes += o.Minutes
	}
	b := &PlanBody{PlanCard: toPlanCard(l), Status: string(pp.Plan.Status), Description: pp.Revision.Description,
		DescriptionHTML: pp.Revision.DescriptionHTML, AuthorDetails: []AuthorBody{}, FixedStartDates: nonNil(pp.Revision.FixedStartDates),
		Revision: pp.Revision.Number, PreviewDays: catalog.PreviewDays, Outline: []DayOutlineBody{}}
	for _, a := range pp.Authors {
		b.AuthorDetails = append(b.AuthorDetails, toAuthorBody(a))
	}
	for _, o := range pp.Outline {
		b.Outline = append(b.Outline, DayOutlineBody{Number: o.Number, Title: o.Title, Items: o.Items, Tasks: o.Tasks,
			Minutes: o.Minutes, Preview: o.Number <= catalog.PreviewDays})
	}
	return b
}
