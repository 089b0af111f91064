package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// searchCard is a plan in search results: a card with what matched.
type searchCard struct {
	planCard
	Tradition string `json:"tradition"`
	Match     *struct {
		TitleHTML   string `json:"title_html"`
		SnippetHTML string `json:"snippet_html"`
	} `json:"match"`
}

type facetValue struct {
	Value string `json:"value"`
	Plans int    `json:"plans"`
}

// searchPage is a page of the catalogue as a search answers it.
type searchPage struct {
	Items      []searchCard `json:"items"`
	NextCursor string       `json:"next_cursor"`
	Facets     *struct {
		Tradition []facetValue `json:"tradition"`
		Level     []facetValue `json:"level"`
		Language  []facetValue `json:"language"`
		Length    []facetValue `json:"length"`
	} `json:"facets"`
	SearchedFor string `json:"searched_for"`
}

func (p searchPage) slugs() []string {
	out := []string{}
	for _, c := range p.Items {
		out = append(out, c.Slug)
	}
	return out
}

func (p searchPage) card(t testing.TB, slug string) searchCard {
	t.Helper()
	for _, c := range p.Items {
		if c.Slug == slug {
			if c.Match == nil {
				t.Fatalf("%s has no match in search results", slug)
			}
			return c
		}
	}
	t.Fatalf("%s is not among %v", slug, p.slugs())
	return searchCard{}
}

// counts writes a facet as "value:plans value:plans", in its order.
func counts(values []facetValue) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%s:%d", v.Value, v.Plans)
	}
	return strings.Join(out, " ")
}

type suggestions struct {
	Items []struct {
		Slug  string `json:"slug"`
		Title string `json:"title"`
	} `json:"items"`
}

func (s suggestions) slugs() []string {
	out := []string{}
	for _, it := range s.Items {
		out = append(out, it.Slug)
	}
	return out
}

// onlyMarks is HTML whose only tags are <mark> and </mark>.
var onlyMarks = regexp.MustCompile(`^([^<>]|<mark>|</mark>)*$`)

// The demo catalogue's plans.
const (
	lovingKindness = "a-week-of-loving-kindness"
	breathing      = "breathing-with-mindfulness"
	zenSitting     = "five-days-of-zen-sitting"
	compassion     = "the-heart-of-compassion"
)

