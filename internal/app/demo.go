package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/demo"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// LoadDemo publishes the demo plans that are not in the catalogue yet.
// With onlyIfEmpty it does nothing unless the catalogue has no plans at
// all, so a server started with --demo never adds them to a real one.
func LoadDemo(ctx context.Context, cat *catalog.Service, st catalog.Store, logger *slog.Logger, onlyIfEmpty bool) error {
	if onlyIfEmpty {
		n, err := st.CountPlans(ctx)
		if err != nil {
			return fmt.Errorf("demo plans: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	plans, err := demo.Plans()
	if err != nil {
		return fmt.Errorf("demo plans: %w", err)
	}
	for _, c := range plans {
		if _, err := st.PlanBySlug(ctx, c.Slug); err == nil {
			logger.Info("demo plan already there", "slug", c.Slug)
			continue
		} else if !errs.Is(err, errs.NotFound) {
			return fmt.Errorf("demo plan %s: %w", c.Slug, err)
		}
		if _, err := cat.Import(ctx, c, catalog.ImportOptions{Publish: true}); err != nil {
			return fmt.Errorf("demo plan %s: %w", c.Slug, err)
		}
		logger.Info("loaded demo plan", "slug", c.Slug, "days", len(c.Days))
	}
	return nil
}

// Catalog is the catalog service (for tests).
func (m *Main) Catalog() *catalog.Service { return m.catalog }
