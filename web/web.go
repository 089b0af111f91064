// Package web serves the Dharma Plans web app: the React front end in this
// folder, built by Vite into dist/ and embedded in the binary, so that one
// process serves the API and the app on one origin.
//
// A clone where the app has not been built still compiles: dist/ then holds
// only a committed placeholder, and the server shows a page saying how to
// build the app.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// Cache-Control of each kind of file. HTML is checked on every visit, so
// that a new release reaches people at once; the files under assets/ are
// named by a hash of their content and never change; the rest (icons, the
// manifest) may be a little stale.
const (
	cacheHTML   = "no-cache"
	cacheAssets = "public, max-age=31536000, immutable"
	cacheOther  = "public, max-age=3600"
)

// reserved are the paths that are never the reader's: the API, its docs,
// metrics, and the admin panel (a front end of its own, under admin/). A
// mistyped API path must be a 404, not the reader's page.
var reserved = []string{"v1", "docs", "admin", "metrics"}

// adminDir is where the admin panel's build sits in dist/: its page
// (admin/index.html) and its own scripts (admin/assets/), a separate bundle
// from the reader's, served at /admin/.
const adminDir = "admin"

// Handler serves the web app embedded in the binary (see New).
func Handler(opts ...Option) http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path
	}
	h, err := New(files, opts...)
	if err != nil {
		panic(err) // embedded files are always readable
	}
	return h
}

// An Option changes how New serves the app.
type Option func(*handler)

// WithMeta has the server describe the app's pages for link previews:
// meta is asked about each request for an app page (the root or a
// client-side route, never a file), and the PageMeta it returns is written
// into the page's <head>, because the crawlers that draw previews of
// shared links do not run the app's JavaScript. A nil PageMeta leaves the
// page as built; so does an error, which is logged (see WithLogger).
func WithMeta(meta func(r *http.Request) (*PageMeta, error)) Option {
	return func(h *handler) { h.meta = meta }
}

// WithLogger sets where the errors of WithMeta's function are logged;
// without it, slog's default logger.
func WithLogger(logger *slog.Logger) Option {
	return func(h *handler) { h.logger = logger }
}

