// Package httpapi is the HTTP face of Dharma Plans: the /v1 JSON API
// described by an OpenAPI 3.1 document that huma builds from the handlers
// themselves (so the document is always the truth), interactive docs at
// /docs, health and readiness probes, Prometheus metrics, and the
// middleware every request passes through: request ids, structured logs,
// metrics, panic recovery, body limits, CORS and gzip.
//
// Handlers are thin: decode, call a feature service, encode. Errors from
// features go through Fail, the one mapping from error codes to problems.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humachi"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"
	"github.com/swaggest/swgui/v5emb"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

// OpenAPIPath is where the OpenAPI document is served (.json; .yaml too).
const OpenAPIPath = "/v1/openapi"

// Options configure the API.
type Options struct {
	Logger       *slog.Logger
	Version      string
	Checks       []Check  // readiness checks
	CORSOrigins  []string // empty: no cross-origin access
	MaxBodyBytes int64
	// Identity answers who is calling and serves the account routes; nil
	// leaves them out (for tests of the bare API).
	Identity *identity.Service
	// Catalog serves plans and authors; it needs Identity. Nil leaves the
	// catalogue out.
	Catalog *catalog.Service
	// Practice serves enrolments, progress, stats and live updates; it
	// needs Catalog. Nil leaves them out.
	Practice *practice.Service
	// Recommend serves recommendations; it needs Catalog. Nil leaves them
	// out.
	Recommend *recommend.Service
	// Media serves uploads and media files; it needs Identity. Nil leaves
	// them out.
	Media *media.Service
	// Audit serves the audit log to administrators; it needs Identity. Nil
	// leaves it out.
	Audit *audit.Service
	// Settings serves the system settings and invitations to
	// administrators, the site's public description, and the feature flags
	// some routes follow; it needs Identity. Nil leaves them out, with every
	// feature on.
	Settings *settings.Service
	// Analytics counts the admin dashboard's numbers; it needs Identity.
	// Nil leaves them out.
	Analytics *analytics.Service
	// MaxPlanZipBytes bounds a plan folder zip sent to the studio's import
	// (see PlanZipLimit); 0 means 200 MB.
	MaxPlanZipBytes int64
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client's address.
	TrustedProxies []netip.Prefix
	// Web serves the web app: GET and HEAD of the root and of every path
	// no route takes (the reader, and the admin panel under /admin/), except
	// under /v1, /docs and /metrics, which stay the API's 404s. Nil: the
	// root leads to the docs.
	Web http.Handler
}

// API is the assembled HTTP API.
type API struct {
	huma    huma.API
	handler http.Handler
	logger  *slog.Logger
}

// New assembles the API and its routes.
func New(opts Options) *API {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	router := chi.NewRouter()
	router.Use(withRequestID, observe(logger), recoverPanics(logger), limitBody(opts.MaxBodyBytes), middleware.GetHead, withClient(opts.TrustedProxies))
	if opts.Web != nil {
		opts.Web = problemOn404(opts.Web) // a missing script or image is a 404 like any other
	}
	router.NotFound(webOrNotFound(opts.Web))
	router.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if router.Match(chi.NewRouteContext(), m, r.URL.Path) {
				allowed = append(allowed, m)
			}
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeProblem(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	})

	cfg := huma.DefaultConfig("Dharma Plans API", opts.Version)
	cfg.Info.Description = "Buddhist reading plans: read and practise one day at a time. " +
		"Errors are RFC 9457 problem documents (application/problem+json) whose `type` is a stable URI under " +
		ProblemTypeBase + ". JSON field names are snake_case; times are RFC 3339 in UTC."
	cfg.Info.License = &huma.License{Name: "AGPL-3.0-or-later", Identifier: "AGPL-3.0-or-later"}
	cfg.OpenAPIPath = OpenAPIPath
	cfg.DocsPath = "" // served below from embedded assets: no third-party CDN
	cfg.SchemasPath = "/v1/schemas"
	cfg.CreateHooks = nil // no $schema links in bodies: plain JSON for clients
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		bearerScheme: {
			Type: "http", Scheme: "bearer", BearerFormat: "JWT",
			Description: "An access token from POST /v1/auth/login, /register or /refresh: a JWT signed with EdDSA, valid 15 minutes, verifiable with /.well-known/jwks.json.",
		},
	}
	hapi := humachi.New(router, cfg)

	a := &API{huma: hapi, logger: logger}
	registerHealth(hapi, opts.Checks)
	registerIndex(hapi, opts.Version)
	if ids := opts.Identity; ids != nil {
		hapi.UseMiddleware(authenticate(hapi, ids, logger))
		registerAccounts(hapi, ids, a.Fail)
		registerMe(hapi, ids, a.Fail)
		registerAdminUsers(hapi, ids, a.Fail)
		registerAdminUserSessions(hapi, ids, a.Fail)
		if an := opts.Analytics; an != nil {
			registerAdminStats(hapi, an, a.Fail)
		}
		if log := opts.Audit; log != nil {
			registerAdminAudit(hapi, log, a.Fail)
		}
		if set := opts.Settings; set != nil {
			registerAdminSettings(hapi, set, a.Fail)
		}
		if md := opts.Media; md != nil {
			registerMedia(hapi, md, a.Fail)
		}
		if cat := opts.Catalog; cat != nil {
			views := mediaViewsOf(opts.Media)
			registerPlans(hapi, cat, views, featuresOf(opts.Settings), a.Fail)
			registerStudio(hapi, cat, ids, views, a.Fail)
			registerStudioFiles(hapi, cat, opts.Media, views, opts.MaxPlanZipBytes, a.Fail)
			registerAdminCatalog(hapi, cat, views, a.Fail)
			if pr := opts.Practice; pr != nil {
				registerPractice(hapi, pr, views, a.Fail)
			}
			if rec := opts.Recommend; rec != nil {
				registerRecommendations(hapi, rec, views, featuresOf(opts.Settings), a.Fail)
			}
		}
		pages := accountPages()
		for _, p := range []string{"/setup", "/account/pages.js", "/account/pages.css"} {
			router.Method(http.MethodGet, p, pages)
		}
	}

	router.Method(http.MethodGet, "/metrics", promhttp.Handler())
	docs := v5emb.New("Dharma Plans API", OpenAPIPath+".json", "/docs/")
	router.Method(http.MethodGet, "/docs", http.RedirectHandler("/docs/", http.StatusMovedPermanently))
	router.Method(http.MethodGet, "/docs/*", problemOn404(docs))
	if opts.Web != nil {
		router.Method(http.MethodGet, "/", opts.Web)
	} else {
		router.Method(http.MethodGet, "/", http.RedirectHandler("/docs/", http.StatusFound))
	}

	var h http.Handler = router
	if len(opts.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins:   opts.CORSOrigins,
			AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowedHeaders:   []string{"Authorization", "Content-Type", "X-Request-ID", "Idempotency-Key", "If-Match"},
			ExposedHeaders:   []string{"X-Request-ID", "Retry-After", "Link", "ETag"},
			AllowCredentials: true,
			MaxAge:           600,
		}).Handler(h)
	}
	// Event streams are written as they happen: compressing them would
	// hold events back in the compressor's buffer. Media files are sent as
	// stored, so that ranges are of their bytes, and uploads stream in.
	// The fastest level: on 8 KB of text it takes less than half the CPU
	// of gzhttp's default level for an answer 7% larger.
	wrap, err := gzhttp.NewWrapper(gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		panic(err) // the options are constant
	}
	zipped := wrap(h)
	a.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me/events" || isMediaFile(r) || isUploadContent(r) {
			h.ServeHTTP(w, r)
			return
		}
		zipped.ServeHTTP(w, r)
	})
	return a
}

