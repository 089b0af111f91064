package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// versionWatch checks that every save moves the version (and the ETag
// with it) on.
type versionWatch struct {
	s       *apptest.Server
	a       *apptest.Account
	version int
}

func (w *versionWatch) save(t *testing.T, status int, method, path string, body any) studioPlan {
	t.Helper()
	p := studioDo(t, w.s, w.a, status, method, path, body)
	if p.Revision.Version <= w.version {
		t.Errorf("%s %s: version %d after %d, want it to go up", method, path, p.Revision.Version, w.version)
	}
	w.version = p.Revision.Version
	return p
}

func dayTitles(p studioPlan) []string {
	out := []string{}
	for _, d := range p.Days {
		out = append(out, strconv.Itoa(d.Number)+" "+d.Title)
	}
	return out
}

func TestCatalogStudioWritesAPlan(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "ananda@example.org", identity.RoleAuthor)
		w := &versionWatch{s: s, a: author}

		p := w.save(t, http.StatusCreated, http.MethodPost, "/v1/studio/plans", map[string]any{"title": "A Week of Mettā", "tradition": "theravada"})
		id := p.ID

		t.Run("a new plan is a draft with a slug from its title and its author named", func(t *testing.T) {
			if p.Slug != "a-week-of-metta" || p.Status != "draft" || p.Revision.State != "draft" || p.Revision.Number != 1 || p.HasPublished {
				t.Errorf("new plan: slug %q status %q revision %+v has_published %v", p.Slug, p.Status, p.Revision, p.HasPublished)
			}
			if p.Title != "A Week of Mettā" || p.Tradition != "theravada" || p.Level != "beginner" || p.Language != "en" || len(p.Days) != 0 {
				t.Errorf("new plan metadata: %+v", p)
			}
			if len(p.Authors) != 1 || p.Authors[0].Name != "author ananda" {
				t.Errorf("authors %+v, want the author made from the display name", p.Authors)
			}
		})

		t.Run("days are added at the end or at a position", func(t *testing.T) {
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": "Oneself"})
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": "The difficult person", "intro": "Begin *gently*."})
			p = w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": "A friend", "position": 2})
			if got := dayTitles(p); !slices.Equal(got, []string{"1 Oneself", "2 A friend", "3 The difficult person"}) {
				t.Errorf("days %v", got)
			}
			if strings.TrimSpace(p.Days[2].IntroHTML) != "<p>Begin <em>gently</em>.</p>" {
				t.Errorf("intro_html %q", p.Days[2].IntroHTML)
			}
		})

		t.Run("the metadata changes field by field", func(t *testing.T) {
			p = w.save(t, http.StatusOK, http.MethodPatch, planPath(id), map[string]any{
				"subtitle": "Loving-kindness, one circle at a time", "level": "intermediate", "topics": []string{"Metta", "metta", " Kindness "},
				"description": "Seven days of **mettā**.",
			})
			if p.Title != "A Week of Mettā" || p.Level != "intermediate" || !slices.Equal(p.Topics, []string{"metta", "kindness"}) || p.Tradition != "theravada" {
				t.Errorf("after PATCH: %+v", p)
			}
			if got := dayTitles(p); len(got) != 3 {
				t.Errorf("a metadata change touched the days: %v", got)
			}
		})

		t.Run("days are reordered and removed", func(t *testing.T) {
			p = w.save(t, http.StatusOK, http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{3, 1, 2}})
			if got := dayTitles(p); !slices.Equal(got, []string{"1 The difficult person", "2 Oneself", "3 A friend"}) {
				t.Errorf("days after reorder %v", got)
			}
			if p.Days[0].Intro != "Begin *gently*." {
				t.Errorf("the intro did not move with its day: %+v", p.Days)
			}
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": "One too many", "position": 1})
			p = w.save(t, http.StatusOK, http.MethodDelete, planPath(id, "days", 1), nil)
			if got := dayTitles(p); !slices.Equal(got, []string{"1 The difficult person", "2 Oneself", "3 A friend"}) {
				t.Errorf("days after delete %v", got)
			}
		})

		t.Run("a write sending the current version as If-Match is accepted", func(t *testing.T) {
			for _, form := range []string{`"%d"`, `W/"%d"`, "*"} {
				tag := form
				if strings.Contains(form, "%d") {
					tag = fmt.Sprintf(form, w.version)
				}
				res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: planPath(id), Token: author.Access,
					Header: http.Header{"If-Match": {tag}}, Body: map[string]any{"subtitle": "Seven days, " + tag}})
				w.version = decode[studioPlan](t, res).Revision.Version
			}
		})

		t.Run("reading the plan back shows the last save", func(t *testing.T) {
			res := get(t, s, author, http.StatusOK, planPath(id))
			got := decode[studioPlan](t, res)
			if got.Revision.Version != w.version || res.Header.Get("ETag") != strconv.Quote(strconv.Itoa(w.version)) {
				t.Errorf("GET shows version %d (ETag %s), want %d", got.Revision.Version, res.Header.Get("ETag"), w.version)
			}
			if !slices.Equal(dayTitles(got), dayTitles(p)) || got.Level != "intermediate" {
				t.Errorf("GET shows %+v", got)
			}
		})

		t.Run("a second plan with the same title gets the next free slug and the same author", func(t *testing.T) {
			again := newPlan(t, s, author, map[string]any{"title": "A week of metta!", "tradition": "secular"})
			if again.Slug != "a-week-of-metta-2" {
				t.Errorf("slug %q, want a-week-of-metta-2", again.Slug)
			}
			if len(again.Authors) != 1 || again.Authors[0].ID != p.Authors[0].ID {
				t.Errorf("authors %+v, want the author made for the first plan", again.Authors)
			}
		})

		t.Run("a draft is deleted by its author", func(t *testing.T) {
			gone := newPlan(t, s, author, map[string]any{"title": "Short-lived", "tradition": "zen"})
			res := s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: planPath(gone.ID), Token: author.Access})
			if len(res.Body) != 0 {
				t.Errorf("204 with a body: %s", res.Body)
			}
			get(t, s, author, http.StatusNotFound, planPath(gone.ID))
			list := decode[planPage](t, get(t, s, author, http.StatusOK, "/v1/studio/plans"))
			if slices.Contains(idsOf(list.Items), gone.ID) || !slices.Contains(idsOf(list.Items), id) {
				t.Errorf("the studio lists %v after the delete", idsOf(list.Items))
			}
		})
	})
}

