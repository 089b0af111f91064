package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// The first-admin link opens a page the server itself serves, so a server
// gets its first admin before (and without) the web app.
func TestFirstAdminPage(t *testing.T) {
	s := apptest.Start(t, "sqlite", apptest.Options{})
	res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/setup?token=abc"})
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(res.Body)
	if !strings.Contains(body, "Create the first admin") || !strings.Contains(body, `src="/account/pages.js"`) {
		t.Errorf("page lacks its title or its script:\n%s", body)
	}
	for h, v := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
		if res.Header.Get(h) != v {
			t.Errorf("%s = %q, want %q", h, res.Header.Get(h), v)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	js := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/account/pages.js"})
	if !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(string(js.Body), "/v1/setup/admin") {
		t.Errorf("pages.js: %s %q", js.Header.Get("Content-Type"), js.Body[:min(80, len(js.Body))])
	}
	css := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/account/pages.css"})
	if !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("pages.css: %s", css.Header.Get("Content-Type"))
	}
	apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/account/other.js"}), http.StatusNotFound)
}

// The links in account emails open the reader web app, whose pages confirm
// the address and set a new password (web/src/features/auth).
func TestEmailLinksOpenTheWebApp(t *testing.T) {
	s := apptest.Start(t, "sqlite", apptest.Options{})
	for _, path := range []string{"/verify-email?token=abc", "/reset-password?token=abc"} {
		res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: path})
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", path, ct)
		}
		// The app's page, revalidated on every visit, not a page of the server's own.
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (the app's page)", path, cc)
		}
		if strings.Contains(string(res.Body), "/account/pages.js") {
			t.Errorf("GET %s: the server's own account page, want the app", path)
		}
	}
}
