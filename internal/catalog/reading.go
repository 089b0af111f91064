package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/search"
)

// Filter narrows the public catalogue; empty fields do not filter.
type Filter struct {
	Tradition string
	Topic     string
	Level     string
	Language  string
	MinDays   int
	MaxDays   int
	Sort      string // relevance (the default with Q), newest (the default without) or title
	Q         string // what to search for
}

// Plans returns a page of published plans: with f.Q, those that match it,
// best first unless another sort is asked for, each with its matched
// words marked. The first page also counts the plans by facet. Pages are
// read from the cache when they can be.
func (s *Service) Plans(ctx context.Context, f Filter, cursor string, limit int) (*PlanPage, error) {
	q, err := s.catalogQuery(f, cursor, &limit)
	if err != nil {
		return nil, err
	}
	key := s.cacheKey(ctx, "list", f.hash(), cursor, strconv.Itoa(limit))
	var page PlanPage
	if s.cached(ctx, key, &page) {
		return &page, nil
	}
	// The first page also counts the facets, on a connection of its own
	// at the same time: over a word most plans have, counting them is most
	// of a search's work, and the page is read and its matches marked
	// meanwhile.
	var counts []FacetCount
	read := func() (items []*Listing, err error) {
		var g errgroup.Group
		if cursor == "" {
			g.Go(func() (err error) {
				counts, err = s.store.Facets(ctx, q)
				return err
			})
		}
		items, err = s.store.ListPublished(ctx, q)
		if err == nil && q.Search != nil {
			for _, l := range items[:min(limit, len(items))] {
				l.Match = s.match(q.Search, l)
			}
		}
		return items, errors.Join(err, g.Wait())
	}
	items, err := read()
	if err != nil {
		return nil, err
	}
	if len(items) == 0 && q.Search != nil {
		// Nothing found: try again with misspelt words corrected (also for
		// the later pages of a corrected search).
		if corrected, said, err := s.corrected(ctx, q.Search); err != nil {
			return nil, err
		} else if corrected != nil {
			q.Search, page.SearchedFor = corrected, said
			if items, err = read(); err != nil {
				return nil, err
			}
		}
	}
	page.Items = items
	if len(items) > limit {
		page.Items = items[:limit]
		if q.Sort != Relevance || q.Offset+limit <= MaxSearchOffset {
			page.NextCursor = f.cursorAfter(items[limit-1], q.Sort, q.Offset+limit)
		}
	}
	if cursor == "" {
		page.Facets = facets(counts, q)
	}
	s.keep(ctx, key, &page)
	return &page, nil
}

func (s *Service) catalogQuery(f Filter, cursor string, limit *int) (CatalogQuery, error) {
	var pr problems
	q := CatalogQuery{Tradition: Tradition(f.Tradition), Topic: strings.ToLower(strings.TrimSpace(f.Topic)),
		Level: Level(f.Level), Language: f.Language, MinDays: f.MinDays, MaxDays: f.MaxDays, Sort: f.sort()}
	if f.Q != "" {
		sq, err := search.Parse("query.q", f.Q)
		if err != nil {
			return q, err
		}
		if !sq.Empty() {
			q.Search = sq
		}
	}
	if q.Search == nil && q.Sort == Relevance {
		q.Sort = Newest // nothing to be relevant to
	}
	if q.Tradition != "" && !q.Tradition.Valid() {
		pr.add("query.tradition", "tradition must be one of %s", list(Traditions))
	}
	if q.Level != "" && !q.Level.Valid() {
		pr.add("query.level", "level must be one of %s", list(Levels))
	}
	if q.Language != "" {
		if _, err := language.Parse(q.Language); err != nil || len(q.Language) > MaxLanguageTag {
			pr.add("query.language", "%q is not a BCP 47 language tag such as en or pt-BR", q.Language)
		}
	}
	if len(q.Topic) > MaxTopic*4 {
		pr.add("query.topic", "a topic has at most %d characters", MaxTopic)
	}
	if q.MinDays < 0 || q.MinDays > MaxDays {
		pr.add("query.min_days", "min_days must be from 0 to %d", MaxDays)
	}
	if q.MaxDays < 0 || q.MaxDays > MaxDays {
		pr.add("query.max_days", "max_days must be from 0 to %d", MaxDays)
	}
	if q.MaxDays > 0 && q.MinDays > q.MaxDays {
		pr.add("query.max_days", "max_days must not be less than min_days")
	}
	if q.Sort != Newest && q.Sort != ByTitle && q.Sort != Relevance {
		pr.add("query.sort", "sort must be relevance, newest or title")
	}
	if cursor != "" {
		c, ok := decodeCatalogCursor(cursor)
		switch {
		case !ok:
			pr.add("query.cursor", identity.BadCursor)
		case c.Query != f.hash():
			pr.add("query.cursor", "the cursor belongs to a different query: keep the filters and sort of the page it came from")
		case q.Sort == Relevance:
			n, err := strconv.Atoi(c.Key)
			if err != nil || n < 1 || n > MaxSearchOffset {
				pr.add("query.cursor", identity.BadCursor)
			}
			q.Offset = n
		default:
			q.AfterKey, q.AfterID = c.Key, c.ID
		}
	}
	*limit = pageSize(&pr, *limit)
	q.Limit = *limit + 1
	return q, pr.err()
}

