package catalog_test

import (
	"slices"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/demo"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/postgres"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// onEngines runs fn with a migrated, empty store on SQLite and on
// PostgreSQL.
func onEngines(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newStore(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db, err := postgres.Open(t.Context(), testenv.PostgresSchemaURL(t), postgres.Options{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		m, err := store.NewMigrator(db.DB, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(t.Context()); err != nil {
			t.Fatal(err)
		}
		fn(t, store.New(db.DB))
	})
}

// searchCatalogue is the demo catalogue and the Dhammapada, published.
func searchCatalogue(t *testing.T, st *store.Store) *catalog.Service {
	t.Helper()
	svc := catalog.NewService(catalog.Deps{Store: st})
	plans, err := demo.Plans()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(plans, dhammapada(t)) {
		if _, err := svc.Import(t.Context(), p, catalog.ImportOptions{Publish: true}); err != nil {
			t.Fatalf("import %s: %v", p.Slug, err)
		}
	}
	return svc
}

// The search-quality set: what people type, and the plan they mean, which
// must be among the first three results on both engines.
var searchQuality = []struct{ q, want string }{
	// exact words in titles, subtitles, topics
	{"dhammapada", "dhammapada"},
	{"zazen", "five-days-of-zen-sitting"},
	{"tonglen", "the-heart-of-compassion"},
	{"bodhicitta", "the-heart-of-compassion"},
	{"shikantaza", "five-days-of-zen-sitting"},
	// multi-word
	{"zen sitting", "five-days-of-zen-sitting"},
	{"body scan", "breathing-with-mindfulness"},
	{"four immeasurables", "the-heart-of-compassion"},
	{"washing the dishes", "five-days-of-zen-sitting"},
	{"sayings of the dhamma", "dhammapada"},
	{"hatred is never settled by hate", "dhammapada"},
	// diacritics, both ways
	{"metta", "a-week-of-loving-kindness"},
	{"Mettā", "a-week-of-loving-kindness"},
	{"satipatthana", "breathing-with-mindfulness"},
	{"Satipaṭṭhāna", "breathing-with-mindfulness"},
	{"sunyata", "the-heart-of-compassion"},
	{"Ānāpānasati", "breathing-with-mindfulness"},
	{"theravada", "a-week-of-loving-kindness"},
	// synonyms of the tradition's language
	{"loving-kindness", "a-week-of-loving-kindness"},
	{"maitri", "a-week-of-loving-kindness"},
	{"suññatā", "the-heart-of-compassion"},
	{"emptiness", "the-heart-of-compassion"},
	{"mindfulness of breathing", "breathing-with-mindfulness"},
	{"nirvana", "dhammapada"},
	// misspellings, one or two edits off
	{"dhammapda", "dhammapada"},
	{"satipatana", "breathing-with-mindfulness"},
	{"compasion", "the-heart-of-compassion"},
	{"zazzen", "five-days-of-zen-sitting"},
	// typed into a box as people do
	{"  METTA  ", "a-week-of-loving-kindness"},
	{`"body scan"`, "breathing-with-mindfulness"},
}

func TestSearchQuality(t *testing.T) {
	onEngines(t, func(t *testing.T, st *store.Store) {
		svc := searchCatalogue(t, st)
		for _, c := range searchQuality {
			page, err := svc.Plans(t.Context(), catalog.Filter{Q: c.q}, "", 20)
			if err != nil {
				t.Errorf("%q: %v", c.q, err)
				continue
			}
			var got []string
			for _, l := range page.Items {
				got = append(got, l.Plan.Slug)
			}
			t.Logf("%-34q %v %s", c.q, got, page.SearchedFor)
			if i := slices.Index(got, c.want); i < 0 || i > 2 {
				t.Errorf("%q found %v (searched for %q), want %s among the first three", c.q, got, page.SearchedFor, c.want)
			}
		}
		t.Run("nonsense finds nothing", func(t *testing.T) {
			for _, q := range []string{"xylophone", "qqqq zzzz"} {
				page, err := svc.Plans(t.Context(), catalog.Filter{Q: q}, "", 20)
				if err != nil || len(page.Items) != 0 {
					t.Errorf("%q: %d plans, err %v; want none", q, len(page.Items), err)
				}
			}
		})
	})
}
