package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/httpapi"
)

// newAPI builds the API with checks and, for failure scenarios, routes that
// return each kind of error: a real router, nothing mocked.
func newAPI(t *testing.T, logs *bytes.Buffer, checks ...httpapi.Check) *httpapi.API {
	t.Helper()
	if logs == nil {
		logs = &bytes.Buffer{}
	}
	api := httpapi.New(httpapi.Options{
		Logger:       slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version:      "test",
		Checks:       checks,
		CORSOrigins:  []string{"https://app.example.org"},
		MaxBodyBytes: 2048,
	})
	type echoInput struct {
		Body struct {
			Email string `json:"email" format:"email" maxLength:"50"`
			Days  int    `json:"days" minimum:"1" maximum:"365"`
		}
	}
	huma.Register(api.Huma(), huma.Operation{OperationID: "echo", Method: http.MethodPost, Path: "/v1/test/echo"},
		func(ctx context.Context, in *echoInput) (*struct{}, error) { return nil, nil })
	huma.Register(api.Huma(), huma.Operation{OperationID: "fail", Method: http.MethodGet, Path: "/v1/test/fail/{code}"},
		func(ctx context.Context, in *struct {
			Code string `path:"code"`
		}) (*struct{}, error) {
			switch in.Code {
			case "panic":
				panic("a bug")
			case "internal":
				return nil, api.Fail(ctx, errors.New("disk on fire at /var/secret"))
			case "fields":
				return nil, api.Fail(ctx, errs.Validation(
					errs.FieldError{Field: "body.timezone", Message: "unknown time zone"},
					errs.FieldError{Field: "body.locale", Message: "not a BCP 47 tag"}))
			}
			return nil, api.Fail(ctx, errs.E(errs.Code(in.Code), "plan not found"))
		})
	return api
}

type scenario struct {
	name       string
	method     string
	path       string
	body       string
	headers    map[string]string
	wantStatus int
	wantType   string   // problem type slug, for problems
	wantBody   []string // fragments the body must contain
	notBody    []string // fragments it must not
}

func (sc scenario) run(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, sc.path, strings.NewReader(sc.body))
	if sc.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range sc.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != sc.wantStatus {
		t.Fatalf("%s %s = %d, want %d; body %s", method, sc.path, rec.Code, sc.wantStatus, rec.Body)
	}
	body := rec.Body.String()
	if sc.wantType != "" {
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type = %q, want application/problem+json", ct)
		}
		var p httpapi.Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("problem body: %v: %s", err, body)
		}
		if p.Type != httpapi.ProblemTypeBase+sc.wantType || p.Status != sc.wantStatus || p.Title == "" {
			t.Errorf("problem = %+v, want type %s", p, sc.wantType)
		}
		if p.RequestID == "" || p.RequestID != rec.Header().Get("X-Request-ID") {
			t.Errorf("problem request_id %q, header %q", p.RequestID, rec.Header().Get("X-Request-ID"))
		}
	}
	for _, f := range sc.wantBody {
		if !strings.Contains(body, f) {
			t.Errorf("body lacks %q: %s", f, body)
		}
	}
	for _, f := range sc.notBody {
		if strings.Contains(body, f) {
			t.Errorf("body contains %q: %s", f, body)
		}
	}
	return rec
}

