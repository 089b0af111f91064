package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// The JSON shapes of the catalogue. Enum tags list the values the catalog
// package accepts; a test keeps them in step.

// AuthorRef names an author on a plan card.
type AuthorRef struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name"`
}

// AuthorBody is an author.
type AuthorBody struct {
	ID           string     `json:"id" format:"uuid"`
	Name         string     `json:"name" example:"Bhikkhu Sujato"`
	Bio          string     `json:"bio" doc:"Markdown source."`
	BioHTML      string     `json:"bio_html" doc:"The bio rendered to sanitised HTML."`
	Tradition    string     `json:"tradition" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	PhotoMediaID string     `json:"photo_media_id,omitempty"`
	Photo        *MediaBody `json:"photo,omitempty" doc:"The photo named by photo_media_id, with its URLs and srcset."`
}

// AdminAuthorBody is an author as admins see it, with the linked account.
type AdminAuthorBody struct {
	AuthorBody
	UserID    string    `json:"user_id,omitempty" format:"uuid" doc:"The account linked to this author: it may write the plans that name the author."`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toAuthorBody(a *catalog.Author) AuthorBody {
	return AuthorBody{ID: a.ID, Name: a.Name, Bio: a.Bio, BioHTML: a.BioHTML, Tradition: string(a.Tradition), PhotoMediaID: a.PhotoMediaID}
}

func toAdminAuthorBody(a *catalog.Author) AdminAuthorBody {
	return AdminAuthorBody{AuthorBody: toAuthorBody(a), UserID: a.UserID, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// PlanCard is a published plan in the catalogue.
type PlanCard struct {
	ID            string      `json:"id" format:"uuid"`
	Slug          string      `json:"slug" example:"a-week-of-loving-kindness"`
	Title         string      `json:"title"`
	Subtitle      string      `json:"subtitle"`
	Tradition     string      `json:"tradition" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	Level         string      `json:"level" enum:"beginner,intermediate,advanced"`
	Language      string      `json:"language" doc:"BCP 47 language tag." example:"en"`
	Topics        []string    `json:"topics"`
	Authors       []AuthorRef `json:"authors"`
	Days          int         `json:"days" doc:"How many days the plan has."`
	MinutesPerDay int         `json:"minutes_per_day" doc:"Estimated minutes of reading and practice on an average day."`
	CoverMediaID  string      `json:"cover_media_id,omitempty"`
	Cover         *MediaBody  `json:"cover,omitempty" doc:"The image named by cover_media_id, with its URLs and srcset."`
	PublishedAt   *time.Time  `json:"published_at,omitempty" doc:"When the plan was first published."`
	Match         *MatchBody  `json:"match,omitempty" doc:"What the search matched; only in search results."`
}

// MatchBody is what a search matched in a plan: HTML, escaped, where the
// only tags are <mark> around the matched words.
type MatchBody struct {
	TitleHTML   string `json:"title_html" doc:"The title with the matched words in <mark>."`
	SnippetHTML string `json:"snippet_html" doc:"Up to 28 words of the description (or subtitle) around the first match, with the matched words in <mark> and … where it was cut."`
}

func toPlanCard(l *catalog.Listing) PlanCard {
	c := PlanCard{ID: l.Plan.ID, Slug: l.Plan.Slug, Title: l.Revision.Title, Subtitle: l.Revision.Subtitle,
		Tradition: string(l.Revision.Tradition), Level: string(l.Revision.Level), Language: l.Revision.Language,
		Topics: nonNil(l.Revision.Topics), Authors: []AuthorRef{}, Days: l.Days, CoverMediaID: l.Revision.CoverMediaID,
		PublishedAt: l.Plan.FirstPublishedAt}
	if l.Days > 0 {
		c.MinutesPerDay = (l.Minutes + l.Days/2) / l.Days
	}
	for _, a := range l.Authors {
		c.Authors = append(c.Authors, AuthorRef{ID: a.ID, Name: a.Name})
	}
	if l.Match != nil {
		c.Match = &MatchBody{TitleHTML: l.Match.TitleHTML, SnippetHTML: l.Match.SnippetHTML}
	}
	return c
}

