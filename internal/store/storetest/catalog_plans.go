package storetest

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// newItem returns a text item read in minutes.
func newItem(title string, minutes int) catalog.Item {
	return catalog.Item{
		ID:          catalog.NewID(),
		ItemContent: catalog.ItemContent{Kind: catalog.Text, Title: title, Body: "Breathing in, I know.", Minutes: minutes},
		BodyHTML:    "<p>Breathing in, I know.</p>",
	}
}

// newTask returns a task of kind taking minutes.
func newTask(kind catalog.TaskKind, minutes int) catalog.Task {
	return catalog.Task{
		ID:          catalog.NewID(),
		TaskContent: catalog.TaskContent{Kind: kind, Prompt: "Sit for a while.", Minutes: minutes},
		PromptHTML:  "<p>Sit for a while.</p>",
	}
}

// newDay returns day number with one ten-minute reading and a five-minute
// meditation.
func newDay(number int) catalog.Day {
	return catalog.Day{
		Number: number, Title: fmt.Sprintf("Day %d", number),
		Items: []catalog.Item{newItem(fmt.Sprintf("Reading %d", number), 10)},
		Tasks: []catalog.Task{newTask(catalog.Meditate, 5)},
	}
}

// newRevision returns revision 1 of planID, a draft with days days. Lists
// are empty rather than nil, as the catalog stores them.
func newRevision(planID string, days int) *catalog.Revision {
	r := &catalog.Revision{
		ID: catalog.NewID(), PlanID: planID, Number: 1, State: catalog.RevisionDraft, CreatedAt: now, UpdatedAt: now,
		Title: "Mindfulness of Breathing", Tradition: catalog.Theravada, Level: catalog.Beginner, Language: "en",
		AuthorIDs: []string{}, Topics: []string{}, FixedStartDates: []string{}, DayCount: days, Days: []catalog.Day{},
	}
	for n := 1; n <= days; n++ {
		r.Days = append(r.Days, newDay(n))
	}
	return r
}

// newPlan returns a draft plan with slug and its working revision of days days.
func newPlan(slug string, days int) (*catalog.Plan, *catalog.Revision) {
	p := &catalog.Plan{ID: catalog.NewID(), Slug: slug, Status: catalog.Draft, CreatedAt: now, UpdatedAt: now}
	r := newRevision(p.ID, days)
	p.WorkingRevisionID = r.ID
	return p, r
}

// publish makes r the published revision of p, first published at, with
// nothing in the works.
func publish(p *catalog.Plan, r *catalog.Revision, at time.Time) {
	p.Status, p.PublishedRevisionID, p.WorkingRevisionID = catalog.Published, r.ID, ""
	p.FirstPublishedAt, p.PublishedAt = &at, &at
	r.State = catalog.RevisionPublished
}

// addPlan stores p with its first revision r and newAuthors.
func (b bundle) addPlan(t *testing.T, p *catalog.Plan, r *catalog.Revision, newAuthors ...*catalog.Author) {
	t.Helper()
	if err := b.store.CreatePlan(b.ctx, p, r, newAuthors...); err != nil {
		t.Fatalf("CreatePlan(%s): %v", p.Slug, err)
	}
}

// addPublished stores a plan with slug published at, whose revision has
// days days and is changed by change first (when not nil).
func (b bundle) addPublished(t *testing.T, slug string, days int, at time.Time, change func(r *catalog.Revision)) (*catalog.Plan, *catalog.Revision) {
	t.Helper()
	p, r := newPlan(slug, days)
	publish(p, r, at)
	if change != nil {
		change(r)
	}
	b.addPlan(t, p, r)
	return p, r
}

// addWorking adds revision 2 of the published plan p as its working
// draft, changed by change first, and returns it.
func (b bundle) addWorking(t *testing.T, p *catalog.Plan, change func(r *catalog.Revision)) *catalog.Revision {
	t.Helper()
	r := newRevision(p.ID, 1)
	r.Number = 2
	if change != nil {
		change(r)
	}
	p.WorkingRevisionID = r.ID
	if err := b.store.SaveRevision(b.ctx, p, r, 0); err != nil {
		t.Fatalf("SaveRevision(%s, new): %v", p.Slug, err)
	}
	return r
}

