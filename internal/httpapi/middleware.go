package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	httpRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_http_requests_total",
		Help: "HTTP requests by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	httpErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_http_request_errors_total",
		Help: "HTTP requests answered with a server error (5xx), by method and route pattern.",
	}, []string{"method", "route"})
	httpDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "dharmaplans_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by method and route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
)

// statusRecorder remembers the status and size of a response. Unwrap lets
// http.ResponseController reach the real writer (flush, deadlines).
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe logs and measures every request. It logs the route pattern, never
// the concrete path or query: those can hold what someone reads or searches
// for, which is personal.
func observe(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				route := "unmatched"
				if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
					route = rc.RoutePattern()
				}
				status := rec.status
				if status == 0 {
					status = http.StatusOK
				}
				elapsed := time.Since(start)
				httpRequests.WithLabelValues(r.Method, route, strconv.Itoa(status)).Inc()
				httpDuration.WithLabelValues(r.Method, route).Observe(elapsed.Seconds())
				level := slog.LevelInfo
				if status >= 500 {
					httpErrors.WithLabelValues(r.Method, route).Inc()
					level = slog.LevelError
				}
				if route == "/healthz" || route == "/readyz" || route == "/metrics" {
					level = slog.LevelDebug // probes every few seconds would drown the log
				}
				logger.LogAttrs(r.Context(), level, "request",
					slog.String("request_id", RequestID(r.Context())),
					slog.String("method", r.Method),
					slog.String("route", route),
					slog.Int("status", status),
					slog.Int("bytes", rec.bytes),
					slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// recoverPanics turns a panic into a logged 500 problem instead of a
// dropped connection.
func recoverPanics(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic", "request_id", RequestID(r.Context()),
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeProblem(w, r, http.StatusInternalServerError, "something went wrong on our side; quote the request id if you report it")
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// limitBody refuses bodies over limit: at once when Content-Length says so,
// and while reading otherwise. An upload's bytes are limited by the media
// rules instead, and a plan archive to import by the import's own limit.
func limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isUploadContent(r) || isPlanImport(r) {
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > limit {
				writeProblem(w, r, http.StatusRequestEntityTooLarge,
					fmt.Sprintf("the request body is %d bytes; the limit is %d", r.ContentLength, limit))
				return
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}
