package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedData returns the path of rel (e.g. "suttacentral/bilara") inside the
// shared folder of real public-domain texts that importer tests read in
// place: $DHARMAPLANS_TEST_DATA if set, else the first shared/data found
// beside the checkout or one of its parent folders. The texts are never
// copied into the repository. Without them the test fails under CI and
// skips elsewhere.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	var roots []string
	if env := os.Getenv("DHARMAPLANS_TEST_DATA"); env != "" {
		roots = append(roots, env)
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			roots = append(roots, filepath.Join(dir, "shared", "data"))
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	roots = append(roots, "/work/shared/data")
	for _, root := range roots {
		p := filepath.Join(root, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	Unavailable(t, "this test reads %s from the shared texts folder (../shared/data beside the checkout); set DHARMAPLANS_TEST_DATA to the folder holding it", rel)
	return ""
}