// TestCatalogStudioDayRoutesReachThePlan checks that every route under
// /days/{n}/ gets its plan id, day number, item or task id and If-Match
// (they come through embedded structs, which huma fills only when
// exported), and that the OpenAPI document lists them as parameters.
func TestCatalogStudioDayRoutesReachThePlan(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "upali@example.org", identity.RoleAuthor)
		p := readyPlan(t, s, author, map[string]any{"title": "Routes", "tradition": "zen"}, 1)
		addTask(t, s, author, p.ID, 1, map[string]any{"kind": "meditate", "minutes": 5})
		p = decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(p.ID)))
		id, item, task := p.ID, p.Days[0].Items[0].ID, p.Days[0].Tasks[0].ID
		ok := func(name, method, path string, body any, status int, want string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: author, status: status, want: []string{want}}
		}
		runAll(t, s, []scenario{
			ok("PATCH a day", http.MethodPatch, planPath(id, "days", 1), map[string]any{"title": "Renamed day"}, http.StatusOK, "Renamed day"),
			ok("PATCH an item", http.MethodPatch, planPath(id, "days", 1, "items", item), map[string]any{"title": "Renamed item"}, http.StatusOK, "Renamed item"),
			ok("PATCH a task", http.MethodPatch, planPath(id, "days", 1, "tasks", task), map[string]any{"minutes": 7}, http.StatusOK, `"minutes":7`),
			ok("reorder items", http.MethodPost, planPath(id, "days", 1, "items", "reorder"), map[string]any{"ids": []string{item}}, http.StatusOK, item),
			ok("reorder tasks", http.MethodPost, planPath(id, "days", 1, "tasks", "reorder"), map[string]any{"ids": []string{task}}, http.StatusOK, task),
			ok("add an item", http.MethodPost, planPath(id, "days", 1, "items"), map[string]any{"kind": "text", "title": "Added item", "body": "b"}, http.StatusCreated, "Added item"),
			ok("add a task", http.MethodPost, planPath(id, "days", 1, "tasks"), map[string]any{"kind": "chant", "prompt": "Added task"}, http.StatusCreated, "Added task"),
			ok("DELETE a task", http.MethodDelete, planPath(id, "days", 1, "tasks", task), nil, http.StatusOK, id),
			ok("DELETE an item", http.MethodDelete, planPath(id, "days", 1, "items", item), nil, http.StatusOK, id),
		})

		t.Run("the OpenAPI document names every path parameter of the studio", func(t *testing.T) {
			type param struct{ Name, In string }
			type operation struct{ Parameters []param }
			doc := decode[struct {
				Paths map[string]map[string]operation
			}](t, get(t, s, nil, http.StatusOK, "/v1/openapi.json"))
			for path, ops := range doc.Paths {
				if !strings.HasPrefix(path, "/v1/studio/plans/") {
					continue
				}
				for method, op := range ops {
					for _, name := range []string{"id", "n", "item_id", "task_id"} {
						if !strings.Contains(path, "{"+name+"}") {
							continue
						}
						if !slices.ContainsFunc(op.Parameters, func(p param) bool { return p.Name == name && p.In == "path" }) {
							t.Errorf("%s %s does not document the path parameter %s (it has %v)", strings.ToUpper(method), path, name, op.Parameters)
						}
					}
				}
			}
		})
	})
}

