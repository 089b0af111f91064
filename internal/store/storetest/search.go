package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/search"
)

// found returns the slugs of the published plans raw finds, best first.
func (b bundle) found(t *testing.T, raw string) []string {
	t.Helper()
	q, err := search.Parse("q", raw)
	if err != nil {
		t.Fatal(err)
	}
	list, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{Search: q, Sort: catalog.Relevance, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", raw, err)
	}
	return slugsOf(list)
}

func testSearch(t *testing.T, open Open) {
	day := now.Add(-24 * time.Hour)
	scenario(t, open, "a published plan is found by every part of it, the title ranking first", func(t *testing.T, b bundle) {
		author := b.addAuthor(t, "Ajahn Candasirī")
		b.addPublished(t, "in-title", 1, day, func(r *catalog.Revision) { r.Title = "Mettā for Beginners" })
		b.addPublished(t, "in-text", 1, day, func(r *catalog.Revision) {
			r.Title, r.Days[0].Items[0].Body = "A Quiet Week", "Then practise **metta** toward a friend."
		})
		b.addPublished(t, "in-root", 1, day, func(r *catalog.Revision) {
			r.Title, r.Days[0].Items[0].RootText = "Old Verses", "Sabbe sattā sukhitā hontu."
		})
		b.addPublished(t, "by-author", 1, day, func(r *catalog.Revision) { r.Title, r.AuthorIDs = "Talks", []string{author.ID} })
		b.addPublished(t, "by-topic", 1, day, func(r *catalog.Revision) { r.Title, r.Topics = "Sitting", []string{"walking meditation"} })
		b.addPublished(t, "by-task", 1, day, func(r *catalog.Revision) { r.Title, r.Days[0].Tasks[0].Prompt = "Evening", "Chant the Ratana Sutta." })
		for raw, want := range map[string][]string{
			"metta":     {"in-title", "in-text"},
			"satta":     {"in-root"},
			"candasiri": {"by-author"},
			"walking":   {"by-topic"},
			"ratana":    {"by-task"},
			"pure land": nil,
			"theravada": {"by-author", "by-task", "by-topic", "in-root", "in-text", "in-title"},
			"mett beg":  {"in-title"}, // every word is also the start of a longer one
			"nonesuch":  nil,
		} {
			got := b.found(t, raw)
			if raw == "theravada" {
				slices.Sort(got)
			}
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%q found %v, want %v", raw, got, want)
			}
		}
	})
	scenario(t, open, "search follows publishing, archiving, new revisions, author renames and deletion at once", func(t *testing.T, b bundle) {
		author := b.addAuthor(t, "Sister Nun")
		p, r := b.addPublished(t, "followed", 1, day, func(r *catalog.Revision) {
			r.Title, r.AuthorIDs = "Kindness Daily", []string{author.ID}
		})
		draft, dr := newPlan("draft", 1)
		dr.Title = "Unpublished Thoughts"
		b.addPlan(t, draft, dr)
		if got := b.found(t, "unpublished"); len(got) != 0 {
			t.Errorf("a draft was found: %v", got)
		}
		// A new revision is found by its words once published, and no longer by the old ones.
		r2 := b.addWorking(t, p, func(r *catalog.Revision) {
			r.Title, r.State, r.AuthorIDs = "Generosity Daily", catalog.RevisionInReview, []string{author.ID}
		})
		if got := b.found(t, "generosity"); len(got) != 0 {
			t.Errorf("a revision in review was found: %v", got)
		}
		p.PublishedRevisionID, p.WorkingRevisionID = r2.ID, ""
		if err := b.store.ChangeState(b.ctx, p,
			catalog.RevisionChange{RevisionID: r2.ID, From: catalog.RevisionInReview, To: catalog.RevisionPublished, At: now},
			catalog.RevisionChange{RevisionID: r.ID, From: catalog.RevisionPublished, To: catalog.RevisionSuperseded, At: now}); err != nil {
			t.Fatal(err)
		}
		if got := b.found(t, "generosity"); !slices.Equal(got, []string{"followed"}) {
			t.Errorf("after publishing revision 2, generosity found %v", got)
		}
		if got := b.found(t, "kindness"); len(got) != 0 {
			t.Errorf("after publishing revision 2, the old title still finds %v", got)
		}
		// Renaming the author renames what finds the plan.
		author.Name = "Sister Ānandā"
		if err := b.store.UpdateAuthor(b.ctx, author); err != nil {
			t.Fatal(err)
		}
		if got := b.found(t, "ananda"); !slices.Equal(got, []string{"followed"}) {
			t.Errorf("after renaming the author, ananda found %v", got)
		}
		if got := b.found(t, "nun"); len(got) != 0 {
			t.Errorf("the author's old name still finds %v", got)
		}
		// Archived: gone; deleted: gone for good.
		p.Status = catalog.Archived
		if err := b.store.ChangeState(b.ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := b.found(t, "generosity"); len(got) != 0 {
			t.Errorf("an archived plan was found: %v", got)
		}
		p.Status = catalog.Published
		if err := b.store.ChangeState(b.ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := b.found(t, "generosity"); len(got) != 1 {
			t.Errorf("a plan published again was not found: %v", got)
		}
		if err := b.store.DeletePlan(b.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if got := b.found(t, "generosity"); len(got) != 0 {
			t.Errorf("a deleted plan was found: %v", got)
		}
		n, err := b.store.IndexPublished(b.ctx, false)
		if err != nil || n != 0 {
			t.Errorf("IndexPublished found %d plans without a document (err %v), want 0", n, err)
		}
	})
	scenario(t, open, "facets count the plans the search, topic and author select", func(t *testing.T, b bundle) {
		b.addPublished(t, "zen-short", 5, day, func(r *catalog.Revision) { r.Title, r.Tradition, r.Topics = "Zen Mind", catalog.Zen, []string{"zazen"} })
		b.addPublished(t, "zen-long", 40, day, func(r *catalog.Revision) {
			r.Title, r.Tradition, r.Level, r.Language = "Zen Koans", catalog.Zen, catalog.Advanced, "de"
		})
		b.addPublished(t, "theravada", 10, day, func(r *catalog.Revision) { r.Title = "Zen and Theravada" })
		b.addPublished(t, "other", 3, day, func(r *catalog.Revision) { r.Title = "Pure Land Chanting" })
		q, _ := search.Parse("q", "zen")
		counts, err := b.store.Facets(b.ctx, catalog.CatalogQuery{Search: q, Tradition: catalog.Zen, MinDays: 30})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(counts, func(a, b catalog.FacetCount) int { return strings.Compare(a.Language+a.Length, b.Language+b.Length) })
		want := []catalog.FacetCount{
			{Tradition: catalog.Zen, Level: catalog.Advanced, Language: "de", Length: "31+", InLength: true, Plans: 1},
			{Tradition: catalog.Zen, Level: catalog.Beginner, Language: "en", Length: "1-7", Plans: 1},
			{Tradition: catalog.Theravada, Level: catalog.Beginner, Language: "en", Length: "8-30", Plans: 1},
		}
		if !slices.Equal(counts, want) {
			t.Errorf("facets %+v, want %+v (tradition filter ignored, length filter reported, search applied)", counts, want)
		}
		// The page under the same filters, in relevance order.
		list, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{Search: q, Tradition: catalog.Zen, MinDays: 30, Sort: catalog.Relevance, Limit: 10})
		if err != nil || !slices.Equal(slugsOf(list), []string{"zen-long"}) {
			t.Errorf("the page: %v (%v), want zen-long alone", slugsOf(list), err)
		}
		counts, err = b.store.Facets(b.ctx, catalog.CatalogQuery{Search: q, Topic: "zazen"})
		if err != nil || len(counts) != 1 || counts[0].Length != "1-7" || !counts[0].InLength {
			t.Errorf("facets with topic zazen: %+v, %v; want the 5-day plan alone", counts, err)
		}
	})
	scenario(t, open, "a search pages in every order as the catalogue does, each plan once", func(t *testing.T, b bundle) {
		for i, title := range []string{"Zen Mind", "Ānāpāna Zen", "Beginner's Zen", "Zen Koans", "zen at Work"} {
			b.addPublished(t, fmt.Sprintf("zen-%d", i), 1, day.Add(time.Duration(i%3)*time.Hour), func(r *catalog.Revision) { r.Title = title })
		}
		b.addPublished(t, "other", 1, day, func(r *catalog.Revision) { r.Title = "Pure Land" })
		q, _ := search.Parse("q", "zen")
		for _, sort := range []catalog.Sort{catalog.Newest, catalog.ByTitle} {
			key := func(l *catalog.Listing) string { return l.Plan.FirstPublishedAt.UTC().Format(time.RFC3339Nano) }
			if sort == catalog.ByTitle {
				key = func(l *catalog.Listing) string { return catalog.SortTitle(l.Revision.Title) }
			}
			all := b.allPages(t, catalog.CatalogQuery{Sort: sort}, key)
			want := slices.DeleteFunc(slices.Clone(all), func(slug string) bool { return slug == "other" })
			if got := b.allPages(t, catalog.CatalogQuery{Search: q, Sort: sort}, key); !slices.Equal(got, want) {
				t.Errorf("%s: the search paged %v, want the catalogue's order %v without the plan it does not match", sort, got, want)
			}
		}
	})
	scenario(t, open, "a search by relevance shows the plans whose titles match first and pages through every match once", func(t *testing.T, b bundle) {
		for i := range 4 {
			b.addPublished(t, fmt.Sprintf("sitting-%d", i), 1, day.Add(time.Duration(i)*time.Hour), func(r *catalog.Revision) {
				r.Title, r.Description = fmt.Sprintf("Sitting, week %d", i+1), "How zen teachers sit."
			})
		}
		for i, title := range []string{"Zen Mind", "Zen Koans", "Everyday Zen"} {
			b.addPublished(t, fmt.Sprintf("titled-%d", i), 1, day.Add(-time.Duration(i)*time.Hour), func(r *catalog.Revision) { r.Title = title })
		}
		b.addPublished(t, "other", 1, day, func(r *catalog.Revision) { r.Title = "Pure Land" })
		q, _ := search.Parse("q", "zen")
		var got []string
		for offset := 0; offset < 20; offset += 2 {
			page, err := b.store.ListPublished(b.ctx, catalog.CatalogQuery{Search: q, Sort: catalog.Relevance, Limit: 2, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			got = append(got, slugsOf(page)...)
		}
		titled, others := slices.Clone(got[:min(3, len(got))]), slices.Clone(got[min(3, len(got)):])
		slices.Sort(titled)
		slices.Sort(others)
		if !slices.Equal(titled, []string{"titled-0", "titled-1", "titled-2"}) ||
			!slices.Equal(others, []string{"sitting-0", "sitting-1", "sitting-2", "sitting-3"}) {
			t.Errorf("pages of two gave %v; want the three plans with zen in the title, then the four with it in the description, each once", got)
		}
	})
	scenario(t, open, "near words come from the published plans' vocabulary", func(t *testing.T, b bundle) {
		b.addPublished(t, "dhp", 1, day, func(r *catalog.Revision) { r.Title = "The Dhammapada" })
		near, err := b.store.NearWords(b.ctx, []string{"dhammapda", "xylophone", "dhammapada"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(near["dhammapda"], "dhammapada") {
			t.Errorf("near dhammapda: %v, want dhammapada among them", near["dhammapda"])
		}
		if !slices.Equal(near["dhammapada"], []string{"dhammapada"}) {
			t.Errorf("near dhammapada: %v, want the word itself alone", near["dhammapada"])
		}
		if len(near["xylophone"]) != 0 {
			t.Errorf("near xylophone: %v, want nothing", near["xylophone"])
		}
	})
	scenario(t, open, "suggestions match the start of titles, subtitles, topics and authors, titles first", func(t *testing.T, b bundle) {
		b.addPublished(t, "by-title", 1, day, func(r *catalog.Revision) { r.Title = "Mettā Every Day" })
		b.addPublished(t, "by-topic", 1, day, func(r *catalog.Revision) { r.Title, r.Topics = "A Kind Heart", []string{"metta"} })
		b.addPublished(t, "by-text", 1, day, func(r *catalog.Revision) { r.Title, r.Days[0].Items[0].Body = "Other", "metta" })
		q, _ := search.Parse("q", "me")
		got, err := b.store.Suggest(b.ctx, q, 8)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, s := range got {
			slugs = append(slugs, s.Slug)
		}
		if !slices.Equal(slugs, []string{"by-title", "by-topic"}) {
			t.Errorf("suggestions for me: %v, want by-title then by-topic (the day's text does not suggest)", slugs)
		}
	})
}
