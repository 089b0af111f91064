package httpapi

import (
	"embed"
	"net/http"
)

//go:embed setup
var setupFiles embed.FS

// setupPage serves the one-time page that creates the first admin (the
// link `serve` prints on an empty database) and its script. It works
// before the web app exists and without it.
func setupPage() http.Handler {
	page, _ := setupFiles.ReadFile("setup/index.html")
	script, _ := setupFiles.ReadFile("setup/setup.js")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == "/setup.js" {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			_, _ = w.Write(script)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
}