// DayOutlineBody is a day on the plan page.
type DayOutlineBody struct {
	Number  int    `json:"number" minimum:"1"`
	Title   string `json:"title"`
	Items   int    `json:"items" doc:"How many readings and recordings."`
	Tasks   int    `json:"tasks" doc:"How many practices."`
	Minutes int    `json:"minutes"`
	Preview bool   `json:"preview" doc:"Whether anyone may read this day without enrolling."`
}

// PlanBody is a published plan's page.
type PlanBody struct {
	PlanCard
	Status          string           `json:"status" enum:"published,archived" doc:"An archived plan is no longer listed; readers who enrolled keep it."`
	Description     string           `json:"description" doc:"Markdown source."`
	DescriptionHTML string           `json:"description_html"`
	AuthorDetails   []AuthorBody     `json:"author_details"`
	FixedStartDates []string         `json:"fixed_start_dates" doc:"When set, the plan runs on fixed dates and readers start on one of these (YYYY-MM-DD)."`
	Revision        int              `json:"revision" doc:"The number of the published revision."`
	PreviewDays     int              `json:"preview_days" doc:"Days 1 to this are open to everyone."`
	Outline         []DayOutlineBody `json:"outline"`
}

// ItemBody is an item of a day.
type ItemBody struct {
	ID           string     `json:"id" format:"uuid" doc:"Stays the same across revisions of the plan."`
	Kind         string     `json:"kind" enum:"text,audio,video,pdf,image,link"`
	Title        string     `json:"title"`
	Body         string     `json:"body" doc:"Markdown source."`
	BodyHTML     string     `json:"body_html" doc:"The body rendered to sanitised HTML."`
	MediaID      string     `json:"media_id,omitempty"`
	Media        *MediaBody `json:"media,omitempty" doc:"The file named by media_id: its URL, duration and waveform, or an image's srcset."`
	URL          string     `json:"url,omitempty" format:"uri"`
	Citation     string     `json:"citation,omitempty" example:"Dhp 1–20"`
	SegmentStart string     `json:"segment_start,omitempty" example:"dhp1:1"`
	SegmentEnd   string     `json:"segment_end,omitempty" example:"dhp20:6"`
	Minutes      int        `json:"minutes"`
	RootText     string     `json:"root_text,omitempty" doc:"The text in its original language, Markdown."`
	RootHTML     string     `json:"root_html,omitempty"`
	RootLanguage string     `json:"root_language,omitempty" example:"pi"`
}

// TaskBody is a task of a day.
type TaskBody struct {
	ID         string `json:"id" format:"uuid" doc:"Stays the same across revisions of the plan."`
	Kind       string `json:"kind" enum:"meditate,reflect,chant,practice,memorize"`
	Prompt     string `json:"prompt" doc:"Markdown source."`
	PromptHTML string `json:"prompt_html"`
	Minutes    int    `json:"minutes"`
	Optional   bool   `json:"optional" doc:"An optional task does not hold back finishing the day."`
}

// DayBody is a whole day.
type DayBody struct {
	Number    int        `json:"number" minimum:"1"`
	Title     string     `json:"title"`
	Intro     string     `json:"intro" doc:"Markdown source."`
	IntroHTML string     `json:"intro_html"`
	Minutes   int        `json:"minutes"`
	Items     []ItemBody `json:"items"`
	Tasks     []TaskBody `json:"tasks"`
}

func toDayBody(d *catalog.Day) DayBody {
	b := DayBody{Number: d.Number, Title: d.Title, Intro: d.Intro, IntroHTML: d.IntroHTML, Minutes: d.Minutes(),
		Items: []ItemBody{}, Tasks: []TaskBody{}}
	for _, it := range d.Items {
		b.Items = append(b.Items, ItemBody{ID: it.ID, Kind: string(it.Kind), Title: it.Title, Body: it.Body, BodyHTML: it.BodyHTML,
			MediaID: it.MediaID, URL: it.URL, Citation: it.Citation, SegmentStart: it.SegmentStart, SegmentEnd: it.SegmentEnd,
			Minutes: it.Minutes, RootText: it.RootText, RootHTML: it.RootHTML, RootLanguage: it.RootLanguage})
	}
	for _, t := range d.Tasks {
		b.Tasks = append(b.Tasks, TaskBody{ID: t.ID, Kind: string(t.Kind), Prompt: t.Prompt, PromptHTML: t.PromptHTML,
			Minutes: t.Minutes, Optional: t.Optional})
	}
	return b
}

