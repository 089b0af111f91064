package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// openAPIOperation is the part of an OpenAPI operation these promises are
// about.
type openAPIOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Security    []map[string][]string `json:"security"`
	RequestBody json.RawMessage       `json:"requestBody"`
	Responses   map[string]struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"responses"`
}

// TestOpenAPIDescribesSecurityAndErrors reads the document the full server
// serves, with the identity routes, as a client generator would.
func TestOpenAPIDescribesSecurityAndErrors(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, "sqlite", apptest.Options{})
	res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/openapi.json"})
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Type, Scheme, BearerFormat string
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	type located struct {
		method, path string
		op           openAPIOperation
	}
	var ops []located
	byID := map[string]located{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, method) {
				continue // parameters, summary...
			}
			var op openAPIOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			l := located{strings.ToUpper(method), path, op}
			ops = append(ops, l)
			byID[op.OperationID] = l
		}
	}
	if len(ops) == 0 {
		t.Fatal("the document has no operations")
	}
	problemResponse := func(l located, status string) bool {
		r, ok := l.op.Responses[status]
		_, problem := r.Content["application/problem+json"]
		return ok && problem
	}

	t.Run("the bearer scheme is an HTTP bearer JWT", func(t *testing.T) {
		b, ok := doc.Components.SecuritySchemes["bearer"]
		if !ok || b.Type != "http" || b.Scheme != "bearer" || b.BearerFormat != "JWT" {
			t.Errorf("securitySchemes.bearer = %+v (present %v), want type http, scheme bearer, bearerFormat JWT", b, ok)
		}
	})

	t.Run("every operation has a summary", func(t *testing.T) {
		for _, l := range ops {
			if strings.TrimSpace(l.op.Summary) == "" {
				t.Errorf("%s %s has no summary", l.method, l.path)
			}
		}
	})

	t.Run("every protected operation needs the bearer token and documents 401 and 403 problems", func(t *testing.T) {
		protected := 0
		for _, l := range ops {
			mustBeProtected := l.path == "/v1/me" || strings.HasPrefix(l.path, "/v1/me/") || strings.HasPrefix(l.path, "/v1/admin") || strings.HasPrefix(l.path, "/v1/studio")
			if len(l.op.Security) == 0 && !mustBeProtected {
				continue
			}
			protected++
			if !slices.ContainsFunc(l.op.Security, func(req map[string][]string) bool { _, ok := req["bearer"]; return ok }) {
				t.Errorf("%s %s: security %v does not name the bearer scheme", l.method, l.path, l.op.Security)
			}
			for _, status := range []string{"401", "403"} {
				if !problemResponse(l, status) {
					t.Errorf("%s %s: no %s application/problem+json response", l.method, l.path, status)
				}
			}
		}
		if protected < 10 {
			t.Errorf("only %d protected operations; the account and admin routes are missing", protected)
		}
	})

	t.Run("every operation with a request body documents 422 problems", func(t *testing.T) {
		for _, l := range ops {
			if strings.HasPrefix(l.path, "/v1") && len(l.op.RequestBody) > 0 && !problemResponse(l, "422") {
				t.Errorf("%s %s takes a body but documents no 422 application/problem+json response", l.method, l.path)
			}
		}
	})

	t.Run("signing in, signing up and the keys need no token", func(t *testing.T) {
		for _, id := range []string{"register", "login", "refresh", "logout", "verify-email", "request-password-reset", "reset-password", "setup-admin", "jwks"} {
			l, ok := byID[id]
			if !ok {
				t.Errorf("no operation %q", id)
				continue
			}
			if len(l.op.Security) > 0 {
				t.Errorf("%s %s (%s) requires %v; it must be public", l.method, l.path, id, l.op.Security)
			}
		}
	})
}

// TestOpenAPIResponsesMatchDocument checks the full server's document with a
// real OpenAPI 3.1 validator, then checks that real answers of the account
// routes, successes and problems alike, match what it promises.
func TestOpenAPIResponsesMatchDocument(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, "sqlite", apptest.Options{Env: []string{"DHARMAPLANS_DEMO=true"}})
	res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/openapi.json"})
	doc, err := libopenapi.NewDocument(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	v, errList := validator.NewValidator(doc)
	if len(errList) > 0 {
		t.Fatalf("validator: %v", errList)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}

	a := s.Register(t, "documented@example.org")
	admin := s.CreateUser(t, "documented-admin@example.org", identity.RoleAdmin)
	author := s.CreateUser(t, "documented-author@example.org", identity.RoleAuthor)
	draft := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/plans", Token: author.Access,
		Body: map[string]any{"title": "Documented Plan", "tradition": "zen"}}).String(t, "id")
	demoAuthor := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/authors"}).JSON(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	enrolled := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: a.Access,
		Body: map[string]any{"plan": "a-week-of-loving-kindness"}}).String(t, "id")
	today := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/enrollments/" + enrolled + "/today", Token: a.Access}).JSON(t)
	item := today["day"].(map[string]any)["items"].([]any)[0].(map[string]any)["id"].(string)
	e := "/v1/enrollments/" + enrolled
	cases := []struct {
		method, path, token, body string
	}{
		{"GET", "/v1/enrollments", a.Access, ""},
		{"GET", e, a.Access, ""},
		{"GET", e + "/today", a.Access, ""},
		{"GET", e + "/days/3", a.Access, ""},
		{"GET", e + "/days/99", a.Access, ""},
		{"PUT", e + "/items/" + item + "/completion", a.Access, ""},
		{"PUT", e + "/items/" + item + "/completion", a.Access, `{"at":"2099-01-01T00:00:00Z"}`},
		{"DELETE", e + "/items/" + item + "/completion", a.Access, ""},
		{"PUT", e + "/days/1/journal", a.Access, `{"body":"Kindness to the *difficult* one."}`},
		{"GET", e + "/days/1/journal", a.Access, ""},
		{"PATCH", e, a.Access, `{"paused":true,"reminder_time":"06:30"}`},
		{"PATCH", e, a.Access, `{"pace":"n_per_week"}`},
		{"POST", e + "/catch-up", a.Access, ""},
		{"POST", e + "/restart", a.Access, ""},
		{"POST", "/v1/enrollments", a.Access, `{"plan":"a-week-of-loving-kindness"}`},
		{"POST", "/v1/enrollments", a.Access, `{"plan":"no-such-plan","pace":"n_per_week"}`},
		{"GET", "/v1/enrollments/00000000-0000-7000-8000-000000000000", a.Access, ""},
		{"POST", "/v1/sync", a.Access, `{"events":[{"client_id":"c1","type":"complete_item","at":"2026-01-01T00:00:00Z","enrollment_id":"` + enrolled + `","target_id":"` + item + `"},{"client_id":"c2","type":"dance","at":"2026-01-01T00:00:00Z"}]}`},
		{"POST", "/v1/practice-sessions", a.Access, `{"duration_seconds":900}`},
		{"POST", "/v1/practice-sessions", a.Access, `{"duration_seconds":0}`},
		{"GET", "/v1/me/stats", a.Access, ""},
		{"GET", "/v1/me/activity", a.Access, ""},
		{"GET", "/v1/me/activity?from=2026-02-01&to=2026-01-01", a.Access, ""},
		{"GET", "/v1/me/practice", a.Access, ""},
		{"PATCH", "/v1/me/practice", a.Access, `{"grace_days_per_week":2,"show_streaks":false}`},
		{"GET", "/v1/me/stats", a.Access, ""},
		{"DELETE", e, a.Access, ""},
		{"GET", "/v1/plans?limit=2", "", ""},
		{"GET", "/v1/plans?tradition=jedi", "", ""},
		{"GET", "/v1/plans/a-week-of-loving-kindness", "", ""},
		{"GET", "/v1/plans/no-such-plan", "", ""},
		{"GET", "/v1/plans/a-week-of-loving-kindness/days/1", "", ""},
		{"GET", "/v1/plans/a-week-of-loving-kindness/days/3", "", ""},
		{"GET", "/v1/authors", "", ""},
		{"GET", "/v1/authors/" + demoAuthor, "", ""},
		{"GET", "/v1/studio/plans", author.Access, ""},
		{"GET", "/v1/studio/plans/" + draft, author.Access, ""},
		{"POST", "/v1/studio/plans", author.Access, `{"title":"","tradition":"jedi"}`},
		{"POST", "/v1/studio/plans/" + draft + "/days", author.Access, `{"title":"Sitting"}`},
		{"POST", "/v1/studio/plans/" + draft + "/days/1/items", author.Access, `{"kind":"text","title":"Posture","body":"Sit *upright*."}`},
		{"POST", "/v1/studio/plans/" + draft + "/days/1/tasks", author.Access, `{"kind":"meditate","minutes":10}`},
		{"POST", "/v1/studio/plans/" + draft + "/submit", author.Access, ""},
		{"POST", "/v1/admin/plans/" + draft + "/reject", admin.Access, `{"note":"Add a second day."}`},
		{"POST", "/v1/admin/plans/" + draft + "/publish", admin.Access, ""},
		{"POST", "/v1/studio/markdown", author.Access, `{"markdown":"**mettā**"}`},
		{"GET", "/v1/admin/authors", admin.Access, ""},
		{"POST", "/v1/admin/authors", admin.Access, `{"name":"Ajahn Example","tradition":"theravada"}`},
		{"POST", "/v1/auth/register", "", `{"email":"doc2@example.org","password":"the lotus opens slowly","display_name":"Doc"}`},
		{"POST", "/v1/auth/register", "", `{"email":"bad","password":"x","display_name":""}`},
		{"POST", "/v1/auth/login", "", `{"email":"documented@example.org","password":"` + a.Password + `"}`},
		{"POST", "/v1/auth/login", "", `{"email":"documented@example.org","password":"wrong wrong wrong"}`},
		{"POST", "/v1/auth/refresh", "", `{"refresh_token":"` + a.Refresh + `"}`},
		{"GET", "/v1/me", a.Access, ""},
		{"GET", "/v1/me", "", ""},
		{"PATCH", "/v1/me", a.Access, `{"timezone":"Asia/Tokyo"}`},
		{"PATCH", "/v1/me", a.Access, `{"timezone":"Nowhere/Else"}`},
		{"GET", "/v1/me/sessions", a.Access, ""},
		{"GET", "/v1/me/export", a.Access, ""},
		{"GET", "/v1/admin/users?limit=1", admin.Access, ""},
		{"GET", "/v1/admin/users", a.Access, ""},
		{"GET", "/v1/site", "", ""},
		{"GET", "/v1/admin/settings", admin.Access, ""},
		{"GET", "/v1/admin/settings", a.Access, ""},
		{"POST", "/v1/admin/invites", admin.Access, `{"email":"invited@example.org","expires_in_days":3}`},
		{"POST", "/v1/admin/invites", admin.Access, `{"expires_in_days":0}`},
		{"GET", "/v1/admin/invites", admin.Access, ""},
		{"DELETE", "/v1/admin/invites/00000000-0000-7000-8000-000000000000", admin.Access, ""},
		{"PATCH", "/v1/admin/users/" + a.ID, admin.Access, `{"role":"author"}`},
		{"DELETE", "/v1/me/sessions/00000000-0000-7000-8000-000000000000", a.Access, ""},
		{"POST", "/v1/auth/password-reset", "", `{"email":"documented@example.org"}`},
		{"GET", "/.well-known/jwks.json", "", ""},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(c.method, s.URL+c.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			// The validator matches paths against the document, not the host.
			req.URL.Host, req.URL.Scheme = "", ""
			if ok, verrs := v.ValidateHttpResponse(req, resp); !ok {
				for _, e := range verrs {
					t.Errorf("status %d: %s: %s", resp.StatusCode, e.Message, e.Reason)
				}
			}
		})
	}
}
