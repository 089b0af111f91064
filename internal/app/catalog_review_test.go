package app_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func TestCatalogReviewPublishesAPlan(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbess@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "khema@example.org", identity.RoleAuthor)
		reader := s.Register(t, "layfollower@example.org")
		p := readyPlan(t, s, author, map[string]any{"title": "Breath by Breath", "tradition": "theravada"}, 3)
		id := p.ID

		t.Run("submitting sends the plan to review and freezes it", func(t *testing.T) {
			p = studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(id, "submit"), nil)
			if p.Status != "in_review" || p.Revision.State != "in_review" {
				t.Errorf("after submit: status %q, revision %q", p.Status, p.Revision.State)
			}
			runAll(t, s, []scenario{
				{name: "metadata", method: http.MethodPatch, path: planPath(id), body: map[string]any{"title": "Changed"}, as: author, status: http.StatusConflict, want: []string{"in review"}},
				{name: "metadata by an admin", method: http.MethodPatch, path: planPath(id), body: map[string]any{"title": "Changed"}, as: admin, status: http.StatusConflict},
				{name: "a new day", method: http.MethodPost, path: planPath(id, "days"), body: map[string]any{"title": "More"}, as: author, status: http.StatusConflict},
				{name: "a reorder", method: http.MethodPost, path: planPath(id, "days", "reorder"), body: map[string]any{"order": []int{3, 2, 1}}, as: author, status: http.StatusConflict},
				{name: "a removed day", method: http.MethodDelete, path: planPath(id, "days", 3), as: author, status: http.StatusConflict},
				{name: "submitting again", method: http.MethodPost, path: planPath(id, "submit"), as: author, status: http.StatusConflict, want: []string{"already in review"}},
				{name: "an author publishing it", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish", as: author, status: http.StatusForbidden},
				{name: "an author sending it back", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": "mine"}, as: author, status: http.StatusForbidden},
				{name: "the public page of a plan in review", method: http.MethodGet, path: "/v1/plans/breath-by-breath", status: http.StatusNotFound},
				{name: "a public day of a plan in review", method: http.MethodGet, path: "/v1/plans/breath-by-breath/days/1", status: http.StatusNotFound},
			})
			if got := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(id))); got.Title != "Breath by Breath" || len(got.Days) != 3 {
				t.Errorf("a refused edit changed the plan: %q with %d days", got.Title, len(got.Days))
			}
		})

		t.Run("the review queue lists it for admins", func(t *testing.T) {
			queue := decode[planPage](t, get(t, s, admin, http.StatusOK, "/v1/studio/plans?status=in_review"))
			if !slices.Equal(idsOf(queue.Items), []string{id}) || queue.Items[0].RevisionState != "in_review" {
				t.Errorf("queue %+v", queue.Items)
			}
		})

		t.Run("an admin sends it back with a note the author sees", func(t *testing.T) {
			note := "Please cite the sutta on day 2."
			p = studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+id+"/reject", map[string]any{"note": note})
			if p.Status != "draft" || p.Revision.State != "draft" || p.Revision.ReviewNote != note {
				t.Errorf("after reject: status %q revision %+v", p.Status, p.Revision)
			}
			mine := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(id)))
			if mine.Revision.ReviewNote != note || mine.Revision.State != "draft" {
				t.Errorf("the author sees revision %+v", mine.Revision)
			}
			list := decode[planPage](t, get(t, s, author, http.StatusOK, "/v1/studio/plans"))
			if len(list.Items) != 1 || list.Items[0].ReviewNote != note || list.Items[0].Status != "draft" || list.Items[0].RevisionState != "draft" {
				t.Errorf("the author's list shows %+v", list.Items)
			}
			get(t, s, nil, http.StatusNotFound, "/v1/plans/"+p.Slug)
		})

		t.Run("the author edits, submits again and an admin publishes it", func(t *testing.T) {
			studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(id), map[string]any{"description": "Following MN 118."})
			p = studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(id, "submit"), nil)
			if p.Status != "in_review" || p.Revision.ReviewNote != "" {
				t.Errorf("after the second submit: status %q, note %q", p.Status, p.Revision.ReviewNote)
			}
			p = studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+id+"/publish", nil)
			if p.Status != "published" || p.Revision.State != "published" || !p.HasPublished || p.FirstPublishedAt == nil {
				t.Errorf("after publish: %+v", p)
			}
			mine := decode[planPage](t, get(t, s, author, http.StatusOK, "/v1/studio/plans"))
			if len(mine.Items) != 1 || mine.Items[0].Status != "published" || mine.Items[0].RevisionState != "published" {
				t.Errorf("the author's list shows %+v", mine.Items)
			}
		})

		t.Run("readers find it in the catalogue with its outline", func(t *testing.T) {
			list := decode[planPage](t, get(t, s, nil, http.StatusOK, "/v1/plans"))
			if !slices.Equal(slugsOf(list.Items), []string{"breath-by-breath"}) || list.Items[0].Days != 3 {
				t.Errorf("catalogue %+v", list.Items)
			}
			page := decode[publicPlan](t, get(t, s, nil, http.StatusOK, "/v1/plans/breath-by-breath"))
			if page.Title != "Breath by Breath" || page.Revision != 1 || len(page.Outline) != 3 || page.Status != "published" {
				t.Fatalf("page %+v", page)
			}
			for i, o := range page.Outline {
				if o.Number != i+1 || o.Title != "Day "+strconv.Itoa(i+1) || o.Items != 1 || o.Preview != (i < 2) {
					t.Errorf("outline day %d: %+v", i+1, o)
				}
			}
			if len(page.AuthorDetails) != 1 || page.AuthorDetails[0].Name != "author khema" {
				t.Errorf("authors %+v", page.AuthorDetails)
			}
		})

		t.Run("days 1 and 2 are open to all, later days to readers who enrol", func(t *testing.T) {
			for n := 1; n <= 2; n++ {
				d := decode[publicDay](t, get(t, s, nil, http.StatusOK, "/v1/plans/breath-by-breath/days/"+strconv.Itoa(n)))
				if !d.Preview || d.Number != n || len(d.Items) != 1 || !strings.Contains(d.Items[0].BodyHTML, "<strong>"+strconv.Itoa(n)+"</strong>") {
					t.Errorf("day %d: %+v", n, d)
				}
				if d.Plan.Slug != "breath-by-breath" || d.Plan.Days != 3 || d.Plan.Revision != 1 {
					t.Errorf("day %d plan %+v", n, d.Plan)
				}
			}
			res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/plans/breath-by-breath/days/3"})
			apptest.Problem(t, res, http.StatusUnauthorized, "sign in")
			res = s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/plans/breath-by-breath/days/3", Token: reader.Access})
			apptest.Problem(t, res, http.StatusForbidden, "enrol in the plan")
			s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: reader.Access,
				Body: map[string]any{"plan": "breath-by-breath"}})
			res = get(t, s, reader, http.StatusOK, "/v1/plans/breath-by-breath/days/3")
			if d := decode[publicDay](t, res); d.Preview || len(d.Items) != 1 || d.Items[0].BodyHTML == "" {
				t.Errorf("day 3 signed in: %+v", d)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
				t.Errorf("day 3 Cache-Control %q, want private", cc)
			}
			get(t, s, reader, http.StatusNotFound, "/v1/plans/breath-by-breath/days/4")
		})

		t.Run("a published plan without a new revision has nothing to submit, publish or delete", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "submit", method: http.MethodPost, path: planPath(id, "submit"), as: author, status: http.StatusConflict},
				{name: "publish again", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish", as: admin, status: http.StatusConflict},
				{name: "reject", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": "n"}, as: admin, status: http.StatusConflict},
				{name: "delete", method: http.MethodDelete, path: planPath(id), as: author, status: http.StatusConflict, want: []string{"archive"}},
				{name: "delete as admin", method: http.MethodDelete, path: planPath(id), as: admin, status: http.StatusConflict},
			})
			get(t, s, nil, http.StatusOK, "/v1/plans/breath-by-breath")
		})
	})
}

