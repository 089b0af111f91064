package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// hostile is Markdown that tries every way into a reader's browser.
const hostile = "Be **kind**.\n\n<script>alert('x')</script>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n" +
	"<img src=\"x\" onerror=\"alert(1)\">\n\n[click](javascript:alert(1)) and [ok](https://suttacentral.net)"

// checkSafe fails unless html keeps the harmless Markdown and none of the
// hostile parts.
func checkSafe(t *testing.T, what, html string) {
	t.Helper()
	for _, bad := range []string{"<script", "<iframe", "onerror", "javascript:", "alert("} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("%s contains %q: %s", what, bad, html)
		}
	}
	if !strings.Contains(html, "<strong>kind</strong>") || !strings.Contains(html, `href="https://suttacentral.net"`) {
		t.Errorf("%s lost the harmless Markdown: %s", what, html)
	}
}

func TestCatalogStudioRejectsBadInput(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "vinaya@example.org", identity.RoleAuthor)
		p := readyPlan(t, s, author, map[string]any{"title": "Just Sitting", "tradition": "zen"}, 3)
		id := p.ID
		big := strings.Repeat("a", 210*1024)
		bad := func(name, method, path string, body any, fields ...string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: author, status: http.StatusUnprocessableEntity, fields: fields}
		}

		t.Run("plan metadata", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("an empty title", http.MethodPost, "/v1/studio/plans", map[string]any{"title": "", "tradition": "zen"}, "body.title"),
				bad("a blank title", http.MethodPost, "/v1/studio/plans", map[string]any{"title": "   ", "tradition": "zen"}, "body.title"),
				bad("neither title nor tradition", http.MethodPost, "/v1/studio/plans", map[string]any{}, "body.title", "body.tradition"),
				bad("an unknown tradition and level", http.MethodPost, "/v1/studio/plans", map[string]any{"title": "X", "tradition": "shingon", "level": "expert"}, "body.tradition", "body.level"),
				bad("every domain problem at once", http.MethodPost, "/v1/studio/plans", map[string]any{"title": strings.Repeat("t", 201), "tradition": "zen",
					"language": "not a tag!", "slug": "Not A Slug", "fixed_start_dates": []string{"2026-07-10", "2026-07-01"}, "author_ids": []string{unknownID}},
					"body.title", "body.language", "body.slug", "body.fixed_start_dates[1]", "body.author_ids[0]"),
				bad("a description over 200 KB", http.MethodPost, "/v1/studio/plans", map[string]any{"title": "Big", "tradition": "zen", "description": big}, "body.description"),
				bad("an empty title on a change", http.MethodPatch, planPath(id), map[string]any{"title": ""}, "body.title"),
				bad("an unknown level on a change", http.MethodPatch, planPath(id), map[string]any{"level": "expert"}, "body.level"),
			})
		})

		t.Run("a taken slug is refused with a free one suggested", func(t *testing.T) {
			sc := bad("explicit", http.MethodPost, "/v1/studio/plans", map[string]any{"title": "Other", "tradition": "zen", "slug": "just-sitting"}, "body.slug")
			sc.want = []string{`"just-sitting-2" is free`}
			sc.run(t, s)
			derived := newPlan(t, s, author, map[string]any{"title": "Just sitting", "tradition": "zen"})
			if derived.Slug != "just-sitting-2" {
				t.Errorf("a derived slug moved to %q, want just-sitting-2", derived.Slug)
			}
			sc.want = []string{`"just-sitting-3" is free`}
			sc.run(t, s)
			sc = bad("changed", http.MethodPatch, planPath(derived.ID), map[string]any{"slug": "just-sitting"}, "body.slug")
			sc.want = []string{`"just-sitting-3" is free`}
			sc.run(t, s)
			moved := studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(derived.ID), map[string]any{"slug": "sitting-only"})
			if moved.Slug != "sitting-only" {
				t.Errorf("a free slug on a draft was not taken: %q", moved.Slug)
			}
		})

		t.Run("days", func(t *testing.T) {
			order := make([]int, 366)
			for i := range order {
				order[i] = i + 1
			}
			runAll(t, s, []scenario{
				bad("a day without a title", http.MethodPost, planPath(id, "days"), map[string]any{}, "body.title"),
				bad("a day past the end", http.MethodPost, planPath(id, "days"), map[string]any{"title": "x", "position": 9}, "body.position"),
				bad("an intro over 200 KB", http.MethodPost, planPath(id, "days"), map[string]any{"title": "x", "intro": big}, "body.intro"),
				bad("a reorder missing a day", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{1, 2}}, "body.order"),
				bad("a reorder repeating a day", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{1, 1, 3}}, "body.order[1]"),
				bad("a reorder with a gap", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{1, 2, 4}}, "body.order[2]"),
				bad("a reorder with day 0", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{0, 1, 2}}, "body.order[0]"),
				bad("a reorder of 366 days", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": order}, "body.order"),
				bad("removing day 0", http.MethodDelete, planPath(id, "days", 0), nil, "path.n"),
				{name: "removing a day the plan does not have", method: http.MethodDelete, path: planPath(id, "days", 9), as: author, status: http.StatusNotFound, want: []string{"no day 9"}},
			})
			if got := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(id))); len(got.Days) != 3 || got.Revision.Version != p.Revision.Version {
				t.Errorf("refused changes changed the plan to version %d with %d days", got.Revision.Version, len(got.Days))
			}
		})

		t.Run("a plan has at most 365 days", func(t *testing.T) {
			c := &catalog.PlanContent{Title: "A Year of Practice", Tradition: catalog.Zen, Level: catalog.Beginner, Language: "en",
				Authors: []catalog.AuthorContent{{Name: "author vinaya"}}}
			for n := 1; n <= 365; n++ {
				c.Days = append(c.Days, catalog.DayContent{Title: "Day " + strconv.Itoa(n)})
			}
			year, err := s.Main.Catalog().Import(context.Background(), c, catalog.ImportOptions{CreatedBy: author.ID})
			if err != nil {
				t.Fatal(err)
			}
			sc := bad("day 366", http.MethodPost, planPath(year.Plan.ID, "days"), map[string]any{"title": "One more"}, "body")
			sc.want = []string{"at most 365 days"}
			sc.run(t, s)
		})

		t.Run("If-Match must be a current plan ETag", func(t *testing.T) {
			patch := func(tag string) *apptest.Response {
				return s.Do(t, apptest.Request{Method: http.MethodPatch, Path: planPath(id), Token: author.Access,
					Header: http.Header{"If-Match": {tag}}, Body: map[string]any{"subtitle": "If-Match " + tag}})
			}
			for _, tag := range []string{"banana", `"0"`, `"-3"`} {
				if fields := apptest.Problem(t, patch(tag), http.StatusUnprocessableEntity); fields["header.If-Match"] == "" {
					t.Errorf("If-Match %s: no error for header.If-Match in %v", tag, fields)
				}
			}
			stale := strconv.Quote(strconv.Itoa(p.Revision.Version - 1))
			apptest.Problem(t, patch(stale), http.StatusConflict, "changed elsewhere")
			for _, r := range []apptest.Request{
				{Method: http.MethodPost, Path: planPath(id, "days"), Body: map[string]any{"title": "x"}},
				{Method: http.MethodPost, Path: planPath(id, "days", "reorder"), Body: map[string]any{"order": []int{3, 2, 1}}},
				{Method: http.MethodDelete, Path: planPath(id, "days", 3)},
			} {
				r.Token, r.Header = author.Access, http.Header{"If-Match": {stale}}
				apptest.Problem(t, s.Do(t, r), http.StatusConflict, "changed elsewhere")
			}
			if got := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(id))); got.Revision.Version != p.Revision.Version {
				t.Errorf("a refused change moved the version from %d to %d", p.Revision.Version, got.Revision.Version)
			}
		})

		t.Run("review", func(t *testing.T) {
			empty := newPlan(t, s, author, map[string]any{"title": "Nothing Yet", "tradition": "zen"})
			bare := newPlan(t, s, author, map[string]any{"title": "Bare Days", "tradition": "zen"})
			studioDo(t, s, author, http.StatusCreated, http.MethodPost, planPath(bare.ID, "days"), map[string]any{"title": "Empty"})
			runAll(t, s, []scenario{
				bad("submitting a plan without days", http.MethodPost, planPath(empty.ID, "submit"), nil, "days"),
				bad("submitting a plan with an empty day", http.MethodPost, planPath(bare.ID, "submit"), nil, "days[0]"),
				{name: "publishing a draft", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish", as: admin, status: http.StatusConflict, want: []string{"nothing in review"}},
				{name: "sending back a draft", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": "Why?"}, as: admin, status: http.StatusConflict},
				{name: "archiving a draft", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/archive", as: admin, status: http.StatusConflict},
			})
			studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(id, "submit"), nil)
			runAll(t, s, []scenario{
				{name: "sending back without a note", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": ""}, as: admin, status: http.StatusUnprocessableEntity, fields: []string{"body.note"}},
				{name: "sending back with a blank note", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": " \n "}, as: admin, status: http.StatusUnprocessableEntity, fields: []string{"body.note"}},
				{name: "sending back with no body", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", as: admin, status: http.StatusBadRequest},
			})
			studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+id+"/publish", nil)
			runAll(t, s, []scenario{
				{name: "deleting a published plan", method: http.MethodDelete, path: planPath(id), as: author, status: http.StatusConflict, want: []string{"archive"}},
				{name: "archiving it", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/archive", as: admin, status: http.StatusOK},
				{name: "archiving an archived plan", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/archive", as: admin, status: http.StatusConflict},
			})
		})

		t.Run("the studio list refuses a bad cursor or status", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("a garbage cursor", http.MethodGet, "/v1/studio/plans?cursor=%21%21garbage", nil, "query.cursor"),
				bad("an unknown status", http.MethodGet, "/v1/studio/plans?status=lost", nil, "query.status"),
				bad("a limit of 0", http.MethodGet, "/v1/studio/plans?limit=0", nil, "query.limit"),
			})
		})

		t.Run("Markdown is stored as written and served sanitised", func(t *testing.T) {
			q := newPlan(t, s, author, map[string]any{"title": "Hostile", "tradition": "zen", "description": hostile})
			d := decode[struct {
				Description     string `json:"description"`
				DescriptionHTML string `json:"description_html"`
			}](t, get(t, s, author, http.StatusOK, planPath(q.ID)))
			if d.Description != hostile {
				t.Errorf("the source was not kept: %q", d.Description)
			}
			checkSafe(t, "description_html", d.DescriptionHTML)
			q = studioDo(t, s, author, http.StatusCreated, http.MethodPost, planPath(q.ID, "days"), map[string]any{"title": "Day", "intro": hostile})
			checkSafe(t, "intro_html", q.Days[0].IntroHTML)
		})

		t.Run("items and tasks", func(t *testing.T) {
			draft := readyPlan(t, s, author, map[string]any{"title": "Items", "tradition": "zen"}, 1)
			items, tasks := planPath(draft.ID, "days", 1, "items"), planPath(draft.ID, "days", 1, "tasks")
			runAll(t, s, []scenario{
				bad("a text item body over 200 KB", http.MethodPost, items, map[string]any{"kind": "text", "title": "Big", "body": big}, "body.body"),
				bad("a text item without a body", http.MethodPost, items, map[string]any{"kind": "text", "title": "Empty"}, "body.body"),
				bad("a link without a url", http.MethodPost, items, map[string]any{"kind": "link", "title": "Nowhere"}, "body.url"),
				bad("a link to javascript:", http.MethodPost, items, map[string]any{"kind": "link", "title": "Trap", "url": "javascript:alert(1)"}, "body.url"),
				bad("an audio item without media", http.MethodPost, items, map[string]any{"kind": "audio", "title": "Silence"}, "body.media_id"),
				bad("an unknown item kind", http.MethodPost, items, map[string]any{"kind": "scroll", "title": "x"}, "body.kind"),
				bad("every item problem at once", http.MethodPost, items, map[string]any{"kind": "text", "title": "", "minutes": -1, "segment_start": "dhp1:1"},
					"body.title", "body.body", "body.minutes", "body.segment_end"),
				bad("a meditation without minutes", http.MethodPost, tasks, map[string]any{"kind": "meditate"}, "body.minutes"),
				bad("a reflection without a prompt", http.MethodPost, tasks, map[string]any{"kind": "reflect"}, "body.prompt"),
				bad("a task of 601 minutes", http.MethodPost, tasks, map[string]any{"kind": "meditate", "minutes": 601}, "body.minutes"),
				bad("an item reorder naming a stranger", http.MethodPost, items+"/reorder", map[string]any{"ids": []string{unknownID}}, "body.ids[0]"),
				bad("an item reorder missing one", http.MethodPost, items+"/reorder", map[string]any{"ids": []string{}}, "body.ids"),
			})
			q := studioDo(t, s, author, http.StatusCreated, http.MethodPost, items, map[string]any{"kind": "text", "title": "Hostile", "body": hostile})
			it := q.Days[0].Items[len(q.Days[0].Items)-1]
			if it.Body != hostile {
				t.Errorf("the source was not kept: %q", it.Body)
			}
			checkSafe(t, "body_html", it.BodyHTML)
			q = studioDo(t, s, author, http.StatusCreated, http.MethodPost, tasks, map[string]any{"kind": "reflect", "prompt": hostile})
			checkSafe(t, "prompt_html", q.Days[0].Tasks[0].PromptHTML)
		})

		t.Run("a body just under the server's request limit is judged by the catalogue, one over it is refused whole", func(t *testing.T) {
			res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/plans", Token: author.Access,
				Body: map[string]any{"title": "Huge", "tradition": "zen", "description": strings.Repeat("a", 1<<20)}})
			apptest.Problem(t, res, http.StatusRequestEntityTooLarge, "limit")
		})
	})
}

