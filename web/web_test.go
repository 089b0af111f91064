package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dharmaplans/dharmaplans/web"
)

const indexHTML = `<!doctype html><title>Dharma Plans</title><div id="root"></div>`

// built is dist/ as vite build leaves it.
var built = fstest.MapFS{
	"index.html":                  {Data: []byte(indexHTML)},
	"assets/reader-Ab12.js":       {Data: []byte(`console.log("reader")`)},
	"assets/reader-Cd34.css":      {Data: []byte(`body{margin:0}`)},
	"favicon.svg":                 {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	"manifest.webmanifest":        {Data: []byte(`{"name":"Dharma Plans"}`)},
	".vite/manifest.json":         {Data: []byte(`{}`)},
	".placeholder":                {Data: []byte(`build the app`)},
	"assets/nested/chunk-Ef56.js": {Data: []byte(`export{}`)},
}

func newHandler(t *testing.T, files fstest.MapFS) http.Handler {
	t.Helper()
	h, err := web.New(files)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestServesTheBuiltApp(t *testing.T) {
	h := newHandler(t, built)
	for _, tc := range []struct {
		name, path   string
		contentType  string // prefix
		cacheControl string
		body         string
	}{
		{"the root is the app's page, never cached unchecked", "/", "text/html", "no-cache", indexHTML},
		{"the page by its name", "/index.html", "text/html", "no-cache", indexHTML},
		{"a client-side route opens the app", "/plans/a-week-of-loving-kindness", "text/html", "no-cache", indexHTML},
		{"a client-side route with a trailing slash", "/me/progress/", "text/html", "no-cache", indexHTML},
		{"hashed scripts are kept for good", "/assets/reader-Ab12.js", "text/javascript", "public, max-age=31536000, immutable", `console.log("reader")`},
		{"hashed styles are kept for good", "/assets/reader-Cd34.css", "text/css", "public, max-age=31536000, immutable", `body{margin:0}`},
		{"nested hashed chunks too", "/assets/nested/chunk-Ef56.js", "text/javascript", "public, max-age=31536000, immutable", `export{}`},
		{"icons are kept a short while", "/favicon.svg", "image/svg+xml", "public, max-age=3600", `<svg`},
		{"the manifest has its own type", "/manifest.webmanifest", "application/manifest+json", "public, max-age=3600", `Dharma Plans`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(h, http.MethodGet, tc.path)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.path, rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("Content-Type = %q, want %s", ct, tc.contentType)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != tc.cacheControl {
				t.Errorf("Cache-Control = %q, want %q", cc, tc.cacheControl)
			}
			if !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("body %q lacks %q", rec.Body, tc.body)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
		})
	}
}

func TestNeverAnswersForTheServerOrWithThePageForAMissingFile(t *testing.T) {
	h := newHandler(t, built)
	for _, path := range []string{
		"/v1", "/v1/nope", "/v1/plans/x", "/docs", "/docs/", "/admin", "/admin/users", "/metrics",
		"/plans/../v1/plans", // cleaned before it is judged
		"/assets/reader-gone.js", "/assets/gone", "/logo.png", "/plans/x/cover.jpg",
		"/.vite/manifest.json", "/.placeholder", "/.well-known/assetlinks",
	} {
		t.Run(path, func(t *testing.T) {
			rec := get(h, http.MethodGet, path)
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, rec.Code)
			}
			if strings.Contains(rec.Body.String(), indexHTML) {
				t.Errorf("GET %s answered with the app's page", path)
			}
		})
	}
}

func TestHEADAndRevalidation(t *testing.T) {
	h := newHandler(t, built)

	head := get(h, http.MethodHead, "/plans/x")
	if head.Code != http.StatusOK || head.Body.Len() != 0 || !strings.HasPrefix(head.Header().Get("Content-Type"), "text/html") {
		t.Errorf("HEAD /plans/x = %d, %q, body %d bytes; want 200 text/html and no body", head.Code, head.Header().Get("Content-Type"), head.Body.Len())
	}

	first := get(h, http.MethodGet, "/")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("the page has no ETag")
	}
	if again := get(h, http.MethodGet, "/discover", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("GET with the page's ETag = %d, want 304", again.Code)
	}
	if other := get(h, http.MethodGet, "/assets/reader-Ab12.js", "If-None-Match", etag); other.Code != http.StatusOK {
		t.Errorf("a script revalidated with the page's ETag = %d, want 200", other.Code)
	}
}

func TestOnlyReads(t *testing.T) {
	rec := get(newHandler(t, built), http.MethodPost, "/")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST / = %d, Allow %q; want 405, GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestWithoutABuildSaysHowToBuild(t *testing.T) {
	h := newHandler(t, fstest.MapFS{".placeholder": {Data: []byte("build the app")}})
	for _, path := range []string{"/", "/plans/a-week-of-loving-kindness"} {
		rec := get(h, http.MethodGet, path)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s = %d %q, want 200 text/html", path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if body := rec.Body.String(); !strings.Contains(body, "make run") || !strings.Contains(body, "make web") {
			t.Errorf("GET %s does not say how to build the app: %s", path, body)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("Cache-Control = %q, want no-cache: the app, once built, must replace the page", cc)
		}
	}
	if rec := get(h, http.MethodGet, "/.placeholder"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /.placeholder = %d, want 404", rec.Code)
	}
}

// The binary's own copy: the app when it was built, else the page saying
// how to build it; either way a page at the root.
func TestEmbeddedBuildServesAPage(t *testing.T) {
	rec := get(web.Handler(), http.MethodGet, "/")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %q, want 200 text/html", rec.Code, rec.Header().Get("Content-Type"))
	}
}
