package httpapi

import (
	"embed"
	"net/http"
	"path"
)

//go:embed pages
var pageFiles embed.FS

// accountPages serves the first-admin page (/setup) that the link printed
// by serve opens, and its script and style, so that a server can get its
// first admin before (and without) the web app. The links in account
// emails (/verify-email, /reset-password) open the reader web app.
func accountPages() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		ctype := "text/html; charset=utf-8"
		switch path.Ext(name) {
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".css":
			ctype = "text/css; charset=utf-8"
		default:
			name += ".html"
		}
		data, err := pageFiles.ReadFile("pages/" + name)
		if err != nil {
			writeProblem(w, r, http.StatusNotFound, "there is nothing at "+r.URL.Path)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(data)
	})
}
