package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// newAuthor returns an unlinked author with every required field set.
func newAuthor(name string) *catalog.Author {
	return &catalog.Author{
		ID: catalog.NewID(), Name: name, Bio: "Teaches *metta*.", BioHTML: "<p>Teaches <em>metta</em>.</p>",
		Tradition: catalog.Theravada, CreatedAt: now, UpdatedAt: now,
	}
}

// addAuthor stores a new author named name.
func (b bundle) addAuthor(t *testing.T, name string) *catalog.Author {
	t.Helper()
	a := newAuthor(name)
	if err := b.store.CreateAuthor(b.ctx, a); err != nil {
		t.Fatalf("CreateAuthor(%s): %v", name, err)
	}
	return a
}

// authorIDs lists the ids of authors, in order.
func authorIDs(authors []*catalog.Author) []string {
	ids := []string{}
	for _, a := range authors {
		ids = append(ids, a.ID)
	}
	return ids
}

// ordered returns the two authors in id order, the order of equal names.
func ordered(a, b *catalog.Author) (*catalog.Author, *catalog.Author) {
	if b.ID < a.ID {
		return b, a
	}
	return a, b
}

func slugsOf(list []*catalog.Listing) []string {
	slugs := []string{}
	for _, l := range list {
		slugs = append(slugs, l.Plan.Slug)
	}
	return slugs
}

// allPages reads every page of q two at a time, continuing after each
// page's last listing with the AfterKey that key gives, and returns the
// slugs in the order read.
func (b bundle) allPages(t *testing.T, q catalog.CatalogQuery, key func(l *catalog.Listing) string) []string {
	t.Helper()
	slugs := []string{}
	q.Limit = 2
	for page := 0; page < 20; page++ {
		list, err := b.store.ListPublished(b.ctx, q)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if len(list) > q.Limit {
			t.Fatalf("page %d has %d plans, limit %d", page, len(list), q.Limit)
		}
		if len(list) == 0 {
			return slugs
		}
		slugs = append(slugs, slugsOf(list)...)
		last := list[len(list)-1]
		q.AfterKey, q.AfterID = key(last), last.Plan.ID
	}
	t.Fatal("paging did not end")
	return nil
}

