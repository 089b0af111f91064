//go:build e2e

package main

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Builds tagged e2e (the end-to-end tests build the binary so) get a route
// that takes as long as asked, to have a request in flight on demand.
func init() {
	extraRoutes = append(extraRoutes, func(api huma.API) {
		huma.Register(api, huma.Operation{OperationID: "e2e-sleep", Method: http.MethodGet, Path: "/v1/e2e/sleep"},
			func(ctx context.Context, in *struct {
				For string `query:"for"`
			}) (*struct{ Body struct{ Slept string } }, error) {
				d, err := time.ParseDuration(in.For)
				if err != nil {
					return nil, huma.Error422UnprocessableEntity("for: want a duration")
				}
				time.Sleep(d)
				out := &struct{ Body struct{ Slept string } }{}
				out.Body.Slept = d.String()
				return out, nil
			})
	})
}
