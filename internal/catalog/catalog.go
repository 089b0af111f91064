package catalog

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/search"
)

// Author is a teacher, translator or temple whose name a plan carries. An
// author may be linked to a user account, which may then write the plans
// that name them.
type Author struct {
	ID           string
	Name         string
	Bio          string // Markdown
	BioHTML      string // Bio rendered and sanitised
	Tradition    Tradition
	PhotoMediaID string
	UserID       string // the linked account, if any
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Plan is a plan's identity and where it is in its life. Its content is in
// revisions: the published one readers see, and the working one being
// written or reviewed.
type Plan struct {
	ID     string
	Slug   string
	Status Status
	// CreatedBy is the account that created the plan; it may always edit it.
	CreatedBy           string
	PublishedRevisionID string // "" until first published
	WorkingRevisionID   string // "" when there is nothing unpublished
	CreatedAt           time.Time
	UpdatedAt           time.Time
	// FirstPublishedAt orders the catalogue by "newest".
	FirstPublishedAt *time.Time
	PublishedAt      *time.Time // the last publication
	ArchivedAt       *time.Time
}

// EditableRevisionID is the revision the studio shows: the working one, or
// else the published one.
func (p *Plan) EditableRevisionID() string {
	if p.WorkingRevisionID != "" {
		return p.WorkingRevisionID
	}
	return p.PublishedRevisionID
}

// Revision is one version of a plan's content and where it is in review.
type Revision struct {
	ID     string
	PlanID string
	Number int // 1 for the first revision, then 2, 3...
	State  RevisionState
	// Version is bumped by every save, to detect conflicting edits. It
	// counts on across a plan's revisions, so it names one state of the plan.
	Version int

	// ReviewNote is what the reviewer wrote when rejecting it.
	ReviewNote  string
	SubmittedAt *time.Time
	ReviewedAt  *time.Time
	ReviewedBy  string
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Title           string
	Subtitle        string
	Description     string
	DescriptionHTML string
	AuthorIDs       []string
	Tradition       Tradition
	Topics          []string
	Level           Level
	Language        string
	CoverMediaID    string
	FixedStartDates []string
	// DayCount is how many days the revision has, also when Days is not
	// loaded (RevisionMeta).
	DayCount int
	Days     []Day
}

// Minutes is the estimated time of all items and tasks.
func (r *Revision) Minutes() int {
	n := 0
	for i := range r.Days {
		n += r.Days[i].Minutes()
	}
	return n
}

// Day is one day of a revision; Number runs 1..N without gaps.
type Day struct {
	Number    int
	Title     string
	Intro     string
	IntroHTML string
	Items     []Item
	Tasks     []Task
}

// Minutes is the day's estimated time: its items' reading time and its
// tasks' durations.
func (d *Day) Minutes() int {
	n := 0
	for _, it := range d.Items {
		n += it.Minutes
	}
	for _, t := range d.Tasks {
		n += t.Minutes
	}
	return n
}

// Item is a stored item: its content, its id (kept across revisions) and
// its Markdown rendered to safe HTML.
type Item struct {
	ID string
	ItemContent
	BodyHTML string
	RootHTML string
}

// Task is a stored task, as Item is a stored item.
type Task struct {
	ID string
	TaskContent
	PromptHTML string
}

// DayOutline is what the plan page shows of a day before it is opened.
type DayOutline struct {
	Number  int
	Title   string
	Items   int
	Tasks   int
	Minutes int
}

// Listing is a published plan as the catalogue lists it.
type Listing struct {
	Plan     *Plan
	Revision *Revision // metadata only: no days
	Authors  []*Author
	Days     int
	Minutes  int    // all days together
	Match    *Match // what a search matched (nil outside searches)
}

// Sort orders the public catalogue.
type Sort string

// The orders of the catalogue.
const (
	Newest    Sort = "newest"
	ByTitle   Sort = "title"
	Relevance Sort = "relevance" // best match first; only with a search
)

// CatalogQuery filters and pages the published catalogue.
type CatalogQuery struct {
	Tradition Tradition
	Topic     string
	Level     Level
	Language  string // a language tag or its prefix: "en" matches "en-GB"
	MinDays   int
	MaxDays   int
	AuthorID  string // plans naming this author
	// Search limits the list to plans that match it (nil: no search).
	Search *search.Query
	Sort   Sort
	// After is the position to continue after, from a cursor: for Newest
	// the first publication time and id, for ByTitle the sort title and id.
	AfterKey string
	AfterID  string
	// Offset is how many plans to skip, for Relevance, whose order has no
	// key to continue after.
	Offset int
	Limit  int
}

// FacetCount is how many plans of the published catalogue, among those a
// query's search, topic and author select, have one combination of the
// values the catalogue is faceted by.
type FacetCount struct {
	Tradition Tradition
	Level     Level
	Language  string
	Length    string // the name of the LengthBucket of their length
	InLength  bool   // whether their length passes the query's min_days and max_days
	Plans     int
}

// Suggestion is a published plan whose title or keywords start with what
// is being typed.
type Suggestion struct {
	Slug  string
	Title string
}

// StudioQuery lists plans in the studio.
type StudioQuery struct {
	// EditableBy limits the list to plans the account may edit ("" for all).
	EditableBy string
	// Status limits the list to plans with this status ("" for any);
	// InReview also finds published plans whose next revision is in review,
	// so it is the review queue.
	Status  Status
	AfterID string // ids sort newest first
	Limit   int
}

// AuthorQuery lists authors in name order.
type AuthorQuery struct {
	// Published limits the list to authors of at least one published plan.
	Published bool
	Q         string // part of the name, any case
	AfterKey  string // sort name
	AfterID   string
	Limit     int
}

// RevisionChange moves one revision from one review state to another; the
// store refuses it (conflict) unless the revision is still in From.
type RevisionChange struct {
	RevisionID string
	From, To   RevisionState
	Note       string
	ReviewedBy string
	At         time.Time
}

// Store is the storage the catalog needs. Methods that find one thing
// return a not-found error when there is none.
type Store interface {
	// CreateAuthor stores a new author.
	CreateAuthor(ctx context.Context, a *Author) error
	// UpdateAuthor stores a's fields.
	UpdateAuthor(ctx context.Context, a *Author) error
	// DeleteAuthor deletes an author no plan names (conflict otherwise).
	DeleteAuthor(ctx context.Context, id string) error
	// AuthorByID returns an author.
	AuthorByID(ctx context.Context, id string) (*Author, error)
	// AuthorByUser returns the author linked to a user account.
	AuthorByUser(ctx context.Context, userID string) (*Author, error)
	// AuthorByName returns the earliest author with exactly this name.
	AuthorByName(ctx context.Context, name string) (*Author, error)
	// AuthorsByIDs returns the authors that exist among ids, in any order.
	AuthorsByIDs(ctx context.Context, ids []string) ([]*Author, error)
	// ListAuthors returns authors in name order after the query's position.
	ListAuthors(ctx context.Context, q AuthorQuery) ([]*Author, error)

	// CreatePlan stores newAuthors, then p and its first revision r with
	// all its content, all or nothing.
	CreatePlan(ctx context.Context, p *Plan, r *Revision, newAuthors ...*Author) error
	// SaveRevision stores r's content and p's row. With version 0 it adds
	// r as a new revision at version r.Version+1; otherwise it replaces r's content only if r is
	// still at version (conflict otherwise). It sets r.Version to the new
	// version.
	SaveRevision(ctx context.Context, p *Plan, r *Revision, version int) error
	// ChangeState applies changes to revisions and stores p's row, all or
	// nothing.
	ChangeState(ctx context.Context, p *Plan, changes ...RevisionChange) error
	// DeletePlan deletes a plan and all its revisions.
	DeletePlan(ctx context.Context, id string) error
	// PlanByID returns a plan.
	PlanByID(ctx context.Context, id string) (*Plan, error)
	// PlanBySlug returns a plan.
	PlanBySlug(ctx context.Context, slug string) (*Plan, error)
	// SlugsLike returns the slugs in use that are base or base-N, to pick a
	// free one.
	SlugsLike(ctx context.Context, base string) ([]string, error)
	// Revision returns a revision with all its content.
	Revision(ctx context.Context, id string) (*Revision, error)
	// RevisionMeta returns a revision without its days.
	RevisionMeta(ctx context.Context, id string) (*Revision, error)
	// Outline returns a revision's days without their content.
	Outline(ctx context.Context, revisionID string) ([]DayOutline, error)
	// Day returns one day of a revision with its items and tasks.
	Day(ctx context.Context, revisionID string, number int) (*Day, error)
	// ListPublished returns a page of the published catalogue.
	ListPublished(ctx context.Context, q CatalogQuery) ([]*Listing, error)
	// Facets counts the published plans q's search, topic and author
	// select (its other filters, and its sort and page, are ignored) by
	// tradition, level, language, length bucket and whether their length
	// passes q's length filter.
	Facets(ctx context.Context, q CatalogQuery) ([]FacetCount, error)
	// NearWords returns, for each of words, the words of the published
	// plans that look most like it (that share its trigrams), or the word
	// alone if plans have it: a word of theirs is not misspelt.
	NearWords(ctx context.Context, words []string) (map[string][]string, error)
	// Suggest returns up to limit published plans whose title, subtitle,
	// topics or author names match q, the titles first.
	Suggest(ctx context.Context, q *search.Query, limit int) ([]Suggestion, error)
	// ListStudio returns a page of plans for the studio, newest first,
	// each with the metadata of the revision it shows.
	ListStudio(ctx context.Context, q StudioQuery) ([]*Listing, error)
	// Targets lists the items and tasks of a revision by day and position.
	Targets(ctx context.Context, revisionID string) ([]Target, error)
	// CountPlans counts plans of any status.
	CountPlans(ctx context.Context) (int, error)
}