// cloneRevision copies r deeply enough that editing the copy's lists,
// days, items and tasks leaves r as it was.
func cloneRevision(r *catalog.Revision) *catalog.Revision {
	c := *r
	c.AuthorIDs, c.Topics = slices.Clone(r.AuthorIDs), slices.Clone(r.Topics)
	c.FixedStartDates = slices.Clone(r.FixedStartDates)
	if r.Days != nil {
		c.Days = make([]catalog.Day, len(r.Days))
		for i, d := range r.Days {
			d.Items, d.Tasks = slices.Clone(d.Items), slices.Clone(d.Tasks)
			c.Days[i] = d
		}
	}
	return &c
}

// wantRevision checks that revision id reads back as want, days and all,
// and as want without its days from RevisionMeta.
func (b bundle) wantRevision(t *testing.T, what, id string, want *catalog.Revision) {
	t.Helper()
	got, err := b.store.Revision(b.ctx, id)
	if err != nil {
		t.Fatalf("%s: Revision: %v", what, err)
	}
	wantSame(t, what, got, want)
	meta, err := b.store.RevisionMeta(b.ctx, id)
	if err != nil {
		t.Fatalf("%s: RevisionMeta: %v", what, err)
	}
	noDays := *want
	noDays.Days = nil
	wantSame(t, what+" (meta)", meta, &noDays)
}

// wantPlan checks that plan p.ID reads back as p.
func (b bundle) wantPlan(t *testing.T, what string, p *catalog.Plan) {
	t.Helper()
	got, err := b.store.PlanByID(b.ctx, p.ID)
	if err != nil {
		t.Fatalf("%s: PlanByID: %v", what, err)
	}
	wantSame(t, what, got, p)
}

// fullRevision returns a first revision of planID with every field set,
// reviewed by reviewer, named for authors.
func fullRevision(planID, reviewer string, authors ...*catalog.Author) *catalog.Revision {
	r := newRevision(planID, 0)
	r.State, r.ReviewNote, r.ReviewedBy = catalog.RevisionPublished, "Lovely; one typo fixed.", reviewer
	r.SubmittedAt, r.ReviewedAt = ptr(now.Add(-2*time.Hour).In(colombo)), ptr(now.Add(-time.Hour+time.Microsecond))
	r.CreatedAt, r.UpdatedAt = now.Add(-72*time.Hour).In(colombo), now.Add(-3*time.Hour)
	r.Title, r.Subtitle = "Ānāpānasati", "Sixteen steps of breathing"
	r.Description, r.DescriptionHTML = "The *Ānāpānasati* Sutta, slowly.", "<p>The <em>Ānāpānasati</em> Sutta, slowly.</p>"
	r.AuthorIDs = authorIDs(authors)
	r.Tradition, r.Level, r.Language = catalog.Theravada, catalog.Intermediate, "en-GB"
	r.Topics = []string{"meditation", "breath", "anapanasati"} // not alphabetical
	r.CoverMediaID, r.FixedStartDates = "media-cover", []string{"2027-07-20", "2027-01-01"}
	r.DayCount = 2
	r.Days = []catalog.Day{
		{
			Number: 1, Title: "Breathing in", Intro: "Sit *comfortably*.", IntroHTML: "<p>Sit <em>comfortably</em>.</p>",
			Items: []catalog.Item{
				{
					ID: catalog.NewID(),
					ItemContent: catalog.ItemContent{
						Kind: catalog.Text, Title: "Ānāpānasati Sutta", Body: "Breathing in long…", MediaID: "media-text",
						URL: "https://suttacentral.net/mn118", Citation: "MN 118", SegmentStart: "mn118:15.1",
						SegmentEnd: "mn118:22.4", Minutes: 25, RootText: "Dīghaṁ vā assasanto…", RootLanguage: "pi",
					},
					BodyHTML: "<p>Breathing in long…</p>", RootHTML: "<p>Dīghaṁ vā assasanto…</p>",
				},
				newItem("Second reading", 7),
			},
			Tasks: []catalog.Task{
				newTask(catalog.Meditate, 20),
				{
					ID:          catalog.NewID(),
					TaskContent: catalog.TaskContent{Kind: catalog.Reflect, Prompt: "What did you *notice*?", Minutes: 0, Optional: true},
					PromptHTML:  "<p>What did you <em>notice</em>?</p>",
				},
			},
		},
		{
			Number: 2, Title: "A talk", Intro: "", IntroHTML: "",
			Items: []catalog.Item{{
				ID:          catalog.NewID(),
				ItemContent: catalog.ItemContent{Kind: catalog.Audio, Title: "Dhamma talk", MediaID: "media-audio", Minutes: 45},
			}},
			Tasks: []catalog.Task{},
		},
	}
	// Items listed in the reverse of their ids' order, so order by id would be wrong.
	items := r.Days[0].Items
	if items[0].ID < items[1].ID {
		items[0].ID, items[1].ID = items[1].ID, items[0].ID
	}
	return r
}