func testListPublished(t *testing.T, open Open) {
	scenario(t, open, "only published plans are listed, through their published revision", func(t *testing.T, b bundle) {
		x, y, z := b.addAuthor(t, "Xuyun"), b.addAuthor(t, "Yasodharā"), b.addAuthor(t, "Zhiyi")
		draft, draftRev := newPlan("draft", 1)
		b.addPlan(t, draft, draftRev)
		review, reviewRev := newPlan("in-review", 1)
		review.Status, reviewRev.State = catalog.InReview, catalog.RevisionInReview
		b.addPlan(t, review, reviewRev)
		archived, archivedRev := newPlan("archived", 1)
		publish(archived, archivedRev, now)
		archived.Status, archived.ArchivedAt = catalog.Archived, ptr(now)
		b.addPlan(t, archived, archivedRev)

		p, r := b.addPublished(t, "heart-sutra", 3, now.Add(-time.Hour), func(r *catalog.Revision) {
			r.Title, r.AuthorIDs, r.Topics = "Heart Sutra", []string{z.ID, x.ID, y.ID}, []string{"emptiness", "chanting"}
			r.Days[0].Items = append(r.Days[0].Items, newItem("Commentary", 7))
		})
		b.addWorking(t, p, func(r *catalog.Revision) { r.Title, r.AuthorIDs = "Heart Sutra, revised", []string{y.ID} })

		list, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := slugsOf(list); !slices.Equal(got, []string{"heart-sutra"}) {
			t.Fatalf("ListPublished = %v, want only heart-sutra", got)
		}
		l := list[0]
		wantSame(t, "listed plan", l.Plan, p)
		meta := cloneRevision(r)
		meta.Days = nil
		wantSame(t, "listed revision", l.Revision, meta)
		if got := authorIDs(l.Authors); !slices.Equal(got, r.AuthorIDs) {
			t.Errorf("listed authors = %v, want %v in that order", got, r.AuthorIDs)
		} else {
			wantSame(t, "listed author", l.Authors[0], z)
		}
		if l.Days != 3 || l.Minutes != 3*15+7 {
			t.Errorf("listing has %d days and %d minutes, want 3 and %d", l.Days, l.Minutes, 3*15+7)
		}
	})
	scenario(t, open, "filters match the published revision", func(t *testing.T, b bundle) {
		a, c := b.addAuthor(t, "Ajahn A"), b.addAuthor(t, "Ajahn C")
		hours := 0
		add := func(slug string, days int, change func(r *catalog.Revision)) *catalog.Plan {
			hours++ // each plan is older than the one before
			p, _ := b.addPublished(t, slug, days, now.Add(-time.Duration(hours)*time.Hour), change)
			return p
		}
		add("anapanasati", 10, func(r *catalog.Revision) {
			r.Topics, r.AuthorIDs = []string{"breath", "meditation"}, []string{a.ID}
		})
		add("heart-sutra", 5, func(r *catalog.Revision) {
			r.Tradition, r.Level, r.Language = catalog.Mahayana, catalog.Intermediate, "en-GB"
			r.Topics, r.AuthorIDs = []string{"emptiness"}, []string{c.ID, a.ID}
		})
		add("zazen", 6, func(r *catalog.Revision) {
			r.Tradition, r.Level, r.Language, r.Topics = catalog.Zen, catalog.Advanced, "eng", []string{"meditation"}
		})
		add("metta", 30, func(r *catalog.Revision) { r.Language, r.Topics = "pt-BR", []string{"meditation", "metta"} })
		lojong := add("lojong", 7, func(r *catalog.Revision) {
			r.Tradition, r.Level, r.Topics = catalog.Vajrayana, catalog.Intermediate, []string{"compassion"}
		})
		// What only the working revision says must not count.
		b.addWorking(t, lojong, func(r *catalog.Revision) {
			r.Tradition, r.Level, r.Language = catalog.Theravada, catalog.Beginner, "pt"
			r.Topics, r.AuthorIDs = []string{"meditation"}, []string{c.ID}
		})
		for _, f := range []struct {
			name string
			q    catalog.CatalogQuery
			want []string
		}{
			{"none", catalog.CatalogQuery{}, []string{"anapanasati", "heart-sutra", "zazen", "metta", "lojong"}},
			{"tradition", catalog.CatalogQuery{Tradition: catalog.Theravada}, []string{"anapanasati", "metta"}},
			{"level", catalog.CatalogQuery{Level: catalog.Intermediate}, []string{"heart-sutra", "lojong"}},
			{"topic", catalog.CatalogQuery{Topic: "meditation"}, []string{"anapanasati", "zazen", "metta"}},
			{"language en, with its regions", catalog.CatalogQuery{Language: "en"}, []string{"anapanasati", "heart-sutra", "lojong"}},
			{"language with a region", catalog.CatalogQuery{Language: "en-GB"}, []string{"heart-sutra"}},
			{"language pt", catalog.CatalogQuery{Language: "pt"}, []string{"metta"}},
			{"language eng", catalog.CatalogQuery{Language: "eng"}, []string{"zazen"}},
			{"language e, a prefix but no tag", catalog.CatalogQuery{Language: "e"}, []string{}},
			{"min days, inclusive", catalog.CatalogQuery{MinDays: 7}, []string{"anapanasati", "metta", "lojong"}},
			{"max days, inclusive", catalog.CatalogQuery{MaxDays: 6}, []string{"heart-sutra", "zazen"}},
			{"min and max days", catalog.CatalogQuery{MinDays: 6, MaxDays: 10}, []string{"anapanasati", "zazen", "lojong"}},
			{"author", catalog.CatalogQuery{AuthorID: a.ID}, []string{"anapanasati", "heart-sutra"}},
			{"second author", catalog.CatalogQuery{AuthorID: c.ID}, []string{"heart-sutra"}},
			{"tradition and language", catalog.CatalogQuery{Tradition: catalog.Theravada, Language: "en"}, []string{"anapanasati"}},
			{"topic and level", catalog.CatalogQuery{Topic: "compassion", Level: catalog.Intermediate}, []string{"lojong"}},
			{"nothing matches", catalog.CatalogQuery{Tradition: catalog.PureLand}, []string{}},
		} {
			f.q.Limit = 10
			list, err := b.store.ListPublished(b.ctx, f.q)
			if err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
			if got := slugsOf(list); !slices.Equal(got, f.want) {
				t.Errorf("filter by %s = %v, want %v", f.name, got, f.want)
			}
		}
	})
	// Language tags ignore case (BCP 47), and SQLite's LIKE ignores ASCII
	// case where PostgreSQL's does not, so the store folds case itself.
	scenario(t, open, "the language filter ignores case on both engines", func(t *testing.T, b bundle) {
		for i, lang := range []string{"en", "en-GB", "pt-BR"} {
			b.addPublished(t, strings.ToLower(lang), 1, now.Add(-time.Duration(i)*time.Hour), func(r *catalog.Revision) { r.Language = lang })
		}
		for lang, want := range map[string][]string{"EN": {"en", "en-gb"}, "en-gb": {"en-gb"}, "PT": {"pt-br"}, "pt-br": {"pt-br"}} {
			list, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{Language: lang, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(list); !slices.Equal(got, want) {
				t.Errorf("language %q = %v, want %v", lang, got, want)
			}
		}
	})
	scenario(t, open, "newest first pages by first publication then id, each plan once", func(t *testing.T, b bundle) {
		tie1, _ := b.addPublished(t, "tie-1", 1, now.Add(time.Microsecond), nil)
		tie2, _ := b.addPublished(t, "tie-2", 1, now.Add(time.Microsecond), nil)
		higher, lower := "tie-1", "tie-2"
		if tie2.ID > tie1.ID {
			higher, lower = lower, higher
		}
		b.addPublished(t, "older", 1, now.Add(-time.Hour).In(colombo), nil)
		b.addPublished(t, "newest", 1, now.Add(time.Second), nil)
		// Published again later: the first publication still orders it.
		p, r := newPlan("republished", 1)
		publish(p, r, now)
		p.PublishedAt = ptr(now.Add(48 * time.Hour))
		b.addPlan(t, p, r)
		b.addPublished(t, "oldest", 1, now.Add(-time.Hour-500*time.Millisecond), nil)

		want := []string{"newest", higher, lower, "republished", "older", "oldest"}
		byTime := func(l *catalog.Listing) string { return l.Plan.FirstPublishedAt.Format(time.RFC3339Nano) }
		if got := b.allPages(t, catalog.CatalogQuery{Sort: catalog.Newest}, byTime); !slices.Equal(got, want) {
			t.Errorf("paging newest first gave %v, want %v", got, want)
		}
		if got := b.allPages(t, catalog.CatalogQuery{}, byTime); !slices.Equal(got, want) {
			t.Errorf("paging in the default order gave %v, want %v", got, want)
		}
		_, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{AfterKey: "yesterday", AfterID: p.ID, Limit: 2})
		wantCode(t, err, errs.Invalid)
	})
	scenario(t, open, "by title pages in folded byte order, Ānāpānasati with the a's, each plan once", func(t *testing.T, b bundle) {
		var plans []*catalog.Plan
		var revs []*catalog.Revision
		for i, title := range []string{"Zazen", "Ānāpānasati", "Placeholder", "Anattā", "metta", "Metta", "Über Achtsamkeit"} {
			p, r := b.addPublished(t, fmt.Sprintf("plan-%d", i), 1, now, func(r *catalog.Revision) { r.Title = title })
			plans, revs = append(plans, p), append(revs, r)
		}
		// A title saved over another sorts by the new one.
		revs[2].Title = "Bodhicitta"
		if err := b.store.SaveRevision(b.ctx, plans[2], revs[2], revs[2].Version); err != nil {
			t.Fatal(err)
		}
		// The working revision's title does not count.
		b.addWorking(t, plans[0], func(r *catalog.Revision) { r.Title = "Aardvark" })
		metta1, metta2 := plans[4].Slug, plans[5].Slug
		if plans[5].ID < plans[4].ID {
			metta1, metta2 = metta2, metta1
		}
		want := []string{"plan-1", "plan-3", "plan-2", metta1, metta2, "plan-6", "plan-0"}
		byTitle := func(l *catalog.Listing) string { return catalog.SortTitle(l.Revision.Title) }
		if got := b.allPages(t, catalog.CatalogQuery{Sort: catalog.ByTitle}, byTitle); !slices.Equal(got, want) {
			t.Errorf("paging by title gave %v, want %v", got, want)
		}
	})
}

