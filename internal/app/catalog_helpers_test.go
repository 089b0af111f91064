package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// The catalogue's HTTP tests share these: the shapes of the answers, as a
// client decodes them, and helpers that take a plan through the studio.

// studioPlan is a plan as the studio answers it.
type studioPlan struct {
	ID       string `json:"id"`
	Slug     string `json:"slug"`
	Status   string `json:"status"`
	Title    string `json:"title"`
	Revision struct {
		ID         string `json:"id"`
		Number     int    `json:"number"`
		State      string `json:"state"`
		Version    int    `json:"version"`
		ReviewNote string `json:"review_note"`
	} `json:"revision"`
	HasPublished     bool        `json:"has_published"`
	Authors          []authorRef `json:"authors"`
	Tradition        string      `json:"tradition"`
	Level            string      `json:"level"`
	Language         string      `json:"language"`
	Topics           []string    `json:"topics"`
	Days             []planDay   `json:"days"`
	FirstPublishedAt *string     `json:"first_published_at"`
}

type authorRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type planDay struct {
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	Intro     string     `json:"intro"`
	IntroHTML string     `json:"intro_html"`
	Items     []planItem `json:"items"`
	Tasks     []planTask `json:"tasks"`
}

type planItem struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	BodyHTML string `json:"body_html"`
	URL      string `json:"url"`
}

type planTask struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Prompt     string `json:"prompt"`
	PromptHTML string `json:"prompt_html"`
	Minutes    int    `json:"minutes"`
	Optional   bool   `json:"optional"`
}

// planCard is a plan in a list, public or the studio's.
type planCard struct {
	ID            string      `json:"id"`
	Slug          string      `json:"slug"`
	Title         string      `json:"title"`
	Days          int         `json:"days"`
	MinutesPerDay int         `json:"minutes_per_day"`
	Authors       []authorRef `json:"authors"`
	Status        string      `json:"status"`
	RevisionState string      `json:"revision_state"`
	ReviewNote    string      `json:"review_note"`
}