func TestProblems(t *testing.T) {
	api := newAPI(t, nil)
	for _, sc := range []scenario{
		{name: "an unknown path is a 404 problem, not HTML", path: "/v1/nothing/here", wantStatus: 404, wantType: "not-found", wantBody: []string{`"instance":"/v1/nothing/here"`}},
		{name: "an unknown top-level path too", path: "/wp-login.php", wantStatus: 404, wantType: "not-found"},
		{name: "a wrong method is a 405 problem", method: "DELETE", path: "/healthz", wantStatus: 405, wantType: "method-not-allowed"},
		{name: "malformed JSON is a 400 problem", method: "POST", path: "/v1/test/echo", body: `{"email":`, wantStatus: 400, wantType: "bad-request"},
		{name: "every invalid field is listed at once", method: "POST", path: "/v1/test/echo", body: `{"email":"not-an-email","days":0}`,
			wantStatus: 422, wantType: "invalid", wantBody: []string{"body.email", "body.days"}},
		{name: "a body over the limit is a 413 problem", method: "POST", path: "/v1/test/echo", body: `{"email":"` + strings.Repeat("a", 4000) + `"}`,
			wantStatus: 413, wantType: "too-large"},
		{name: "not found from a feature keeps its message", path: "/v1/test/fail/not-found", wantStatus: 404, wantType: "not-found", wantBody: []string{"plan not found"}},
		{name: "conflict", path: "/v1/test/fail/conflict", wantStatus: 409, wantType: "conflict"},
		{name: "forbidden", path: "/v1/test/fail/forbidden", wantStatus: 403, wantType: "forbidden"},
		{name: "unauthenticated", path: "/v1/test/fail/unauthenticated", wantStatus: 401, wantType: "unauthenticated"},
		{name: "rate limited", path: "/v1/test/fail/rate-limited", wantStatus: 429, wantType: "rate-limited"},
		{name: "unavailable", path: "/v1/test/fail/unavailable", wantStatus: 503, wantType: "unavailable"},
		{name: "field errors from a feature are listed", path: "/v1/test/fail/fields", wantStatus: 422, wantType: "invalid",
			wantBody: []string{"body.timezone", "unknown time zone", "body.locale"}},
		{name: "an internal error hides its cause", path: "/v1/test/fail/internal", wantStatus: 500, wantType: "internal", notBody: []string{"disk on fire", "/var/secret"}},
		{name: "a panic becomes a 500 problem", path: "/v1/test/fail/panic", wantStatus: 500, wantType: "internal", notBody: []string{"a bug"}},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, api) })
	}
}

func TestMethodNotAllowedSaysWhatIs(t *testing.T) {
	rec := scenario{method: "DELETE", path: "/healthz", wantStatus: 405, wantType: "method-not-allowed"}.run(t, newAPI(t, nil))
	if got := rec.Header().Get("Allow"); got != "GET" {
		t.Errorf("Allow = %q, want GET", got)
	}
}

func TestRequestIDs(t *testing.T) {
	api := newAPI(t, nil)
	t.Run("a sane client id is echoed", func(t *testing.T) {
		rec := scenario{path: "/healthz", headers: map[string]string{"X-Request-ID": "phone-42.retry:1"}, wantStatus: 200}.run(t, api)
		if got := rec.Header().Get("X-Request-ID"); got != "phone-42.retry:1" {
			t.Errorf("X-Request-ID = %q", got)
		}
	})
	t.Run("a hostile client id is replaced", func(t *testing.T) {
		rec := scenario{path: "/healthz", headers: map[string]string{"X-Request-ID": "x\" injected=\"1"}, wantStatus: 200}.run(t, api)
		if got := rec.Header().Get("X-Request-ID"); got == "" || strings.Contains(got, "injected") {
			t.Errorf("X-Request-ID = %q", got)
		}
	})
	t.Run("without one, each request gets its own", func(t *testing.T) {
		a := scenario{path: "/healthz", wantStatus: 200}.run(t, api).Header().Get("X-Request-ID")
		b := scenario{path: "/healthz", wantStatus: 200}.run(t, api).Header().Get("X-Request-ID")
		if a == "" || a == b {
			t.Errorf("ids %q and %q", a, b)
		}
	})
}

func TestLogsNameRoutesNotPaths(t *testing.T) {
	var logs bytes.Buffer
	api := newAPI(t, &logs)
	scenario{path: "/v1/test/fail/internal?q=metta+for+my+mother", wantStatus: 500}.run(t, api)
	out := logs.String()
	if !strings.Contains(out, `"route":"/v1/test/fail/{code}"`) || !strings.Contains(out, `"request_id"`) {
		t.Errorf("request log lacks route pattern or request id:\n%s", out)
	}
	if strings.Contains(out, "metta") {
		t.Errorf("log contains what the user searched for:\n%s", out)
	}
	if !strings.Contains(out, "disk on fire") {
		t.Errorf("the internal error's cause is not logged for operators:\n%s", out)
	}
}

