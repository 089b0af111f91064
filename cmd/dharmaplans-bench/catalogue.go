package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/demo"
	"github.com/dharmaplans/dharmaplans/internal/search"
)

// The generated catalogue the search scenarios run on: --plans published
// plans of about thirty items each, written in the words of the demo
// plans, drawn as natural text draws them (a few words very often, most
// rarely), so that some queries match thousands of plans and others a
// handful.
const (
	catalogueItemsPerPlan = 30
	catalogueAuthors      = 300
)

// CatalogueStats describe the generated catalogue.
type CatalogueStats struct {
	Plans   int     `json:"plans"`
	Items   int     `json:"items"`
	Words   int     `json:"vocabulary"`
	Seconds float64 `json:"seconds"`
}

// catalogue is a generated catalogue and the queries to search it with.
type catalogue struct {
	Stats    CatalogueStats
	Searches []string // query strings for GET /v1/plans, each distinct
	Suggests []string // q values for GET /v1/search/suggest, each distinct
}

// wordPool is the words of the demo plans, most frequent first, with a
// Zipf draw over them.
type wordPool struct {
	words []string
	zipf  *rand.Zipf
}

func newWordPool(r *rand.Rand) (*wordPool, error) {
	plans, err := demo.Plans()
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	add := func(text string) {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) }) {
			if utf8.RuneCountInString(w) >= 2 {
				counts[strings.ToLower(w)]++
			}
		}
	}
	for _, p := range plans {
		add(p.Title + " " + p.Subtitle + " " + p.Description)
		for _, d := range p.Days {
			add(d.Title + " " + d.Intro)
			for _, it := range d.Items {
				add(it.Title + " " + it.Body)
			}
			for _, t := range d.Tasks {
				add(t.Prompt)
			}
		}
	}
	words := make([]string, 0, len(counts)+syntheticWords)
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	// The demo plans have two thousand words; a catalogue of thousands of
	// plans has tens of thousands (names, places, Pali terms). Rarer words
	// are made of Pali-like syllables.
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	for len(words) < len(counts)+syntheticWords {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return &wordPool{words: words, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(words)-1))}, nil
}

// syntheticWords is how many made-up words follow the demo plans' words.
const syntheticWords = 40_000

var syllables = strings.Fields("ka kha ga gha ca cha ja ña ṭa ḍa ṇa ta tha da dha na pa pha ba bha ma ya ra la va sa ha " +
	"ki ti di ni pi mi vi si li ri ku tu du nu pu mu vu su bu ru kā tā dā nā pā mā vā sā lā rā ke te de ne pe me ve se " +
	"ko to do no po mo vo so lo ro an in un am im um")

func (p *wordPool) word() string { return p.words[p.zipf.Uint64()] }

// text is n words drawn from the pool.
func (p *wordPool) text(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = p.word()
	}
	return strings.Join(w, " ")
}

// title is a title of n words, capitalised.
func (p *wordPool) title(n int) string {
	w := strings.Fields(p.text(n))
	for i, s := range w {
		r, size := utf8.DecodeRuneInString(s)
		w[i] = string(unicode.ToUpper(r)) + s[size:]
	}
	return strings.Join(w, " ")
}

