package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func TestAdminManagesUsers(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "scribe@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")

		list := func(t *testing.T, token string, query url.Values) *apptest.Response {
			t.Helper()
			return s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users?" + query.Encode(), Token: token})
		}
		patch := func(t *testing.T, token, id string, body any) *apptest.Response {
			t.Helper()
			return s.Do(t, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + id, Token: token, Body: body})
		}
		me := func(t *testing.T, a *apptest.Account) map[string]any {
			t.Helper()
			return s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}).JSON(t)
		}
		find := func(t *testing.T, q string) []adminUser {
			t.Helper()
			res := list(t, admin.Access, url.Values{"q": {q}})
			if res.Status != http.StatusOK {
				t.Fatalf("find %q: status %d\n%s", q, res.Status, res.Body)
			}
			return decodePage(t, res).items
		}

		t.Run("users and authors are forbidden the admin endpoints", func(t *testing.T) {
			for _, a := range []*apptest.Account{reader, author} {
				apptest.Problem(t, list(t, a.Access, nil), http.StatusForbidden, "may not")
				apptest.Problem(t, patch(t, a.Access, reader.ID, map[string]any{"role": "admin"}), http.StatusForbidden, "may not")
				apptest.Problem(t, patch(t, a.Access, a.ID, map[string]any{"role": "admin"}), http.StatusForbidden)
			}
			if role := me(t, reader)["role"]; role != "user" {
				t.Errorf("a refused promotion changed the role to %v", role)
			}
			if role := me(t, author)["role"]; role != "author" {
				t.Errorf("a refused promotion changed the role to %v", role)
			}
		})

		t.Run("without a token the admin endpoints ask for one", func(t *testing.T) {
			for _, res := range []*apptest.Response{list(t, "", nil), patch(t, "", reader.ID, map[string]any{"disabled": true})} {
				apptest.Problem(t, res, http.StatusUnauthorized, "sign in")
				if h := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
					t.Errorf("WWW-Authenticate %q, want a Bearer challenge", h)
				}
			}
			me(t, reader) // not disabled
		})

		t.Run("an admin finds users by part of their email or name in any case", func(t *testing.T) {
			sariputta := registerNamed(t, s, "sariputta@jetavana.example.org", "Sāriputta the Wise")
			moggallana := registerNamed(t, s, "moggallana@jetavana.example.org", "Moggallāna")
			kisa := registerNamed(t, s, "gotami@savatthi.example.org", "Kisā Gotamī")
			for _, tc := range []struct {
				q    string
				want []string
			}{
				{"JETAVANA", []string{sariputta, moggallana}},
				{"the wise", []string{sariputta}},
				{"WISE", []string{sariputta}},
				{"Moggallāna", []string{moggallana}},
				{"gotamī", []string{kisa}},
				{"GOTAMI@SAVATTHI", []string{kisa}},
				{"100%", nil},
				{"nobody-has-this", nil},
			} {
				got := ids(find(t, tc.q))
				if !slices.Equal(got, tc.want) {
					t.Errorf("q=%q found %v, want %v", tc.q, got, tc.want)
				}
			}
			all := find(t, "")
			for _, id := range []string{admin.ID, author.ID, reader.ID, sariputta} {
				if !slices.Contains(ids(all), id) {
					t.Errorf("an empty q does not list %s", id)
				}
			}
			for _, u := range all {
				if u.ID == author.ID && (u.Role != "author" || u.Email != "scribe@example.org" || u.Disabled) {
					t.Errorf("author listed as %+v", u)
				}
			}
		})

		t.Run("an admin pages through every match once, in creation order", func(t *testing.T) {
			var want []string
			for _, name := range []string{"ajahn", "bhante", "chah", "dipa", "emma", "fulvia", "gyatso"} {
				want = append(want, registerNamed(t, s, name+"@pages.example.org", "Pager "+name))
			}
			var got []string
			cursor, pages := "", 0
			for {
				q := url.Values{"q": {"@pages.example"}, "limit": {"3"}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				res := list(t, admin.Access, q)
				if res.Status != http.StatusOK {
					t.Fatalf("page %d: status %d\n%s", pages+1, res.Status, res.Body)
				}
				if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control %q, want no-store", cc)
				}
				page := decodePage(t, res)
				pages++
				if len(page.items) > 3 {
					t.Fatalf("page %d has %d items, limit 3", pages, len(page.items))
				}
				got = append(got, ids(page.items)...)
				if !page.hasNext {
					break
				}
				if pages > 10 {
					t.Fatal("next_cursor never ends")
				}
				cursor = page.next
			}
			if pages != 3 || !slices.Equal(got, want) {
				t.Errorf("%d pages listed %v, want 3 pages listing %v", pages, got, want)
			}

			exact := decodePage(t, list(t, admin.Access, url.Values{"q": {"@pages.example"}, "limit": {"7"}}))
			if len(exact.items) != 7 || exact.hasNext {
				t.Errorf("a page holding the last match has %d items and next_cursor %v, want 7 and none", len(exact.items), exact.hasNext)
			}
		})

		t.Run("a bad cursor or limit is refused naming the field", func(t *testing.T) {
			for _, tc := range []struct {
				query url.Values
				field string
			}{
				{url.Values{"cursor": {"not a cursor"}}, "query.cursor"},
				{url.Values{"cursor": {"bm90LWEtdXVpZA"}}, "query.cursor"}, // base64 of "not-a-uuid"
				{url.Values{"limit": {"0"}}, "query.limit"},
				{url.Values{"limit": {"101"}}, "query.limit"},
				{url.Values{"limit": {"-1"}}, "query.limit"},
				{url.Values{"q": {strings.Repeat("q", 201)}}, "query.q"},
			} {
				fields := apptest.Problem(t, list(t, admin.Access, tc.query), http.StatusUnprocessableEntity)
				if fields[tc.field] == "" {
					t.Errorf("%s: no error for %s in %v", tc.query.Encode(), tc.field, fields)
				}
			}
		})

		t.Run("a bad cursor and a bad limit are reported together", func(t *testing.T) {
			fields := apptest.Problem(t, list(t, admin.Access, url.Values{"cursor": {"not a cursor"}, "limit": {"101"}}), http.StatusUnprocessableEntity)
			if fields["query.cursor"] == "" || fields["query.limit"] == "" {
				t.Errorf("want errors for query.cursor and query.limit, got %v", fields)
			}
		})

		t.Run("a new role applies to the user's next request without signing in again", func(t *testing.T) {
			novice := s.Register(t, "novice@example.org")
			res := patch(t, admin.Access, novice.ID, map[string]any{"role": "author"})
			if res.Status != http.StatusOK {
				t.Fatalf("status %d\n%s", res.Status, res.Body)
			}
			if body := res.JSON(t); body["role"] != "author" || body["id"] != novice.ID || body["disabled"] != false {
				t.Errorf("answer %v, want the user with role author", body)
			}
			if role := me(t, novice)["role"]; role != "author" {
				t.Errorf("GET /v1/me with the old token says role %v, want author", role)
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + novice.ID, Token: admin.Access, Body: map[string]any{"role": "user"}})
			if role := me(t, novice)["role"]; role != "user" {
				t.Errorf("after demotion GET /v1/me says role %v, want user", role)
			}
			apptest.Problem(t, list(t, novice.Access, nil), http.StatusForbidden)
		})

		t.Run("a promoted admin may manage users at once", func(t *testing.T) {
			deputy := s.Register(t, "deputy@example.org")
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + deputy.ID, Token: admin.Access, Body: map[string]any{"role": "admin"}})
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users", Token: deputy.Access})
		})

		t.Run("an unknown role and a wrong type are refused together, changing nothing", func(t *testing.T) {
			fields := apptest.Problem(t, patch(t, admin.Access, reader.ID, map[string]any{"role": "owner"}), http.StatusUnprocessableEntity)
			if fields["body.role"] == "" {
				t.Errorf("no error for body.role in %v", fields)
			}
			fields = apptest.Problem(t, patch(t, admin.Access, reader.ID, map[string]any{"role": "owner", "disabled": "yes"}), http.StatusUnprocessableEntity)
			if fields["body.role"] == "" || fields["body.disabled"] == "" {
				t.Errorf("want errors for body.role and body.disabled, got %v", fields)
			}
			if role := me(t, reader)["role"]; role != "user" {
				t.Errorf("role %v after refused changes, want user", role)
			}
		})

		t.Run("an unknown or malformed user id is not found", func(t *testing.T) {
			for _, id := range []string{identity.NewID(), "not-a-uuid", "00000000-0000-0000-0000-000000000000"} {
				apptest.Problem(t, patch(t, admin.Access, id, map[string]any{"role": "author"}), http.StatusNotFound, "not found")
			}
		})

		t.Run("an admin cannot change their own role or disable themselves", func(t *testing.T) {
			apptest.Problem(t, patch(t, admin.Access, admin.ID, map[string]any{"role": "user"}), http.StatusForbidden, "your own")
			apptest.Problem(t, patch(t, admin.Access, admin.ID, map[string]any{"role": "author"}), http.StatusForbidden, "your own")
			apptest.Problem(t, patch(t, admin.Access, admin.ID, map[string]any{"disabled": true}), http.StatusForbidden, "your own")
			if role := me(t, admin)["role"]; role != "admin" {
				t.Errorf("role %v, want admin still", role)
			}
			s.Login(t, admin.Email, "a steady practice by the river")
		})

		t.Run("a disabled account cannot sign in or refresh and its access token stops at once", func(t *testing.T) {
			monk := s.Register(t, "wanderer@example.org")
			me(t, monk)
			res := patch(t, admin.Access, monk.ID, map[string]any{"disabled": true})
			if res.Status != http.StatusOK || res.JSON(t)["disabled"] != true {
				t.Fatalf("disable: status %d\n%s", res.Status, res.Body)
			}

			res = s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: monk.Access})
			apptest.Problem(t, res, http.StatusUnauthorized)
			if h := res.Header.Get("WWW-Authenticate"); !strings.Contains(h, "invalid_token") {
				t.Errorf("WWW-Authenticate %q, want error=invalid_token", h)
			}
			apptest.Problem(t, s.Refresh(t, monk), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": monk.Email, "password": monk.Password}}), http.StatusForbidden, "disabled")
			// A wrong password does not reveal that the account is disabled.
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": monk.Email, "password": "not the password at all"}}), http.StatusUnauthorized, "incorrect")

			for _, u := range find(t, "wanderer@") {
				if !u.Disabled {
					t.Errorf("the list shows %s as enabled", u.Email)
				}
			}

			t.Run("re-enabling lets them sign in again, but not with the old session", func(t *testing.T) {
				res := patch(t, admin.Access, monk.ID, map[string]any{"disabled": false})
				if res.Status != http.StatusOK || res.JSON(t)["disabled"] != false {
					t.Fatalf("enable: status %d\n%s", res.Status, res.Body)
				}
				again := s.Login(t, monk.Email, monk.Password)
				me(t, again)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: monk.Access}), http.StatusUnauthorized)
				apptest.Problem(t, s.Refresh(t, monk), http.StatusUnauthorized)
			})
		})
	})
}

