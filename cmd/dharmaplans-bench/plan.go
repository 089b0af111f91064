package main

import (
	"context"
	"fmt"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/demo"
)

// Shape of the plan every seeded person follows.
const (
	benchPlanSlug = "sixty-days-of-practice"
	benchPlanDays = 60
)

// importBenchPlan publishes the plan the load runs on: sixty days made of
// the demo plans' days in turn, so each day has real content (a reading of
// about 2 KB, one or two items and two or three tasks), as long a plan as
// people follow for weeks.
func importBenchPlan(ctx context.Context, m *app.Main) (*catalog.PlanIndex, error) {
	plans, err := demo.Plans()
	if err != nil {
		return nil, err
	}
	var days []catalog.DayContent
	for _, p := range plans {
		days = append(days, p.Days...)
	}
	first := plans[0]
	c := &catalog.PlanContent{
		Slug:        benchPlanSlug,
		Title:       "Sixty Days of Practice",
		Subtitle:    "The demo plans' days one after another, for the performance harness",
		Description: "Made by `dharmaplans-bench` from the demo plans.",
		Authors:     first.Authors,
		Tradition:   first.Tradition,
		Topics:      []string{"benchmark"},
		Level:       first.Level,
		Language:    first.Language,
	}
	for n := 1; n <= benchPlanDays; n++ {
		d := days[(n-1)%len(days)]
		d.Title = fmt.Sprintf("Day %d: %s", n, d.Title)
		c.Days = append(c.Days, d)
	}
	if _, err := m.Catalog().Import(ctx, c, catalog.ImportOptions{Publish: true}); err != nil {
		return nil, fmt.Errorf("import the benchmark plan: %w", err)
	}
	return m.Catalog().Index(ctx, benchPlanSlug)
}

// demoIndexes returns the demo plans the server loaded, which one seeded
// person in four has finished.
func demoIndexes(ctx context.Context, m *app.Main) ([]*catalog.PlanIndex, error) {
	plans, err := demo.Plans()
	if err != nil {
		return nil, err
	}
	var out []*catalog.PlanIndex
	for _, p := range plans {
		x, err := m.Catalog().Index(ctx, p.Slug)
		if err != nil {
			return nil, fmt.Errorf("demo plan %s: %w", p.Slug, err)
		}
		out = append(out, x)
	}
	return out, nil
}