func TestSearchThroughTheCatalogue(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: []string{"DHARMAPLANS_DEMO=true"}})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)

		search := func(t *testing.T, query string) searchPage {
			t.Helper()
			return decode[searchPage](t, get(t, s, nil, http.StatusOK, "/v1/plans?"+query))
		}
		suggest := func(t *testing.T, q string) suggestions {
			t.Helper()
			return decode[suggestions](t, get(t, s, nil, http.StatusOK, "/v1/search/suggest?q="+url.QueryEscape(q)))
		}

		// Plans of our own with a word the demo plans lack: four with it in
		// the title, one only in a day's reading.
		kalama := map[string]studioPlan{}
		for _, p := range []struct {
			meta map[string]any
			days int
		}{
			{map[string]any{"title": "Kālāma Sutta Study", "tradition": "zen", "level": "beginner", "language": "en"}, 2},
			{map[string]any{"title": "The Kālāma Questions", "tradition": "zen", "level": "advanced", "language": "de"}, 9},
			{map[string]any{"title": "A Kālāma Month", "tradition": "theravada", "level": "beginner", "language": "en"}, 31},
			{map[string]any{"title": "Kālāma for Teachers", "tradition": "theravada", "level": "intermediate", "language": "pt-BR"}, 8},
		} {
			pub := publishedPlan(t, s, author, admin, p.meta, p.days)
			kalama[pub.Slug] = pub
		}
		inquiry := readyPlan(t, s, author, map[string]any{"title": "Free Inquiry", "tradition": "secular"}, 1)
		addTextItem(t, s, author, inquiry.ID, 1, "To the people of Kesaputta", "The Kālāmas asked whom to believe.")
		publish(t, s, author, admin, inquiry.ID)

		t.Run("results come best first with the matched words marked as written", func(t *testing.T) {
			for _, tc := range []struct{ q, first string }{
				{"zazen", zenSitting},
				{"tonglen", compassion},
				{"Mettā", lovingKindness},
				{"satipatthana", breathing},
			} {
				if got := search(t, "q="+url.QueryEscape(tc.q)).slugs(); len(got) == 0 || got[0] != tc.first {
					t.Errorf("q=%s lists %v, want %s first", tc.q, got, tc.first)
				}
			}
			page := search(t, "q=kalama")
			if got := page.slugs(); len(got) != 5 || got[4] != "free-inquiry" {
				t.Errorf("q=kalama lists %v, want the four plans with it in the title before the one with it in a reading", got)
			}
			if c := page.card(t, "a-kalama-month"); c.Match.TitleHTML != "A <mark>Kālāma</mark> Month" {
				t.Errorf("title_html %q", c.Match.TitleHTML)
			}

			metta := search(t, "q=metta").card(t, lovingKindness)
			if !strings.Contains(metta.Match.SnippetHTML, "<mark>Mettā</mark>") {
				t.Errorf("q=metta: snippet_html %q does not mark Mettā", metta.Match.SnippetHTML)
			}
			if metta.Match.TitleHTML != "A Week of <mark>Loving</mark>-<mark>Kindness</mark>" {
				t.Errorf("q=metta: title_html %q, want loving-kindness marked as a synonym", metta.Match.TitleHTML)
			}
			// Ānāpānasati is also "mindfulness of breathing": the phrase is
			// marked where it stands, not every "of".
			anapanasati := search(t, "q=anapanasati")
			if b := anapanasati.card(t, breathing).Match; !strings.HasPrefix(b.SnippetHTML, "<mark>Mindfulness</mark> <mark>of</mark> <mark>breathing</mark> is") ||
				!strings.Contains(b.SnippetHTML, "<mark>Ānāpānasati</mark>") {
				t.Errorf("q=anapanasati: snippet_html %q", b.SnippetHTML)
			}
			if c := anapanasati.card(t, compassion).Match; c.TitleHTML != "The Heart of Compassion" || strings.Count(c.SnippetHTML, "<mark>of</mark>") != 1 ||
				!strings.Contains(c.SnippetHTML, "<mark>mindfulness</mark> <mark>of</mark> <mark>breathing</mark>") {
				t.Errorf("q=anapanasati: title_html %q, snippet_html %q; want only the phrase marked", c.TitleHTML, c.SnippetHTML)
			}
			sunyata := search(t, "q=sunyata").card(t, compassion)
			if !strings.Contains(sunyata.Match.SnippetHTML, "<mark>śūnyatā</mark>") {
				t.Errorf("q=sunyata: snippet_html %q does not mark śūnyatā", sunyata.Match.SnippetHTML)
			}
			for _, c := range append(search(t, "q=metta").Items, search(t, "q=kalama").Items...) {
				if !onlyMarks.MatchString(c.Match.TitleHTML) || !onlyMarks.MatchString(c.Match.SnippetHTML) {
					t.Errorf("%s: tags other than <mark> in %q / %q", c.Slug, c.Match.TitleHTML, c.Match.SnippetHTML)
				}
			}
			if c := search(t, "").Items[0]; c.Match != nil {
				t.Errorf("a list without q carries a match: %+v", c.Match)
			}
		})

		t.Run("the plan's own text is escaped; only the marks are HTML", func(t *testing.T) {
			inSubtitle := publishedPlan(t, s, author, admin, map[string]any{"title": "Sīla & Samādhi <Practice>", "tradition": "theravada",
				"subtitle": `Where <script>alert("samadhi")</script> & calm meet`, "description": "Nothing about it here."}, 1)
			inDescription := publishedPlan(t, s, author, admin, map[string]any{"title": "Steady Mind", "tradition": "theravada",
				"description": "Breath & body: <script>steal()</script> when a < b, samādhi grows.\n\n<b>bold</b> & \"quoted\""}, 1)
			page := search(t, "q=samadhi")
			sub := page.card(t, inSubtitle.Slug).Match
			if sub.TitleHTML != "Sīla &amp; <mark>Samādhi</mark> &lt;Practice&gt;" {
				t.Errorf("title_html %q", sub.TitleHTML)
			}
			if want := "Where &lt;script&gt;alert(&#34;<mark>samadhi</mark>&#34;)&lt;/script&gt; &amp; calm meet"; sub.SnippetHTML != want {
				t.Errorf("snippet_html from the subtitle\n got %q\nwant %q", sub.SnippetHTML, want)
			}
			desc := page.card(t, inDescription.Slug).Match
			if !strings.Contains(desc.SnippetHTML, "Breath &amp; body") || !strings.Contains(desc.SnippetHTML, "a &lt; b, <mark>samādhi</mark> grows") {
				t.Errorf("snippet_html from the description %q", desc.SnippetHTML)
			}
			for _, m := range []string{sub.TitleHTML, sub.SnippetHTML, desc.TitleHTML, desc.SnippetHTML} {
				if !onlyMarks.MatchString(m) {
					t.Errorf("tags other than <mark> in %q", m)
				}
			}
		})

		t.Run("a misspelling is searched for corrected, and says so", func(t *testing.T) {
			page := search(t, "q=compasion")
			if page.SearchedFor != "compassion" || len(page.Items) == 0 || page.Items[0].Slug != compassion {
				t.Errorf("q=compasion: searched_for %q, lists %v", page.SearchedFor, page.slugs())
			}
			if c := page.card(t, compassion); !strings.Contains(c.Match.TitleHTML, "<mark>Compassion</mark>") {
				t.Errorf("the corrected word is not marked: %q", c.Match.TitleHTML)
			}
			for _, q := range []string{"compassion", "kalama", "zen sitting", "xylophone"} {
				res := get(t, s, nil, http.StatusOK, "/v1/plans?q="+url.QueryEscape(q))
				if strings.Contains(string(res.Body), "searched_for") {
					t.Errorf("q=%s says searched_for: %s", q, res.Body)
				}
			}
		})

		t.Run("facets count what each filter value would show under the others", func(t *testing.T) {
			for _, tc := range []struct {
				query                              string
				tradition, level, language, length string
			}{
				{"q=kalama", "theravada:2 zen:2 secular:1", "beginner:3 intermediate:1 advanced:1", "de:1 en:3 pt-BR:1", "1-7:2 8-30:2 31+:1"},
				{"q=kalama&tradition=zen", "theravada:2 zen:2 secular:1", "beginner:1 advanced:1", "de:1 en:1", "1-7:1 8-30:1"},
				{"q=kalama&tradition=zen&level=beginner", "theravada:1 zen:1 secular:1", "beginner:1 advanced:1", "en:1", "1-7:1"},
				{"q=kalama&min_days=8", "theravada:2 zen:1", "beginner:1 intermediate:1 advanced:1", "de:1 en:1 pt-BR:1", "1-7:2 8-30:2 31+:1"},
				{"q=kalama&min_days=31", "theravada:1", "beginner:1", "en:1", "1-7:2 8-30:2 31+:1"},
				{"q=kalama&language=en", "theravada:1 zen:1 secular:1", "beginner:3", "de:1 en:3 pt-BR:1", "1-7:2 31+:1"},
				{"q=xylophone", "", "", "", ""},
				{"tradition=zen", "theravada:5 mahayana:1 zen:3 secular:2", "beginner:2 advanced:1", "de:1 en:2", "1-7:2 8-30:1"},
			} {
				page := search(t, tc.query)
				f := page.Facets
				if f == nil {
					t.Errorf("?%s: no facets on the first page", tc.query)
					continue
				}
				got := []string{counts(f.Tradition), counts(f.Level), counts(f.Language), counts(f.Length)}
				if want := []string{tc.tradition, tc.level, tc.language, tc.length}; !slices.Equal(got, want) {
					t.Errorf("?%s: facets\n got %q\nwant %q", tc.query, got, want)
				}
			}
			res := get(t, s, nil, http.StatusOK, "/v1/plans?q=xylophone")
			if !strings.Contains(string(res.Body), `"tradition":[]`) {
				t.Errorf("a search that finds nothing: facets should be present and empty: %s", res.Body)
			}
		})

		t.Run("relevance pages visit every match once, facets on the first only", func(t *testing.T) {
			all := search(t, "q=kalama").slugs()
			for _, limit := range []int{1, 2, 4} {
				var got []string
				q := url.Values{"q": {"kalama"}, "limit": {fmt.Sprint(limit)}}
				for pages := 0; ; pages++ {
					if pages > len(all) {
						t.Fatalf("limit %d: next_cursor never ends (%v)", limit, got)
					}
					page := search(t, q.Encode())
					if (page.Facets != nil) != (pages == 0) {
						t.Errorf("limit %d, page %d: facets %v, want them on the first page only", limit, pages+1, page.Facets != nil)
					}
					got = append(got, page.slugs()...)
					if page.NextCursor == "" {
						break
					}
					q.Set("cursor", page.NextCursor)
				}
				if !slices.Equal(got, all) {
					t.Errorf("limit %d visits %v, want %v", limit, got, all)
				}
			}
		})

		t.Run("a cursor only continues the search that gave it", func(t *testing.T) {
			cursor := search(t, "q=kalama&limit=1").NextCursor
			if cursor == "" {
				t.Fatal("no next_cursor on a page of 1")
			}
			var scenarios []scenario
			for _, q := range []url.Values{
				{"q": {"zen"}, "cursor": {cursor}},
				{"q": {"kalama"}, "tradition": {"zen"}, "cursor": {cursor}},
				{"q": {"kalama"}, "sort": {"title"}, "cursor": {cursor}},
				{"cursor": {cursor}},
			} {
				scenarios = append(scenarios, scenario{name: q.Encode(), method: http.MethodGet, path: "/v1/plans?" + q.Encode(),
					status: http.StatusUnprocessableEntity, fields: []string{"query.cursor"}, want: []string{"different query"}})
			}
			for _, bad := range []string{"garbage", "%21%21", "e30", cursor[:len(cursor)-3]} {
				scenarios = append(scenarios, scenario{name: "cursor " + bad, method: http.MethodGet, path: "/v1/plans?q=kalama&cursor=" + bad,
					status: http.StatusUnprocessableEntity, fields: []string{"query.cursor"}})
			}
			runAll(t, s, scenarios)
			// The same words typed differently are the same search.
			if page := search(t, "q=KĀLĀMA&limit=2&cursor="+cursor); len(page.Items) != 2 {
				t.Errorf("q=KĀLĀMA with the cursor of q=kalama lists %v", page.slugs())
			}
		})

		t.Run("bad input answers 200 or 422, never 500", func(t *testing.T) {
			newest := search(t, "").slugs()
			for _, q := range []string{"", "   ", "a", "\t\n"} {
				if got := search(t, "q="+url.QueryEscape(q)).slugs(); !slices.Equal(got, newest) {
					t.Errorf("q=%q lists %v, want the whole catalogue newest first %v", q, got, newest)
				}
			}
			if got := search(t, "sort=relevance").slugs(); !slices.Equal(got, newest) {
				t.Errorf("sort=relevance without q lists %v, want newest first %v", got, newest)
			}
			if got := search(t, "q=a&sort=relevance&limit=2"); !slices.Equal(got.slugs(), newest[:2]) || got.NextCursor == "" {
				t.Errorf("q=a&sort=relevance&limit=2 lists %v (next %q), want %v", got.slugs(), got.NextCursor, newest[:2])
			}
			for _, q := range []string{`"`, `''`, `&|!:*()`, `title:x OR 1=1`, `"NEAR(`, `'; DROP TABLE plans; --`, `kalama*`, `-kalama`,
				`kalama" OR "1"="1`, `{title}: kalama`, `NEAR(kalama zen, 2)`, `\`, `%`, `_`, `kalama AND NOT zen`, "x\x00y", `^kalama`,
				`<script>alert(1)</script>`, strings.Repeat("ā", 200), strings.Repeat("kalama ", 28)} {
				for _, path := range []string{"/v1/plans?q=", "/v1/search/suggest?q="} {
					res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: path + url.QueryEscape(q)})
					if res.Status != http.StatusOK {
						t.Errorf("%s%q: status %d\n%.500s", path, q, res.Status, res.Body)
					}
				}
			}
			if got := search(t, "q="+url.QueryEscape(`"kalama" ("1"="1")*`)).slugs(); len(got) != 5 {
				t.Errorf(`q="kalama" ("1"="1")* lists %v, want the five kalama plans`, got)
			}
			if got := search(t, "").slugs(); !slices.Equal(got, newest) {
				t.Errorf("after the injections the catalogue lists %v", got)
			}

			var scenarios []scenario
			for _, path := range []string{"/v1/plans?q=", "/v1/search/suggest?q="} {
				scenarios = append(scenarios,
					scenario{name: path + " 201 characters", method: http.MethodGet, path: path + url.QueryEscape(strings.Repeat("ā", 201)),
						status: http.StatusUnprocessableEntity, fields: []string{"query.q"}, want: []string{"at most 200 characters"}},
					scenario{name: path + " 500 characters", method: http.MethodGet, path: path + strings.Repeat("kalama+", 71) + "abc",
						status: http.StatusUnprocessableEntity, fields: []string{"query.q"}, want: []string{"at most 200 characters"}},
					scenario{name: path + " 2000 characters", method: http.MethodGet, path: path + strings.Repeat("x", 2000),
						status: http.StatusUnprocessableEntity, fields: []string{"query.q"}},
					scenario{name: path + " not UTF-8", method: http.MethodGet, path: path + "metta%FF",
						status: http.StatusUnprocessableEntity, fields: []string{"query.q"}},
				)
			}
			for _, tc := range []struct{ query, field string }{
				{"q=kalama&tradition=klingon", "query.tradition"},
				{"q=kalama&level=guru", "query.level"},
				{"q=kalama&language=klingon+please", "query.language"},
				{"q=kalama&sort=random", "query.sort"},
				{"q=kalama&min_days=-1", "query.min_days"},
				{"q=kalama&limit=1000", "query.limit"},
			} {
				scenarios = append(scenarios, scenario{name: tc.query, method: http.MethodGet, path: "/v1/plans?" + tc.query,
					status: http.StatusUnprocessableEntity, fields: []string{tc.field}})
			}
			runAll(t, s, scenarios)
		})

		t.Run("suggestions start at two letters", func(t *testing.T) {
			for _, q := range []string{"", " ", "m", "ā", `"`, "&|"} {
				if got := suggest(t, q); len(got.Items) != 0 {
					t.Errorf("suggest %q: %v, want nothing", q, got.slugs())
				}
			}
			for _, tc := range []struct {
				q    string
				want []string // among the suggestions
				not  []string
			}{
				{"ze", []string{zenSitting}, []string{lovingKindness}},
				{"me", []string{lovingKindness, zenSitting}, []string{"free-inquiry"}}, // mettā, meditation
				{"kal", []string{"a-kalama-month", "kalama-sutta-study"}, []string{"free-inquiry"}},
				{"Kālā", []string{"a-kalama-month"}, nil},
				{"maitri", []string{lovingKindness}, nil},           // a synonym of mettā
				{"compasion", []string{compassion}, nil},            // corrected when nothing matches
				{"emptiness", []string{compassion}, nil},            // a topic
				{"mindfulness of breath", []string{breathing}, nil}, // a synonym phrase and a prefix
			} {
				got := suggest(t, tc.q)
				for _, w := range tc.want {
					if !slices.Contains(got.slugs(), w) {
						t.Errorf("suggest %q: %v, want %s among them", tc.q, got.slugs(), w)
					}
				}
				for _, n := range tc.not {
					if slices.Contains(got.slugs(), n) {
						t.Errorf("suggest %q: %v, want no %s", tc.q, got.slugs(), n)
					}
				}
				for _, it := range got.Items {
					if it.Title == "" {
						t.Errorf("suggest %q: a suggestion without a title: %+v", tc.q, it)
					}
				}
			}
			if got := suggest(t, "ze"); len(got.Items) == 0 || got.Items[0].Title != "Five Days of Zen Sitting" {
				t.Errorf("suggest ze: %+v, want Five Days of Zen Sitting first", got.Items)
			}
		})

		t.Run("search answers carry an ETag and answer 304 while nothing changed", func(t *testing.T) {
			for _, path := range []string{"/v1/plans?q=metta", "/v1/plans?q=kalama&tradition=zen&limit=1"} {
				first := get(t, s, nil, http.StatusOK, path)
				etag := first.Header.Get("ETag")
				if etag == "" || first.Header.Get("Cache-Control") != "public, max-age=60" {
					t.Fatalf("%s: ETag %q Cache-Control %q", path, etag, first.Header.Get("Cache-Control"))
				}
				res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: path, Header: http.Header{"If-None-Match": {etag}}})
				if res.Status != http.StatusNotModified || len(res.Body) != 0 {
					t.Errorf("%s If-None-Match %s: status %d, body %q", path, etag, res.Status, res.Body)
				}
				other := s.Do(t, apptest.Request{Method: http.MethodGet, Path: path + "&level=advanced", Header: http.Header{"If-None-Match": {etag}}})
				if other.Status != http.StatusOK {
					t.Errorf("another search with the first one's ETag: status %d", other.Status)
				}
			}
		})

		t.Run("search follows publishing, archiving and author renames at once, through the cache", func(t *testing.T) {
			found := func(t *testing.T, q string) []string {
				t.Helper()
				var slugs []string
				for range 2 { // the second answer is the cached one
					slugs = search(t, "q="+url.QueryEscape(q)).slugs()
				}
				return slugs
			}
			suggested := func(t *testing.T, q string) []string {
				t.Helper()
				var slugs []string
				for range 2 {
					slugs = suggest(t, q).slugs()
				}
				return slugs
			}
			gunaratana := decode[adminAuthor](t, s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/authors",
				Token: admin.Access, Body: map[string]any{"name": "Bhante Gunaratana"}}))
			plan := readyPlan(t, s, admin, map[string]any{"title": "Vimokkha Gates", "tradition": "theravada", "author_ids": []string{gunaratana.ID}}, 2)
			addTextItem(t, s, admin, plan.ID, 2, "Release", "The eight vimokkhas, and the jhānas beyond form.")
			if got := found(t, "vimokkha"); len(got) != 0 {
				t.Fatalf("a plan not yet published is found: %v", got)
			}
			if got := suggested(t, "vimo"); len(got) != 0 {
				t.Fatalf("a plan not yet published is suggested: %v", got)
			}
			before := get(t, s, nil, http.StatusOK, "/v1/plans?q=vimokkha").Header.Get("ETag")

			publish(t, s, admin, admin, plan.ID)
			if got := found(t, "vimokkha"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("just published, vimokkha finds %v", got)
			}
			res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/plans?q=vimokkha", Header: http.Header{"If-None-Match": {before}}})
			if res.Status != http.StatusOK {
				t.Errorf("the ETag from before publishing still answers %d", res.Status)
			}
			if got := found(t, "gunaratana jhana"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("the author and a day's text find %v", got)
			}
			if got := suggested(t, "vimo"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("just published, vimo suggests %v", got)
			}

			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/authors/" + gunaratana.ID, Token: admin.Access,
				Body: map[string]any{"name": "Ayya Khema"}})
			if got := found(t, "gunaratana"); len(got) != 0 {
				t.Errorf("the author's old name still finds %v", got)
			}
			if got := found(t, "khema"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("the author's new name finds %v", got)
			}
			if got := suggested(t, "khem"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("the author's new name suggests %v", got)
			}

			studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plan.ID+"/archive", nil)
			for _, q := range []string{"vimokkha", "khema"} {
				if got := found(t, q); len(got) != 0 {
					t.Errorf("archived, %s finds %v", q, got)
				}
			}
			if got := suggested(t, "vimo"); len(got) != 0 {
				t.Errorf("archived, vimo suggests %v", got)
			}
			if f := search(t, "q=vimokkha").Facets; f == nil || len(f.Tradition) != 0 {
				t.Errorf("archived, the facets still count it: %+v", f)
			}

			studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plan.ID+"/publish", nil)
			if got := found(t, "vimokkha"); !slices.Equal(got, []string{plan.Slug}) {
				t.Errorf("published again, vimokkha finds %v", got)
			}
		})
	})
}
