package httpapi_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/httpapi"
)

// BenchmarkMiddleware measures what every request pays before its handler:
// request id, logging, metrics, recovery, body limit, CORS, gzip and routing.
func BenchmarkMiddleware(b *testing.B) {
	api := httpapi.New(httpapi.Options{
		Logger:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
		CORSOrigins: []string{"https://app.example.org"},
	})
	req := httptest.NewRequest("GET", "/healthz", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