func testPlans(t *testing.T, open Open) {
	scenario(t, open, "a plan and its first revision read back exactly by id and by slug", func(t *testing.T, b bundle) {
		creator, reviewer := b.addUser(t, "creator@example.org"), b.addUser(t, "reviewer@example.org")
		existing := b.addAuthor(t, "Bhikkhu Anālayo")
		fresh1, fresh2 := newAuthor("Thanissaro Bhikkhu"), newAuthor("Ajahn Brahm")
		fresh1.CreatedAt = now.In(colombo)
		p := &catalog.Plan{
			ID: catalog.NewID(), Slug: "anapanasati", Status: catalog.Archived, CreatedBy: creator.ID,
			CreatedAt: now.Add(-72 * time.Hour).In(colombo), UpdatedAt: now,
			FirstPublishedAt: ptr(now.Add(-time.Hour + time.Microsecond).In(colombo)),
			PublishedAt:      ptr(now.Add(-30 * time.Minute)), ArchivedAt: ptr(now.In(colombo)),
		}
		// Several authors, in an order that is neither by name nor by id.
		r := fullRevision(p.ID, reviewer.ID, fresh2, existing, fresh1)
		p.PublishedRevisionID = r.ID
		want := cloneRevision(r)
		want.Version = 1
		b.addPlan(t, p, r, fresh1, fresh2)
		if r.Version != 1 || r.DayCount != 2 {
			t.Errorf("after CreatePlan r.Version, r.DayCount = %d, %d; want 1, 2", r.Version, r.DayCount)
		}

		b.wantPlan(t, "PlanByID", p)
		bySlug, err := b.store.PlanBySlug(b.ctx, p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "PlanBySlug", bySlug, p)
		b.wantRevision(t, "first revision", r.ID, want)
		for _, a := range []*catalog.Author{fresh1, fresh2} {
			got, err := b.store.AuthorByID(b.ctx, a.ID)
			if err != nil {
				t.Fatalf("an author created with the plan: %v", err)
			}
			wantSame(t, "author created with the plan", got, a)
		}
	})
	scenario(t, open, "an unknown plan, slug or revision is not found", func(t *testing.T, b bundle) {
		p, r := newPlan("known", 1)
		b.addPlan(t, p, r)
		_, err := b.store.PlanByID(b.ctx, catalog.NewID())
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "plan not found")
		_, err = b.store.PlanBySlug(b.ctx, "unknown")
		wantCode(t, err, errs.NotFound)
		_, err = b.store.Revision(b.ctx, catalog.NewID())
		wantCode(t, err, errs.NotFound)
		_, err = b.store.RevisionMeta(b.ctx, catalog.NewID())
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "CreatePlan stores all or nothing", func(t *testing.T, b bundle) {
		known := b.addAuthor(t, "Known")
		first, firstRev := newPlan("metta", 1)
		b.addPlan(t, first, firstRev)
		for _, c := range []struct {
			name   string
			code   errs.Code
			change func(p *catalog.Plan, r *catalog.Revision)
		}{
			{"a slug another plan has is a conflict", errs.Conflict, func(p *catalog.Plan, r *catalog.Revision) { p.Slug = "metta" }},
			{"a revision naming an unknown author is invalid", errs.Invalid, func(p *catalog.Plan, r *catalog.Revision) {
				r.AuthorIDs = append(r.AuthorIDs, catalog.NewID())
			}},
			{"an item of an unknown kind is invalid", errs.Invalid, func(p *catalog.Plan, r *catalog.Revision) {
				r.Days[1].Items[0].Kind = "essay"
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				p, r := newPlan("karuna", 2)
				r.Topics = []string{"compassion"}
				newAuthors := []*catalog.Author{newAuthor("New One"), newAuthor("New Two")}
				r.AuthorIDs = []string{known.ID, newAuthors[0].ID, newAuthors[1].ID}
				c.change(p, r)
				wantCode(t, b.store.CreatePlan(b.ctx, p, r, newAuthors...), c.code)
				for _, a := range newAuthors {
					_, err := b.store.AuthorByID(b.ctx, a.ID)
					wantCode(t, err, errs.NotFound)
				}
				_, err := b.store.PlanByID(b.ctx, p.ID)
				wantCode(t, err, errs.NotFound)
				_, err = b.store.Revision(b.ctx, r.ID)
				wantCode(t, err, errs.NotFound)
				for _, table := range []string{"revision_authors", "revision_topics", "plan_days", "plan_items", "plan_tasks"} {
					if n := b.count(t, table, "revision_id", r.ID); n != 0 {
						t.Errorf("%s keeps %d rows of the refused revision", table, n)
					}
				}
				if n, err := b.store.CountPlans(b.ctx); err != nil || n != 1 {
					t.Errorf("CountPlans = %d, %v; want 1", n, err)
				}
			})
		}
		b.wantPlan(t, "the plan that had the slug", first)
	})
	scenario(t, open, "SlugsLike returns the base and base-N, taking % and _ literally", func(t *testing.T, b bundle) {
		for _, slug := range []string{"metta", "metta-2", "metta-10", "mettabhavana", "metta2", "karuna-2",
			"a_c", "a_c-2", "abc", "abc-2", "ab%", "ab%-3", "abcd-4"} {
			p, r := newPlan(slug, 1)
			b.addPlan(t, p, r)
		}
		for _, c := range []struct {
			base string
			want []string
		}{
			{"metta", []string{"metta", "metta-10", "metta-2"}},
			{"karuna", []string{"karuna-2"}},
			{"a_c", []string{"a_c", "a_c-2"}},
			{"ab%", []string{"ab%", "ab%-3"}},
			{"upekkha", nil},
		} {
			got, err := b.store.SlugsLike(b.ctx, c.base)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("SlugsLike(%q) = %v, want %v", c.base, got, c.want)
			}
		}
	})
	scenario(t, open, "CountPlans counts plans of every status", func(t *testing.T, b bundle) {
		if n, err := b.store.CountPlans(b.ctx); err != nil || n != 0 {
			t.Fatalf("CountPlans of none = %d, %v", n, err)
		}
		var ids []string
		for _, status := range catalog.Statuses {
			p, r := newPlan(string(status), 1)
			p.Status = status
			b.addPlan(t, p, r)
			ids = append(ids, p.ID)
		}
		if n, err := b.store.CountPlans(b.ctx); err != nil || n != len(catalog.Statuses) {
			t.Errorf("CountPlans = %d, %v; want %d", n, err, len(catalog.Statuses))
		}
		if err := b.store.DeletePlan(b.ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if n, err := b.store.CountPlans(b.ctx); err != nil || n != len(catalog.Statuses)-1 {
			t.Errorf("CountPlans after a delete = %d, %v; want %d", n, err, len(catalog.Statuses)-1)
		}
	})
	scenario(t, open, "DeletePlan deletes every revision and its content, and no other plan's", func(t *testing.T, b bundle) {
		a := b.addAuthor(t, "Author")
		setup := func(slug string) (*catalog.Plan, []string) {
			p, r := b.addPublished(t, slug, 2, now, func(r *catalog.Revision) {
				r.AuthorIDs, r.Topics = []string{a.ID}, []string{"metta"}
			})
			w := b.addWorking(t, p, func(r *catalog.Revision) { r.AuthorIDs, r.Topics = []string{a.ID}, []string{"karuna"} })
			return p, []string{r.ID, w.ID}
		}
		p, revs := setup("doomed")
		kept, keptRevs := setup("kept")
		content := []string{"revision_authors", "revision_topics", "plan_days", "plan_items", "plan_tasks"}
		counts := func(planID string, revs []string) map[string]int {
			n := map[string]int{"plan_revisions": b.count(t, "plan_revisions", "plan_id", planID)}
			for _, table := range content {
				for _, id := range revs {
					n[table] += b.count(t, table, "revision_id", id)
				}
			}
			return n
		}
		before := counts(kept.ID, keptRevs)
		for table, n := range counts(p.ID, revs) {
			if n == 0 {
				t.Fatalf("the plan to delete has no %s rows: the test proves nothing", table)
			}
		}

		if err := b.store.DeletePlan(b.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		for table, n := range counts(p.ID, revs) {
			if n != 0 {
				t.Errorf("%s keeps %d rows of the deleted plan", table, n)
			}
		}
		_, err := b.store.PlanByID(b.ctx, p.ID)
		wantCode(t, err, errs.NotFound)
		for _, id := range revs {
			_, err := b.store.Revision(b.ctx, id)
			wantCode(t, err, errs.NotFound)
		}
		if after := counts(kept.ID, keptRevs); !maps.Equal(after, before) {
			t.Errorf("the other plan's rows went from %v to %v", before, after)
		}
		if _, err := b.store.AuthorByID(b.ctx, a.ID); err != nil {
			t.Errorf("the plan's author went with it: %v", err)
		}
		wantCode(t, b.store.DeletePlan(b.ctx, p.ID), errs.NotFound)
		wantCode(t, b.store.DeletePlan(b.ctx, catalog.NewID()), errs.NotFound)
	})
	scenario(t, open, "Outline gives each day's item and task counts and minutes", func(t *testing.T, b bundle) {
		p, r := newPlan("outline", 3)
		r.Days[0].Items = append(r.Days[0].Items, newItem("More", 5))        // 10 + 5 + 5
		r.Days[1].Items = []catalog.Item{}                                   // task only: 5
		r.Days[2].Tasks = []catalog.Task{}                                   // item only: 10
		r.Days[2].Items = append(r.Days[2].Items, newItem("Untimed", 0))     // and one of 0 minutes
		r.Days[2].Tasks = append(r.Days[2].Tasks, newTask(catalog.Chant, 0)) // and a task of 0 minutes
		b.addPlan(t, p, r)
		got, err := b.store.Outline(b.ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []catalog.DayOutline{
			{Number: 1, Title: "Day 1", Items: 2, Tasks: 1, Minutes: 20},
			{Number: 2, Title: "Day 2", Items: 0, Tasks: 1, Minutes: 5},
			{Number: 3, Title: "Day 3", Items: 2, Tasks: 1, Minutes: 10},
		}
		if !slices.Equal(got, want) {
			t.Errorf("Outline = %+v, want %+v", got, want)
		}
	})
	scenario(t, open, "Day returns one day with its items and tasks in order", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, _ := newPlan("days", 0)
		r := fullRevision(p.ID, reviewer.ID)
		p.WorkingRevisionID = r.ID
		b.addPlan(t, p, r)
		for _, want := range r.Days {
			got, err := b.store.Day(b.ctx, r.ID, want.Number)
			if err != nil {
				t.Fatal(err)
			}
			wantSame(t, "Day", got, &want)
		}
		for _, c := range []struct {
			name     string
			revision string
			number   int
		}{
			{"a day past the last", r.ID, 3},
			{"day 0", r.ID, 0},
			{"a day of an unknown revision", catalog.NewID(), 1},
		} {
			_, err := b.store.Day(b.ctx, c.revision, c.number)
			if errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: error = %v, want not found", c.name, err)
			}
		}
	})
}

