// Package recommend suggests what to read next, and says why. It mixes
// three signals: plans like the ones a person enrolled in or finished
// (tradition, topics, the next level up), "people who finished X went on to
// Y" from co-completion counts, and popularity that fades with time. Anyone
// without a history (anonymous or new) gets popular and new plans per
// tradition, shaped by their onboarding answers when they gave some.
//
// The counts behind the last two signals are anonymous aggregates,
// precomputed by a periodic job (Service.Refresh) into tables that requests
// only read. Every rule (what counts, how much each signal weighs, which
// plans are never suggested, what the reason says) lives here; the store
// only filters and counts what it is asked to. docs/recommendations.md
// explains the signals for people.
package recommend

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// Enrolment is one enrolment as the job counts it: whose, in which plan,
// when it began and when (if ever) it was finished.
type Enrolment struct {
	UserID      string
	PlanID      string
	EnrolledAt  time.Time
	CompletedAt *time.Time
}

// Popularity is how much a plan is read lately.
type Popularity struct {
	PlanID string
	// Score is the sum of the plan's enrolments and completions of the last
	// Window, each weighing 1/2 per HalfLife of age.
	Score float64
	// Recent counts enrolments in the last Month.
	Recent int
	// Finishers counts the people who ever finished the plan.
	Finishers int
}

// Next is "people who finished PlanID went on to NextPlanID".
type Next struct {
	PlanID     string
	NextPlanID string
	// People counts those who enrolled in or finished NextPlanID after
	// finishing PlanID; pairs of fewer than MinPeople are not kept.
	People int
	// Share is People over the finishers of PlanID.
	Share float64
}

// Signals is what the job computes, replacing the previous run's.
type Signals struct {
	Popularity []Popularity
	Next       []Next
	At         time.Time
}

// Taken is one of a person's enrolments with the plan's published listing.
type Taken struct {
	Listing     *catalog.Listing
	Status      practice.Status
	EnrolledAt  time.Time
	CompletedAt *time.Time
}

// Sort orders candidates.
type Sort string

// The orders of candidates.
const (
	// MostPopular puts the highest Popularity.Score first (plans without
	// a score last, newest first).
	MostPopular Sort = "popular"
	// Newest puts the most recently first published first.
	Newest Sort = "newest"
)

// CandidateQuery asks the store for published plans. Filters combine with
// AND; within a list, any value matches.
type CandidateQuery struct {
	IDs        []string            // only these plans
	Traditions []catalog.Tradition // only plans of these traditions
	Topics     []string            // only plans with at least one of these topics
	Exclude    []string            // never these plans
	Sort       Sort
	// PerTradition, when positive, keeps the first PerTradition plans of
	// each tradition in Sort order; Limit still bounds the whole answer.
	PerTradition int
	Limit        int
}

// Candidate is a published plan that may be suggested, with its popularity
// (zero when the job has not counted it).
type Candidate struct {
	Listing    *catalog.Listing
	Popularity Popularity
}

// Store is the storage recommendations need.
type Store interface {
	// UserByID returns a user, with their onboarding answers.
	UserByID(ctx context.Context, id string) (*identity.User, error)
	// History lists userID's enrolments in plans that were ever published,
	// newest first, each with the plan's published listing.
	History(ctx context.Context, userID string) ([]Taken, error)
	// Candidates returns published plans matching q, in q.Sort order.
	Candidates(ctx context.Context, q CandidateQuery) ([]Candidate, error)
	// NextPlans returns the stored pairs whose PlanID is among from, the
	// largest Share first, at most limit.
	NextPlans(ctx context.Context, from []string, limit int) ([]Next, error)
	// EachEnrolment calls fn for every enrolment, grouped by person (all of
	// one person's enrolments come one after another), stopping at fn's
	// first error.
	EachEnrolment(ctx context.Context, fn func(Enrolment) error) error
	// ReplaceSignals replaces every stored popularity and pair with s's,
	// all or nothing.
	ReplaceSignals(ctx context.Context, s *Signals) error
}

// OnboardingChoices are the values onboarding answers may take: the
// catalogue's traditions and levels. Identity checks answers against them.
func OnboardingChoices() identity.OnboardingChoices {
	var c identity.OnboardingChoices
	for _, t := range catalog.Traditions {
		c.Traditions = append(c.Traditions, string(t))
	}
	for _, l := range catalog.Levels {
		c.Levels = append(c.Levels, string(l))
	}
	return c
}