// Huma returns the huma API, for registering operations.
func (a *API) Huma() huma.API { return a.huma }

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Fail is Fail with this API's logger.
func (a *API) Fail(ctx context.Context, err error) error { return Fail(ctx, a.logger, err) }

type indexOutput struct {
	Body struct {
		Name    string `json:"name" example:"Dharma Plans"`
		Version string `json:"version"`
		Docs    string `json:"docs" doc:"Interactive API documentation."`
		OpenAPI string `json:"openapi" doc:"The OpenAPI 3.1 document."`
		Health  string `json:"health"`
	}
}

func registerIndex(api huma.API, version string) {
	huma.Register(api, huma.Operation{
		OperationID: "index",
		Method:      http.MethodGet,
		Path:        "/v1",
		Summary:     "Where things are",
		Description: "Names the service and links to the documentation.",
		Tags:        []string{"Operations"},
	}, func(ctx context.Context, _ *struct{}) (*indexOutput, error) {
		out := &indexOutput{}
		out.Body.Name, out.Body.Version = "Dharma Plans", version
		out.Body.Docs, out.Body.OpenAPI, out.Body.Health = "/docs/", OpenAPIPath+".json", "/readyz"
		return out, nil
	})
}

// serverPaths are the paths under which everything is the server's own:
// no page of the web app is there, so a path no route takes is a 404.
// (The admin panel under /admin is a front end of its own: web serves it.)
var serverPaths = []string{"/v1", "/docs", "/metrics"}

// webOrNotFound answers what no route takes. The web app's pages are
// client-side routes the server does not know, so GET and HEAD of any other
// path go to web (which answers files, its page, or 404); the rest is a
// problem 404. The web app takes no route of its own beyond the root: a
// catch-all GET route would make every other method on an unknown path a
// 405 instead of a 404.
func webOrNotFound(web http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if web != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !isServerPath(r.URL.Path) {
			if rc := chi.RouteContext(r.Context()); rc != nil {
				rc.RoutePatterns = append(rc.RoutePatterns, "/*") // logged and measured as the web app, not as unmatched
			}
			web.ServeHTTP(w, r)
			return
		}
		writeProblem(w, r, http.StatusNotFound, "there is nothing at "+r.URL.Path)
	}
}

func isServerPath(p string) bool {
	p = path.Clean("/" + p)
	for _, prefix := range serverPaths {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// problemOn404 makes a handler that answers 404 in plain text (a file
// server) answer with the API's problem document instead.
func problemOn404(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&notFoundInterceptor{ResponseWriter: w, r: r}, r)
	})
}

type notFoundInterceptor struct {
	http.ResponseWriter
	r        *http.Request
	notFound bool
}

func (n *notFoundInterceptor) WriteHeader(code int) {
	if code == http.StatusNotFound {
		n.notFound = true
		n.ResponseWriter.Header().Del("Content-Type")
		n.ResponseWriter.Header().Del("X-Content-Type-Options")
		writeProblem(n.ResponseWriter, n.r, http.StatusNotFound, "there is nothing at "+n.r.URL.Path)
		return
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *notFoundInterceptor) Write(b []byte) (int, error) {
	if n.notFound {
		return len(b), nil // the file server's own text; the problem is written
	}
	return n.ResponseWriter.Write(b)
}