type planPage struct {
	Items      []planCard `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

// publicPlan is a plan's public page.
type publicPlan struct {
	planCard
	Revision      int `json:"revision"`
	AuthorDetails []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		BioHTML string `json:"bio_html"`
	} `json:"author_details"`
	Outline []struct {
		Number  int    `json:"number"`
		Title   string `json:"title"`
		Items   int    `json:"items"`
		Tasks   int    `json:"tasks"`
		Preview bool   `json:"preview"`
	} `json:"outline"`
}

// publicDay is one day of a published plan.
type publicDay struct {
	planDay
	Preview bool `json:"preview"`
	Plan    struct {
		Slug     string `json:"slug"`
		Title    string `json:"title"`
		Days     int    `json:"days"`
		Revision int    `json:"revision"`
	} `json:"plan"`
}

// decode reads a JSON answer into a T.
func decode[T any](t testing.TB, res *apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.Body, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, res.Body)
	}
	return v
}

// bearer is who a request is from: "" for nobody.
func bearer(a *apptest.Account) string {
	if a == nil {
		return ""
	}
	return a.Access
}

// scenario is one request and what should come of it.
type scenario struct {
	name   string
	method string
	path   string
	body   any
	as     *apptest.Account // nil: anonymous
	header http.Header
	status int
	want   []string // fragments of the body, or of the problem's messages
	fields []string // problem locations that must be named
}

// run sends the request and checks the answer: its status, that error
// answers are problem documents naming fields, and the body fragments.
func (sc scenario) run(t *testing.T, s *apptest.Server) *apptest.Response {
	t.Helper()
	res := s.Do(t, apptest.Request{Method: sc.method, Path: sc.path, Body: sc.body, Token: bearer(sc.as), Header: sc.header})
	if res.Status != sc.status {
		t.Fatalf("%s %s: status %d, want %d\n%.2000s", sc.method, sc.path, res.Status, sc.status, res.Body)
	}
	if sc.status >= 400 {
		got := apptest.Problem(t, res, sc.status, sc.want...)
		for _, f := range sc.fields {
			if got[f] == "" {
				t.Errorf("%s %s: no error for %s in %v", sc.method, sc.path, f, got)
			}
		}
		return res
	}
	for _, w := range sc.want {
		if !strings.Contains(string(res.Body), w) {
			t.Errorf("%s %s: body does not contain %q\n%.2000s", sc.method, sc.path, w, res.Body)
		}
	}
	return res
}

// runAll runs scenarios as subtests named for them.
func runAll(t *testing.T, s *apptest.Server, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, s) })
	}
}

// studioDo sends a studio write as a and returns the plan it answers with,
// after checking the status and that the ETag is the revision's version.
func studioDo(t testing.TB, s *apptest.Server, a *apptest.Account, status int, method, path string, body any) studioPlan {
	t.Helper()
	res := s.Expect(t, status, apptest.Request{Method: method, Path: path, Body: body, Token: bearer(a)})
	p := decode[studioPlan](t, res)
	if want := strconv.Quote(strconv.Itoa(p.Revision.Version)); res.Header.Get("ETag") != want {
		t.Errorf("%s %s: ETag %q, want the version %s", method, path, res.Header.Get("ETag"), want)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
	}
	return p
}

// planPath is the studio path of plan id, with more path parts appended.
func planPath(id string, parts ...any) string {
	p := "/v1/studio/plans/" + id
	for _, x := range parts {
		p += fmt.Sprintf("/%v", x)
	}
	return p
}

// newPlan starts a plan as a from metadata (title and tradition at least).
func newPlan(t testing.TB, s *apptest.Server, a *apptest.Account, meta map[string]any) studioPlan {
	t.Helper()
	return studioDo(t, s, a, http.StatusCreated, http.MethodPost, "/v1/studio/plans", meta)
}

// readyPlan starts a plan with days days, each with one text item, so that
// it can be submitted. The plan and its days are made over HTTP; the items
// through the catalog service (see addTextItem).
func readyPlan(t testing.TB, s *apptest.Server, a *apptest.Account, meta map[string]any, days int) studioPlan {
	t.Helper()
	p := newPlan(t, s, a, meta)
	for n := 1; n <= days; n++ {
		studioDo(t, s, a, http.StatusCreated, http.MethodPost, planPath(p.ID, "days"), map[string]any{"title": fmt.Sprintf("Day %d", n)})
		addTextItem(t, s, a, p.ID, n, fmt.Sprintf("Reading %d", n), fmt.Sprintf("The reading of day **%d**.", n))
	}
	return decode[studioPlan](t, get(t, s, a, http.StatusOK, planPath(p.ID)))
}

// addTextItem adds a text item to day n of plan id as a.
func addTextItem(t testing.TB, s *apptest.Server, a *apptest.Account, id string, n int, title, body string) {
	t.Helper()
	studioDo(t, s, a, http.StatusCreated, http.MethodPost, planPath(id, "days", n, "items"),
		map[string]any{"kind": "text", "title": title, "body": body, "minutes": 5})
}

// addTask adds a task to day n of plan id as a.
func addTask(t testing.TB, s *apptest.Server, a *apptest.Account, id string, n int, task map[string]any) {
	t.Helper()
	studioDo(t, s, a, http.StatusCreated, http.MethodPost, planPath(id, "days", n, "tasks"), task)
}

// publish sends plan id to review as author and publishes it as admin.
func publish(t testing.TB, s *apptest.Server, author, admin *apptest.Account, id string) studioPlan {
	t.Helper()
	studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(id, "submit"), nil)
	return studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+id+"/publish", nil)
}

// publishedPlan starts a plan with days days and publishes it.
func publishedPlan(t testing.TB, s *apptest.Server, author, admin *apptest.Account, meta map[string]any, days int) studioPlan {
	t.Helper()
	return publish(t, s, author, admin, readyPlan(t, s, author, meta, days).ID)
}

// get reads path as a (nil: anonymous), expecting status.
func get(t testing.TB, s *apptest.Server, a *apptest.Account, status int, path string) *apptest.Response {
	t.Helper()
	return s.Expect(t, status, apptest.Request{Method: http.MethodGet, Path: path, Token: bearer(a)})
}

// slugsOf lists the slugs of cards, in order.
func slugsOf(cards []planCard) []string {
	out := []string{}
	for _, c := range cards {
		out = append(out, c.Slug)
	}
	return out
}

// idsOf lists the ids of cards, in order.
func idsOf(cards []planCard) []string {
	out := []string{}
	for _, c := range cards {
		out = append(out, c.ID)
	}
	return out
}
