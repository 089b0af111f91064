package store_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/store/postgres"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
)

// Both engines must walk through the same schema versions, so a database
// can be reasoned about by version number whichever engine holds it.
func TestBothEnginesHaveTheSameMigrationVersions(t *testing.T) {
	versions := func(fsys fs.FS) []string {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		var v []string
		for _, e := range entries {
			v = append(v, strings.SplitN(e.Name(), "_", 2)[0])
		}
		return v
	}
	lite, pg := versions(sqlite.Migrations()), versions(postgres.Migrations())
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("migration versions differ: sqlite %v, postgres %v", lite, pg)
	}
}
