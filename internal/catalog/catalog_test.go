package catalog_test

import (
	"context"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// newStore opens a migrated SQLite store of the test's own.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	return store.New(db)
}

// dhammapada builds the Dhammapada plan from the shared SuttaCentral texts.
func dhammapada(t *testing.T) *catalog.PlanContent {
	t.Helper()
	c, err := suttacentral.Build(testenv.SharedData(t, "suttacentral/bilara"), suttacentral.Options{Collection: "dhp"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// counting is the real store with every call counted, to show which reads
// reach the database.
type counting struct {
	catalog.Store
	calls atomic.Int64
}

func (c *counting) PlanBySlug(ctx context.Context, slug string) (*catalog.Plan, error) {
	c.calls.Add(1)
	return c.Store.PlanBySlug(ctx, slug)
}

func (c *counting) RevisionMeta(ctx context.Context, id string) (*catalog.Revision, error) {
	c.calls.Add(1)
	return c.Store.RevisionMeta(ctx, id)
}

func (c *counting) Day(ctx context.Context, id string, n int) (*catalog.Day, error) {
	c.calls.Add(1)
	return c.Store.Day(ctx, id, n)
}

func (c *counting) Outline(ctx context.Context, id string) ([]catalog.DayOutline, error) {
	c.calls.Add(1)
	return c.Store.Outline(ctx, id)
}

func (c *counting) ListPublished(ctx context.Context, q catalog.CatalogQuery) ([]*catalog.Listing, error) {
	c.calls.Add(1)
	return c.Store.ListPublished(ctx, q)
}

func (c *counting) AuthorsByIDs(ctx context.Context, ids []string) ([]*catalog.Author, error) {
	c.calls.Add(1)
	return c.Store.AuthorsByIDs(ctx, ids)
}

func TestDhammapadaImport(t *testing.T) {
	t.Parallel()
	svc := catalog.NewService(catalog.Deps{Store: newStore(t)})
	e, err := svc.Import(t.Context(), dhammapada(t), catalog.ImportOptions{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	verse := regexp.MustCompile(`(?m)^\*\*(\d+)\*\*`)
	t.Run("it has 26 days and 423 verses", func(t *testing.T) {
		if got := len(e.Revision.Days); got != 26 {
			t.Fatalf("%d days, want 26", got)
		}
		verses := 0
		for _, d := range e.Revision.Days {
			for _, it := range d.Items {
				verses += len(verse.FindAllString(it.Body, -1))
			}
		}
		if verses != 423 {
			t.Errorf("%d verses, want 423", verses)
		}
	})
	t.Run("day 1, read as a reader, cites dhp1 to dhp20 with the Pali beside it", func(t *testing.T) {
		d, err := svc.Day(t.Context(), nil, e.Plan.Slug, 1)
		if err != nil {
			t.Fatal(err)
		}
		it := d.Day.Items[0]
		if it.Citation != "Dhp 1–20" || it.SegmentStart != "dhp1:1" || !strings.HasPrefix(it.SegmentEnd, "dhp20:") {
			t.Errorf("day 1 cites %q %s–%s, want Dhp 1–20 from dhp1:1 to dhp20:*", it.Citation, it.SegmentStart, it.SegmentEnd)
		}
		if it.RootLanguage != "pi" || !strings.Contains(it.RootHTML, "<p>") || !strings.Contains(it.BodyHTML, "Intention shapes experiences") {
			t.Errorf("day 1 lacks its rendered translation or Pali: root %q %.80q, body %.80q", it.RootLanguage, it.RootHTML, it.BodyHTML)
		}
	})
}

func TestCachedDayNeedsNoDatabase(t *testing.T) {
	t.Parallel()
	st := &counting{Store: newStore(t)}
	mem := cache.NewMemory(1000)
	t.Cleanup(func() { mem.Close() })
	svc := catalog.NewService(catalog.Deps{Store: st, Cache: mem})
	e, err := svc.Import(t.Context(), dhammapada(t), catalog.ImportOptions{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	first, err := svc.Day(ctx, nil, e.Plan.Slug, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Plan(ctx, e.Plan.Slug); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Plans(ctx, catalog.Filter{}, "", 10); err != nil {
		t.Fatal(err)
	}
	before := st.calls.Load()
	if before == 0 {
		t.Fatal("the first reads did not reach the store: the counter counts nothing")
	}
	again, err := svc.Day(ctx, nil, e.Plan.Slug, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Plan(ctx, e.Plan.Slug); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Plans(ctx, catalog.Filter{}, "", 10); err != nil {
		t.Fatal(err)
	}
	if n := st.calls.Load() - before; n != 0 {
		t.Errorf("warm reads made %d store calls, want none", n)
	}
	if !reflect.DeepEqual(first, again) {
		t.Errorf("the cached day differs from the one read from the database")
	}

	t.Run("archiving invalidates at once", func(t *testing.T) {
		if _, err := svc.Archive(ctx, admin(), e.Plan.ID); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Plans(ctx, catalog.Filter{}, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 0 {
			t.Errorf("after archiving, the catalogue still lists %d plans", len(page.Items))
		}
	})
}

func TestExportThenImportReproducesThePlan(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	svc := catalog.NewService(catalog.Deps{Store: newStore(t)})
	original := dhammapada(t)
	original.FixedStartDates = []string{"2027-07-20", "2028-07-08"}
	original.Days[0].Tasks = append(original.Days[0].Tasks, catalog.TaskContent{Kind: catalog.Meditate, Minutes: 15})
	if _, err := svc.Import(ctx, original, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	exported, err := svc.Export(ctx, "dhammapada")
	if err != nil {
		t.Fatal(err)
	}
	want := *original
	catalog.Normalize(&want)
	if !reflect.DeepEqual(exported, &want) {
		t.Fatalf("export differs from what was imported:\n got %+v\nwant %+v", exported.Days[0], want.Days[0])
	}

	dir := filepath.Join(t.TempDir(), "dhammapada")
	if err := planfile.Write(dir, exported); err != nil {
		t.Fatal(err)
	}
	read, err := planfile.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	read.Slug = "dhammapada-again"
	again, err := svc.Import(ctx, read, catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reexported, err := svc.Export(ctx, again.Plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	reexported.Slug = exported.Slug
	if !reflect.DeepEqual(reexported, exported) {
		t.Errorf("a plan exported, written as a folder, read and imported again is not the same plan")
	}
	if len(again.Authors) != 1 || again.Authors[0].ID == "" {
		t.Fatalf("authors = %+v", again.Authors)
	}
	first, err := svc.Import(ctx, &catalog.PlanContent{Title: "x", Tradition: catalog.Other, Level: catalog.Beginner, Language: "en",
		Authors: []catalog.AuthorContent{{Name: "Bhikkhu Sujato"}}}, catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Authors[0].ID != again.Authors[0].ID {
		t.Errorf("importing an author by a known name made a new author instead of naming the existing one")
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := newStore(t)
	svc := catalog.NewService(catalog.Deps{Store: st})
	bad := dhammapada(t)
	bad.Authors = append(bad.Authors, catalog.AuthorContent{Name: "A New Translator"})
	bad.Days[4].Items[0].Body = strings.Repeat("ā", catalog.MaxBodyBytes)
	bad.Days[9].Tasks = append(bad.Days[9].Tasks, catalog.TaskContent{Kind: "sing", Prompt: "la"})
	bad.Tradition = "theravāda"
	_, err := svc.Import(ctx, bad, catalog.ImportOptions{Publish: true})
	var e *errs.Error
	if !errs.Is(err, errs.Invalid) || !asErr(err, &e) {
		t.Fatalf("import of a bad plan = %v, want a validation error", err)
	}
	fields := map[string]bool{}
	for _, f := range e.Fields {
		fields[f.Field] = true
	}
	for _, want := range []string{"tradition", "days[4].items[0].body", "days[9].tasks[1].kind"} {
		if !fields[want] {
			t.Errorf("the error does not name %s: %+v", want, e.Fields)
		}
	}
	if n, _ := st.CountPlans(ctx); n != 0 {
		t.Errorf("a failed import left %d plans behind", n)
	}
	if _, err := st.AuthorByName(ctx, "A New Translator"); !errs.Is(err, errs.NotFound) {
		t.Errorf("a failed import left its new author behind: %v", err)
	}
}

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	if ok {
		*target = e
	}
	return ok
}

// admin is an administrator who is not stored (enough for decisions that
// record no reviewer).
func admin() *identity.Principal {
	return &identity.Principal{UserID: catalog.NewID(), Role: identity.RoleAdmin}
}
