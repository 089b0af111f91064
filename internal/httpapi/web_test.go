package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dharmaplans/dharmaplans/internal/httpapi"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/web"
)

const webPage = `<!doctype html><title>Dharma Plans</title><div id="root"></div>`

const adminPage = `<!doctype html><title>Dharma Plans admin</title><div id="root"></div>`

// newWebAPI is the API serving a small build of the web app, with the
// first-admin route whose page must stay the server's own.
func newWebAPI(t *testing.T) *httpapi.API {
	t.Helper()
	app, err := web.New(fstest.MapFS{
		"index.html":          {Data: []byte(webPage)},
		"assets/reader-1a.js": {Data: []byte(`console.log(1)`)},
		"admin/index.html":    {Data: []byte(adminPage)},
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return httpapi.New(httpapi.Options{
		Logger:   logger,
		Version:  "test",
		Identity: identity.NewService(identity.Deps{Logger: logger}, identity.Config{}), // its pages only: no request here reaches its store
		Web:      app,
	})
}

func TestWebAppIsServedBesideTheAPI(t *testing.T) {
	api := newWebAPI(t)
	for _, sc := range []scenario{
		{name: "the root is the app", path: "/", wantStatus: 200, wantBody: []string{webPage}},
		{name: "a page of the app opens the app", path: "/plans/some-slug", wantStatus: 200, wantBody: []string{webPage}},
		{name: "HEAD of a page of the app", method: "HEAD", path: "/plans/some-slug", wantStatus: 200},
		{name: "the app's scripts", path: "/assets/reader-1a.js", wantStatus: 200, wantBody: []string{"console.log(1)"}},
		{name: "a script that is not there is a problem 404", path: "/assets/reader-gone.js", wantStatus: 404, wantType: "not-found"},
		{name: "an image that is not there is a problem 404", path: "/plans/some-slug/cover.jpg", wantStatus: 404, wantType: "not-found"},

		{name: "an unknown API path is the API's 404", path: "/v1/nope", wantStatus: 404, wantType: "not-found", notBody: []string{webPage}},
		{name: "an unknown API path under a real one", path: "/v1/plans/some-slug/nope/deeper", wantStatus: 404, wantType: "not-found"},
		{name: "the admin panel's pages open the admin panel", path: "/admin/users", wantStatus: 200, wantBody: []string{adminPage}, notBody: []string{webPage}},
		{name: "a missing admin script is a problem 404", path: "/admin/assets/gone.js", wantStatus: 404, wantType: "not-found"},
		{name: "a missing docs asset", path: "/docs/nope.js", wantStatus: 404, wantType: "not-found"},
		{name: "an unknown path under metrics", path: "/metrics/nope", wantStatus: 404, wantType: "not-found"},
		{name: "a write to a page of the app is a 404, not a 405", method: "POST", path: "/plans/some-slug", wantStatus: 404, wantType: "not-found"},
		{name: "a write to an unknown API path is a 404, not a 405", method: "POST", path: "/v1/nope", wantStatus: 404, wantType: "not-found"},
		{name: "a wrong method on an API route is still a 405", method: "DELETE", path: "/healthz", wantStatus: 405, wantType: "method-not-allowed"},

		{name: "the API index", path: "/v1", wantStatus: 200, wantBody: []string{`"openapi":"/v1/openapi.json"`}},
		{name: "the OpenAPI document", path: "/v1/openapi.json", wantStatus: 200, wantBody: []string{`"openapi":"3.1`}},
		{name: "the docs", path: "/docs/", wantStatus: 200, wantBody: []string{"/v1/openapi.json"}, notBody: []string{webPage}},
		{name: "health", path: "/healthz", wantStatus: 200, notBody: []string{webPage}},
		{name: "metrics", path: "/metrics", wantStatus: 200, wantBody: []string{"go_goroutines"}},
		{name: "the first-admin page", path: "/setup", wantStatus: 200, wantBody: []string{"Create the first admin"}},
		{name: "the account pages' script", path: "/account/pages.js", wantStatus: 200, notBody: []string{webPage}},
		{name: "the link in the confirmation email opens the app", path: "/verify-email?token=abc", wantStatus: 200, wantBody: []string{webPage}},
		{name: "the link in the password reset email opens the app", path: "/reset-password?token=abc", wantStatus: 200, wantBody: []string{webPage}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			rec := sc.run(t, api)
			if sc.wantStatus == 200 && strings.Contains(rec.Body.String(), webPage) {
				if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("the app's page has Cache-Control %q, want no-cache", cc)
				}
			}
		})
	}
}

// The app's pages are counted as one route, not as unmatched requests.
func TestWebAppRequestsAreMeasuredAsItsRoute(t *testing.T) {
	api := newWebAPI(t)
	scenario{path: "/plans/measured", wantStatus: 200}.run(t, api)
	scenario{path: "/metrics", wantStatus: 200,
		wantBody: []string{`dharmaplans_http_requests_total{code="200",method="GET",route="/*"}`}}.run(t, api)
}

func TestWithoutTheWebAppTheRootLeadsToTheDocs(t *testing.T) {
	api := newAPI(t, nil)
	rec := scenario{path: "/", wantStatus: http.StatusFound}.run(t, api)
	if loc := rec.Header().Get("Location"); loc != "/docs/" {
		t.Errorf("Location = %q, want /docs/", loc)
	}
	scenario{path: "/plans/some-slug", wantStatus: 404, wantType: "not-found"}.run(t, api)
}