func testSaveRevision(t *testing.T, open Open) {
	scenario(t, open, "saving at version 0 adds the next revision, keeping item ids", func(t *testing.T, b bundle) {
		a := b.addAuthor(t, "Author")
		p, r1 := b.addPublished(t, "metta", 2, now, func(r *catalog.Revision) {
			r.AuthorIDs, r.Topics = []string{a.ID}, []string{"metta"}
		})
		first := cloneRevision(r1)
		r2 := cloneRevision(r1)
		r2.ID, r2.Number, r2.State, r2.Version = catalog.NewID(), 2, catalog.RevisionDraft, 0
		r2.CreatedAt, r2.UpdatedAt = now.Add(time.Hour).In(colombo), now.Add(time.Hour)
		r2.Title, r2.Topics = "Loving-kindness", []string{"karuna", "metta"}
		r2.Days[0].Items[0].Title, r2.Days[0].Items[0].Body = "Karaṇīya Metta Sutta", "Whatever living beings there may be"
		r2.Days, r2.DayCount = append(r2.Days, newDay(3)), 3
		p.WorkingRevisionID, p.UpdatedAt = r2.ID, now.Add(time.Hour)
		want := cloneRevision(r2)
		want.Version = 1
		if err := b.store.SaveRevision(b.ctx, p, r2, 0); err != nil {
			t.Fatal(err)
		}
		if r2.Version != 1 {
			t.Errorf("r.Version = %d after adding, want 1", r2.Version)
		}
		// want has the first revision's item ids, so this checks they are kept.
		b.wantRevision(t, "the new revision", r2.ID, want)
		b.wantRevision(t, "the published revision", r1.ID, first)
		b.wantPlan(t, "the plan", p)
	})
	scenario(t, open, "saving at the current version replaces the content and bumps the version", func(t *testing.T, b bundle) {
		x, y := b.addAuthor(t, "X"), b.addAuthor(t, "Y")
		p, r := newPlan("sila", 3)
		r.AuthorIDs, r.Topics, r.FixedStartDates = []string{x.ID, y.ID}, []string{"ethics", "precepts"}, []string{"2027-01-01"}
		r.Days[2].Items = append(r.Days[2].Items, newItem("Second of day 3", 3))
		b.addPlan(t, p, r)

		// Day 2 goes; day 3 comes first with its items swapped and edited
		// and a task more; day 1 follows, retitled.
		e := cloneRevision(r)
		last, first := e.Days[2], e.Days[0]
		last.Number, first.Number, first.Title, first.Intro, first.IntroHTML = 1, 2, "Day one, later", "Now *later*.", "<p>Now <em>later</em>.</p>"
		last.Items[0], last.Items[1] = last.Items[1], last.Items[0]
		last.Items[0].Title, last.Items[0].Minutes, last.Items[0].Citation = "Edited", 12, "AN 8.39"
		last.Tasks = append(last.Tasks, newTask(catalog.Reflect, 0))
		e.Days, e.DayCount = []catalog.Day{last, first}, 2
		e.AuthorIDs, e.Topics, e.FixedStartDates = []string{y.ID}, []string{"precepts", "generosity"}, []string{}
		e.Title, e.Subtitle, e.Description, e.DescriptionHTML = "Sīla", "Five precepts", "Keep *them*.", "<p>Keep <em>them</em>.</p>"
		e.Tradition, e.Level, e.Language, e.CoverMediaID = catalog.Secular, catalog.Advanced, "pt-BR", "media-new"
		e.UpdatedAt = now.Add(time.Minute).In(colombo)
		p.Slug, p.UpdatedAt = "sila-2", now.Add(time.Minute)
		want := cloneRevision(e)
		want.Version = 2
		if err := b.store.SaveRevision(b.ctx, p, e, 1); err != nil {
			t.Fatal(err)
		}
		if e.Version != 2 {
			t.Errorf("r.Version = %d after saving at 1, want 2", e.Version)
		}
		b.wantRevision(t, "after saving", r.ID, want)
		b.wantPlan(t, "the plan", p)
		_, err := b.store.PlanBySlug(b.ctx, "sila")
		wantCode(t, err, errs.NotFound)
		for table, n := range map[string]int{"plan_days": 2, "plan_items": 3, "plan_tasks": 3, "revision_authors": 1, "revision_topics": 2} {
			if got := b.count(t, table, "revision_id", r.ID); got != n {
				t.Errorf("%s has %d rows of the revision, want %d", table, got, n)
			}
		}

		e.Title = "Sīla again"
		if err := b.store.SaveRevision(b.ctx, p, e, 2); err != nil || e.Version != 3 {
			t.Fatalf("saving again at 2: version %d, %v; want 3", e.Version, err)
		}
		if got, err := b.store.RevisionMeta(b.ctx, r.ID); err != nil || got.Version != 3 || got.Title != e.Title {
			t.Errorf("after the second save: %+v, %v", got, err)
		}
	})
	scenario(t, open, "saving at a stale version is a conflict and changes nothing", func(t *testing.T, b bundle) {
		p, r := newPlan("stale", 2)
		b.addPlan(t, p, r)
		mine := cloneRevision(r)
		mine.Title = "Mine"
		if err := b.store.SaveRevision(b.ctx, p, mine, 1); err != nil {
			t.Fatal(err)
		}
		stored := cloneRevision(mine)
		for _, version := range []int{1, 3} {
			theirs := cloneRevision(r)
			theirs.Title, theirs.Days, theirs.DayCount = "Theirs", theirs.Days[:1], 1
			moved := *p
			moved.Slug, moved.UpdatedAt = "theirs", now.Add(time.Hour)
			wantCode(t, b.store.SaveRevision(b.ctx, &moved, theirs, version), errs.Conflict)
		}
		b.wantRevision(t, "after the stale saves", r.ID, stored)
		b.wantPlan(t, "the plan", p)
	})
	scenario(t, open, "a save that takes another plan's slug is a conflict and keeps the content", func(t *testing.T, b bundle) {
		other, otherRev := newPlan("taken", 1)
		b.addPlan(t, other, otherRev)
		p, r := newPlan("mine", 2)
		b.addPlan(t, p, r)
		stored := cloneRevision(r)

		edited := cloneRevision(r)
		edited.Title, edited.Days, edited.DayCount = "Edited", edited.Days[:1], 1
		clash := *p
		clash.Slug, clash.UpdatedAt = "taken", now.Add(time.Hour)
		wantCode(t, b.store.SaveRevision(b.ctx, &clash, edited, 1), errs.Conflict)

		next := newRevision(p.ID, 1)
		next.Number = 2
		clash.WorkingRevisionID = next.ID
		wantCode(t, b.store.SaveRevision(b.ctx, &clash, next, 0), errs.Conflict)

		b.wantRevision(t, "the revision", r.ID, stored)
		_, err := b.store.Revision(b.ctx, next.ID)
		wantCode(t, err, errs.NotFound)
		b.wantPlan(t, "the plan", p)
		b.wantPlan(t, "the plan with the slug", other)
	})
}

