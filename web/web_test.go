package web_test

import (
	"bytes"
	"errors"
	"log/slog"
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
	"sw.js":                       {Data: []byte(`self.addEventListener("fetch",()=>{})`)},
	".vite/manifest.json":         {Data: []byte(`{}`)},
	".placeholder":                {Data: []byte(`build the app`)},
	"assets/nested/chunk-Ef56.js": {Data: []byte(`export{}`)},
	"admin/index.html":            {Data: []byte(adminHTML)},
	"admin/assets/admin-Gh78.js":  {Data: []byte(`console.log("admin")`)},
	"admin/.vite/manifest.json":   {Data: []byte(`{}`)},
}

const adminHTML = `<!doctype html><title>Dharma Plans admin</title><div id="admin"></div>`

func newHandler(t *testing.T, files fstest.MapFS, opts ...web.Option) http.Handler {
	t.Helper()
	h, err := web.New(files, opts...)
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
		{"the manifest has its own type, checked at every visit", "/manifest.webmanifest", "application/manifest+json", "no-cache", `Dharma Plans`},
		{"the service worker is checked at every visit, so that releases reach people", "/sw.js", "text/javascript", "no-cache", `addEventListener`},
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
		"/v1", "/v1/nope", "/v1/plans/x", "/docs", "/docs/", "/metrics",
		"/admin/assets/gone.js", "/admin/logo.png", "/admin/.vite/manifest.json",
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

func TestServesTheAdminPanelUnderAdmin(t *testing.T) {
	h := newHandler(t, built)
	for _, tc := range []struct{ path, body, cacheControl string }{
		{"/admin/", adminHTML, "no-cache"},
		{"/admin/plans/0192/days/2", adminHTML, "no-cache"},
		{"/admin/review/", adminHTML, "no-cache"},
		{"/admin/index.html", adminHTML, "no-cache"},
		{"/admin/assets/admin-Gh78.js", `console.log("admin")`, "public, max-age=31536000, immutable"},
	} {
		rec := get(h, http.MethodGet, tc.path)
		if rec.Code != http.StatusOK || rec.Body.String() != tc.body {
			t.Errorf("GET %s = %d %q, want 200 %q", tc.path, rec.Code, rec.Body, tc.body)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != tc.cacheControl {
			t.Errorf("GET %s: Cache-Control = %q, want %q", tc.path, cc, tc.cacheControl)
		}
	}
	rec := get(h, http.MethodGet, "/admin")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/admin/" {
		t.Errorf("GET /admin = %d to %q, want 301 to /admin/", rec.Code, rec.Header().Get("Location"))
	}
	// The reader's page never answers for the panel, nor the panel's for the reader.
	if rec := get(h, http.MethodGet, "/admin/users"); strings.Contains(rec.Body.String(), indexHTML) {
		t.Error("/admin/users answered with the reader's page")
	}
	if rec := get(h, http.MethodGet, "/administrators"); !strings.Contains(rec.Body.String(), indexHTML) {
		t.Errorf("/administrators (a reader path) = %q, want the reader's page", rec.Body)
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
	for _, path := range []string{"/", "/plans/a-week-of-loving-kindness", "/admin/", "/admin/review"} {
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

// builtWithHead is dist/ with the page Vite builds from index.html.
var builtWithHead = fstest.MapFS{
	"index.html": {Data: []byte(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="description" content="Buddhist reading plans: read and practise one day at a time." />
    <title>Dharma Plans</title>
    <script type="module" crossorigin src="/assets/reader-Ab12.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`)},
	"assets/reader-Ab12.js": {Data: []byte(`console.log("reader")`)},
	"favicon.svg":           {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
}

// plansMeta describes /plans/{slug} as the server does, from a table.
func plansMeta(plans map[string]*web.PageMeta, calls *[]string) func(*http.Request) (*web.PageMeta, error) {
	return func(r *http.Request) (*web.PageMeta, error) {
		*calls = append(*calls, r.URL.Path)
		slug, ok := strings.CutPrefix(r.URL.Path, "/plans/")
		if !ok {
			return nil, nil
		}
		if slug == "broken" {
			return nil, errors.New("the catalogue is unavailable")
		}
		return plans[slug], nil
	}
}

var (
	withCover = &web.PageMeta{Title: "A Week of Loving-kindness", Description: "Seven days of mettā practice.",
		URL: "https://dharma.example/plans/a-week-of-loving-kindness", Image: "https://cdn.example/m/1280.jpg", ImageWidth: 1280, ImageHeight: 640}
	withoutCover = &web.PageMeta{Title: "Five Days of Zen Sitting", Description: "Just sit.", URL: "https://dharma.example/plans/zen"}
)

func TestAppPagesCarryTheirLinkPreview(t *testing.T) {
	var calls []string
	h := newHandler(t, builtWithHead, web.WithMeta(plansMeta(map[string]*web.PageMeta{
		"a-week-of-loving-kindness": withCover, "zen": withoutCover}, &calls)))

	t.Run("a plan with a cover previews large, with its image", func(t *testing.T) {
		body := get(h, http.MethodGet, "/plans/a-week-of-loving-kindness").Body.String()
		for _, want := range []string{
			`<title>A Week of Loving-kindness · Dharma Plans</title>`,
			`<meta name="description" content="Seven days of mettā practice.">`,
			`<link rel="canonical" href="https://dharma.example/plans/a-week-of-loving-kindness">`,
			`<meta property="og:type" content="website">`,
			`<meta property="og:site_name" content="Dharma Plans">`,
			`<meta property="og:title" content="A Week of Loving-kindness">`,
			`<meta property="og:description" content="Seven days of mettā practice.">`,
			`<meta property="og:url" content="https://dharma.example/plans/a-week-of-loving-kindness">`,
			`<meta property="og:image" content="https://cdn.example/m/1280.jpg">`,
			`<meta property="og:image:width" content="1280">`,
			`<meta property="og:image:height" content="640">`,
			`<meta name="twitter:card" content="summary_large_image">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s:\n%s", want, body)
			}
		}
		if head, _, _ := strings.Cut(body, "</head>"); strings.Count(head, "<title>") != 1 || strings.Count(head, `name="description"`) != 1 {
			t.Errorf("the page should have one title and one description, the plan's:\n%s", head)
		}
		if !strings.Contains(body, `<div id="root"></div>`) || !strings.Contains(body, `src="/assets/reader-Ab12.js"`) {
			t.Errorf("the app itself is gone from the page:\n%s", body)
		}
	})

	t.Run("a plan without a cover previews small, without an image", func(t *testing.T) {
		body := get(h, http.MethodGet, "/plans/zen").Body.String()
		if !strings.Contains(body, `<meta name="twitter:card" content="summary">`) || strings.Contains(body, "og:image") {
			t.Errorf("want a summary card and no og:image:\n%s", body)
		}
	})

	t.Run("pages without a description are the page as built", func(t *testing.T) {
		plain := get(newHandler(t, builtWithHead), http.MethodGet, "/").Body.String()
		for _, path := range []string{"/", "/today", "/plans/unknown", "/plans/broken", "/index.html"} {
			if body := get(h, http.MethodGet, path).Body.String(); body != plain {
				t.Errorf("GET %s changed the page:\n%s", path, body)
			}
		}
	})

	t.Run("files and the server's paths are never described", func(t *testing.T) {
		calls = nil
		for _, path := range []string{"/assets/reader-Ab12.js", "/favicon.svg", "/v1/plans/zen", "/plans/zen/cover.jpg", "/.vite/manifest.json"} {
			get(h, http.MethodGet, path)
		}
		if len(calls) != 0 {
			t.Errorf("asked for the description of %v", calls)
		}
	})
}

// Titles and descriptions are whatever authors typed: they must stay text.
func TestLinkPreviewsEscapeWhatAuthorsWrote(t *testing.T) {
	hostile := &web.PageMeta{
		Title:       `Mettā "for all" </title><script>alert(1)</script> & friends`,
		Description: "It's <b>bold</b>\n\tand \"quoted\" & more",
		URL:         `https://dharma.example/plans/x"><script>alert(2)</script>`,
		Image:       `https://cdn.example/a.jpg?x=1&y="2"`,
	}
	var calls []string
	h := newHandler(t, builtWithHead, web.WithMeta(plansMeta(map[string]*web.PageMeta{"x": hostile}, &calls)))
	body := get(h, http.MethodGet, "/plans/x").Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>") {
		t.Fatalf("markup from the plan reached the page:\n%s", body)
	}
	for _, want := range []string{
		`<title>Mettā &#34;for all&#34; &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends · Dharma Plans</title>`,
		`<meta property="og:title" content="Mettā &#34;for all&#34; &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends">`,
		`<meta property="og:description" content="It&#39;s &lt;b&gt;bold&lt;/b&gt; and &#34;quoted&#34; &amp; more">`,
		`<meta property="og:url" content="https://dharma.example/plans/x&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">`,
		`<meta property="og:image" content="https://cdn.example/a.jpg?x=1&amp;y=&#34;2&#34;">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s:\n%s", want, body)
		}
	}
}

func TestDescribedPagesAreRevalidatedByTheirOwnContent(t *testing.T) {
	var calls []string
	plans := map[string]*web.PageMeta{"a-week-of-loving-kindness": withCover, "zen": withoutCover}
	h := newHandler(t, builtWithHead, web.WithMeta(plansMeta(plans, &calls)))

	metta := get(h, http.MethodGet, "/plans/a-week-of-loving-kindness")
	zen := get(h, http.MethodGet, "/plans/zen")
	plain := get(h, http.MethodGet, "/")
	etag := metta.Header().Get("ETag")
	if etag == "" || etag == zen.Header().Get("ETag") || etag == plain.Header().Get("ETag") {
		t.Fatalf("ETags %q, %q, %q: want one per page content", etag, zen.Header().Get("ETag"), plain.Header().Get("ETag"))
	}
	if cc := metta.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache", cc)
	}
	if again := get(h, http.MethodGet, "/plans/a-week-of-loving-kindness", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("revalidating an unchanged plan page = %d, want 304", again.Code)
	}
	if other := get(h, http.MethodGet, "/plans/zen", "If-None-Match", etag); other.Code != http.StatusOK {
		t.Errorf("another plan's page revalidated with this one's ETag = %d, want 200", other.Code)
	}

	// The author changes the title: the page a browser kept is stale.
	plans["a-week-of-loving-kindness"] = &web.PageMeta{Title: "Seven Days of Loving-kindness", URL: withCover.URL}
	if changed := get(h, http.MethodGet, "/plans/a-week-of-loving-kindness", "If-None-Match", etag); changed.Code != http.StatusOK ||
		!strings.Contains(changed.Body.String(), "Seven Days of Loving-kindness") {
		t.Errorf("after the plan changed: %d, want 200 with the new title", changed.Code)
	}

	head := get(h, http.MethodHead, "/plans/zen")
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != zen.Header().Get("ETag") {
		t.Errorf("HEAD /plans/zen = %d, %d bytes, ETag %q; want 200, no body, the GET's ETag", head.Code, head.Body.Len(), head.Header().Get("ETag"))
	}
}

func TestAFailingDescriptionIsLoggedAndThePageStillServed(t *testing.T) {
	var logged bytes.Buffer
	var calls []string
	h := newHandler(t, builtWithHead, web.WithMeta(plansMeta(nil, &calls)), web.WithLogger(slog.New(slog.NewTextHandler(&logged, nil))))
	rec := get(h, http.MethodGet, "/plans/broken")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<div id="root">`) {
		t.Fatalf("GET /plans/broken = %d, want the app's page", rec.Code)
	}
	if !strings.Contains(logged.String(), "the catalogue is unavailable") || !strings.Contains(logged.String(), "/plans/broken") {
		t.Errorf("the failure was not logged: %q", logged.String())
	}
}

func TestThePageSayingHowToBuildCanBeDescribedToo(t *testing.T) {
	var calls []string
	h := newHandler(t, fstest.MapFS{}, web.WithMeta(plansMeta(map[string]*web.PageMeta{"zen": withoutCover}, &calls)))
	body := get(h, http.MethodGet, "/plans/zen").Body.String()
	if !strings.Contains(body, `<meta property="og:title" content="Five Days of Zen Sitting">`) || !strings.Contains(body, "make web") {
		t.Errorf("want the plan's preview on the page saying how to build the app:\n%s", body)
	}
}
