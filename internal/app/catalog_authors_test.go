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

// adminAuthor is an author as admins see it.
type adminAuthor struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Bio       string `json:"bio"`
	BioHTML   string `json:"bio_html"`
	Tradition string `json:"tradition"`
	UserID    string `json:"user_id"`
}

func TestCatalogAuthors(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		translator := s.CreateUser(t, "translator@example.org", identity.RoleAuthor)
		stranger := s.CreateUser(t, "stranger@example.org", identity.RoleAuthor)
		newStranger := newPlan(t, s, stranger, map[string]any{"title": "Stranger's Own", "tradition": "zen"})

		authorDo := func(t *testing.T, status int, method, path string, body any) adminAuthor {
			t.Helper()
			res := s.Expect(t, status, apptest.Request{Method: method, Path: path, Body: body, Token: admin.Access})
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
			}
			return decode[adminAuthor](t, res)
		}
		bad := func(name, method, path string, body any, fields ...string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: admin, status: http.StatusUnprocessableEntity, fields: fields}
		}

		var bodhi, quiet adminAuthor
		t.Run("an admin adds an author with a Markdown bio", func(t *testing.T) {
			bodhi = authorDo(t, http.StatusCreated, http.MethodPost, "/v1/admin/authors", map[string]any{
				"name": "Bhikkhu Bodhi", "bio": "Translator of the *Majjhima Nikāya*.", "tradition": "theravada",
			})
			if bodhi.Name != "Bhikkhu Bodhi" || bodhi.Tradition != "theravada" || bodhi.UserID != "" ||
				!strings.Contains(bodhi.BioHTML, "<em>Majjhima Nikāya</em>") {
				t.Errorf("created %+v", bodhi)
			}
			quiet = authorDo(t, http.StatusCreated, http.MethodPost, "/v1/admin/authors", map[string]any{"name": "Ajahn Quiet"})
			if quiet.Tradition != "other" || quiet.BioHTML != "" {
				t.Errorf("an author with only a name: %+v", quiet)
			}
			if got := authorDo(t, http.StatusOK, http.MethodGet, "/v1/admin/authors/"+bodhi.ID, nil); got != bodhi {
				t.Errorf("read back %+v, want %+v", got, bodhi)
			}
			found := decode[struct{ Items []adminAuthor }](t, get(t, s, admin, http.StatusOK, "/v1/admin/authors?q=BODHI"))
			if len(found.Items) != 1 || found.Items[0].ID != bodhi.ID {
				t.Errorf("q=BODHI finds %+v", found.Items)
			}
		})

		t.Run("admins page through every author once, by name", func(t *testing.T) {
			var got []string
			cursor := ""
			for range 5 {
				path := "/v1/admin/authors?limit=1"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				page := decode[struct {
					Items      []adminAuthor `json:"items"`
					NextCursor string        `json:"next_cursor"`
				}](t, get(t, s, admin, http.StatusOK, path))
				for _, a := range page.Items {
					got = append(got, a.Name)
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if want := []string{"Ajahn Quiet", "author stranger", "Bhikkhu Bodhi"}; !slices.Equal(got, want) {
				t.Errorf("pages list %v, want %v", got, want)
			}
		})

		t.Run("bad authors are refused naming the field", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("no name", http.MethodPost, "/v1/admin/authors", map[string]any{"bio": "x"}, "body.name"),
				bad("an unknown tradition", http.MethodPost, "/v1/admin/authors", map[string]any{"name": "X", "tradition": "shingon"}, "body.tradition"),
				bad("a bio over 200 KB", http.MethodPost, "/v1/admin/authors", map[string]any{"name": "X", "bio": strings.Repeat("b", 210*1024)}, "body.bio"),
				bad("a malformed user id", http.MethodPost, "/v1/admin/authors", map[string]any{"name": "X", "user_id": "not-a-user"}, "body.user_id"),
				bad("an unknown user", http.MethodPost, "/v1/admin/authors", map[string]any{"name": "X", "user_id": unknownID}, "body.user_id"),
				bad("an empty name on a change", http.MethodPatch, "/v1/admin/authors/"+quiet.ID, map[string]any{"name": ""}, "body.name"),
				{name: "an unknown author", method: http.MethodGet, path: "/v1/admin/authors/" + unknownID, as: admin, status: http.StatusNotFound},
				{name: "a malformed author id", method: http.MethodPatch, path: "/v1/admin/authors/nope", body: map[string]any{"name": "X"}, as: admin, status: http.StatusNotFound},
			})
			found := decode[struct{ Items []adminAuthor }](t, get(t, s, admin, http.StatusOK, "/v1/admin/authors?q=x"))
			if len(found.Items) != 0 {
				t.Errorf("refused authors were stored: %+v", found.Items)
			}
		})

		var lotus studioPlan
		t.Run("a linked account writes the plans that name its author", func(t *testing.T) {
			bodhi = authorDo(t, http.StatusOK, http.MethodPatch, "/v1/admin/authors/"+bodhi.ID, map[string]any{"user_id": translator.ID})
			if bodhi.UserID != translator.ID || bodhi.Name != "Bhikkhu Bodhi" {
				t.Errorf("after linking: %+v", bodhi)
			}
			lotus = readyPlan(t, s, admin, map[string]any{"title": "The Middle Length Discourses", "tradition": "theravada", "author_ids": []string{bodhi.ID}}, 2)
			if len(lotus.Authors) != 1 || lotus.Authors[0].ID != bodhi.ID {
				t.Fatalf("authors %+v", lotus.Authors)
			}
			list := decode[planPage](t, get(t, s, translator, http.StatusOK, "/v1/studio/plans"))
			if !slices.Equal(idsOf(list.Items), []string{lotus.ID}) {
				t.Errorf("the linked account's studio lists %v, want %v", idsOf(list.Items), []string{lotus.ID})
			}
			studioDo(t, s, translator, http.StatusOK, http.MethodPatch, planPath(lotus.ID), map[string]any{"subtitle": "Edited by the translator"})
			get(t, s, stranger, http.StatusNotFound, planPath(lotus.ID))
			// The translator's own plans name the linked author, not a new one.
			own := newPlan(t, s, translator, map[string]any{"title": "Translator's Notes", "tradition": "theravada"})
			if len(own.Authors) != 1 || own.Authors[0].ID != bodhi.ID {
				t.Errorf("the linked account's new plan names %+v, want %s", own.Authors, bodhi.ID)
			}
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: planPath(own.ID), Token: translator.Access})
		})

		t.Run("an account is linked to one author at most", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("a new author", http.MethodPost, "/v1/admin/authors", map[string]any{"name": "Bodhi Again", "user_id": translator.ID}, "body.user_id"),
				bad("another author", http.MethodPatch, "/v1/admin/authors/"+quiet.ID, map[string]any{"user_id": translator.ID}, "body.user_id"),
				// The stranger's plan made an author linked to the stranger.
				bad("an account with an author of its own", http.MethodPatch, "/v1/admin/authors/"+quiet.ID, map[string]any{"user_id": stranger.ID}, "body.user_id"),
			})
			if got := authorDo(t, http.StatusOK, http.MethodGet, "/v1/admin/authors/"+quiet.ID, nil); got.UserID != "" {
				t.Errorf("a refused link was stored: %+v", got)
			}
		})

		t.Run("a plan with an unknown author is refused", func(t *testing.T) {
			scenario{method: http.MethodPost, path: "/v1/studio/plans", body: map[string]any{"title": "Nobody's", "tradition": "zen", "author_ids": []string{unknownID, "nope"}},
				as: admin, status: http.StatusUnprocessableEntity, fields: []string{"body.author_ids[0]", "body.author_ids[1]"}}.run(t, s)
		})

		t.Run("the public sees only the authors of published plans", func(t *testing.T) {
			if page := decode[struct{ Items []adminAuthor }](t, get(t, s, nil, http.StatusOK, "/v1/authors")); len(page.Items) != 0 {
				t.Errorf("before anything is published /v1/authors lists %+v", page.Items)
			}
			get(t, s, nil, http.StatusNotFound, "/v1/authors/"+bodhi.ID)
			publish(t, s, translator, admin, lotus.ID)
			page := decode[struct{ Items []adminAuthor }](t, get(t, s, nil, http.StatusOK, "/v1/authors"))
			if len(page.Items) != 1 || page.Items[0].ID != bodhi.ID || !strings.Contains(page.Items[0].BioHTML, "<em>") || page.Items[0].UserID != "" {
				t.Errorf("/v1/authors lists %+v, want Bhikkhu Bodhi without his account", page.Items)
			}
			one := decode[struct {
				Name  string     `json:"name"`
				Plans []planCard `json:"plans"`
			}](t, get(t, s, nil, http.StatusOK, "/v1/authors/"+bodhi.ID))
			if one.Name != "Bhikkhu Bodhi" || !slices.Equal(idsOf(one.Plans), []string{lotus.ID}) {
				t.Errorf("/v1/authors/%s is %+v", bodhi.ID, one)
			}
			for _, id := range []string{quiet.ID, newStranger.Authors[0].ID, unknownID, "nope"} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/authors/" + id}), http.StatusNotFound)
			}
		})

		t.Run("renaming an author shows at once on public pages", func(t *testing.T) {
			get(t, s, nil, http.StatusOK, "/v1/plans/"+lotus.Slug) // cached now
			authorDo(t, http.StatusOK, http.MethodPatch, "/v1/admin/authors/"+bodhi.ID, map[string]any{"name": "Ven. Bhikkhu Bodhi"})
			page := decode[publicPlan](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+lotus.Slug))
			if len(page.AuthorDetails) != 1 || page.AuthorDetails[0].Name != "Ven. Bhikkhu Bodhi" {
				t.Errorf("the plan page names %+v", page.AuthorDetails)
			}
			if got := decode[adminAuthor](t, get(t, s, nil, http.StatusOK, "/v1/authors/"+bodhi.ID)); got.Name != "Ven. Bhikkhu Bodhi" {
				t.Errorf("the author page names %q", got.Name)
			}
		})

		t.Run("unlinking an account takes the plans away from it", func(t *testing.T) {
			bodhi = authorDo(t, http.StatusOK, http.MethodPatch, "/v1/admin/authors/"+bodhi.ID, map[string]any{"user_id": ""})
			if bodhi.UserID != "" {
				t.Errorf("after unlinking: %+v", bodhi)
			}
			get(t, s, translator, http.StatusNotFound, planPath(lotus.ID))
			if list := decode[planPage](t, get(t, s, translator, http.StatusOK, "/v1/studio/plans")); len(list.Items) != 0 {
				t.Errorf("the unlinked account still lists %v", idsOf(list.Items))
			}
		})

		t.Run("an author a plan names cannot be deleted; another can", func(t *testing.T) {
			scenario{method: http.MethodDelete, path: "/v1/admin/authors/" + bodhi.ID, as: admin, status: http.StatusConflict, want: []string{"plans name this author"}}.run(t, s)
			authorDo(t, http.StatusOK, http.MethodGet, "/v1/admin/authors/"+bodhi.ID, nil)
			res := s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/authors/" + quiet.ID, Token: admin.Access})
			if len(res.Body) != 0 {
				t.Errorf("204 with a body: %s", res.Body)
			}
			get(t, s, admin, http.StatusNotFound, "/v1/admin/authors/"+quiet.ID)
			s.Expect(t, http.StatusNotFound, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/authors/" + quiet.ID, Token: admin.Access})
		})
	})
}

