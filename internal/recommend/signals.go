package recommend

import (
	"context"
	"math"
	"time"
)

// How the job counts.
const (
	// Window is how far back enrolments and completions count towards
	// popularity.
	Window = 90 * 24 * time.Hour
	// HalfLife is the age at which an enrolment or completion counts half.
	HalfLife = 14 * 24 * time.Hour
	// Month is the span of Popularity.Recent ("popular this month").
	Month = 30 * 24 * time.Hour
	// MinPeople is the fewest people a "went on to" pair must count to be
	// kept: a pair of one or two would tell what one person read.
	MinPeople = 3
	// RefreshEvery is the job's period.
	RefreshEvery = time.Hour
)

// Refresh recomputes popularity and co-completion from every enrolment and
// replaces the stored signals with them. It runs as a periodic job, and on
// demand (dharmaplans recommend refresh).
func (s *Service) Refresh(ctx context.Context) error {
	started := time.Now()
	sig, err := Compute(ctx, s.store.EachEnrolment, s.now())
	if err != nil {
		return err
	}
	if err := s.store.ReplaceSignals(ctx, sig); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "recommendation signals refreshed", "plans", len(sig.Popularity), "pairs", len(sig.Next),
		"took", time.Since(started).Round(time.Millisecond).String())
	return nil
}

// Compute counts the signals at now from the enrolments each yields,
// grouped by person (Store.EachEnrolment).
func Compute(ctx context.Context, each func(context.Context, func(Enrolment) error) error, now time.Time) (*Signals, error) {
	c := newCounter(now)
	err := each(ctx, func(e Enrolment) error {
		if e.UserID != c.user {
			c.flush()
			c.user = e.UserID
		}
		c.add(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.flush()
	return c.signals(), nil
}

// counter folds enrolments, one person at a time, into anonymous counts.
type counter struct {
	now  time.Time
	user string
	// The current person's plans.
	plans map[string]*span
	pop   map[string]*Popularity
	pairs map[[2]string]int
}

// span is what one person did with one plan: when they first finished it,
// and the latest time they enrolled in it or finished it.
type span struct {
	firstFinish *time.Time
	lastTouch   time.Time
}

func newCounter(now time.Time) *counter {
	return &counter{now: now, plans: map[string]*span{}, pop: map[string]*Popularity{}, pairs: map[[2]string]int{}}
}

// decay is the weight of something that happened at t: 1 now, 1/2 a
// HalfLife ago, 0 beyond the Window or in the future.
func (c *counter) decay(t time.Time) float64 {
	age := c.now.Sub(t)
	if age < 0 || age > Window {
		return 0
	}
	return math.Exp2(-float64(age) / float64(HalfLife))
}

func (c *counter) popularity(planID string) *Popularity {
	p := c.pop[planID]
	if p == nil {
		p = &Popularity{PlanID: planID}
		c.pop[planID] = p
	}
	return p
}

func (c *counter) add(e Enrolment) {
	p := c.popularity(e.PlanID)
	p.Score += c.decay(e.EnrolledAt)
	if age := c.now.Sub(e.EnrolledAt); age >= 0 && age <= Month {
		p.Recent++
	}
	sp := c.plans[e.PlanID]
	if sp == nil {
		sp = &span{lastTouch: e.EnrolledAt}
		c.plans[e.PlanID] = sp
	}
	sp.lastTouch = later(sp.lastTouch, e.EnrolledAt)
	if e.CompletedAt != nil {
		p.Score += c.decay(*e.CompletedAt)
		sp.lastTouch = later(sp.lastTouch, *e.CompletedAt)
		if sp.firstFinish == nil || e.CompletedAt.Before(*sp.firstFinish) {
			at := *e.CompletedAt
			sp.firstFinish = &at
		}
	}
}

// flush counts the current person's finishes and "went on to" pairs: Y
// follows X when they enrolled in or finished Y after first finishing X.
func (c *counter) flush() {
	for x, sx := range c.plans {
		if sx.firstFinish == nil {
			continue
		}
		c.popularity(x).Finishers++
		for y, sy := range c.plans {
			if y != x && sy.lastTouch.After(*sx.firstFinish) {
				c.pairs[[2]string{x, y}]++
			}
		}
	}
	clear(c.plans)
}

func (c *counter) signals() *Signals {
	s := &Signals{At: c.now, Popularity: []Popularity{}, Next: []Next{}}
	for _, p := range c.pop {
		if p.Score > 0 || p.Recent > 0 || p.Finishers > 0 {
			s.Popularity = append(s.Popularity, *p)
		}
	}
	for k, n := range c.pairs {
		if n < MinPeople {
			continue
		}
		share := 0.0
		if f := c.pop[k[0]].Finishers; f > 0 {
			share = float64(n) / float64(f)
		}
		s.Next = append(s.Next, Next{PlanID: k[0], NextPlanID: k[1], People: n, Share: share})
	}
	return s
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
