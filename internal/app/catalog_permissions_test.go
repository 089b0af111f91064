package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// A well-formed id that names no plan, and one that is not an id at all.
const (
	unknownID   = "01900000-0000-7000-8000-000000000000"
	malformedID = "not-a-plan-id"
)

func TestCatalogStudioPermissions(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		owner := s.CreateUser(t, "owner@example.org", identity.RoleAuthor)
		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")

		mine := readyPlan(t, s, owner, map[string]any{"title": "The Owner's Plan", "tradition": "zen"}, 1)
		id, item := mine.ID, mine.Days[0].Items[0].ID
		theirs := newPlan(t, s, other, map[string]any{"title": "The Other's Plan", "tradition": "mahayana"})

		t.Run("another author finds nothing at a plan that is not theirs", func(t *testing.T) {
			var scenarios []scenario
			for _, r := range []struct {
				name, method, path string
				body               any
			}{
				{"read it", http.MethodGet, planPath(id), nil},
				{"change it", http.MethodPatch, planPath(id), map[string]any{"title": "Taken over"}},
				{"delete it", http.MethodDelete, planPath(id), nil},
				{"submit it", http.MethodPost, planPath(id, "submit"), nil},
				{"add a day", http.MethodPost, planPath(id, "days"), map[string]any{"title": "Extra"}},
				{"reorder days", http.MethodPost, planPath(id, "days", "reorder"), map[string]any{"order": []int{1}}},
				{"remove a day", http.MethodDelete, planPath(id, "days", 1), nil},
				{"change a day", http.MethodPatch, planPath(id, "days", 1), map[string]any{"title": "Mine now"}},
				{"add an item", http.MethodPost, planPath(id, "days", 1, "items"), map[string]any{"kind": "text", "title": "t", "body": "b"}},
				{"change an item", http.MethodPatch, planPath(id, "days", 1, "items", item), map[string]any{"title": "Mine now"}},
				{"remove an item", http.MethodDelete, planPath(id, "days", 1, "items", item), nil},
				{"add a task", http.MethodPost, planPath(id, "days", 1, "tasks"), map[string]any{"kind": "meditate", "minutes": 5}},
			} {
				scenarios = append(scenarios, scenario{name: r.name, method: r.method, path: r.path, body: r.body, as: other,
					status: http.StatusNotFound, want: []string{"not found"}})
			}
			runAll(t, s, scenarios)
			got := decode[studioPlan](t, get(t, s, owner, http.StatusOK, planPath(id)))
			if got.Title != "The Owner's Plan" || len(got.Days) != 1 || len(got.Days[0].Items) != 1 || got.Revision.Version != mine.Revision.Version {
				t.Errorf("refused requests changed the plan: %+v", got)
			}
		})

		t.Run("an unknown or malformed plan id is not found", func(t *testing.T) {
			var scenarios []scenario
			for _, bad := range []string{unknownID, malformedID} {
				for _, as := range []*apptest.Account{owner, admin} {
					scenarios = append(scenarios,
						scenario{name: "GET " + bad, method: http.MethodGet, path: planPath(bad), as: as, status: http.StatusNotFound},
						scenario{name: "PATCH " + bad, method: http.MethodPatch, path: planPath(bad), body: map[string]any{"title": "x"}, as: as, status: http.StatusNotFound},
						scenario{name: "DELETE " + bad, method: http.MethodDelete, path: planPath(bad), as: as, status: http.StatusNotFound},
						scenario{name: "submit " + bad, method: http.MethodPost, path: planPath(bad, "submit"), as: as, status: http.StatusNotFound},
						scenario{name: "add a day to " + bad, method: http.MethodPost, path: planPath(bad, "days"), body: map[string]any{"title": "x"}, as: as, status: http.StatusNotFound},
					)
				}
				for _, action := range []string{"publish", "archive"} {
					scenarios = append(scenarios, scenario{name: action + " " + bad, method: http.MethodPost, path: "/v1/admin/plans/" + bad + "/" + action,
						as: admin, status: http.StatusNotFound})
				}
				scenarios = append(scenarios, scenario{name: "reject " + bad, method: http.MethodPost, path: "/v1/admin/plans/" + bad + "/reject",
					body: map[string]any{"note": "n"}, as: admin, status: http.StatusNotFound})
			}
			runAll(t, s, scenarios)
		})

		t.Run("a plain user may not use the studio or review", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "list", method: http.MethodGet, path: "/v1/studio/plans", as: reader, status: http.StatusForbidden},
				{name: "create", method: http.MethodPost, path: "/v1/studio/plans", body: map[string]any{"title": "Mine", "tradition": "zen"}, as: reader, status: http.StatusForbidden},
				{name: "read", method: http.MethodGet, path: planPath(id), as: reader, status: http.StatusForbidden},
				{name: "change", method: http.MethodPatch, path: planPath(id), body: map[string]any{"title": "x"}, as: reader, status: http.StatusForbidden},
				{name: "delete", method: http.MethodDelete, path: planPath(id), as: reader, status: http.StatusForbidden},
				{name: "submit", method: http.MethodPost, path: planPath(id, "submit"), as: reader, status: http.StatusForbidden},
				{name: "add a day", method: http.MethodPost, path: planPath(id, "days"), body: map[string]any{"title": "x"}, as: reader, status: http.StatusForbidden},
				{name: "preview Markdown", method: http.MethodPost, path: "/v1/studio/markdown", body: map[string]any{"markdown": "*x*"}, as: reader, status: http.StatusForbidden},
				{name: "publish", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish", as: reader, status: http.StatusForbidden},
				{name: "list authors", method: http.MethodGet, path: "/v1/admin/authors", as: reader, status: http.StatusForbidden},
			})
		})

		t.Run("an author may not review plans or manage authors", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "publish", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish", as: owner, status: http.StatusForbidden},
				{name: "reject", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": "n"}, as: owner, status: http.StatusForbidden},
				{name: "archive", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/archive", as: owner, status: http.StatusForbidden},
				{name: "list authors", method: http.MethodGet, path: "/v1/admin/authors", as: owner, status: http.StatusForbidden},
				{name: "create an author", method: http.MethodPost, path: "/v1/admin/authors", body: map[string]any{"name": "Me"}, as: owner, status: http.StatusForbidden},
			})
		})

		t.Run("without a token the studio and review ask for one", func(t *testing.T) {
			for _, sc := range []scenario{
				{name: "list", method: http.MethodGet, path: "/v1/studio/plans"},
				{name: "create", method: http.MethodPost, path: "/v1/studio/plans", body: map[string]any{"title": "Mine", "tradition": "zen"}},
				{name: "read", method: http.MethodGet, path: planPath(id)},
				{name: "change", method: http.MethodPatch, path: planPath(id), body: map[string]any{"title": "x"}},
				{name: "delete", method: http.MethodDelete, path: planPath(id)},
				{name: "submit", method: http.MethodPost, path: planPath(id, "submit")},
				{name: "add a day", method: http.MethodPost, path: planPath(id, "days"), body: map[string]any{"title": "x"}},
				{name: "remove a day", method: http.MethodDelete, path: planPath(id, "days", 1)},
				{name: "preview Markdown", method: http.MethodPost, path: "/v1/studio/markdown", body: map[string]any{"markdown": "*x*"}},
				{name: "publish", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/publish"},
				{name: "reject", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/reject", body: map[string]any{"note": "n"}},
				{name: "archive", method: http.MethodPost, path: "/v1/admin/plans/" + id + "/archive"},
				{name: "list authors", method: http.MethodGet, path: "/v1/admin/authors"},
			} {
				t.Run(sc.name, func(t *testing.T) {
					sc.status, sc.want = http.StatusUnauthorized, []string{"sign in"}
					res := sc.run(t, s)
					if h := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
						t.Errorf("WWW-Authenticate %q, want a Bearer challenge", h)
					}
				})
			}
			get(t, s, owner, http.StatusOK, planPath(id))
		})

		t.Run("an admin edits any plan", func(t *testing.T) {
			p := studioDo(t, s, admin, http.StatusOK, http.MethodPatch, planPath(id), map[string]any{"subtitle": "Edited by the abbot"})
			p = studioDo(t, s, admin, http.StatusCreated, http.MethodPost, planPath(id, "days"), map[string]any{"title": "Added by the abbot"})
			if len(p.Days) != 2 {
				t.Fatalf("days %+v", p.Days)
			}
			got := decode[studioPlan](t, get(t, s, owner, http.StatusOK, planPath(id)))
			if got.Revision.Version != p.Revision.Version || len(got.Days) != 2 || len(got.Authors) != 1 || got.Authors[0].Name != "author owner" {
				t.Errorf("the owner sees %+v", got)
			}
			studioDo(t, s, admin, http.StatusOK, http.MethodDelete, planPath(id, "days", 2), nil)
		})

		t.Run("the studio lists the plans one may edit", func(t *testing.T) {
			second := newPlan(t, s, owner, map[string]any{"title": "The Owner's Second Plan", "tradition": "zen"})
			list := func(a *apptest.Account, q url.Values) []string {
				return idsOf(decode[planPage](t, get(t, s, a, http.StatusOK, "/v1/studio/plans?"+q.Encode())).Items)
			}
			if got := list(owner, nil); !slices.Equal(got, []string{second.ID, id}) {
				t.Errorf("the owner's list %v, want newest first %v", got, []string{second.ID, id})
			}
			if got := list(other, nil); !slices.Equal(got, []string{theirs.ID}) {
				t.Errorf("the other author's list %v, want %v", got, []string{theirs.ID})
			}
			if got := list(admin, nil); !slices.Equal(got, []string{second.ID, theirs.ID, id}) {
				t.Errorf("the admin's list %v, want every plan", got)
			}

			studioDo(t, s, owner, http.StatusOK, http.MethodPost, planPath(id, "submit"), nil)
			for _, tc := range []struct {
				as     *apptest.Account
				status string
				want   []string
			}{
				{admin, "in_review", []string{id}},
				{owner, "in_review", []string{id}},
				{other, "in_review", nil},
				{owner, "draft", []string{second.ID}},
				{admin, "draft", []string{second.ID, theirs.ID}},
				{admin, "published", nil},
			} {
				if got := list(tc.as, url.Values{"status": {tc.status}}); !slices.Equal(got, tc.want) {
					t.Errorf("%s lists status=%s as %v, want %v", tc.as.Email, tc.status, got, tc.want)
				}
			}

			var paged []string
			cursor := ""
			for range 5 {
				q := url.Values{"limit": {"1"}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				page := decode[planPage](t, get(t, s, admin, http.StatusOK, "/v1/studio/plans?"+q.Encode()))
				paged = append(paged, idsOf(page.Items)...)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if !slices.Equal(paged, []string{second.ID, theirs.ID, id}) {
				t.Errorf("pages of one list %v", paged)
			}
		})

		t.Run("a plan that is not published is not found on the public API", func(t *testing.T) {
			for _, path := range []string{"/v1/plans/" + mine.Slug, "/v1/plans/" + mine.Slug + "/days/1", "/v1/plans/" + theirs.Slug} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: path, Token: owner.Access}), http.StatusNotFound)
			}
			if list := decode[planPage](t, get(t, s, nil, http.StatusOK, "/v1/plans")); len(list.Items) != 0 {
				t.Errorf("the catalogue lists unpublished plans: %v", slugsOf(list.Items))
			}
		})
	})
}
