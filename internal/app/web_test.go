package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// The server the binary runs serves the web app embedded in it (the built
// app, or the page saying how to build it) at the root and at the app's own
// pages, and keeps the API's answers for the API's paths.
func TestWebAppIsServedByTheServer(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, "sqlite", apptest.Options{})
	for _, path := range []string{"/", "/plans/some-slug"} {
		res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: path})
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q, want text/html", path, ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, cc)
		}
	}

	res := s.Expect(t, http.StatusNotFound, apptest.Request{Method: http.MethodGet, Path: "/v1/nope"})
	var problem struct {
		Type   string `json:"type"`
		Status int    `json:"status"`
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("GET /v1/nope: Content-Type %q, want application/problem+json", ct)
	}
	if err := json.Unmarshal(res.Body, &problem); err != nil || problem.Status != http.StatusNotFound || !strings.HasSuffix(problem.Type, "/not-found") {
		t.Errorf("GET /v1/nope: %s, want a not-found problem", res.Body)
	}

	plans := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans"})
	if ct := plans.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET /v1/plans: Content-Type %q, want JSON", ct)
	}
}
