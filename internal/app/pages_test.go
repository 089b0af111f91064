package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// The links in account emails and the first-admin link open pages the
// server itself serves, so they work before (and without) the web app.
func TestAccountPages(t *testing.T) {
	s := apptest.Start(t, "sqlite", apptest.Options{})
	for path, want := range map[string]string{
		"/setup?token=abc":          "Create the first admin",
		"/verify-email?token=abc":   "Confirm my email",
		"/reset-password?token=abc": "Choose a new password",
	} {
		t.Run(path, func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: path})
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			body := string(res.Body)
			if !strings.Contains(body, want) || !strings.Contains(body, `src="/account/pages.js"`) {
				t.Errorf("page lacks %q or its script:\n%s", want, body)
			}
			for h, v := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
				if res.Header.Get(h) != v {
					t.Errorf("%s = %q, want %q", h, res.Header.Get(h), v)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
		})
	}
	js := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/account/pages.js"})
	if !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(string(js.Body), "/v1/auth/password-reset/confirm") {
		t.Errorf("pages.js: %s %q", js.Header.Get("Content-Type"), js.Body[:min(80, len(js.Body))])
	}
	css := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/account/pages.css"})
	if !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("pages.css: %s", css.Header.Get("Content-Type"))
	}
	apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/account/other.js"}), http.StatusNotFound)
}
