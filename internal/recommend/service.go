package recommend

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Limits of a request.
const (
	DefaultLimit = 10
	MaxLimit     = 50
)

// How many candidates each request reads, per signal.
const (
	popularPerTradition = 12
	newestPerTradition  = 6
	similarPerTradition = 30
	similarByTopic      = 60
	maxPairs            = 100
	maxTopics           = 20
)

// Deps are what the Service needs.
type Deps struct {
	Store Store
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service holds the recommendation rules.
type Service struct {
	store  Store
	now    func() time.Time
	logger *slog.Logger
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{store: d.Store, now: d.Now, logger: d.Logger}
}

// For returns up to limit published plans to suggest to p (nil for an
// anonymous person), best first, each with its reason. It never suggests a
// plan p is enrolled in (active or paused) or has finished.
func (s *Service) For(ctx context.Context, p *identity.Principal, limit int) ([]Recommendation, error) {
	if limit < 1 || limit > MaxLimit {
		return nil, errs.Validation(errs.FieldError{Field: "query.limit", Message: fmt.Sprintf("limit must be from 1 to %d", MaxLimit)})
	}
	var who person
	if p != nil {
		u, err := s.store.UserByID(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		history, err := s.store.History(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		who = newPerson(u.Onboarding, history)
	}
	cands, next, err := s.gather(ctx, who)
	if err != nil {
		return nil, err
	}
	return rank(who, cands, next, s.now(), limit), nil
}

// gather reads the candidates of every signal for who: popular and new
// plans of every tradition, plans of the traditions and topics of their
// own plans, and the plans people went on to after the ones they finished.
func (s *Service) gather(ctx context.Context, who person) (map[string]Candidate, []Next, error) {
	exclude := make([]string, 0, len(who.excluded))
	for id := range who.excluded {
		exclude = append(exclude, id)
	}
	queries := []CandidateQuery{
		{Sort: MostPopular, PerTradition: popularPerTradition, Limit: popularPerTradition * len(catalog.Traditions)},
		{Sort: Newest, PerTradition: newestPerTradition, Limit: newestPerTradition * len(catalog.Traditions)},
	}
	var next []Next
	if len(who.seeds) > 0 {
		var traditions []catalog.Tradition
		var topics []string
		for _, sd := range who.seeds {
			r := sd.listing.Revision
			if !slices.Contains(traditions, r.Tradition) {
				traditions = append(traditions, r.Tradition)
			}
			for _, t := range r.Topics {
				if len(topics) < maxTopics && !slices.Contains(topics, t) {
					topics = append(topics, t)
				}
			}
		}
		queries = append(queries, CandidateQuery{Traditions: traditions, Sort: MostPopular, PerTradition: similarPerTradition,
			Limit: similarPerTradition * len(traditions)})
		if len(topics) > 0 {
			queries = append(queries, CandidateQuery{Topics: topics, Sort: MostPopular, Limit: similarByTopic})
		}
		if finished := who.finishedIDs(); len(finished) > 0 {
			var err error
			if next, err = s.store.NextPlans(ctx, finished, maxPairs); err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, n := range next {
				if !who.excluded[n.NextPlanID] && !slices.Contains(ids, n.NextPlanID) {
					ids = append(ids, n.NextPlanID)
				}
			}
			if len(ids) > 0 {
				queries = append(queries, CandidateQuery{IDs: ids, Sort: MostPopular, Limit: len(ids)})
			}
		}
	}
	cands := map[string]Candidate{}
	for _, q := range queries {
		q.Exclude = exclude
		list, err := s.store.Candidates(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range list {
			cands[c.Listing.Plan.ID] = c
		}
	}
	return cands, next, nil
}