func TestCatalogStudioWritesItemsAndTasks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "sona@example.org", identity.RoleAuthor)
		w := &versionWatch{s: s, a: author}
		p := w.save(t, http.StatusCreated, http.MethodPost, "/v1/studio/plans", map[string]any{"title": "Kindness Daily", "tradition": "theravada"})
		id := p.ID
		for _, title := range []string{"Oneself", "A friend", "The difficult person"} {
			p = w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": title})
		}

		var text, link, meditate, reflect string
		t.Run("items and tasks are added to a day", func(t *testing.T) {
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days", 1, "items"), map[string]any{
				"kind": "text", "title": "Karaṇīya Mettā Sutta", "body": "May all beings be **happy**.", "citation": "Snp 1.8", "minutes": 5,
			})
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days", 1, "items"), map[string]any{
				"kind": "link", "title": "On SuttaCentral", "url": "https://suttacentral.net/snp1.8",
			})
			w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days", 1, "tasks"), map[string]any{"kind": "meditate", "minutes": 10})
			p = w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days", 1, "tasks"), map[string]any{
				"kind": "reflect", "prompt": "Whom did you find _hard_ to wish well?", "optional": true,
			})
			d := p.Days[0]
			if len(d.Items) != 2 || len(d.Tasks) != 2 {
				t.Fatalf("day 1 has %d items and %d tasks, want 2 and 2: %+v", len(d.Items), len(d.Tasks), d)
			}
			text, link, meditate, reflect = d.Items[0].ID, d.Items[1].ID, d.Tasks[0].ID, d.Tasks[1].ID
			if d.Items[0].Kind != "text" || strings.TrimSpace(d.Items[0].BodyHTML) != "<p>May all beings be <strong>happy</strong>.</p>" {
				t.Errorf("text item %+v", d.Items[0])
			}
			if d.Items[1].Kind != "link" || d.Items[1].URL != "https://suttacentral.net/snp1.8" {
				t.Errorf("link item %+v", d.Items[1])
			}
			if d.Tasks[0].Kind != "meditate" || d.Tasks[0].Minutes != 10 || d.Tasks[0].Optional {
				t.Errorf("meditate task %+v", d.Tasks[0])
			}
			if d.Tasks[1].Kind != "reflect" || !d.Tasks[1].Optional || !strings.Contains(d.Tasks[1].PromptHTML, "<em>hard</em>") {
				t.Errorf("reflect task %+v", d.Tasks[1])
			}
			for _, other := range p.Days[1:] {
				if len(other.Items)+len(other.Tasks) != 0 {
					t.Errorf("day %d got content: %+v", other.Number, other)
				}
			}
		})

		t.Run("an item, a task and a day change field by field", func(t *testing.T) {
			p = w.save(t, http.StatusOK, http.MethodPatch, planPath(id, "days", 1, "items", text), map[string]any{"title": "The Discourse on Love"})
			if it := p.Days[0].Items[0]; it.Title != "The Discourse on Love" || it.Body != "May all beings be **happy**." {
				t.Errorf("patched item %+v, want the new title and the old body", it)
			}
			p = w.save(t, http.StatusOK, http.MethodPatch, planPath(id, "days", 1, "tasks", reflect), map[string]any{"minutes": 3})
			if tk := p.Days[0].Tasks[1]; tk.Minutes != 3 || !tk.Optional || tk.Prompt == "" {
				t.Errorf("patched task %+v", tk)
			}
			p = w.save(t, http.StatusOK, http.MethodPatch, planPath(id, "days", 2), map[string]any{"title": "A good friend", "intro": "_Widen_ the circle."})
			if d := p.Days[1]; d.Title != "A good friend" || strings.TrimSpace(d.IntroHTML) != "<p><em>Widen</em> the circle.</p>" {
				t.Errorf("patched day %+v", d)
			}
		})

		t.Run("items and tasks move with their day and are reordered within it", func(t *testing.T) {
			p = w.save(t, http.StatusOK, http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{3, 1, 2}})
			if got := dayTitles(p); !slices.Equal(got, []string{"1 The difficult person", "2 Oneself", "3 A good friend"}) {
				t.Errorf("days after reorder %v", got)
			}
			if len(p.Days[1].Items) != 2 || len(p.Days[0].Items) != 0 {
				t.Fatalf("the items did not move with their day: %+v", p.Days)
			}
			p = w.save(t, http.StatusOK, http.MethodPost, planPath(id, "days", 2, "items", "reorder"), map[string]any{"ids": []string{link, text}})
			if d := p.Days[1]; d.Items[0].ID != link || d.Items[1].ID != text {
				t.Errorf("items after reorder %+v", d.Items)
			}
			p = w.save(t, http.StatusOK, http.MethodPost, planPath(id, "days", 2, "tasks", "reorder"), map[string]any{"ids": []string{reflect, meditate}})
			if d := p.Days[1]; d.Tasks[0].ID != reflect || d.Tasks[1].ID != meditate {
				t.Errorf("tasks after reorder %+v", d.Tasks)
			}
		})

		t.Run("a task and an item are removed", func(t *testing.T) {
			p = w.save(t, http.StatusOK, http.MethodDelete, planPath(id, "days", 2, "tasks", meditate), nil)
			if d := p.Days[1]; len(d.Tasks) != 1 || d.Tasks[0].ID != reflect {
				t.Errorf("tasks after delete %+v", d.Tasks)
			}
			p = w.save(t, http.StatusCreated, http.MethodPost, planPath(id, "days", 2, "items"), map[string]any{"kind": "text", "title": "Extra", "body": "x", "position": 1})
			extra := p.Days[1].Items[0].ID
			p = w.save(t, http.StatusOK, http.MethodDelete, planPath(id, "days", 2, "items", extra), nil)
			if d := p.Days[1]; len(d.Items) != 2 || d.Items[0].ID != link {
				t.Errorf("items after delete %+v", d.Items)
			}
		})

		t.Run("reading the plan back shows every change", func(t *testing.T) {
			got := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(id)))
			if got.Revision.Version != w.version || len(got.Days[1].Items) != 2 || len(got.Days[1].Tasks) != 1 || got.Days[2].Title != "A good friend" {
				t.Errorf("GET shows version %d (want %d) and days %+v", got.Revision.Version, w.version, got.Days)
			}
		})
	})
}