func TestCatalogStudioPreviewsMarkdown(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "scribe@example.org", identity.RoleAuthor)
		render := func(t *testing.T, md string) string {
			t.Helper()
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/markdown", Token: author.Access,
				Body: map[string]any{"markdown": md}})
			return res.String(t, "html")
		}
		for _, tc := range []struct {
			name, markdown string
			want           []string
		}{
			{"headings, emphasis and lists", "# Dhammapada\n\n*Mind* precedes all things.\n\n- one\n- two", []string{"<h1>Dhammapada</h1>", "<em>Mind</em>", "<li>one</li>"}},
			{"tables and strikethrough", "| Pāli | English |\n|---|---|\n| mettā | kindness |\n\n~~anger~~", []string{"<table>", "<td>mettā</td>", "<del>anger</del>"}},
			{"links open safely", "[SuttaCentral](https://suttacentral.net)", []string{`href="https://suttacentral.net"`, `rel="nofollow noreferrer noopener"`, `target="_blank"`}},
			{"footnotes", "Sutta[^1]\n\n[^1]: MN 10", []string{"<sup", "MN 10"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				html := render(t, tc.markdown)
				for _, w := range tc.want {
					if !strings.Contains(html, w) {
						t.Errorf("%q renders as %s, want %s in it", tc.markdown, html, w)
					}
				}
			})
		}
		t.Run("hostile Markdown is sanitised", func(t *testing.T) {
			checkSafe(t, "html", render(t, hostile))
		})
		t.Run("nothing renders as nothing", func(t *testing.T) {
			if html := render(t, ""); html != "" {
				t.Errorf("empty Markdown renders as %q", html)
			}
		})
		t.Run("a preview over 200 KB is refused", func(t *testing.T) {
			scenario{method: http.MethodPost, path: "/v1/studio/markdown", body: map[string]any{"markdown": strings.Repeat("a", 200*1024+1)},
				as: author, status: http.StatusUnprocessableEntity, fields: []string{"body.markdown"}}.run(t, s)
		})
	})
}