// hash names the filter, so a cursor is only accepted by the query that
// gave it out.
func (f Filter) hash() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%q", []any{f.Tradition, strings.ToLower(strings.TrimSpace(f.Topic)), f.Level,
		f.Language, f.MinDays, f.MaxDays, f.sort(), strings.Join(search.Words(f.Q), " ")}))
	return hex.EncodeToString(sum[:6])
}

// sort is the order f asks for: by default the best match first when it
// searches, the newest first when not.
func (f Filter) sort() Sort {
	switch {
	case f.Sort != "":
		return Sort(f.Sort)
	case len(search.Words(f.Q)) > 0:
		return Relevance
	}
	return Newest
}

type catalogCursor struct {
	Query string `json:"q"`
	Key   string `json:"k"`
	ID    string `json:"i"`
}

func (f Filter) cursorAfter(l *Listing, sort Sort, offset int) string {
	c := catalogCursor{Query: f.hash(), ID: l.Plan.ID}
	if sort == Relevance {
		c.Key = strconv.Itoa(offset)
	} else if sort == ByTitle {
		c.Key = SortTitle(l.Revision.Title)
	} else if l.Plan.FirstPublishedAt != nil {
		c.Key = l.Plan.FirstPublishedAt.UTC().Format(time.RFC3339Nano)
	}
	return encodeCursor(c)
}

func encodeCursor(c catalogCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCatalogCursor(s string) (catalogCursor, bool) {
	var c catalogCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || !validID(c.ID) {
		return c, false
	}
	return c, true
}

// SortTitle is the key titles sort by: lower case with diacritics folded,
// so "Ānāpānasati" sorts with the a's on both engines.
func SortTitle(title string) string {
	folded, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), title)
	return strings.ToLower(folded)
}

// PublicPlan is a published plan's page: metadata, authors and day outline.
type PublicPlan struct {
	Plan     *Plan
	Revision *Revision // metadata only
	Authors  []*Author
	Outline  []DayOutline
}

// publishedPlan returns the published (or archived) plan with slug.
func (s *Service) publishedPlan(ctx context.Context, slug string) (*Plan, error) {
	if len(slug) > MaxSlug || !slugPattern.MatchString(slug) {
		return nil, notFound()
	}
	plan, err := s.store.PlanBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if plan.PublishedRevisionID == "" || (plan.Status != Published && plan.Status != Archived) {
		return nil, notFound()
	}
	return plan, nil
}