func testChangeState(t *testing.T, open Open) {
	// inReview returns a stored draft plan whose first revision is in review.
	inReview := func(t *testing.T, b bundle, slug string) (*catalog.Plan, *catalog.Revision) {
		t.Helper()
		p, r := newPlan(slug, 1)
		p.Status, r.State, r.SubmittedAt = catalog.InReview, catalog.RevisionInReview, ptr(now.Add(-time.Hour))
		b.addPlan(t, p, r)
		return p, r
	}
	at := now.Add(time.Minute).In(colombo)
	scenario(t, open, "submitting a draft records when, clears the note and puts the plan in review", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, r := newPlan("submit", 1)
		// Rejected once before.
		r.ReviewNote, r.ReviewedAt, r.ReviewedBy = "Add a day.", ptr(now.Add(-time.Hour)), reviewer.ID
		b.addPlan(t, p, r)
		p.Status, p.UpdatedAt = catalog.InReview, at
		change := catalog.RevisionChange{RevisionID: r.ID, From: catalog.RevisionDraft, To: catalog.RevisionInReview, At: at}
		if err := b.store.ChangeState(b.ctx, p, change); err != nil {
			t.Fatal(err)
		}
		want := cloneRevision(r)
		want.State, want.SubmittedAt, want.ReviewNote = catalog.RevisionInReview, &at, ""
		b.wantRevision(t, "submitted revision", r.ID, want)
		b.wantPlan(t, "submitted plan", p)
	})
	scenario(t, open, "rejecting records the note, reviewer and time and returns the plan to draft", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, r := inReview(t, b, "reject")
		p.Status, p.UpdatedAt = catalog.Draft, at
		change := catalog.RevisionChange{RevisionID: r.ID, From: catalog.RevisionInReview, To: catalog.RevisionDraft,
			Note: "Say more about the *breath*.", ReviewedBy: reviewer.ID, At: at}
		if err := b.store.ChangeState(b.ctx, p, change); err != nil {
			t.Fatal(err)
		}
		want := cloneRevision(r)
		want.State, want.ReviewNote, want.ReviewedAt, want.ReviewedBy = catalog.RevisionDraft, change.Note, &at, reviewer.ID
		b.wantRevision(t, "rejected revision", r.ID, want)
		b.wantPlan(t, "rejected plan", p)
	})
	scenario(t, open, "publishing the first time points the plan at the revision and records when", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, r := inReview(t, b, "first")
		p.Status, p.PublishedRevisionID, p.WorkingRevisionID = catalog.Published, r.ID, ""
		p.FirstPublishedAt, p.PublishedAt, p.UpdatedAt = &at, &at, at
		change := catalog.RevisionChange{RevisionID: r.ID, From: catalog.RevisionInReview, To: catalog.RevisionPublished,
			ReviewedBy: reviewer.ID, At: at}
		if err := b.store.ChangeState(b.ctx, p, change); err != nil {
			t.Fatal(err)
		}
		want := cloneRevision(r)
		want.State, want.ReviewedAt, want.ReviewedBy = catalog.RevisionPublished, &at, reviewer.ID
		b.wantRevision(t, "published revision", r.ID, want)
		b.wantPlan(t, "published plan", p)
	})
	scenario(t, open, "publishing a new revision supersedes the published one", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, r1 := b.addPublished(t, "renewed", 1, now.Add(-24*time.Hour), nil)
		r2 := b.addWorking(t, p, func(r *catalog.Revision) {
			r.State, r.SubmittedAt = catalog.RevisionInReview, ptr(now)
		})
		p.PublishedRevisionID, p.WorkingRevisionID, p.PublishedAt, p.UpdatedAt = r2.ID, "", &at, at
		if err := b.store.ChangeState(b.ctx, p,
			catalog.RevisionChange{RevisionID: r2.ID, From: catalog.RevisionInReview, To: catalog.RevisionPublished, ReviewedBy: reviewer.ID, At: at},
			catalog.RevisionChange{RevisionID: r1.ID, From: catalog.RevisionPublished, To: catalog.RevisionSuperseded, At: at},
		); err != nil {
			t.Fatal(err)
		}
		old := cloneRevision(r1)
		old.State = catalog.RevisionSuperseded
		b.wantRevision(t, "superseded revision", r1.ID, old)
		current := cloneRevision(r2)
		current.State, current.ReviewedAt, current.ReviewedBy = catalog.RevisionPublished, &at, reviewer.ID
		b.wantRevision(t, "new published revision", r2.ID, current)
		b.wantPlan(t, "the plan, first published the day before", p)
	})
	scenario(t, open, "without changes ChangeState stores the plan row, as archiving does", func(t *testing.T, b bundle) {
		p, r := b.addPublished(t, "archived", 1, now.Add(-time.Hour), nil)
		p.Status, p.ArchivedAt, p.UpdatedAt = catalog.Archived, &at, at
		if err := b.store.ChangeState(b.ctx, p); err != nil {
			t.Fatal(err)
		}
		b.wantPlan(t, "archived plan", p)
		b.wantRevision(t, "its revision", r.ID, cloneRevision(r))
		wantCode(t, b.store.ChangeState(b.ctx, &catalog.Plan{ID: catalog.NewID(), Slug: "x", Status: catalog.Draft}), errs.NotFound)
	})
	scenario(t, open, "a change from a state the revision has left is a conflict and changes nothing", func(t *testing.T, b bundle) {
		reviewer := b.addUser(t, "reviewer@example.org")
		p, r1 := b.addPublished(t, "contested", 1, now.Add(-time.Hour), nil)
		r2 := b.addWorking(t, p, nil) // a draft
		for _, c := range []struct {
			name    string
			changes []catalog.RevisionChange
		}{
			{"the revision is no longer in review", []catalog.RevisionChange{
				{RevisionID: r2.ID, From: catalog.RevisionInReview, To: catalog.RevisionPublished, ReviewedBy: reviewer.ID, At: at},
			}},
			{"the second of two changes is stale", []catalog.RevisionChange{
				{RevisionID: r2.ID, From: catalog.RevisionDraft, To: catalog.RevisionInReview, At: at},
				{RevisionID: r1.ID, From: catalog.RevisionInReview, To: catalog.RevisionDraft, Note: "No.", ReviewedBy: reviewer.ID, At: at},
			}},
			{"the revision does not exist", []catalog.RevisionChange{
				{RevisionID: catalog.NewID(), From: catalog.RevisionDraft, To: catalog.RevisionInReview, At: at},
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				changed := *p
				changed.Status, changed.PublishedRevisionID, changed.WorkingRevisionID = catalog.Archived, r2.ID, ""
				changed.PublishedAt, changed.ArchivedAt, changed.UpdatedAt = &at, &at, at
				wantCode(t, b.store.ChangeState(b.ctx, &changed, c.changes...), errs.Conflict)
				b.wantRevision(t, "the published revision", r1.ID, cloneRevision(r1))
				b.wantRevision(t, "the working revision", r2.ID, cloneRevision(r2))
				b.wantPlan(t, "the plan", p)
			})
		}
	})
}
