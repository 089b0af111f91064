package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/httpapi"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

const openAPISummary = `Usage: dharmaplans openapi [--version V]

Prints the OpenAPI 3.1 document of the whole API, the one the server serves at
/v1/openapi.json, without a database or any configuration. make api-client
writes it to web/src/api/openapi.json and generates the web app's client
from it.`

func openAPICommand(_ context.Context, args, environ []string, stdout, _ io.Writer) error {
	var version string
	_, rest, err := config.LoadWith("openapi", openAPISummary, 0, args, environ, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&version, "version", Version(), "the info.version the document states")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("openapi takes no arguments, got %q", rest)
	}
	doc, err := openAPIDocument(version)
	if err != nil {
		return err
	}
	_, err = stdout.Write(doc)
	return err
}

// openAPIDocument is the document the API serves, indented so that a change to the
// API reads as a small diff of the copy the web app keeps.
//
// The document is built from the routes and their types alone, so the
// services are made without a store: registering a route never calls them,
// and nothing here serves a request that would. A test checks that the
// document is the one a server on a real database serves.
func openAPIDocument(version string) ([]byte, error) {
	logger := slog.New(slog.DiscardHandler)
	cat := catalog.NewService(catalog.Deps{Logger: logger})
	pr := practice.NewService(practice.Deps{Catalog: cat, Logger: logger})
	defer pr.Close()
	api := httpapi.New(httpapi.Options{
		Logger:    logger,
		Version:   version,
		Identity:  identity.NewService(identity.Deps{Logger: logger}, identity.Config{Onboarding: recommend.OnboardingChoices()}),
		Catalog:   cat,
		Practice:  pr,
		Recommend: recommend.NewService(recommend.Deps{Logger: logger}),
		Media:     media.NewService(media.Deps{Logger: logger}),
		Audit:     audit.NewService(audit.Deps{Logger: logger}),
		Settings:  settings.NewService(settings.Deps{Logger: logger}),
		Analytics: analytics.NewService(analytics.Deps{Logger: logger}),
	})
	doc, err := json.MarshalIndent(api.Huma().OpenAPI(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return append(doc, '\n'), nil
}
