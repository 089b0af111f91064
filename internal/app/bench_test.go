package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// BenchmarkAuthenticate is what the authentication middleware does for each
// request with an access token the server has seen before: check the token
// (signature verification is cached per token) and the session's state.
// The product promises under 50 µs per authenticated request.
func BenchmarkAuthenticate(b *testing.B) {
	s := apptest.Start(b, "sqlite", apptest.Options{})
	a := s.Register(b, "bench@example.org")
	ids := s.Main.Identity()
	ctx := context.Background()
	if _, err := ids.Authenticate(ctx, a.Access); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ids.Authenticate(ctx, a.Access); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticatedRequest is a whole GET /v1/me through the HTTP
// handler in process (routing, middleware, authentication, the database
// read, JSON), next to BenchmarkAnonymousRequest for the same stack without
// authentication: the difference is what authentication adds.
func BenchmarkAuthenticatedRequest(b *testing.B) {
	s := apptest.Start(b, "sqlite", apptest.Options{})
	a := s.Register(b, "bench@example.org")
	benchRequest(b, s, "/v1/me", "Bearer "+a.Access)
}

// BenchmarkAnonymousRequest is GET /v1 through the same stack.
func BenchmarkAnonymousRequest(b *testing.B) {
	s := apptest.Start(b, "sqlite", apptest.Options{})
	benchRequest(b, s, "/v1", "")
}

func benchRequest(b *testing.B, s *apptest.Server, path, auth string) {
	h := s.Main.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkLogin is the sign-in path: rate limits, the account lookup,
// argon2id verification (deliberately slow: about 19 MiB and tens of
// milliseconds), the session and the token.
func BenchmarkLogin(b *testing.B) {
	s := apptest.Start(b, "sqlite", apptest.Options{})
	a := s.Register(b, "login@example.org")
	body := `{"email":"` + a.Email + `","password":"` + a.Password + `"}`
	h := s.Main.Handler()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkCatalog reads the public catalogue through the whole HTTP stack
// with the demo plans loaded: a page of published plans, and one day of a
// plan. After the first request both come from the cache.
func BenchmarkCatalog(b *testing.B) {
	s := apptest.Start(b, "sqlite", apptest.Options{Env: []string{"DHARMAPLANS_DEMO=true"}})
	b.Run("list published plans", func(b *testing.B) { benchRequest(b, s, "/v1/plans?limit=20", "") })
	b.Run("fetch one day", func(b *testing.B) { benchRequest(b, s, "/v1/plans/a-week-of-loving-kindness/days/1", "") })
}

// benchEnrolment starts a server on engine with the demo plans and a
// reader enrolled in one of them, returning the reader and the enrolment.
func benchEnrolment(b *testing.B, engine string) (*apptest.Server, *apptest.Account, string) {
	s := apptest.Start(b, engine, apptest.Options{Env: []string{"DHARMAPLANS_DEMO=true"}})
	a := s.Register(b, "bench@example.org")
	id := s.Expect(b, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: a.Access,
		Body: map[string]any{"plan": "a-week-of-loving-kindness"}}).String(b, "id")
	return s, a, id
}

// BenchmarkToday is GET /v1/enrollments/{id}/today through the handler in
// process: authentication, the enrolment with the day's completions (one
// query), the plan's index and day from memory, JSON.
func BenchmarkToday(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			s, a, id := benchEnrolment(b, engine)
			benchRequest(b, s, "/v1/enrollments/"+id+"/today", "Bearer "+a.Access)
		})
	}
}

// BenchmarkMark is a PUT and then a DELETE of a completion through
// the handler in process. "plain" leaves its day unfinished; "finishing a
// day" marks the last required target of the day, so that each PUT
// finishes the day (its record, the practice date and the streak) and each
// DELETE undoes that. Every 10 rounds the enrolment restarts, with the
// timer stopped, so that the target's events (kept per cycle) stay few.
func BenchmarkMark(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			s, a, id := benchEnrolment(b, engine)
			var today struct {
				Day struct {
					Items []struct{ ID string }
					Tasks []struct {
						ID       string
						Optional bool
					}
				}
			}
			res := s.Expect(b, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/enrollments/" + id + "/today", Token: a.Access})
			if err := json.Unmarshal(res.Body, &today); err != nil {
				b.Fatal(err)
			}
			required := []string{}
			for _, it := range today.Day.Items {
				required = append(required, "/items/"+it.ID)
			}
			for _, t := range today.Day.Tasks {
				if !t.Optional {
					required = append(required, "/tasks/"+t.ID)
				}
			}
			if len(required) < 2 {
				b.Fatalf("day 1 has %d required targets; the benchmark needs two", len(required))
			}
			for _, finishing := range []bool{false, true} {
				name := map[bool]string{false: "plain", true: "finishing a day"}[finishing]
				b.Run(name, func(b *testing.B) {
					h := s.Main.Handler()
					send := func(method, path string) {
						req := httptest.NewRequest(method, "/v1/enrollments/"+id+path, nil)
						req.Header.Set("Authorization", "Bearer "+a.Access)
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%s %s: status %d: %s", method, path, rec.Code, rec.Body)
						}
					}
					// A new cycle, with every required target but the last
					// done when the day is to be finished.
					restart := func() {
						send(http.MethodPost, "/restart")
						if finishing {
							for _, t := range required[:len(required)-1] {
								send(http.MethodPut, t+"/completion")
							}
						}
					}
					target := required[len(required)-1] + "/completion"
					restart()
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; b.Loop(); i++ {
						if i > 0 && i%10 == 0 {
							b.StopTimer()
							restart()
							b.StartTimer()
						}
						send(http.MethodPut, target)
						send(http.MethodDelete, target)
					}
				})
			}
		})
	}
}
