package catalog

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/markdown"
	"github.com/dharmaplans/dharmaplans/internal/search"
)

// Search over the published catalogue: the rules of package search (what
// a query means, how misspellings are corrected, what is marked), the
// catalogue's filters around it, and facet counts.

// MaxSearchOffset is how deep into a search's results pages go: beyond it
// a person should narrow the search.
const MaxSearchOffset = 1000

// PlanPage is a page of the catalogue.
type PlanPage struct {
	Items      []*Listing
	NextCursor string
	// Facets counts the plans by each filter's values; only on the first
	// page.
	Facets *Facets
	// SearchedFor is what the search looked for instead when the words
	// typed found nothing and misspellings were corrected ("" otherwise).
	SearchedFor string
}

// Match is what a search matched in a plan, as HTML with the matched
// words in <mark>.
type Match struct {
	TitleHTML   string
	SnippetHTML string // from the subtitle or description
}

// match marks what q matches in l: its title, and the sentence of its
// description (or failing that its subtitle) around the first match.
func (s *Service) match(q *search.Query, l *Listing) *Match {
	m := &Match{}
	m.TitleHTML, _ = q.Highlight(l.Revision.Title)
	description := s.plainText(l.Revision)
	if snippet, ok := q.Snippet(description); ok {
		m.SnippetHTML = snippet
	} else if snippet, ok := q.Snippet(l.Revision.Subtitle); ok || description == "" {
		m.SnippetHTML = snippet
	} else {
		m.SnippetHTML, _ = q.Snippet(description)
	}
	return m
}

// plainText is the text of r's description, kept per revision on this
// replica (a revision's description changes only in the studio, where
// search does not look).
func (s *Service) plainText(r *Revision) string {
	key := "text:" + r.ID + ":" + strconv.Itoa(r.Version)
	if kept, ok := s.decoded.GetIfPresent(key); ok {
		if text, ok := kept.(string); ok {
			return text
		}
	}
	text := markdown.Text(r.DescriptionHTML)
	s.decoded.Set(key, text)
	return text
}

// Facets counts the plans a query finds by the values of each filter,
// each under the query's other filters, so every count says how many
// plans choosing that value would show.
type Facets struct {
	Traditions []FacetValue
	Levels     []FacetValue
	Languages  []FacetValue
	Lengths    []FacetValue // LengthBuckets
}

// FacetValue is a filter value and how many plans it would show.
type FacetValue struct {
	Value string
	Plans int
}

// LengthBucket is a range of plan lengths, in days.
type LengthBucket struct {
	Name     string
	Min, Max int
}

// LengthBuckets are the lengths the catalogue is faceted by; each is
// chosen with min_days and max_days.
var LengthBuckets = []LengthBucket{{"1-7", 1, 7}, {"8-30", 8, 30}, {"31+", 31, MaxDays}}

