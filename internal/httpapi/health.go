package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Check is one dependency that readiness depends on.
type Check struct {
	Name string                          // e.g. "database", "cache", "media"
	Run  func(ctx context.Context) error // nil error: ready
}

// checkTimeout bounds each readiness check, so a hung dependency makes
// /readyz say so instead of hanging the probe.
const checkTimeout = 2 * time.Second

// CheckResult is the outcome of one readiness check.
type CheckResult struct {
	Status     string  `json:"status" enum:"ok,failing" doc:"ok or failing"`
	Error      string  `json:"error,omitempty" doc:"Why the check failed."`
	DurationMS float64 `json:"duration_ms" doc:"How long the check took."`
}

// HealthBody is the body of /healthz and /readyz.
type HealthBody struct {
	Status string                 `json:"status" enum:"ok,unavailable" doc:"ok when alive (healthz) or when every check passes (readyz)."`
	Checks map[string]CheckResult `json:"checks,omitempty" doc:"Each dependency checked, by name."`
}

type healthOutput struct {
	Status       int
	CacheControl string `header:"Cache-Control"`
	Body         HealthBody
}

func registerHealth(api huma.API, checks []Check) {
	huma.Register(api, huma.Operation{
		OperationID: "healthz",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "Is the process alive?",
		Description: "Answers 200 while the process runs, without touching dependencies. For liveness probes.",
		Tags:        []string{"Operations"},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		return &healthOutput{Status: http.StatusOK, CacheControl: "no-store", Body: HealthBody{Status: "ok"}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "readyz",
		Method:      http.MethodGet,
		Path:        "/readyz",
		Summary:     "Can the process serve requests?",
		Description: "Checks each dependency (database, cache, media store) with a " + checkTimeout.String() +
			" budget each. 200 when all pass; 503 naming the failing checks otherwise. Recovers on its own when a dependency comes back. For readiness probes and load balancers.",
		Tags:      []string{"Operations"},
		Responses: map[string]*huma.Response{"503": {Description: "A dependency is down; the body names it."}},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		out := &healthOutput{Status: http.StatusOK, CacheControl: "no-store",
			Body: HealthBody{Status: "ok", Checks: make(map[string]CheckResult, len(checks))}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range checks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cctx, cancel := context.WithTimeout(ctx, checkTimeout)
				defer cancel()
				start := time.Now()
				err := c.Run(cctx)
				res := CheckResult{Status: "ok", DurationMS: float64(time.Since(start).Microseconds()) / 1000}
				if err != nil {
					res.Status, res.Error = "failing", err.Error()
				}
				mu.Lock()
				defer mu.Unlock()
				out.Body.Checks[c.Name] = res
				if err != nil {
					out.Status, out.Body.Status = http.StatusServiceUnavailable, "unavailable"
				}
			}()
		}
		wg.Wait()
		return out, nil
	})
}