func testListStudio(t *testing.T, open Open) {
	// studio returns the plan ids ListStudio gives for q, and the listings.
	studio := func(t *testing.T, b bundle, q catalog.StudioQuery) ([]string, []*catalog.Listing) {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		list, err := b.store.ListStudio(b.ctx, q)
		if err != nil {
			t.Fatalf("ListStudio(%+v): %v", q, err)
		}
		ids := []string{}
		for _, l := range list {
			ids = append(ids, l.Plan.ID)
		}
		return ids, list
	}
	// newestFirst sorts plan ids as the studio lists them.
	newestFirst := func(ids ...string) []string {
		slices.Sort(ids)
		slices.Reverse(ids)
		return ids
	}
	scenario(t, open, "EditableBy lists plans the user created or whose revisions name the user's author", func(t *testing.T, b bundle) {
		u, v, reviewer := b.addUser(t, "u@example.org"), b.addUser(t, "v@example.org"), b.addUser(t, "reviewer@example.org")
		mine, theirs := newAuthor("Mine"), newAuthor("Theirs")
		mine.UserID = u.ID
		for _, a := range []*catalog.Author{mine, theirs} {
			if err := b.store.CreateAuthor(b.ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		// add stores a plan created by createdBy whose first revision names
		// authors, published if published, with a working revision naming
		// working unless that is nil. It returns the last revision added.
		add := func(slug, createdBy string, published bool, authors, working []string) (*catalog.Plan, *catalog.Revision) {
			p, r := newPlan(slug, 1)
			p.CreatedBy, r.AuthorIDs = createdBy, authors
			if published {
				publish(p, r, now)
			}
			b.addPlan(t, p, r)
			if working != nil {
				r = b.addWorking(t, p, func(r *catalog.Revision) { r.AuthorIDs = working })
			}
			return p, r
		}
		created, _ := add("created", u.ID, false, []string{theirs.ID}, nil)
		drafted, draftedRev := add("drafted", v.ID, false, []string{mine.ID}, nil)
		namedPublished, namedPublishedWorking := add("named-published", v.ID, true, []string{theirs.ID, mine.ID}, []string{theirs.ID})
		namedWorking, _ := add("named-working", v.ID, true, []string{theirs.ID}, []string{mine.ID})
		others, _ := add("others", v.ID, false, []string{theirs.ID}, nil)
		orphan, _ := add("orphan", "", false, []string{}, nil)
		// Named only by a superseded revision.
		superseded, old := add("superseded", v.ID, true, []string{mine.ID}, []string{theirs.ID})
		current := superseded.WorkingRevisionID
		superseded.PublishedRevisionID, superseded.WorkingRevisionID = current, ""
		if err := b.store.ChangeState(b.ctx, superseded,
			catalog.RevisionChange{RevisionID: current, From: catalog.RevisionDraft, To: catalog.RevisionPublished, ReviewedBy: reviewer.ID, At: now},
			catalog.RevisionChange{RevisionID: old.ID, From: catalog.RevisionPublished, To: catalog.RevisionSuperseded, At: now},
		); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name string
			q    catalog.StudioQuery
			want []string
		}{
			{"the user with an author", catalog.StudioQuery{EditableBy: u.ID},
				newestFirst(created.ID, drafted.ID, namedPublished.ID, namedWorking.ID)},
			{"the user without one", catalog.StudioQuery{EditableBy: v.ID},
				newestFirst(drafted.ID, namedPublished.ID, namedWorking.ID, others.ID, superseded.ID)},
			{"a stranger", catalog.StudioQuery{EditableBy: reviewer.ID}, []string{}},
			{"anyone", catalog.StudioQuery{},
				newestFirst(created.ID, drafted.ID, namedPublished.ID, namedWorking.ID, others.ID, orphan.ID, superseded.ID)},
		} {
			if got, _ := studio(t, b, c.q); !slices.Equal(got, c.want) {
				t.Errorf("plans editable by %s = %v, want %v", c.name, got, c.want)
			}
		}

		_, list := studio(t, b, catalog.StudioQuery{})
		shown := map[string]*catalog.Listing{}
		for _, l := range list {
			shown[l.Plan.ID] = l
		}
		if l := shown[namedPublished.ID]; l.Revision.ID != namedPublishedWorking.ID || !slices.Equal(authorIDs(l.Authors), []string{theirs.ID}) {
			t.Errorf("a plan with a working revision shows revision %s by %v, want the working %s by %s",
				l.Revision.ID, authorIDs(l.Authors), namedPublishedWorking.ID, theirs.ID)
		}
		if l := shown[superseded.ID]; l.Revision.ID != current {
			t.Errorf("a plan with only a published revision shows %s, want %s", l.Revision.ID, current)
		}
		meta := cloneRevision(draftedRev)
		meta.Days = nil
		wantSame(t, "listed draft revision", shown[drafted.ID].Revision, meta)
		wantSame(t, "listed draft plan", shown[drafted.ID].Plan, drafted)
		if l := shown[drafted.ID]; l.Days != 1 || l.Minutes != 15 || len(l.Authors) != 1 {
			t.Errorf("draft listing: %d days, %d minutes, %d authors; want 1, 15, 1", l.Days, l.Minutes, len(l.Authors))
		} else {
			wantSame(t, "listed draft author", l.Authors[0], mine)
		}
	})
	scenario(t, open, "Status limits the list to plans in that status", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		byStatus := map[catalog.Status][]string{}
		for i, status := range append(catalog.Statuses, catalog.Published) {
			p, r := newPlan(fmt.Sprintf("plan-%d", i), 1)
			if status == catalog.Published || status == catalog.Archived {
				publish(p, r, now)
			}
			p.Status = status
			if i%2 == 0 {
				p.CreatedBy = u.ID
			}
			b.addPlan(t, p, r)
			byStatus[status] = append(byStatus[status], p.ID)
		}
		for _, status := range catalog.Statuses {
			if got, _ := studio(t, b, catalog.StudioQuery{Status: status}); !slices.Equal(got, newestFirst(byStatus[status]...)) {
				t.Errorf("status %s = %v, want %v", status, got, byStatus[status])
			}
		}
		// u created plans 0 (draft), 2 and 4 (both published).
		got, _ := studio(t, b, catalog.StudioQuery{Status: catalog.Published, EditableBy: u.ID})
		if want := newestFirst(byStatus[catalog.Published]...); !slices.Equal(got, want) {
			t.Errorf("u's published plans = %v, want %v", got, want)
		}
		if got, _ := studio(t, b, catalog.StudioQuery{Status: catalog.InReview, EditableBy: u.ID}); len(got) != 0 {
			t.Errorf("u's plans in review = %v, want none", got)
		}
	})
	scenario(t, open, "the in-review list is the review queue: new plans and new revisions of published ones", func(t *testing.T, b bundle) {
		fresh, r := newPlan("fresh", 1)
		fresh.Status, r.State = catalog.InReview, catalog.RevisionInReview
		b.addPlan(t, fresh, r)
		revised, _ := b.addPublished(t, "revised", 1, now, nil)
		b.addWorking(t, revised, func(r *catalog.Revision) { r.State = catalog.RevisionInReview })
		drafting, _ := b.addPublished(t, "drafting", 1, now, nil)
		b.addWorking(t, drafting, nil)
		b.addPublished(t, "untouched", 1, now, nil)
		got, _ := studio(t, b, catalog.StudioQuery{Status: catalog.InReview})
		if want := newestFirst(fresh.ID, revised.ID); !slices.Equal(got, want) {
			t.Errorf("review queue = %v, want %v (the new plan and the revised one)", got, want)
		}
	})
	scenario(t, open, "pages run newest first after an id, each plan once", func(t *testing.T, b bundle) {
		var want []string
		for i := range 5 {
			p, r := newPlan(fmt.Sprintf("plan-%d", i), 1)
			b.addPlan(t, p, r)
			want = append(want, p.ID)
		}
		want = newestFirst(want...)
		var got []string
		q := catalog.StudioQuery{Limit: 2}
		for page := 0; page < 10; page++ {
			ids, _ := studio(t, b, q)
			if len(ids) > 2 {
				t.Fatalf("page %d has %d plans, limit 2", page, len(ids))
			}
			if len(ids) == 0 {
				break
			}
			got = append(got, ids...)
			q.AfterID = ids[len(ids)-1]
		}
		if !slices.Equal(got, want) {
			t.Errorf("paging gave %v, want %v", got, want)
		}
	})
}