// Plan returns a published plan's page by slug. Archived plans still
// answer, for readers who enrolled; they are only left out of lists.
func (s *Service) Plan(ctx context.Context, slug string) (*PublicPlan, error) {
	key := s.cacheKey(ctx, "plan", slug)
	var out PublicPlan
	if s.cached(ctx, key, &out) {
		return &out, nil
	}
	plan, err := s.publishedPlan(ctx, slug)
	if err != nil {
		return nil, err
	}
	r, err := s.store.RevisionMeta(ctx, plan.PublishedRevisionID)
	if err != nil {
		return nil, err
	}
	authors, err := s.authorsInOrder(ctx, r.AuthorIDs)
	if err != nil {
		return nil, err
	}
	outline, err := s.store.Outline(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	out = PublicPlan{Plan: plan, Revision: r, Authors: authors, Outline: outline}
	s.keep(ctx, key, &out)
	return &out, nil
}

// PublicDay is one day of a published plan with what a reader needs
// around it.
type PublicDay struct {
	Plan     *Plan
	Title    string // the plan's title
	Days     int    // how many days the plan has
	Day      *Day
	Preview  bool // whether anyone may read it without enrolling
	Revision int  // the published revision's number
}

// Day returns day n of the published plan with slug. The first
// PreviewDays days are open to anyone; the rest need what the Reader
// allows (signed in, and once enrolments exist, enrolled).
func (s *Service) Day(ctx context.Context, p *identity.Principal, slug string, n int) (*PublicDay, error) {
	out, err := s.publicDay(ctx, slug, n)
	if err != nil {
		return nil, err
	}
	if !out.Preview {
		ok, err := s.reader.CanRead(ctx, p, out.Plan)
		if err != nil {
			return nil, err
		}
		if !ok {
			if p == nil {
				return nil, errs.E(errs.Unauthenticated, "days 1 to %d are open to everyone; sign in to read day %d", PreviewDays, n)
			}
			return nil, errs.E(errs.Forbidden, "enrol in the plan to read day %d", n)
		}
	}
	return out, nil
}

// publicDay returns day n of the published plan with slug without asking
// the Reader.
func (s *Service) publicDay(ctx context.Context, slug string, n int) (*PublicDay, error) {
	key := s.cacheKey(ctx, "day", slug, strconv.Itoa(n))
	var out PublicDay
	if !s.cached(ctx, key, &out) {
		plan, err := s.publishedPlan(ctx, slug)
		if err != nil {
			return nil, err
		}
		r, err := s.store.RevisionMeta(ctx, plan.PublishedRevisionID)
		if err != nil {
			return nil, err
		}
		if n < 1 || n > r.DayCount {
			return nil, errs.E(errs.NotFound, "the plan has %d days; there is no day %d", r.DayCount, n)
		}
		d, err := s.store.Day(ctx, r.ID, n)
		if err != nil {
			return nil, err
		}
		out = PublicDay{Plan: plan, Title: r.Title, Days: r.DayCount, Day: d, Preview: n <= PreviewDays, Revision: r.Number}
		s.keep(ctx, key, &out)
	}
	return &out, nil
}

// cached reads key into v (a pointer to a struct); a miss or an
// unreadable entry is false. Values read recently on this replica are kept
// decoded as well, so a hit costs no JSON decoding; the key names the
// catalogue generation, so a decoded value is never used after a change.
// What v receives shares lists with the kept value: callers only read it.
func (s *Service) cached(ctx context.Context, key string, v any) bool {
	if kept, ok := s.decoded.GetIfPresent(key); ok && reflect.TypeOf(kept) == reflect.TypeOf(v) {
		reflect.ValueOf(v).Elem().Set(reflect.ValueOf(kept).Elem())
		return true
	}
	b, ok := s.cache.Get(ctx, key)
	if !ok || json.Unmarshal(b, v) != nil {
		return false
	}
	s.decoded.Set(key, v)
	return true
}

// keep stores v (a pointer to a struct) under key.
func (s *Service) keep(ctx context.Context, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.logger.WarnContext(ctx, "catalog: cannot cache a read", "error", err)
		return
	}
	s.cache.Set(ctx, key, b, CacheTTL)
	s.decoded.Set(key, v)
}
