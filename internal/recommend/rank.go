package recommend

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// Kind says which signal a recommendation comes from, for clients that
// group or style them.
type Kind string

// The kinds of recommendation.
const (
	// WentOnTo: people who finished a plan the person finished went on to
	// this one.
	WentOnTo Kind = "went_on_to"
	// NextLevel: the same tradition or topics as a plan the person
	// finished, one level up.
	NextLevel Kind = "next_level"
	// Similar: the same tradition or topics as a plan the person is
	// reading or finished.
	Similar Kind = "similar"
	// Popular: much read in its tradition lately.
	Popular Kind = "popular"
	// New: published lately.
	New Kind = "new"
	// ForYou: nothing above, but it fits the onboarding answers.
	ForYou Kind = "for_you"
)

// Kinds lists every kind.
var Kinds = []Kind{WentOnTo, NextLevel, Similar, Popular, New, ForYou}

// Recommendation is a plan to suggest and why.
type Recommendation struct {
	Listing *catalog.Listing
	Kind    Kind
	// Reason is one short sentence for people ("Because you finished The
	// Dhammapada in 26 days").
	Reason string
	// BasedOn is the plan of the person's own that the reason names, if any.
	BasedOn *catalog.Listing
	// Score orders recommendations; only its order means anything.
	Score float64
}

// The weights of the signals. A source signal (went on to, similar,
// popular, new) may give the reason; the onboarding answers only shape the
// order. "Went on to" weighs most: it is the most specific thing known.
const (
	weightWentOnTo  = 4.0 // times the share of finishers, shrunk for small counts
	weightFinished  = 1.0 // times the similarity to a finished plan
	weightReading   = 0.6 // times the similarity to a plan being read
	weightPopular   = 1.0 // times the popularity relative to the most popular candidate
	weightNew       = 0.6 // fading to nothing over NewFor
	weightPreferred = 1.5 // in a tradition the person prefers
	weightLevel     = 1.0 // at the person's experience level
	weightMinutes   = 0.4 // within the person's minutes per day
	// sameTraditionPenalty lowers each next pick by this much for every
	// plan of its tradition already picked, so that one tradition does not
	// take every place.
	sameTraditionPenalty = 0.25
)

// NewFor is how long after its first publication a plan counts as new.
const NewFor = 60 * 24 * time.Hour

// seed is a plan of the person's own that recommendations can start from.
type seed struct {
	listing    *catalog.Listing
	finished   bool
	finishedAt time.Time
}

// person is what is known about who asks: nothing for anonymous people.
type person struct {
	onboarding identity.Onboarding
	seeds      []seed
	// excluded are the plans never to suggest: enrolled in or finished.
	excluded map[string]bool
}

// newPerson reads a person's history: the plans they are enrolled in
// (active or paused) or finished are both seeds and excluded; plans they
// left are neither.
func newPerson(o identity.Onboarding, history []Taken) person {
	p := person{onboarding: o, excluded: map[string]bool{}}
	index := map[string]int{}
	for _, t := range history {
		if t.Status == practice.Abandoned {
			continue
		}
		id := t.Listing.Plan.ID
		p.excluded[id] = true
		i, ok := index[id]
		if !ok {
			if len(p.seeds) == maxSeeds {
				continue
			}
			i = len(p.seeds)
			index[id] = i
			p.seeds = append(p.seeds, seed{listing: t.Listing})
		}
		if t.CompletedAt != nil && (!p.seeds[i].finished || t.CompletedAt.Before(p.seeds[i].finishedAt)) {
			p.seeds[i].finished, p.seeds[i].finishedAt = true, *t.CompletedAt
		}
	}
	return p
}

// maxSeeds bounds how many of a person's plans (the most recent) shape
// their recommendations.
const maxSeeds = 10

// finishedIDs lists the plans the person finished.
func (p person) finishedIDs() []string {
	var ids []string
	for _, s := range p.seeds {
		if s.finished {
			ids = append(ids, s.listing.Plan.ID)
		}
	}
	return ids
}

// scored is a candidate with what it has gathered so far.
type scored struct {
	Candidate
	total float64
	best  float64 // the weight of the source signal giving the reason
	rec   Recommendation
}

// source adds a signal that may give the reason.
func (x *scored) source(weight float64, kind Kind, reason string, basedOn *catalog.Listing) {
	if weight <= 0 {
		return
	}
	x.total += weight
	if weight > x.best {
		x.best = weight
		x.rec.Kind, x.rec.Reason, x.rec.BasedOn = kind, reason, basedOn
	}
}