func TestCatalogRevisionsKeepServingReaders(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "nanamoli@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")
		v1 := publishedPlan(t, s, author, admin, map[string]any{"title": "Ānāpānasati Step by Step", "tradition": "theravada"}, 3)
		slug := v1.Slug
		public := func(t *testing.T) publicPlan {
			t.Helper()
			return decode[publicPlan](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+slug))
		}
		publicDayOne := func(t *testing.T) publicDay {
			t.Helper()
			return decode[publicDay](t, get(t, s, reader, http.StatusOK, "/v1/plans/"+slug+"/days/1"))
		}
		// Read both once, so that they are cached when the new revision is published.
		if got := public(t); got.Title != "Ānāpānasati Step by Step" || got.Revision != 1 {
			t.Fatalf("published page %+v", got)
		}
		publicDayOne(t)

		var v2 studioPlan
		t.Run("editing a published plan starts revision 2 while readers keep revision 1", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: planPath(v1.ID), Token: author.Access,
				Header: http.Header{"If-Match": {strconv.Quote(strconv.Itoa(v1.Revision.Version))}}, Body: map[string]any{"title": "Ānāpānasati in Sixteen Steps"}})
			v2 = decode[studioPlan](t, res)
			if v2.Revision.Number != 2 || v2.Revision.State != "draft" || !v2.HasPublished || v2.Status != "published" || v2.Revision.ID == v1.Revision.ID {
				t.Errorf("after the edit: status %q has_published %v revision %+v (revision 1 was %s)", v2.Status, v2.HasPublished, v2.Revision, v1.Revision.ID)
			}
			if v2.Revision.Version <= v1.Revision.Version || res.Header.Get("ETag") != strconv.Quote(strconv.Itoa(v2.Revision.Version)) {
				t.Errorf("version %d (ETag %s) after %d", v2.Revision.Version, res.Header.Get("ETag"), v1.Revision.Version)
			}
			if v2.Slug != slug || v2.Title != "Ānāpānasati in Sixteen Steps" {
				t.Errorf("slug %q title %q", v2.Slug, v2.Title)
			}
			if got := public(t); got.Title != "Ānāpānasati Step by Step" || got.Revision != 1 {
				t.Errorf("readers see %q revision %d, want the published revision 1", got.Title, got.Revision)
			}
			studio := decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(v1.ID)))
			if studio.Revision.Number != 2 || studio.Revision.State != "draft" || !studio.HasPublished || studio.Title != v2.Title {
				t.Errorf("the studio shows %+v", studio)
			}
		})

		t.Run("items keep their ids in the new revision", func(t *testing.T) {
			for i := range v1.Days {
				if v1.Days[i].Items[0].ID != v2.Days[i].Items[0].ID {
					t.Errorf("day %d item id %s became %s", i+1, v1.Days[i].Items[0].ID, v2.Days[i].Items[0].ID)
				}
			}
			if d := publicDayOne(t); d.Items[0].ID != v2.Days[0].Items[0].ID {
				t.Errorf("the public day's item %s is not the studio's %s", d.Items[0].ID, v2.Days[0].Items[0].ID)
			}
		})

		t.Run("reordering the new revision leaves the public days as they were", func(t *testing.T) {
			v2 = studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(v1.ID, "days", "reorder"), map[string]any{"order": []int{3, 1, 2}})
			v2 = studioDo(t, s, author, http.StatusCreated, http.MethodPost, planPath(v1.ID, "days"), map[string]any{"title": "Day 4", "intro": "Rest."})
			v2 = studioDo(t, s, author, http.StatusOK, http.MethodDelete, planPath(v1.ID, "days", 4), nil)
			if got := dayTitles(v2); !slices.Equal(got, []string{"1 Day 3", "2 Day 1", "3 Day 2"}) || v2.Revision.Number != 2 {
				t.Errorf("revision %d has days %v", v2.Revision.Number, got)
			}
			if d := publicDayOne(t); d.Title != "Day 1" || d.Items[0].Title != "Reading 1" {
				t.Errorf("readers see day 1 as %q with %q", d.Title, d.Items[0].Title)
			}
		})

		t.Run("the slug of a published plan stays", func(t *testing.T) {
			scenario{method: http.MethodPatch, path: planPath(v1.ID), body: map[string]any{"slug": "a-new-slug"}, as: author,
				status: http.StatusUnprocessableEntity, fields: []string{"body.slug"}}.run(t, s)
		})

		t.Run("revision 2 in review leaves the plan published", func(t *testing.T) {
			v2 = studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(v1.ID, "submit"), nil)
			if v2.Status != "published" || v2.Revision.State != "in_review" || v2.Revision.Number != 2 {
				t.Errorf("after submit: status %q revision %+v", v2.Status, v2.Revision)
			}
			if got := public(t); got.Title != "Ānāpānasati Step by Step" {
				t.Errorf("readers see %q before publication", got.Title)
			}
			all := decode[planPage](t, get(t, s, admin, http.StatusOK, "/v1/studio/plans"))
			if len(all.Items) != 1 || all.Items[0].RevisionState != "in_review" || all.Items[0].Status != "published" {
				t.Errorf("the admin's studio list shows %+v", all.Items)
			}
		})

		t.Run("admins find revision 2 in the review queue", func(t *testing.T) {
			// The plan stays published while its revision 2 is reviewed;
			// the review queue finds it all the same.
			queue := decode[planPage](t, get(t, s, admin, http.StatusOK, "/v1/studio/plans?status=in_review"))
			if !slices.Contains(idsOf(queue.Items), v1.ID) {
				t.Errorf("GET /v1/studio/plans?status=in_review lists %v, without the published plan whose revision 2 awaits review",
					idsOf(queue.Items))
			}
		})

		t.Run("publishing revision 2 shows it to readers at once", func(t *testing.T) {
			v2 = studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+v1.ID+"/publish", nil)
			if v2.Revision.State != "published" || v2.Revision.Number != 2 || v2.Status != "published" {
				t.Errorf("after publish: status %q revision %+v", v2.Status, v2.Revision)
			}
			got := public(t)
			if got.Title != "Ānāpānasati in Sixteen Steps" || got.Revision != 2 || len(got.Outline) != 3 || got.Outline[0].Title != "Day 3" {
				t.Errorf("readers see %q revision %d with outline %+v, want revision 2 starting with Day 3", got.Title, got.Revision, got.Outline)
			}
			list := decode[planPage](t, get(t, s, nil, http.StatusOK, "/v1/plans"))
			if len(list.Items) != 1 || list.Items[0].Title != "Ānāpānasati in Sixteen Steps" {
				t.Errorf("catalogue %+v", list.Items)
			}
			d := publicDayOne(t)
			if d.Title != "Day 3" || d.Items[0].ID != v1.Days[2].Items[0].ID || d.Plan.Revision != 2 || d.Plan.Title != "Ānāpānasati in Sixteen Steps" {
				t.Errorf("day 1 after publication: %+v", d)
			}
		})

		t.Run("editing again starts revision 3 from revision 2", func(t *testing.T) {
			v3 := studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(v1.ID), map[string]any{"subtitle": "A third pass"})
			if v3.Revision.Number != 3 || v3.Title != "Ānāpānasati in Sixteen Steps" || len(v3.Days) != 3 || v3.Days[0].Title != "Day 3" ||
				v3.Revision.Version <= v2.Revision.Version {
				t.Errorf("revision 3: %+v", v3)
			}
		})
	})
}