// TestReplicasAgreeOnKeysAndDisabledAccounts runs two replicas on one
// PostgreSQL database, the second trusting cached session state for one
// second only.
func TestReplicasAgreeOnKeysAndDisabledAccounts(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, "postgres", apptest.Options{})
	b := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: a.DBURL, StateTTL: time.Second})
	admin := a.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
	meOn := func(s *apptest.Server, token string) *apptest.Response {
		return s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: token})
	}

	t.Run("a token signed by one replica works on the other", func(t *testing.T) {
		onA := a.Register(t, "signed-on-a@example.org")
		b.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: onA.Access})
		onB := b.Login(t, onA.Email, onA.Password)
		a.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: onB.Access})
		if kidOf(t, onA.Access) != kidOf(t, onB.Access) {
			t.Errorf("the replicas sign with different keys: %s and %s", kidOf(t, onA.Access), kidOf(t, onB.Access))
		}
	})

	t.Run("both replicas publish the same keys", func(t *testing.T) {
		ka, kb := jwksKids(t, a), jwksKids(t, b)
		if len(ka) == 0 || !slices.Equal(ka, kb) {
			t.Errorf("JWKS differ: %v on A, %v on B", ka, kb)
		}
	})

	t.Run("an account disabled on one replica is refused on the other within its state TTL", func(t *testing.T) {
		user := a.Register(t, "traveller@example.org")
		if res := meOn(b, user.Access); res.Status != http.StatusOK { // B now caches the session as live
			t.Fatalf("before: status %d on B\n%s", res.Status, res.Body)
		}
		a.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + user.ID, Token: admin.Access,
			Body: map[string]any{"disabled": true}})
		apptest.Problem(t, meOn(a, user.Access), http.StatusUnauthorized)
		apptest.Eventually(t, 5*time.Second, func() error {
			if res := meOn(b, user.Access); res.Status != http.StatusUnauthorized {
				return apptest.Errorf("B still answers %d to the disabled account's token", res.Status)
			}
			return nil
		})
		apptest.Problem(t, b.Refresh(t, user), http.StatusUnauthorized)
		apptest.Problem(t, b.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
			Body: map[string]string{"email": user.Email, "password": user.Password}}), http.StatusForbidden, "disabled")
	})

	t.Run("a role changed on one replica reaches the other", func(t *testing.T) {
		user := b.Register(t, "promoted@example.org")
		if role := meOn(b, user.Access).JSON(t)["role"]; role != "user" {
			t.Fatalf("role %v, want user", role)
		}
		a.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + user.ID, Token: admin.Access,
			Body: map[string]any{"role": "author"}})
		apptest.Eventually(t, 5*time.Second, func() error {
			if role := meOn(b, user.Access).JSON(t)["role"]; role != "author" {
				return apptest.Errorf("B still says role %v", role)
			}
			return nil
		})
	})
}