// The studio's author search offers an author the author records they may
// name: their own first, published or not, then the published ones.
func TestStudioAuthorChoices(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		nun := s.CreateUser(t, "nun@example.org", identity.RoleAuthor)
		monk := s.CreateUser(t, "monk@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")

		publishedPlan(t, s, monk, admin, map[string]any{"title": "Walking Slowly", "tradition": "zen"}, 1)
		readyPlan(t, s, nun, map[string]any{"title": "A Draft", "tradition": "theravada"}, 1) // her author exists, unpublished

		names := func(t *testing.T, as *apptest.Account, q string) []string {
			t.Helper()
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/studio/authors?q=" + url.QueryEscape(q), Token: as.Access})
			var got []string
			for _, a := range decode[struct {
				Items []struct {
					Name string `json:"name"`
				} `json:"items"`
			}](t, res).Items {
				got = append(got, a.Name)
			}
			return got
		}
		if got := names(t, nun, ""); !slices.Equal(got, []string{"author nun", "author monk"}) {
			t.Errorf("the nun may name %v, want her own unpublished author first, then the published one", got)
		}
		if got := names(t, nun, "NUN"); !slices.Equal(got, []string{"author nun"}) {
			t.Errorf("the nun searching NUN finds %v", got)
		}
		if got := names(t, nun, "monk"); !slices.Equal(got, []string{"author monk"}) {
			t.Errorf("the nun searching monk finds %v", got)
		}
		if got := names(t, monk, ""); !slices.Equal(got, []string{"author monk"}) {
			t.Errorf("the monk may name %v, want only his own (the nun's is unpublished)", got)
		}
		if got := names(t, admin, "author"); !slices.Equal(got, []string{"author monk", "author nun"}) {
			t.Errorf("the admin finds %v, want every author by name", got)
		}
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/studio/authors", Token: reader.Access}), http.StatusForbidden)
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/studio/authors?limit=0", Token: nun.Access}), http.StatusUnprocessableEntity)
	})
}