func TestReadiness(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	ok := func(context.Context) error { return nil }
	t.Run("all checks passing is 200", func(t *testing.T) {
		api := newAPI(t, nil, httpapi.Check{Name: "database", Run: ok}, httpapi.Check{Name: "cache", Run: ok})
		scenario{path: "/readyz", wantStatus: 200, wantBody: []string{`"status":"ok"`, `"database":{"status":"ok"`, `"cache":{"status":"ok"`}}.run(t, api)
	})
	t.Run("a failing check is 503 and named", func(t *testing.T) {
		api := newAPI(t, nil, httpapi.Check{Name: "database", Run: ok}, httpapi.Check{Name: "cache", Run: func(context.Context) error { return down }})
		scenario{path: "/readyz", wantStatus: 503, wantBody: []string{`"status":"unavailable"`, `"cache":{"status":"failing","error":"dial tcp`, `"database":{"status":"ok"`}}.run(t, api)
	})
	t.Run("a hung check times out instead of hanging the probe", func(t *testing.T) {
		hung := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
		api := newAPI(t, nil, httpapi.Check{Name: "media", Run: hung})
		scenario{path: "/readyz", wantStatus: 503, wantBody: []string{`"media":{"status":"failing","error":"context deadline exceeded"`}}.run(t, api)
	})
	t.Run("probes may use HEAD", func(t *testing.T) {
		api := newAPI(t, nil, httpapi.Check{Name: "database", Run: ok})
		scenario{method: "HEAD", path: "/readyz", wantStatus: 200}.run(t, api)
		scenario{method: "HEAD", path: "/healthz", wantStatus: 200}.run(t, api)
	})
	t.Run("healthz does not depend on dependencies", func(t *testing.T) {
		api := newAPI(t, nil, httpapi.Check{Name: "database", Run: func(context.Context) error { return down }})
		scenario{path: "/healthz", wantStatus: 200, wantBody: []string{`"status":"ok"`}}.run(t, api)
	})
}

func TestGzip(t *testing.T) {
	api := newAPI(t, nil)
	rec := scenario{path: "/v1/openapi.json", headers: map[string]string{"Accept-Encoding": "gzip"}, wantStatus: 200}.run(t, api)
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(zr)
	if !bytes.Contains(doc, []byte(`"openapi":"3.1`)) {
		t.Errorf("decompressed body is not the OpenAPI document: %.100s", doc)
	}
}

func TestCORS(t *testing.T) {
	api := newAPI(t, nil)
	preflight := func(origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/v1/test/echo", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		return rec
	}
	t.Run("a configured origin may call the API with credentials", func(t *testing.T) {
		rec := preflight("https://app.example.org")
		if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.org" || rec.Header().Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("preflight headers = %v", rec.Header())
		}
	})
	t.Run("another origin may not", func(t *testing.T) {
		if got := preflight("https://evil.example.com").Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Access-Control-Allow-Origin = %q for a foreign origin", got)
		}
	})
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	api := newAPI(t, nil)
	scenario{path: "/v1/test/fail/not-found", wantStatus: 404}.run(t, api)
	scenario{path: "/v1/test/fail/internal", wantStatus: 500}.run(t, api)
	rec := scenario{path: "/metrics", wantStatus: 200}.run(t, api)
	for _, want := range []string{
		`dharmaplans_http_requests_total{code="404",method="GET",route="/v1/test/fail/{code}"}`,
		`dharmaplans_http_request_errors_total{method="GET",route="/v1/test/fail/{code}"}`,
		`dharmaplans_http_request_duration_seconds_bucket{method="GET",route="/v1/test/fail/{code}"`,
		`go_goroutines`, `go_memstats_heap_alloc_bytes`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestDocsAreServedWithoutThirdParties(t *testing.T) {
	api := newAPI(t, nil)
	rec := scenario{path: "/docs/", wantStatus: 200, wantBody: []string{"/v1/openapi.json"}}.run(t, api)
	if strings.Contains(rec.Body.String(), "unpkg.com") || strings.Contains(rec.Body.String(), "cdn.jsdelivr") {
		t.Error("/docs loads assets from a third-party CDN")
	}
	scenario{path: "/docs", wantStatus: 301}.run(t, api)
	scenario{path: "/docs/no-such-asset.js", wantStatus: 404, wantType: "not-found"}.run(t, api)
	scenario{path: "/", wantStatus: 302}.run(t, api)
}