// rank scores candidates for p at now and returns the best limit, with
// their reasons. next are the "went on to" pairs from p's finished plans.
func rank(p person, cands map[string]Candidate, next []Next, now time.Time, limit int) []Recommendation {
	maxPop := 0.0
	for _, c := range cands {
		maxPop = max(maxPop, c.Popularity.Score)
	}
	seedByID := map[string]*catalog.Listing{}
	for _, s := range p.seeds {
		seedByID[s.listing.Plan.ID] = s.listing
	}
	var list []*scored
	byID := map[string]*scored{}
	for id, c := range cands {
		if p.excluded[id] {
			continue
		}
		x := &scored{Candidate: c}
		x.rec.Listing = c.Listing
		byID[id] = x
		list = append(list, x)
	}
	for _, n := range next {
		x, from := byID[n.NextPlanID], seedByID[n.PlanID]
		if x == nil || from == nil {
			continue
		}
		w := weightWentOnTo * n.Share * float64(n.People) / float64(n.People+MinPeople)
		x.source(w, WentOnTo, fmt.Sprintf("People who finished %s went on to this", from.Revision.Title), from)
	}
	for _, x := range list {
		p.scoreSimilar(x)
		rev := x.Listing.Revision
		if maxPop > 0 && x.Popularity.Score > 0 {
			reason := "Popular in " + rev.Tradition.Name()
			if x.Popularity.Recent > 0 {
				reason += " this month"
			}
			x.source(weightPopular*x.Popularity.Score/maxPop, Popular, reason, nil)
		}
		if at := x.Listing.Plan.FirstPublishedAt; at != nil && now.Sub(*at) < NewFor {
			x.source(weightNew*(1-float64(now.Sub(*at))/float64(NewFor)), New, "New in "+rev.Tradition.Name(), nil)
		}
		x.total += p.fit(x.Listing)
		if x.best == 0 {
			x.rec.Kind, x.rec.Reason = ForYou, fmt.Sprintf("A %s plan in %s", rev.Level, rev.Tradition.Name())
			if slices.Contains(p.onboarding.Traditions, string(rev.Tradition)) {
				x.rec.Reason = "For your interest in " + rev.Tradition.Name()
			}
		}
	}
	return pick(list, limit)
}

// scoreSimilar adds the strongest likeness between x and one of the
// person's plans: the same tradition, shared topics, and the level (one up
// from a finished plan is best).
func (p person) scoreSimilar(x *scored) {
	var (
		best    float64
		from    seed
		levelUp bool
	)
	for _, s := range p.seeds {
		w, up := similarity(s.listing, x.Listing)
		if !s.finished {
			w, up = w*weightReading, false
		} else {
			w *= weightFinished
		}
		if w > best {
			best, from, levelUp = w, s, up
		}
	}
	if best <= 0 {
		return
	}
	title := from.listing.Revision.Title
	switch {
	case levelUp:
		x.source(best, NextLevel, "The next step after "+title, from.listing)
	case from.finished:
		x.source(best, Similar, "Because you finished "+title, from.listing)
	default:
		x.source(best, Similar, "Because you're reading "+title, from.listing)
	}
}

// similarity is how much c is like s, from 0 (nothing in common: neither
// tradition nor topic) to 1.5, and whether c is one level above s.
func similarity(s, c *catalog.Listing) (float64, bool) {
	sr, cr := s.Revision, c.Revision
	shared := 0
	for _, t := range cr.Topics {
		if slices.Contains(sr.Topics, t) {
			shared++
		}
	}
	same := sr.Tradition == cr.Tradition
	if !same && shared == 0 {
		return 0, false
	}
	w := 0.25 * float64(min(shared, 2))
	if same {
		w += 0.5
	}
	up := false
	switch sl, cl := sr.Level.Rank(), cr.Level.Rank(); {
	case cl == sl+1:
		w, up = w+0.5, true
	case cl == sl:
		w += 0.2
	case cl < sl:
		w -= 0.3
	}
	return w, up
}

// fit is how well a plan suits the onboarding answers: a preferred
// tradition, the experience level (a step up is fine, two are not, a step
// down is a little worse than the same level), and the
// minutes a day (a plan much longer than the person's day is pushed down).
func (p person) fit(l *catalog.Listing) float64 {
	o, rev := p.onboarding, l.Revision
	w := 0.0
	if slices.Contains(o.Traditions, string(rev.Tradition)) {
		w += weightPreferred
	}
	if e := catalog.Level(o.Level).Rank(); e > 0 && rev.Level.Rank() > 0 {
		switch d := rev.Level.Rank() - e; {
		case d == 0:
			w += weightLevel
		case d == 1:
			w += weightLevel / 3
		case d == -1:
			w -= weightLevel / 3
		case d >= 2:
			w -= weightLevel
		default:
			w -= 2 * weightLevel / 3
		}
	}
	if m, per := o.MinutesPerDay, MinutesPerDay(l); m > 0 && per > 0 {
		switch ratio := float64(per) / float64(m); {
		case ratio <= 1:
			w += weightMinutes
		case ratio > 1.5:
			w -= weightMinutes * min(2, ratio-1)
		}
	}
	return w
}

// MinutesPerDay is a plan's estimated minutes on an average day, rounded,
// as the catalogue shows it.
func MinutesPerDay(l *catalog.Listing) int {
	if l.Days <= 0 {
		return 0
	}
	return (l.Minutes + l.Days/2) / l.Days
}

// pick takes the best limit one at a time, each pick lowering the others of
// its tradition a little. Ties go to the more popular, then the newer plan.
func pick(list []*scored, limit int) []Recommendation {
	slices.SortFunc(list, func(a, b *scored) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(b.Popularity.Score, a.Popularity.Score),
			cmp.Compare(published(b.Listing), published(a.Listing)), cmp.Compare(a.Listing.Plan.ID, b.Listing.Plan.ID))
	})
	picked := map[catalog.Tradition]int{}
	out := []Recommendation{}
	for len(out) < limit && len(list) > 0 {
		bestAt, bestScore := 0, 0.0
		for i, x := range list {
			s := x.total - sameTraditionPenalty*float64(picked[x.Listing.Revision.Tradition])
			if i == 0 || s > bestScore {
				bestAt, bestScore = i, s
			}
		}
		x := list[bestAt]
		list = slices.Delete(list, bestAt, bestAt+1)
		picked[x.Listing.Revision.Tradition]++
		x.rec.Score = bestScore
		out = append(out, x.rec)
	}
	return out
}

func published(l *catalog.Listing) int64 {
	if l.Plan.FirstPublishedAt == nil {
		return 0
	}
	return l.Plan.FirstPublishedAt.UnixNano()
}
