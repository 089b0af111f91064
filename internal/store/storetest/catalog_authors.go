package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

func testAuthors(t *testing.T, open Open) {
	scenario(t, open, "a stored author reads back every field by id, in UTC", func(t *testing.T, b bundle) {
		u := b.addUser(t, "ajahn@example.org")
		a := &catalog.Author{
			ID: catalog.NewID(), Name: "Ajahn Chah", Bio: "Forest *teacher*.", BioHTML: "<p>Forest <em>teacher</em>.</p>",
			Tradition: catalog.Theravada, PhotoMediaID: "media-ajahn-chah", UserID: u.ID,
			CreatedAt: now.Add(-time.Hour).In(colombo), UpdatedAt: now.Add(time.Microsecond).In(colombo),
		}
		if err := b.store.CreateAuthor(b.ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.AuthorByID(b.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "AuthorByID", got, a)
	})
	scenario(t, open, "UpdateAuthor stores the changed fields", func(t *testing.T, b bundle) {
		a := b.addAuthor(t, "Thich Nhat Hanh")
		other := b.addAuthor(t, "Other")
		u := b.addUser(t, "thay@example.org")
		changed := *a
		changed.Name, changed.Bio, changed.BioHTML = "Thích Nhất Hạnh", "Zen *monk*.", "<p>Zen <em>monk</em>.</p>"
		changed.Tradition, changed.PhotoMediaID, changed.UserID = catalog.Zen, "media-thay", u.ID
		changed.UpdatedAt = now.Add(time.Minute).In(colombo)
		if err := b.store.UpdateAuthor(b.ctx, &changed); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.AuthorByID(b.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after UpdateAuthor", got, &changed)
		if got, err := b.store.AuthorByID(b.ctx, other.ID); err != nil || got.Name != "Other" {
			t.Errorf("the other author = %+v, %v; want it unchanged", got, err)
		}

		changed.UserID, changed.PhotoMediaID = "", ""
		if err := b.store.UpdateAuthor(b.ctx, &changed); err != nil {
			t.Fatal(err)
		}
		got, err = b.store.AuthorByID(b.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after unlinking", got, &changed)
		_, err = b.store.AuthorByUser(b.ctx, u.ID)
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "an unknown author is not found", func(t *testing.T, b bundle) {
		b.addAuthor(t, "Known")
		_, err := b.store.AuthorByID(b.ctx, catalog.NewID())
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "author not found")
		wantCode(t, b.store.UpdateAuthor(b.ctx, newAuthor("Nobody")), errs.NotFound)
		wantCode(t, b.store.DeleteAuthor(b.ctx, catalog.NewID()), errs.NotFound)
	})
	scenario(t, open, "AuthorByUser finds the linked author and not found for a user without one", func(t *testing.T, b bundle) {
		linked, unlinked := b.addUser(t, "linked@example.org"), b.addUser(t, "unlinked@example.org")
		b.addAuthor(t, "Unlinked Teacher")
		a := newAuthor("Linked Teacher")
		a.UserID = linked.ID
		if err := b.store.CreateAuthor(b.ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.AuthorByUser(b.ctx, linked.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "AuthorByUser", got, a)
		_, err = b.store.AuthorByUser(b.ctx, unlinked.ID)
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "AuthorByName returns the earliest author with exactly that name", func(t *testing.T, b bundle) {
		// The later one is stored first, so insertion order would be wrong.
		later, earlier := newAuthor("Bhikkhu Bodhi"), newAuthor("Bhikkhu Bodhi")
		later.CreatedAt, earlier.CreatedAt = now, now.Add(-time.Microsecond)
		for _, a := range []*catalog.Author{later, earlier, newAuthor("Bhikkhu Bodhi Jr")} {
			if err := b.store.CreateAuthor(b.ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := b.store.AuthorByName(b.ctx, "Bhikkhu Bodhi")
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "AuthorByName", got, earlier)
		for _, name := range []string{"bhikkhu bodhi", "Bhikkhu", "Bhikkhu Bodhi "} {
			_, err := b.store.AuthorByName(b.ctx, name)
			wantCode(t, err, errs.NotFound)
		}
	})
	scenario(t, open, "AuthorsByIDs returns the authors that exist and ignores missing ids", func(t *testing.T, b bundle) {
		x, y := b.addAuthor(t, "Ajahn Sumedho"), b.addAuthor(t, "Ayya Khema")
		b.addAuthor(t, "Not Asked For")
		got, err := b.store.AuthorsByIDs(b.ctx, []string{y.ID, catalog.NewID(), x.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("AuthorsByIDs returned %d authors, want 2", len(got))
		}
		if got[0].ID != x.ID {
			got[0], got[1] = got[1], got[0]
		}
		wantSame(t, "first author", got[0], x)
		wantSame(t, "second author", got[1], y)
		for _, ids := range [][]string{nil, {}, {catalog.NewID()}} {
			if got, err := b.store.AuthorsByIDs(b.ctx, ids); err != nil || len(got) != 0 {
				t.Errorf("AuthorsByIDs(%v) = %v, %v; want none", ids, got, err)
			}
		}
	})
	scenario(t, open, "an author no plan names is deleted; one a revision names is kept", func(t *testing.T, b bundle) {
		free, named := b.addAuthor(t, "Free"), b.addAuthor(t, "Named")
		p, r := newPlan("named", 1)
		r.AuthorIDs = []string{named.ID}
		b.addPlan(t, p, r)

		if err := b.store.DeleteAuthor(b.ctx, free.ID); err != nil {
			t.Fatal(err)
		}
		_, err := b.store.AuthorByID(b.ctx, free.ID)
		wantCode(t, err, errs.NotFound)
		wantCode(t, b.store.DeleteAuthor(b.ctx, free.ID), errs.NotFound)

		if err := b.store.DeleteAuthor(b.ctx, named.ID); !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
			t.Fatalf("deleting a named author: error = %v, want invalid or conflict", err)
		}
		if _, err := b.store.AuthorByID(b.ctx, named.ID); err != nil {
			t.Fatalf("the named author is gone: %v", err)
		}
		if got, err := b.store.Revision(b.ctx, r.ID); err != nil || !slices.Equal(got.AuthorIDs, r.AuthorIDs) {
			t.Fatalf("the revision's authors = %v, %v; want %v", got, err, r.AuthorIDs)
		}

		if err := b.store.DeletePlan(b.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.store.DeleteAuthor(b.ctx, named.ID); err != nil {
			t.Errorf("deleting the author once its plan is gone: %v", err)
		}
	})
	scenario(t, open, "linking a user to a second author is a conflict", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		first := newAuthor("First")
		first.UserID = u.ID
		if err := b.store.CreateAuthor(b.ctx, first); err != nil {
			t.Fatal(err)
		}
		second := newAuthor("Second")
		second.UserID = u.ID
		wantCode(t, b.store.CreateAuthor(b.ctx, second), errs.Conflict)
		_, err := b.store.AuthorByID(b.ctx, second.ID)
		wantCode(t, err, errs.NotFound)

		stored := b.addAuthor(t, "Stored")
		linked := *stored
		linked.UserID = u.ID
		wantCode(t, b.store.UpdateAuthor(b.ctx, &linked), errs.Conflict)
		if got, err := b.store.AuthorByID(b.ctx, stored.ID); err != nil || got.UserID != "" {
			t.Errorf("after the refused link: %+v, %v; want it unlinked", got, err)
		}
		if got, err := b.store.AuthorByUser(b.ctx, u.ID); err != nil || got.ID != first.ID {
			t.Errorf("AuthorByUser = %+v, %v; want the first author", got, err)
		}
	})
	scenario(t, open, "linking an unknown user is invalid", func(t *testing.T, b bundle) {
		a := newAuthor("Orphan")
		a.UserID = catalog.NewID()
		wantCode(t, b.store.CreateAuthor(b.ctx, a), errs.Invalid)
		_, err := b.store.AuthorByID(b.ctx, a.ID)
		wantCode(t, err, errs.NotFound)

		stored := b.addAuthor(t, "Stored")
		linked := *stored
		linked.UserID = catalog.NewID()
		wantCode(t, b.store.UpdateAuthor(b.ctx, &linked), errs.Invalid)
		got, err := b.store.AuthorByID(b.ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after the refused link", got, stored)
	})
	scenario(t, open, "deleting a user keeps their published work and erases their unpublished drafts", func(t *testing.T, b bundle) {
		u := b.addUser(t, "leaving@example.org")
		named := newAuthor("Leaving Teacher")
		named.UserID = u.ID
		other := b.addUser(t, "drafting@example.org")
		unnamed := newAuthor("Drafting Teacher")
		unnamed.UserID = other.ID
		for _, a := range []*catalog.Author{named, unnamed} {
			if err := b.store.CreateAuthor(b.ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		published, _ := b.addPublished(t, "leaving-published", 1, now, func(r *catalog.Revision) { r.AuthorIDs = []string{named.ID} })
		draft, _ := newPlan("leaving-draft", 1)
		draft.CreatedBy = u.ID
		b.addPlan(t, draft, newRevision(draft.ID, 1))
		if err := b.store.DeleteUser(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.store.DeleteUser(b.ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.AuthorByID(b.ctx, named.ID)
		if err != nil {
			t.Fatalf("the author of a published plan went with the account: %v", err)
		}
		want := *named
		want.UserID = ""
		wantSame(t, "author of a deleted user", got, &want)
		_, err = b.store.AuthorByUser(b.ctx, u.ID)
		wantCode(t, err, errs.NotFound)
		_, err = b.store.AuthorByID(b.ctx, unnamed.ID)
		wantCode(t, err, errs.NotFound)
		if _, err := b.store.PlanByID(b.ctx, published.ID); err != nil {
			t.Errorf("the published plan went with the account: %v", err)
		}
		_, err = b.store.PlanByID(b.ctx, draft.ID)
		wantCode(t, err, errs.NotFound)
	})
}

func testAuthorList(t *testing.T, open Open) {
	// list returns the ids ListAuthors gives for q.
	list := func(t *testing.T, b bundle, q catalog.AuthorQuery) []string {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		got, err := b.store.ListAuthors(b.ctx, q)
		if err != nil {
			t.Fatalf("ListAuthors(%+v): %v", q, err)
		}
		return authorIDs(got)
	}
	scenario(t, open, "authors list by folded name, Ānanda with the a's, equal names by id", func(t *testing.T, b bundle) {
		zen, bodhi := b.addAuthor(t, "Zen Master Seung Sahn"), b.addAuthor(t, "Bodhi")
		ananda, chah := b.addAuthor(t, "Ānanda"), b.addAuthor(t, "ajahn Chah")
		nanamoli, sister := b.addAuthor(t, "Ñāṇamoli"), b.addAuthor(t, "Ayya Khema")
		khema1, khema2 := ordered(sister, b.addAuthor(t, "ayya khema"))
		want := authorIDs([]*catalog.Author{chah, ananda, khema1, khema2, bodhi, nanamoli, zen})
		got, err := b.store.ListAuthors(b.ctx, catalog.AuthorQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(authorIDs(got), want) {
			t.Fatalf("ListAuthors = %v, want %v", authorIDs(got), want)
		}
		wantSame(t, "listed author", got[1], ananda)
	})
	scenario(t, open, "the query matches part of the folded name", func(t *testing.T, b bundle) {
		ananda, sunanda := b.addAuthor(t, "Ānanda Thera"), b.addAuthor(t, "Sunanda")
		muller, percent := b.addAuthor(t, "Jürgen Müller"), b.addAuthor(t, "100% Metta")
		b.addAuthor(t, "Bodhi")
		for _, c := range []struct {
			q    string
			want []*catalog.Author
		}{
			{"nanda", []*catalog.Author{ananda, sunanda}},
			{"ananda", []*catalog.Author{ananda}},
			{catalog.SortTitle("ĀNANDA THERA"), []*catalog.Author{ananda}},
			{"muller", []*catalog.Author{muller}},
			{"%", []*catalog.Author{percent}},
			{"a_a", nil},
			{"nobody", nil},
		} {
			if got := list(t, b, catalog.AuthorQuery{Q: c.q}); !slices.Equal(got, authorIDs(c.want)) {
				t.Errorf("ListAuthors(Q %q) = %v, want %v", c.q, got, authorIDs(c.want))
			}
		}
	})
	// The interface promises any case; the catalog service folds the query
	// too, but both engines must agree when a caller does not.
	scenario(t, open, "the query ignores case and diacritics the same on both engines", func(t *testing.T, b bundle) {
		ananda, muller := b.addAuthor(t, "Ānanda Thera"), b.addAuthor(t, "Jürgen Müller")
		for q, want := range map[string]*catalog.Author{"ANANDA": ananda, "Ānanda": ananda, "MÜLLER": muller} {
			if got := list(t, b, catalog.AuthorQuery{Q: q}); !slices.Equal(got, []string{want.ID}) {
				t.Errorf("ListAuthors(Q %q) = %v, want [%s]", q, got, want.ID)
			}
		}
	})
	scenario(t, open, "pages continue after the sort name and id, each author once", func(t *testing.T, b bundle) {
		// Equal names straddle a page boundary.
		names := []string{"Zen Master", "Ānanda", "Bodhi", "Ajahn Chah", "bodhi", "Ñāṇamoli", "Ayya Khema"}
		byName := map[string][]*catalog.Author{}
		for _, n := range names {
			byName[catalog.SortTitle(n)] = append(byName[catalog.SortTitle(n)], b.addAuthor(t, n))
		}
		bodhi1, bodhi2 := ordered(byName["bodhi"][0], byName["bodhi"][1])
		want := authorIDs([]*catalog.Author{
			byName["ajahn chah"][0], byName["ananda"][0], byName["ayya khema"][0],
			bodhi1, bodhi2, byName["nanamoli"][0], byName["zen master"][0],
		})
		for _, q := range []catalog.AuthorQuery{{}, {Q: "a"}} {
			var got []string
			after := catalog.AuthorQuery{Q: q.Q, Limit: 2}
			for page := 0; page < 10; page++ {
				list, err := b.store.ListAuthors(b.ctx, after)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) > 2 {
					t.Fatalf("page %d has %d authors, limit 2", page, len(list))
				}
				if len(list) == 0 {
					break
				}
				got = append(got, authorIDs(list)...)
				last := list[len(list)-1]
				after.AfterKey, after.AfterID = catalog.SortTitle(last.Name), last.ID
			}
			wantAll := want
			if q.Q == "a" { // every name but "Bodhi" and "bodhi" has an a
				wantAll = slices.DeleteFunc(slices.Clone(want), func(id string) bool { return id == bodhi1.ID || id == bodhi2.ID })
			}
			if !slices.Equal(got, wantAll) {
				t.Errorf("paging with Q %q gave %v, want %v", q.Q, got, wantAll)
			}
		}
	})
	scenario(t, open, "Published lists only authors a published plan's published revision names", func(t *testing.T, b bundle) {
		published, both := b.addAuthor(t, "Published"), b.addAuthor(t, "Also Published")
		working, draft := b.addAuthor(t, "Only In The Working Revision"), b.addAuthor(t, "Only In A Draft")
		archived, unnamed := b.addAuthor(t, "Only In An Archived Plan"), b.addAuthor(t, "Unnamed")
		p, _ := b.addPublished(t, "published", 1, now, func(r *catalog.Revision) {
			r.AuthorIDs = []string{published.ID, both.ID}
		})
		b.addWorking(t, p, func(r *catalog.Revision) { r.AuthorIDs = []string{working.ID} })
		b.addPublished(t, "also-published", 1, now, func(r *catalog.Revision) { r.AuthorIDs = []string{both.ID} })
		d, dr := newPlan("draft", 1)
		dr.AuthorIDs = []string{draft.ID}
		b.addPlan(t, d, dr)
		a, ar := newPlan("archived", 1)
		publish(a, ar, now)
		a.Status, a.ArchivedAt = catalog.Archived, ptr(now)
		ar.AuthorIDs = []string{archived.ID}
		b.addPlan(t, a, ar)

		want := authorIDs([]*catalog.Author{both, published})
		if got := list(t, b, catalog.AuthorQuery{Published: true}); !slices.Equal(got, want) {
			t.Errorf("ListAuthors(Published) = %v, want %v", got, want)
		}
		if got := list(t, b, catalog.AuthorQuery{Published: true, Q: "also"}); !slices.Equal(got, []string{both.ID}) {
			t.Errorf("ListAuthors(Published, Q also) = %v, want [%s]", got, both.ID)
		}
		all := list(t, b, catalog.AuthorQuery{})
		for _, a := range []*catalog.Author{working, draft, archived, unnamed} {
			if !slices.Contains(all, a.ID) {
				t.Errorf("ListAuthors without Published lacks %s", a.Name)
			}
		}
	})
}

// slugsOf lists the slugs of listings, in order.