// New serves a build of the web app, files being the contents of dist/:
// the files themselves at their paths, and index.html for the paths of the
// app's own pages (a GET of a path without a file extension that is not a
// file), so that a link into the app opens it where it points. Without
// index.html, those paths get a page saying how to build the app. Paths
// under /v1, /docs and /metrics, names that start with a dot and files that
// are not there are 404s. Under /admin/ the admin panel is served the same
// way, from admin/ with its own page (admin/index.html).
//
// Every response carries an ETag, so a browser revalidating the HTML gets
// 304 Not Modified while it has not changed (a page described by WithMeta
// has the ETag of what was written, so it changes with the description).
// The page and the few files beside it are read once, here; the files
// under assets/ (most of the build) are read from files as they are asked
// for, so that the embedded build is not copied into memory: their names
// carry a hash of their content, and are their ETags.
func New(files fs.FS, opts ...Option) (http.Handler, error) {
	h := &handler{files: map[string]*file{}, logger: slog.Default()}
	for _, opt := range opts {
		opt(h)
	}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if hidden(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, adminDir+"/assets/") {
			h.files[name] = newAsset(files, name)
			return nil
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		h.files[name] = newFile(name, data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	h.page = h.files["index.html"]
	if h.page == nil {
		h.page = newFile("index.html", []byte(notBuiltPage))
	}
	h.adminPage = h.files[adminDir+"/index.html"]
	if h.adminPage == nil {
		h.adminPage = newFile(adminDir+"/index.html", []byte(notBuiltPage))
	}
	h.head = parseHead(h.page.data)
	return h, nil
}

type handler struct {
	files map[string]*file // by path relative to dist/, without hidden files
	page  *file            // index.html, or the page saying how to build it
	// adminPage is admin/index.html, or the page saying how to build it.
	adminPage *file
	head      *head // the page cut where a PageMeta goes; nil if it has no </head>
	meta      func(r *http.Request) (*PageMeta, error)
	logger    *slog.Logger
}

type file struct {
	name         string
	data         []byte // the content; nil for an asset read from fsys
	fsys         fs.FS
	etag         string
	contentType  string
	cacheControl string
}

func newFile(name string, data []byte) *file {
	sum := sha256.Sum256(data)
	return described(&file{name: name, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`})
}

// newAsset is a file under assets/, read from fsys when asked for. Its
// name changes with its content, so a hash of the name is its ETag.
func newAsset(fsys fs.FS, name string) *file {
	sum := sha256.Sum256([]byte(name))
	return described(&file{name: name, fsys: fsys, etag: `"` + hex.EncodeToString(sum[:12]) + `"`})
}

// described sets f's content type and caching from its name.
func described(f *file) *file {
	name := f.name
	ext := path.Ext(name)
	f.contentType = mime.TypeByExtension(ext) // empty: http.ServeContent sniffs
	if ext == ".webmanifest" {
		f.contentType = "application/manifest+json" // not in Go's table
	}
	switch {
	case ext == ".html" || ext == ".webmanifest" || name == "sw.js" || name == "registerSW.js":
		// The page, and what says which version of the app is current:
		// a new release must reach people at once.
		f.cacheControl = cacheHTML
	case strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, adminDir+"/assets/"):
		f.cacheControl = cacheAssets
	default:
		f.cacheControl = cacheOther
	}
	return f
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/") // "" for the root
	if name == adminDir || strings.HasPrefix(name, adminDir+"/") {
		h.serveAdmin(w, r, name)
		return
	}
	switch f := h.files[name]; {
	case isReserved(name) || hidden(name):
		http.NotFound(w, r)
	case name == "index.html":
		serve(w, r, h.appPage(r))
	case f != nil:
		serve(w, r, f)
	case path.Ext(name) != "" || strings.HasPrefix(name, "assets/"):
		// A file (a script, an image) that is not there: answered with the
		// page, it would fail obscurely in the browser.
		http.NotFound(w, r)
	default:
		serve(w, r, h.appPage(r))
	}
}

// serveAdmin answers a path of the admin panel: its files, and its page for
// the panel's own routes (a path without a file extension), as the reader's
// are answered. /admin itself moves to /admin/, where the panel's relative
// routes start.
func (h *handler) serveAdmin(w http.ResponseWriter, r *http.Request, name string) {
	if name == adminDir && !strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, "/"+adminDir+"/", http.StatusMovedPermanently)
		return
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(name, adminDir), "/")
	switch f := h.files[name]; {
	case hidden(name):
		http.NotFound(w, r)
	case f != nil:
		serve(w, r, f)
	case path.Ext(rest) != "" || strings.HasPrefix(rest, "assets/"):
		http.NotFound(w, r)
	default:
		serve(w, r, h.adminPage)
	}
}

// appPage is the app's page for r: as built, or with r's PageMeta.
func (h *handler) appPage(r *http.Request) *file {
	if h.meta == nil || h.head == nil {
		return h.page
	}
	meta, err := h.meta(r)
	if err != nil {
		h.logger.WarnContext(r.Context(), "web: the page is served without its link preview", "path", r.URL.Path, "error", err)
		return h.page
	}
	if meta == nil {
		return h.page
	}
	return newFile(h.page.name, h.head.with(meta))
}

func serve(w http.ResponseWriter, r *http.Request, f *file) {
	header := w.Header()
	header.Set("Cache-Control", f.cacheControl)
	header.Set("ETag", f.etag)
	header.Set("X-Content-Type-Options", "nosniff")
	if f.contentType != "" {
		header.Set("Content-Type", f.contentType)
	}
	if f.cacheControl == cacheHTML {
		header.Set("Content-Security-Policy", "frame-ancestors 'none'")
	}
	if f.data != nil {
		http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.data))
		return
	}
	content, err := f.fsys.Open(f.name)
	if err != nil {
		http.Error(w, "the file cannot be read", http.StatusInternalServerError)
		return
	}
	defer content.Close()
	rs, ok := content.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(content)
		if err != nil {
			http.Error(w, "the file cannot be read", http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(data)
	}
	http.ServeContent(w, r, f.name, time.Time{}, rs)
}

// isReserved says whether name (a clean path without its leading slash)
// belongs to the server rather than to the web app.
func isReserved(name string) bool {
	for _, p := range reserved {
		if name == p || strings.HasPrefix(name, p+"/") {
			return true
		}
	}
	return false
}

// hidden says whether a path has a segment starting with a dot: the
// build's own files (.vite/manifest.json, .placeholder) are not the app's.
func hidden(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return true
		}
	}
	return false
}

// notBuiltPage is shown in place of the app by a binary built without it.
const notBuiltPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dharma Plans: the web app is not built</title>
<style>body{font:1.05rem/1.6 system-ui,sans-serif;max-width:38rem;margin:4rem auto;padding:0 1rem;color:#2b2118;background:#f7f3ec}code{background:#ebe3d6;padding:0 .25em;border-radius:3px}</style>
</head>
<body>
<h1>The web app is not built into this server</h1>
<p>This binary was built without the web app. To build it in, run <code>make run</code>, or <code>make web</code> and then <code>make build</code>, in a clone of the repository with Node.js 20.19 or newer.</p>
<p>The API works all the same: see <a href="/docs/">its documentation</a>.</p>
</body>
</html>
`