// PublicDayBody is a day of a published plan.
type PublicDayBody struct {
	DayBody
	Plan struct {
		Slug     string `json:"slug"`
		Title    string `json:"title"`
		Days     int    `json:"days"`
		Revision int    `json:"revision"`
	} `json:"plan"`
	Preview bool `json:"preview" doc:"Whether anyone may read this day without enrolling."`
}

// RevisionBody is where a plan's editable revision is in review.
type RevisionBody struct {
	ID          string     `json:"id" format:"uuid"`
	Number      int        `json:"number"`
	State       string     `json:"state" enum:"draft,in_review,published,superseded"`
	Version     int        `json:"version" doc:"Also the ETag; send it as If-Match to refuse a change to a plan that someone else changed meanwhile."`
	ReviewNote  string     `json:"review_note,omitempty" doc:"Why the reviewer sent the plan back."`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
}

// StudioPlanBody is a plan as its authors edit it.
type StudioPlanBody struct {
	ID               string       `json:"id" format:"uuid"`
	Slug             string       `json:"slug"`
	Status           string       `json:"status" enum:"draft,in_review,published,archived"`
	Revision         RevisionBody `json:"revision" doc:"The revision shown: the one being written or reviewed, or else the published one."`
	HasPublished     bool         `json:"has_published" doc:"Whether readers see a published revision while this one is edited."`
	Title            string       `json:"title"`
	Subtitle         string       `json:"subtitle"`
	Description      string       `json:"description"`
	DescriptionHTML  string       `json:"description_html"`
	Authors          []AuthorBody `json:"authors"`
	Tradition        string       `json:"tradition" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other"`
	Topics           []string     `json:"topics"`
	Level            string       `json:"level" enum:"beginner,intermediate,advanced"`
	Language         string       `json:"language"`
	CoverMediaID     string       `json:"cover_media_id,omitempty"`
	Cover            *MediaBody   `json:"cover,omitempty" doc:"The image named by cover_media_id, with its URLs and srcset."`
	FixedStartDates  []string     `json:"fixed_start_dates"`
	Days             []DayBody    `json:"days"`
	CreatedAt        time.Time    `json:"created_at"`
	UpdatedAt        time.Time    `json:"updated_at"`
	FirstPublishedAt *time.Time   `json:"first_published_at,omitempty"`
	ArchivedAt       *time.Time   `json:"archived_at,omitempty"`
}

func toStudioPlanBody(e *catalog.Editable) *StudioPlanBody {
	p, r := e.Plan, e.Revision
	b := &StudioPlanBody{ID: p.ID, Slug: p.Slug, Status: string(p.Status), HasPublished: p.PublishedRevisionID != "",
		Revision: RevisionBody{ID: r.ID, Number: r.Number, State: string(r.State), Version: r.Version, ReviewNote: r.ReviewNote,
			SubmittedAt: r.SubmittedAt, ReviewedAt: r.ReviewedAt},
		Title: r.Title, Subtitle: r.Subtitle, Description: r.Description, DescriptionHTML: r.DescriptionHTML,
		Authors: []AuthorBody{}, Tradition: string(r.Tradition), Topics: nonNil(r.Topics), Level: string(r.Level),
		Language: r.Language, CoverMediaID: r.CoverMediaID, FixedStartDates: nonNil(r.FixedStartDates), Days: []DayBody{},
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, FirstPublishedAt: p.FirstPublishedAt, ArchivedAt: p.ArchivedAt}
	for _, a := range e.Authors {
		b.Authors = append(b.Authors, toAuthorBody(a))
	}
	for i := range r.Days {
		b.Days = append(b.Days, toDayBody(&r.Days[i]))
	}
	return b
}

// StudioPlanCard is a plan in the studio's list.
type StudioPlanCard struct {
	PlanCard
	Status        string     `json:"status" enum:"draft,in_review,published,archived"`
	RevisionState string     `json:"revision_state" enum:"draft,in_review,published,superseded" doc:"Where the revision shown is in review."`
	ReviewNote    string     `json:"review_note,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// etagOf is a strong ETag for a response body: its content hash.
func etagOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}
