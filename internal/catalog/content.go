// Package catalog is the library people come for: authors, and plans made of
// days that hold readings (items) and practices (tasks); the workflow that
// takes a plan from draft through review to publication; and the public
// reading API's rules (what is published, what a preview shows).
//
// A plan's content lives in revisions. The published revision keeps serving
// readers while a new one is written and reviewed; publishing the new one
// replaces it at once. Items and tasks keep their ids from one revision to
// the next, so what a reader has done stays attached to them.
package catalog

import (
	"slices"
	"time"
)

// Tradition is the Buddhist tradition a plan or author belongs to.
type Tradition string

// The traditions.
const (
	Theravada Tradition = "theravada"
	Mahayana  Tradition = "mahayana"
	Zen       Tradition = "zen"       // Zen and Chan
	Vajrayana Tradition = "vajrayana" // Tibetan and other tantric schools
	PureLand  Tradition = "pure_land"
	Secular   Tradition = "secular" // secular and insight
	Other     Tradition = "other"
)

// Traditions lists every tradition in display order.
var Traditions = []Tradition{Theravada, Mahayana, Zen, Vajrayana, PureLand, Secular, Other}

// Valid reports whether t is a known tradition.
func (t Tradition) Valid() bool { return slices.Contains(Traditions, t) }

var traditionNames = map[Tradition]string{
	Theravada: "Theravāda", Mahayana: "Mahāyāna", Zen: "Zen", Vajrayana: "Vajrayāna",
	PureLand: "Pure Land", Secular: "secular practice", Other: "other traditions",
}

// Name is the tradition's name in English prose, with its diacritics
// ("Theravāda"); an unknown tradition's name is its value.
func (t Tradition) Name() string {
	if n, ok := traditionNames[t]; ok {
		return n
	}
	return string(t)
}

// Level is how much experience a plan assumes.
type Level string

// The levels.
const (
	Beginner     Level = "beginner"
	Intermediate Level = "intermediate"
	Advanced     Level = "advanced"
)

// Levels lists every level, easiest first.
var Levels = []Level{Beginner, Intermediate, Advanced}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// Rank orders levels: 1 for Beginner, 2 for Intermediate, 3 for Advanced,
// 0 for an unknown level.
func (l Level) Rank() int { return slices.Index(Levels, l) + 1 }

// ItemKind is what an item is.
type ItemKind string

// The item kinds.
const (
	Text  ItemKind = "text"
	Audio ItemKind = "audio"
	Video ItemKind = "video"
	PDF   ItemKind = "pdf"
	Image ItemKind = "image"
	Link  ItemKind = "link"
)

// ItemKinds lists every item kind.
var ItemKinds = []ItemKind{Text, Audio, Video, PDF, Image, Link}

// Valid reports whether k is a known item kind.
func (k ItemKind) Valid() bool { return slices.Contains(ItemKinds, k) }

// TaskKind is what a task asks the reader to do.
type TaskKind string

// The task kinds.
const (
	Meditate TaskKind = "meditate"
	Reflect  TaskKind = "reflect"
	Chant    TaskKind = "chant"
	Practice TaskKind = "practice"
	Memorize TaskKind = "memorize"
)

// TaskKinds lists every task kind.
var TaskKinds = []TaskKind{Meditate, Reflect, Chant, Practice, Memorize}

// Valid reports whether k is a known task kind.
func (k TaskKind) Valid() bool { return slices.Contains(TaskKinds, k) }

// Limits on content. Bodies are Markdown source, counted in bytes.
const (
	MaxDays         = 365
	MaxBodyBytes    = 200 << 10 // item bodies, root texts, descriptions, introductions, bios
	MaxTitle        = 200       // characters, for plan, day and item titles and names
	MaxSubtitle     = 300
	MaxTopics       = 20
	MaxTopic        = 40
	MaxItemsPerDay  = 50
	MaxTasksPerDay  = 20
	MaxPrompt       = 4000
	MaxMinutes      = 600 // an item's reading time or a task's duration
	MaxCitation     = 200
	MaxURL          = 2000
	MaxSlug         = 80
	MaxAuthors      = 10
	MaxStartDates   = 50
	MaxSegmentID    = 100
	MaxLanguageTag  = 35
	MaxMediaIDBytes = 64
)

// PlanContent is a plan's content as one tree: its metadata and its days
// with their items and tasks, in order. It is what plan folders and the
// SuttaCentral importer produce and what export writes, so it holds only
// source text (Markdown), never rendered HTML or ids.
type PlanContent struct {
	Slug        string // optional on import: derived from the title when empty
	Title       string
	Subtitle    string
	Description string // Markdown
	// Authors name the plan's authors. On import each is matched by name
	// to an existing author, or created with this bio and tradition.
	Authors      []AuthorContent
	Tradition    Tradition
	Topics       []string
	Level        Level
	Language     string // BCP 47, e.g. "en" or "pt-BR"
	CoverMediaID string
	// FixedStartDates anchor the plan to the calendar: when set, readers
	// start on one of these dates (YYYY-MM-DD) rather than any day, as for
	// a rains retreat.
	FixedStartDates []string
	Days            []DayContent
}

// AuthorContent is an author as plan content names them.
type AuthorContent struct {
	Name      string
	Bio       string // Markdown
	Tradition Tradition
}

// DayContent is one day of a plan.
type DayContent struct {
	Title string
	Intro string // Markdown
	Items []ItemContent
	Tasks []TaskContent
}

// ItemContent is one reading, recording or link of a day.
type ItemContent struct {
	Kind  ItemKind
	Title string
	// Body is the Markdown text of a text item, or notes for other kinds.
	Body    string
	MediaID string // audio, video, pdf, image (until the media store lands, may be empty when URL is set)
	URL     string // link, or an external file for media kinds
	// Citation names the source the way readers know it, e.g. "Dhp 1–20".
	Citation string
	// SegmentStart and SegmentEnd are the canonical segment range, such as
	// SuttaCentral's "dhp1:1" to "dhp20:6"; both or neither.
	SegmentStart string
	SegmentEnd   string
	Minutes      int // estimated reading or listening time
	// RootText is the text in its original language (Pali, Sanskrit...),
	// shown beside the translation; RootLanguage is its BCP 47 tag ("pi", "sa").
	RootText     string
	RootLanguage string
}

// TaskContent is one practice of a day.
type TaskContent struct {
	Kind     TaskKind
	Prompt   string // Markdown
	Minutes  int    // required for meditate, optional otherwise
	Optional bool   // an optional task does not hold back finishing the day
}

// Status is where a plan is in its life.
type Status string

// The plan statuses. A plan that has been published stays published while
// a new revision of it is written and reviewed.
const (
	Draft     Status = "draft"
	InReview  Status = "in_review"
	Published Status = "published"
	Archived  Status = "archived"
)

// Statuses lists every status.
var Statuses = []Status{Draft, InReview, Published, Archived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// RevisionState is where one revision is in review.
type RevisionState string

// The revision states. A rejected revision goes back to draft with the
// reviewer's note; a published one becomes superseded when the next is.
const (
	RevisionDraft      RevisionState = "draft"
	RevisionInReview   RevisionState = "in_review"
	RevisionPublished  RevisionState = "published"
	RevisionSuperseded RevisionState = "superseded"
)

// date is the layout of calendar days.
const date = time.DateOnly
