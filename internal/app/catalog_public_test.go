package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func TestCatalogPublicCatalogue(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)

		// Published in this order, so newest first is the reverse.
		const (
			zen   = "zen-mind-daily"
			anapa = "anapanasati-sixteen-steps"
			bodhi = "bodhicitta-training"
			metta = "metta-for-beginners"
		)
		plans := map[string]studioPlan{}
		for _, p := range []struct {
			meta map[string]any
			days int
		}{
			{map[string]any{"title": "Zen Mind Daily", "tradition": "zen", "level": "beginner", "language": "en", "topics": []string{"Zazen", "Breath"}}, 2},
			{map[string]any{"title": "Ānāpānasati Sixteen Steps", "tradition": "theravada", "level": "intermediate", "language": "en-GB", "topics": []string{"breath"}}, 4},
			{map[string]any{"title": "Bodhicitta Training", "tradition": "vajrayana", "level": "advanced", "language": "pt-BR", "topics": []string{"compassion"}}, 7},
			{map[string]any{"title": "Metta for Beginners", "tradition": "theravada", "level": "beginner", "language": "en", "topics": []string{"metta"}}, 1},
		} {
			pub := publishedPlan(t, s, author, admin, p.meta, p.days)
			plans[pub.Slug] = pub
		}
		if len(plans) != 4 {
			t.Fatalf("slugs %v", plans)
		}
		readyPlan(t, s, author, map[string]any{"title": "Unfinished", "tradition": "zen"}, 1)
		waiting := readyPlan(t, s, author, map[string]any{"title": "Waiting for Review", "tradition": "zen"}, 1)
		studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(waiting.ID, "submit"), nil)

		list := func(t *testing.T, q url.Values) planPage {
			t.Helper()
			return decode[planPage](t, get(t, s, nil, http.StatusOK, "/v1/plans?"+q.Encode()))
		}

		t.Run("filters and sorts find the right plans", func(t *testing.T) {
			for _, tc := range []struct {
				query string
				want  []string
			}{
				{"", []string{metta, bodhi, anapa, zen}},
				{"tradition=theravada", []string{metta, anapa}},
				{"topic=BREATH", []string{anapa, zen}},
				{"topic=breath&tradition=zen", []string{zen}},
				{"level=beginner", []string{metta, zen}},
				{"language=en", []string{metta, anapa, zen}},
				{"language=EN-gb", []string{anapa}},
				{"language=pt", []string{bodhi}},
				{"min_days=3", []string{bodhi, anapa}},
				{"max_days=2", []string{metta, zen}},
				{"min_days=2&max_days=4", []string{anapa, zen}},
				{"sort=title", []string{anapa, bodhi, metta, zen}},
				{"sort=title&tradition=theravada", []string{anapa, metta}},
				{"tradition=zen&level=advanced", []string{}},
			} {
				q, err := url.ParseQuery(tc.query)
				if err != nil {
					t.Fatal(err)
				}
				page := list(t, q)
				if got := slugsOf(page.Items); !slices.Equal(got, tc.want) || page.NextCursor != "" {
					t.Errorf("?%s lists %v (next %q), want %v", tc.query, got, page.NextCursor, tc.want)
				}
			}
		})

		t.Run("a card says what the plan is", func(t *testing.T) {
			page := list(t, url.Values{"sort": {"title"}, "limit": {"1"}})
			if len(page.Items) != 1 {
				t.Fatalf("page %+v", page)
			}
			c := page.Items[0]
			if c.Title != "Ānāpānasati Sixteen Steps" || c.Days != 4 || c.MinutesPerDay != 5 || len(c.Authors) != 1 || c.Authors[0].Name != "author teacher" || c.ID != plans[anapa].ID {
				t.Errorf("card %+v", c)
			}
		})

		t.Run("bad filters are refused naming the parameter", func(t *testing.T) {
			var scenarios []scenario
			for _, tc := range []struct{ query, field string }{
				{"tradition=shingon", "query.tradition"},
				{"level=expert", "query.level"},
				{"sort=random", "query.sort"},
				{"min_days=5&max_days=2", "query.max_days"},
				{"min_days=400", "query.min_days"},
				{"language=not+a+tag", "query.language"},
				{"limit=0", "query.limit"},
				{"limit=101", "query.limit"},
				{"cursor=%21%21garbage", "query.cursor"},
				{"cursor=e30", "query.cursor"}, // "{}" in base64
			} {
				scenarios = append(scenarios, scenario{name: tc.query, method: http.MethodGet, path: "/v1/plans?" + tc.query,
					status: http.StatusUnprocessableEntity, fields: []string{tc.field}})
			}
			runAll(t, s, scenarios)
		})

		t.Run("pages of one visit every plan once, in order", func(t *testing.T) {
			for _, tc := range []struct {
				query url.Values
				want  []string
			}{
				{url.Values{}, []string{metta, bodhi, anapa, zen}},
				{url.Values{"sort": {"title"}}, []string{anapa, bodhi, metta, zen}},
				{url.Values{"language": {"en"}}, []string{metta, anapa, zen}},
				{url.Values{"sort": {"title"}, "topic": {"breath"}}, []string{anapa, zen}},
			} {
				var got []string
				q := tc.query
				q.Set("limit", "1")
				for pages := 0; ; pages++ {
					if pages > len(tc.want) {
						t.Fatalf("?%s: next_cursor never ends (%v)", q.Encode(), got)
					}
					page := list(t, q)
					if len(page.Items) > 1 {
						t.Fatalf("?%s: %d items on a page of 1", q.Encode(), len(page.Items))
					}
					got = append(got, slugsOf(page.Items)...)
					if page.NextCursor == "" {
						break
					}
					q.Set("cursor", page.NextCursor)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("paging %v visits %v, want %v", tc.query, got, tc.want)
				}
			}
		})

		t.Run("a cursor only continues the query that gave it", func(t *testing.T) {
			cursor := list(t, url.Values{"limit": {"1"}}).NextCursor
			if cursor == "" {
				t.Fatal("no next_cursor on a page of 1")
			}
			for _, q := range []url.Values{
				{"limit": {"1"}, "sort": {"title"}, "cursor": {cursor}},
				{"limit": {"1"}, "tradition": {"theravada"}, "cursor": {cursor}},
				{"limit": {"1"}, "min_days": {"1"}, "cursor": {cursor}},
			} {
				scenario{method: http.MethodGet, path: "/v1/plans?" + q.Encode(), status: http.StatusUnprocessableEntity,
					fields: []string{"query.cursor"}, want: []string{"different query"}}.run(t, s)
			}
			// A different page size is the same query.
			if page := list(t, url.Values{"limit": {"2"}, "cursor": {cursor}}); !slices.Equal(slugsOf(page.Items), []string{bodhi, anapa}) {
				t.Errorf("the cursor with limit=2 lists %v", slugsOf(page.Items))
			}
		})

		t.Run("public reads carry an ETag and answer 304 while nothing changed", func(t *testing.T) {
			for _, path := range []string{"/v1/plans", "/v1/plans?tradition=theravada", "/v1/plans/" + metta, "/v1/plans/" + metta + "/days/1",
				"/v1/authors/" + plans[metta].Authors[0].ID} {
				first := get(t, s, nil, http.StatusOK, path)
				etag := first.Header.Get("ETag")
				if etag == "" || first.Header.Get("Cache-Control") != "public, max-age=60" {
					t.Errorf("%s: ETag %q Cache-Control %q", path, etag, first.Header.Get("Cache-Control"))
					continue
				}
				for _, tag := range []string{etag, "W/" + etag, `"stale", ` + etag} {
					res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: path, Header: http.Header{"If-None-Match": {tag}}})
					if res.Status != http.StatusNotModified || len(res.Body) != 0 || res.Header.Get("ETag") != etag {
						t.Errorf("%s If-None-Match %s: status %d, ETag %q, body %q; want 304, the same ETag and no body", path, tag, res.Status, res.Header.Get("ETag"), res.Body)
					}
				}
				res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: path, Header: http.Header{"If-None-Match": {`"stale"`}}})
				if res.Status != http.StatusOK || len(res.Body) == 0 {
					t.Errorf("%s with a stale ETag: status %d", path, res.Status)
				}
			}
		})

		t.Run("archiving takes a plan out of the lists but its page still answers", func(t *testing.T) {
			before := get(t, s, nil, http.StatusOK, "/v1/plans").Header.Get("ETag")
			archived := studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plans[metta].ID+"/archive", nil)
			if archived.Status != "archived" {
				t.Errorf("after archive: status %q", archived.Status)
			}
			res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/plans", Header: http.Header{"If-None-Match": {before}}})
			if res.Status != http.StatusOK || !slices.Equal(slugsOf(decode[planPage](t, res).Items), []string{bodhi, anapa, zen}) {
				t.Errorf("after archive the catalogue answers %d: %s", res.Status, res.Body)
			}
			if got := slugsOf(list(t, url.Values{"tradition": {"theravada"}}).Items); !slices.Equal(got, []string{anapa}) {
				t.Errorf("tradition=theravada lists %v after archive", got)
			}
			page := decode[publicPlan](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+metta))
			if page.Status != "archived" || page.Title != "Metta for Beginners" || len(page.Outline) != 1 {
				t.Errorf("the archived page %+v", page)
			}
			get(t, s, nil, http.StatusOK, "/v1/plans/"+metta+"/days/1")
			studio := decode[planPage](t, get(t, s, author, http.StatusOK, "/v1/studio/plans?status=archived"))
			if !slices.Equal(idsOf(studio.Items), []string{plans[metta].ID}) {
				t.Errorf("the studio's archived plans %v", idsOf(studio.Items))
			}
		})

		t.Run("publishing an archived plan brings it back", func(t *testing.T) {
			back := studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plans[metta].ID+"/publish", nil)
			if back.Status != "published" || back.Revision.Number != 1 {
				t.Errorf("after publishing again: status %q revision %+v", back.Status, back.Revision)
			}
			if got := slugsOf(list(t, nil).Items); !slices.Equal(got, []string{metta, bodhi, anapa, zen}) {
				t.Errorf("the catalogue lists %v, want the plan back in its place", got)
			}
			if page := decode[publicPlan](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+metta)); page.Status != "published" {
				t.Errorf("status %q after publishing again", page.Status)
			}
		})
	})
}
