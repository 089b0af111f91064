// Package demo holds the demo plans that `dharmaplans demo` loads, and that
// `make run` loads into an empty database, so a newcomer sees a living
// catalogue at once. The plans are written by this project in its own words.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

//go:embed plans
var files embed.FS

// Plans returns the demo plans, in a stable order (by folder name).
func Plans() ([]*catalog.PlanContent, error) {
	entries, err := fs.ReadDir(files, "plans")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var plans []*catalog.PlanContent
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p, err := planfile.ReadFS(files, path.Join("plans", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("demo: plan %s: %w", e.Name(), err)
		}
		plans = append(plans, p)
	}
	return plans, nil
}