// facets turns the store's counts into each facet's values under the
// other filters of q. Values without plans are left out.
func facets(counts []FacetCount, q CatalogQuery) *Facets {
	traditionOK := func(t Tradition) bool { return q.Tradition == "" || t == q.Tradition }
	levelOK := func(l Level) bool { return q.Level == "" || l == q.Level }
	languageOK := func(tag string) bool { return q.Language == "" || languageMatches(q.Language, tag) }
	tradition, level, language, length := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, c := range counts {
		t, l, g, d := traditionOK(c.Tradition), levelOK(c.Level), languageOK(c.Language), c.InLength
		if l && g && d {
			tradition[string(c.Tradition)] += c.Plans
		}
		if t && g && d {
			level[string(c.Level)] += c.Plans
		}
		if t && l && d {
			language[c.Language] += c.Plans
		}
		if t && l && g {
			length[c.Length] += c.Plans
		}
	}
	f := &Facets{}
	for _, t := range Traditions {
		f.Traditions = appendCount(f.Traditions, string(t), tradition)
	}
	for _, l := range Levels {
		f.Levels = appendCount(f.Levels, string(l), level)
	}
	tags := make([]string, 0, len(language))
	for tag := range language {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	for _, tag := range tags {
		f.Languages = appendCount(f.Languages, tag, language)
	}
	for _, b := range LengthBuckets {
		f.Lengths = appendCount(f.Lengths, b.Name, length)
	}
	return f
}

func appendCount(values []FacetValue, value string, counts map[string]int) []FacetValue {
	if values == nil {
		values = []FacetValue{}
	}
	if n := counts[value]; n > 0 {
		values = append(values, FacetValue{value, n})
	}
	return values
}

// languageMatches reports whether a plan in language tag passes the
// language filter want: the same tag, or one of its regions ("en" passes
// "en-GB"), in any case, as the store filters.
func languageMatches(want, tag string) bool {
	want, tag = strings.ToLower(want), strings.ToLower(tag)
	return tag == want || strings.HasPrefix(tag, want+"-")
}

// corrected returns q with its misspelt words corrected to words of the
// published plans, and what it now says; nil when no word needed or found
// a correction.
func (s *Service) corrected(ctx context.Context, q *search.Query) (*search.Query, string, error) {
	words := q.Misspellable()
	if len(words) == 0 {
		return nil, "", nil
	}
	near, err := s.store.NearWords(ctx, words)
	if err != nil {
		return nil, "", err
	}
	corrections := map[string][]string{}
	for _, w := range words {
		corrections[w] = search.Correct(w, near[w])
	}
	out, said, ok := q.Corrected(corrections)
	if !ok {
		return nil, "", nil
	}
	return out, said, nil
}

// MaxSuggestions is how many suggestions typeahead gets.
const MaxSuggestions = 8

// Suggest returns the published plans whose title, subtitle, topics or
// authors start with what has been typed, for typeahead: nothing until
// two letters are typed; misspellings are corrected when nothing matches.
func (s *Service) Suggest(ctx context.Context, raw string) ([]Suggestion, error) {
	q, err := search.Parse("query.q", raw)
	if err != nil {
		return nil, err
	}
	if q.Empty() {
		return []Suggestion{}, nil
	}
	key := s.cacheKey(ctx, "suggest", strings.Join(search.Words(raw), " "))
	var out struct{ Items []Suggestion }
	if s.cached(ctx, key, &out) {
		return out.Items, nil
	}
	out.Items, err = s.suggest(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(out.Items) == 0 {
		if corrected, _, err := s.corrected(ctx, q); err != nil {
			return nil, err
		} else if corrected != nil {
			if out.Items, err = s.suggest(ctx, corrected); err != nil {
				return nil, err
			}
		}
	}
	s.keep(ctx, key, &out)
	return out.Items, nil
}

// suggestCandidates is how many plans Suggest reads to choose its
// MaxSuggestions from.
const suggestCandidates = 4 * MaxSuggestions

// suggest returns the best suggestions for q, the plans whose title it
// matches first. The engines' ranks alone do not promise that: SQLite's
// bm25 divides by the length of the whole document, days included, so a
// short plan with the word only among its topics or its tradition
// outranks a long one with it in the title.
func (s *Service) suggest(ctx context.Context, q *search.Query) ([]Suggestion, error) {
	items, err := s.store.Suggest(ctx, q, suggestCandidates)
	if err != nil {
		return nil, err
	}
	inTitle := make(map[string]bool, len(items))
	for _, sg := range items {
		_, inTitle[sg.Slug] = q.Highlight(sg.Title)
	}
	slices.SortStableFunc(items, func(a, b Suggestion) int {
		switch {
		case inTitle[a.Slug] == inTitle[b.Slug]:
			return 0
		case inTitle[a.Slug]:
			return -1
		}
		return 1
	})
	return items[:min(len(items), MaxSuggestions)], nil
}