// adminUser is a user as GET /v1/admin/users lists them.
type adminUser struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Disabled    bool   `json:"disabled"`
}

type userPage struct {
	items   []adminUser
	next    string
	hasNext bool // next_cursor is present
}

func decodePage(t *testing.T, res *apptest.Response) userPage {
	t.Helper()
	var raw struct {
		Items      []adminUser `json:"items"`
		NextCursor *string     `json:"next_cursor"`
	}
	if err := json.Unmarshal(res.Body, &raw); err != nil {
		t.Fatalf("page: %v\n%s", err, res.Body)
	}
	if raw.Items == nil {
		t.Fatalf("page without items: %s", res.Body)
	}
	p := userPage{items: raw.Items, hasNext: raw.NextCursor != nil}
	if raw.NextCursor != nil {
		if *raw.NextCursor == "" {
			t.Fatalf("next_cursor is present but empty: %s", res.Body)
		}
		p.next = *raw.NextCursor
	}
	return p
}

func ids(users []adminUser) []string {
	out := []string{}
	for _, u := range users {
		out = append(out, u.ID)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// registerNamed makes an account with a display name of the test's choosing
// and returns its id.
func registerNamed(t *testing.T, s *apptest.Server, email, name string) string {
	t.Helper()
	res := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register",
		Body: map[string]string{"email": email, "password": "the middle way between extremes", "display_name": name}})
	return res.JSON(t)["user"].(map[string]any)["id"].(string)
}