// seedCatalogue publishes n generated plans through the catalogue's own
// import, two at a time, so each is indexed as publishing indexes it.
func seedCatalogue(ctx context.Context, m *app.Main, dbURL string, n int, log *progress) (*catalogue, error) {
	r := rand.New(rand.NewPCG(6, 26))
	pool, err := newWordPool(r)
	if err != nil {
		return nil, err
	}
	plans := make([]*catalog.PlanContent, n)
	authors := make([]catalog.AuthorContent, catalogueAuthors)
	for i := range authors {
		authors[i] = catalog.AuthorContent{Name: pool.title(2) + fmt.Sprintf(" %d", i), Bio: pool.text(20),
			Tradition: catalog.Traditions[i%len(catalog.Traditions)]}
	}
	items := 0
	for i := range plans {
		days := 3 + r.IntN(55) // 3 to 57: thirty on average
		c := &catalog.PlanContent{
			Slug:        fmt.Sprintf("generated-%05d", i),
			Title:       pool.title(2 + r.IntN(4)),
			Subtitle:    pool.text(6 + r.IntN(6)),
			Description: pool.text(40 + r.IntN(60)),
			Authors:     []catalog.AuthorContent{authors[r.IntN(len(authors))]},
			Tradition:   catalog.Traditions[r.IntN(len(catalog.Traditions))],
			Level:       catalog.Levels[r.IntN(len(catalog.Levels))],
			Language:    []string{"en", "en", "en", "vi", "de", "th"}[r.IntN(6)],
			Topics:      []string{pool.word(), pool.word()},
		}
		for d := 1; d <= days; d++ {
			day := catalog.DayContent{Title: pool.title(3), Intro: pool.text(15),
				Tasks: []catalog.TaskContent{{Kind: catalog.Meditate, Prompt: pool.text(10), Minutes: 10}}}
			// About thirty items per plan whatever its length.
			for k := 0; k < catalogueItemsPerPlan/days+b2i(r.IntN(days) < catalogueItemsPerPlan%days); k++ {
				day.Items = append(day.Items, catalog.ItemContent{Kind: catalog.Text, Title: pool.title(3),
					Body: pool.text(50 + r.IntN(70)), Minutes: 5})
				items++
			}
			c.Days = append(c.Days, day)
		}
		plans[i] = c
	}
	start := time.Now()
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, c := range plans {
		g.Go(func() error {
			if _, err := m.Catalog().Import(gctx, c, catalog.ImportOptions{Publish: true}); err != nil {
				return fmt.Errorf("generated plan %s: %w", c.Slug, err)
			}
			if k := done.Add(1); k%1000 == 0 {
				log.Printf("catalogue: %d of %d plans published", k, n)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// As autovacuum would have by the time a catalogue is this large: the
	// visibility map set and the statistics gathered.
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return nil, fmt.Errorf("vacuum the catalogue: %w", err)
	}
	out := &catalogue{Stats: CatalogueStats{Plans: n, Items: items, Words: len(pool.words), Seconds: time.Since(start).Seconds()}}
	out.Searches, out.Suggests = benchQueries(r, pool, plans)
	log.Printf("catalogue: %d plans with %d items published in %.0f s", n, items, out.Stats.Seconds)
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// benchQueries makes distinct searches and typeahead inputs, so that
// none is answered from the cache: single words (as often the common as
// the rare), two and three words, words with a filter, and misspellings
// (a letter dropped) that go through correction; for typeahead, what
// someone types who is looking for a plan they heard of: the first two
// to six letters of a word of its title or topics, after the title's
// words before it or alone, and one time in ten the start of any word.
func benchQueries(r *rand.Rand, pool *wordPool, plans []*catalog.PlanContent) (searches, suggests []string) {
	seen := map[string]bool{}
	add := func(list *[]string, s string) {
		if !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	common := pool.words[:min(len(pool.words), 2000)]
	for len(searches) < 60_000 {
		q := url.Values{}
		switch k := r.IntN(10); {
		case k < 3:
			q.Set("q", common[r.IntN(len(common))])
		case k < 6:
			q.Set("q", pool.word()+" "+pool.word())
		case k < 8:
			q.Set("q", pool.word()+" "+pool.word()+" "+pool.word())
		case k < 9:
			q.Set("q", pool.word())
			q.Set("tradition", string(catalog.Traditions[r.IntN(len(catalog.Traditions))]))
		default:
			w := []rune(search.Fold(pool.words[r.IntN(len(common))]))
			if len(w) < 6 {
				continue
			}
			i := 1 + r.IntN(len(w)-2)
			q.Set("q", string(w[:i])+string(w[i+1:]))
		}
		add(&searches, "/v1/plans?"+q.Encode())
	}
	for tries := 0; len(suggests) < 60_000 && tries < 1_000_000; tries++ {
		var before []string
		var w []rune
		if r.IntN(10) == 0 {
			w = []rune(pool.word())
		} else {
			p := plans[r.IntN(len(plans))]
			words := strings.Fields(p.Title + " " + strings.Join(p.Topics, " "))
			i := r.IntN(len(words))
			if i < len(strings.Fields(p.Title)) {
				before = words[max(0, i-r.IntN(3)):i]
			}
			w = []rune(words[i])
		}
		if len(w) < 2 {
			continue
		}
		typed := string(w[:2+r.IntN(min(5, len(w)-1))])
		add(&suggests, "/v1/search/suggest?"+url.Values{"q": {strings.TrimSpace(strings.Join(before, " ") + " " + typed)}}.Encode())
	}
	r.Shuffle(len(searches), func(i, j int) { searches[i], searches[j] = searches[j], searches[i] })
	r.Shuffle(len(suggests), func(i, j int) { suggests[i], suggests[j] = suggests[j], suggests[i] })
	return searches, suggests
}
