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

// auditEntry is an entry of GET /v1/admin/audit as a client decodes it.
type auditEntry struct {
	ID    string    `json:"id"`
	At    time.Time `json:"at"`
	Actor struct {
		ID    *string `json:"id"`
		Label string  `json:"label"`
	} `json:"actor"`
	Action string `json:"action"`
	Target struct {
		Type  string `json:"type"`
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"target"`
	Details map[string]any `json:"details"`
}

type auditPage struct {
	Items      []auditEntry `json:"items"`
	NextCursor *string      `json:"next_cursor"`
}

func actionsOf(entries []auditEntry) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func TestAdminAuditLog(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		deputy := s.CreateUser(t, "deputy@example.org", identity.RoleAdmin)
		scribe := s.CreateUser(t, "scribe@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")

		list := func(t *testing.T, as *apptest.Account, query url.Values) *apptest.Response {
			t.Helper()
			return s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/audit?" + query.Encode(), Token: bearer(as)})
		}
		read := func(t *testing.T, query url.Values) auditPage {
			t.Helper()
			res := list(t, admin, query)
			if res.Status != http.StatusOK {
				t.Fatalf("GET /v1/admin/audit?%s: status %d\n%s", query.Encode(), res.Status, res.Body)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			return decode[auditPage](t, res)
		}
		patchUser := func(t *testing.T, as *apptest.Account, id string, body any) {
			t.Helper()
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + id, Token: as.Access, Body: body})
		}
		authorDo := func(t *testing.T, as *apptest.Account, status int, method, path string, body any) map[string]any {
			t.Helper()
			res := s.Expect(t, status, apptest.Request{Method: method, Path: path, Token: as.Access, Body: body})
			if status == http.StatusNoContent {
				return nil
			}
			return res.JSON(t)
		}

		// What the admins do, oldest first.
		plan := readyPlan(t, s, scribe, map[string]any{"title": "Breath by Breath", "tradition": "theravada"}, 1)
		studioDo(t, s, scribe, http.StatusOK, http.MethodPost, planPath(plan.ID, "submit"), nil)
		note := "Please cite the sutta."
		studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plan.ID+"/reject", map[string]any{"note": note})
		publish(t, s, scribe, admin, plan.ID)
		studioDo(t, s, admin, http.StatusOK, http.MethodPost, "/v1/admin/plans/"+plan.ID+"/archive", nil)
		chah := authorDo(t, admin, http.StatusCreated, http.MethodPost, "/v1/admin/authors", map[string]any{"name": "Ajahn Chah", "tradition": "theravada"})
		chahID := chah["id"].(string)
		authorDo(t, deputy, http.StatusOK, http.MethodPatch, "/v1/admin/authors/"+chahID, map[string]any{"name": "Ajahn Chah Subhaddo", "bio": "A forest teacher.", "tradition": "theravada"})
		authorDo(t, deputy, http.StatusOK, http.MethodPatch, "/v1/admin/authors/"+chahID, map[string]any{"tradition": "theravada"}) // changes nothing
		authorDo(t, admin, http.StatusNoContent, http.MethodDelete, "/v1/admin/authors/"+chahID, nil)
		patchUser(t, admin, reader.ID, map[string]any{"role": "author"})
		patchUser(t, admin, reader.ID, map[string]any{"role": "author"}) // changes nothing
		patchUser(t, admin, reader.ID, map[string]any{"disabled": true})
		patchUser(t, deputy, reader.ID, map[string]any{"disabled": false})
		scribePhone := s.Login(t, scribe.Email, scribe.Password)

		t.Run("an admin sees a user's sessions and when they were last seen", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users/" + scribe.ID, Token: admin.Access})
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			u := res.JSON(t)
			if u["id"] != scribe.ID || u["email"] != scribe.Email || u["role"] != "author" || u["disabled"] != false || u["sessions"] != float64(2) {
				t.Errorf("user detail %v, want scribe with 2 sessions", u)
			}
			seen, err := time.Parse(time.RFC3339, u["last_seen_at"].(string))
			if err != nil || time.Since(seen) > time.Minute || time.Until(seen) > time.Minute {
				t.Errorf("last_seen_at %v (%v), want about now", u["last_seen_at"], err)
			}
		})

		t.Run("revoking a user's sessions signs them out everywhere", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/users/" + scribe.ID + "/sessions", Token: admin.Access})
			if n := res.JSON(t)["revoked"]; n != float64(2) {
				t.Errorf("revoked %v, want 2", n)
			}
			for _, a := range []*apptest.Account{scribe, scribePhone} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}), http.StatusUnauthorized)
				apptest.Problem(t, s.Refresh(t, a), http.StatusUnauthorized)
			}
			u := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users/" + scribe.ID, Token: admin.Access}).JSON(t)
			if u["sessions"] != float64(0) || u["disabled"] != false {
				t.Errorf("after revoking: %v, want no sessions and the account enabled", u)
			}
			if _, ok := u["last_seen_at"]; ok {
				t.Errorf("last_seen_at %v with no session left, want it absent", u["last_seen_at"])
			}
			// The account still works: its owner signs in again.
			scribe = s.Login(t, scribe.Email, scribe.Password)
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: scribe.Access})
		})

		want := []string{"user.sessions_revoked", "user.enabled", "user.disabled", "user.role_changed", "author.deleted",
			"author.updated", "author.created", "plan.archived", "plan.published", "plan.rejected"}
		var all []auditEntry

		t.Run("the log lists each action newest first, with actor, target and details", func(t *testing.T) {
			all = read(t, nil).Items
			if got := actionsOf(all); !slices.Equal(got, want) {
				t.Fatalf("actions %v, want %v", got, want)
			}
			byAction := map[string]auditEntry{}
			for i, e := range all {
				byAction[e.Action] = e
				if i > 0 && e.At.After(all[i-1].At) {
					t.Errorf("%s at %v is listed after the older %s", e.Action, e.At, all[i-1].Action)
				}
				if e.ID == "" || e.At.IsZero() {
					t.Errorf("entry %+v lacks an id or a time", e)
				}
			}
			check := func(action string, actor *apptest.Account, targetType, targetID, targetLabel string, details map[string]any) {
				t.Helper()
				e := byAction[action]
				if e.Actor.ID == nil || *e.Actor.ID != actor.ID || e.Actor.Label != actor.Email {
					t.Errorf("%s: actor %+v, want %s", action, e.Actor, actor.Email)
				}
				if e.Target.Type != targetType || e.Target.ID != targetID || e.Target.Label != targetLabel {
					t.Errorf("%s: target %+v, want %s %s %q", action, e.Target, targetType, targetID, targetLabel)
				}
				for k, v := range details {
					got, _ := json.Marshal(e.Details[k])
					w, _ := json.Marshal(v)
					if string(got) != string(w) {
						t.Errorf("%s: details.%s = %s, want %s (details %v)", action, k, got, w, e.Details)
					}
				}
			}
			check("plan.rejected", admin, "plan", plan.ID, "Breath by Breath", map[string]any{"note": note, "revision": 1})
			check("plan.published", admin, "plan", plan.ID, "Breath by Breath", map[string]any{"revision": 1})
			check("plan.archived", admin, "plan", plan.ID, "Breath by Breath", nil)
			check("author.created", admin, "author", chahID, "Ajahn Chah", map[string]any{"name": map[string]any{"to": "Ajahn Chah"}})
			check("author.updated", deputy, "author", chahID, "Ajahn Chah Subhaddo", map[string]any{
				"changed": []string{"name", "bio"}, "name": map[string]any{"from": "Ajahn Chah", "to": "Ajahn Chah Subhaddo"}})
			check("author.deleted", admin, "author", chahID, "Ajahn Chah Subhaddo", nil)
			check("user.role_changed", admin, "user", reader.ID, reader.Email, map[string]any{"role": map[string]any{"from": "user", "to": "author"}})
			check("user.disabled", admin, "user", reader.ID, reader.Email, nil)
			check("user.enabled", deputy, "user", reader.ID, reader.Email, nil)
			check("user.sessions_revoked", admin, "user", scribe.ID, scribe.Email, map[string]any{"count": 2})
			if bio := byAction["author.updated"].Details["bio"]; bio != nil {
				t.Errorf("the log copies the biography: %v", bio)
			}
			if page := read(t, nil); page.NextCursor != nil {
				t.Errorf("one page holds the whole log, yet next_cursor is %q", *page.NextCursor)
			}
		})

		t.Run("filters select by action or its prefix, actor, target, a part of a label and time", func(t *testing.T) {
			if len(all) != len(want) {
				t.Skip("the log is not as expected")
			}
			for _, tc := range []struct {
				query url.Values
				want  []string
			}{
				{url.Values{"action": {"user."}}, want[:4]},
				{url.Values{"action": {"plan.rejected"}}, []string{"plan.rejected"}},
				{url.Values{"action": {"author."}}, []string{"author.deleted", "author.updated", "author.created"}},
				{url.Values{"action": {"settings."}}, nil},
				{url.Values{"actor_id": {deputy.ID}}, []string{"user.enabled", "author.updated"}},
				{url.Values{"target_type": {"user"}, "target_id": {reader.ID}}, []string{"user.enabled", "user.disabled", "user.role_changed"}},
				{url.Values{"target_id": {plan.ID}}, []string{"plan.archived", "plan.published", "plan.rejected"}},
				{url.Values{"target_type": {"plan"}}, []string{"plan.archived", "plan.published", "plan.rejected"}},
				{url.Values{"q": {"BREATH by"}}, []string{"plan.archived", "plan.published", "plan.rejected"}},
				{url.Values{"q": {"deputy@"}}, []string{"user.enabled", "author.updated"}},
				{url.Values{"q": {"Reader@Example"}}, []string{"user.enabled", "user.disabled", "user.role_changed"}},
				{url.Values{"q": {"subhaddo"}, "action": {"author."}}, []string{"author.deleted", "author.updated"}},
				{url.Values{"since": {all[3].At.Format(time.RFC3339Nano)}}, want[:4]},
				{url.Values{"until": {all[3].At.Format(time.RFC3339Nano)}}, want[4:]},
				{url.Values{"since": {all[6].At.Format(time.RFC3339Nano)}, "until": {all[3].At.Format(time.RFC3339Nano)}}, want[4:7]},
				{url.Values{"since": {all[0].At.Add(time.Second).Format(time.RFC3339)}}, nil},
			} {
				got := actionsOf(read(t, tc.query).Items)
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: %v, want %v", tc.query.Encode(), got, tc.want)
				}
			}
		})

		t.Run("pages go through the whole log once, newest first", func(t *testing.T) {
			var got []string
			cursor, pages := "", 0
			for {
				q := url.Values{"limit": {"4"}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				page := read(t, q)
				pages++
				if len(page.Items) > 4 {
					t.Fatalf("page %d has %d entries, limit 4", pages, len(page.Items))
				}
				for _, e := range page.Items {
					got = append(got, e.ID)
				}
				if page.NextCursor == nil || pages > 10 {
					break
				}
				if *page.NextCursor == "" {
					t.Fatal("next_cursor is present but empty")
				}
				cursor = *page.NextCursor
			}
			var ids []string
			for _, e := range all {
				ids = append(ids, e.ID)
			}
			if pages != 3 || !slices.Equal(got, ids) {
				t.Errorf("%d pages listed %v, want 3 pages listing %v", pages, got, ids)
			}
			// A cursor keeps the filter it is used with.
			page := read(t, url.Values{"action": {"user."}, "limit": {"3"}})
			if page.NextCursor == nil {
				t.Fatal("no next page of four user entries by three")
			}
			rest := read(t, url.Values{"action": {"user."}, "limit": {"3"}, "cursor": {*page.NextCursor}})
			if got := actionsOf(rest.Items); !slices.Equal(got, []string{"user.role_changed"}) || rest.NextCursor != nil {
				t.Errorf("the second page of user entries is %v (next %v)", got, rest.NextCursor)
			}
		})

		t.Run("only admins read the log and manage sessions", func(t *testing.T) {
			reader = s.Login(t, reader.Email, reader.Password) // disabling signed them out
			user := s.Register(t, "plain@example.org")
			for _, a := range []*apptest.Account{reader, user, scribe} {
				apptest.Problem(t, list(t, a, nil), http.StatusForbidden, "may not")
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users/" + a.ID, Token: a.Access}), http.StatusForbidden)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/users/" + admin.ID + "/sessions", Token: a.Access}), http.StatusForbidden)
			}
			apptest.Problem(t, list(t, nil, nil), http.StatusUnauthorized)
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: admin.Access}) // not signed out
			if got := len(read(t, url.Values{"action": {"user.sessions_revoked"}}).Items); got != 1 {
				t.Errorf("%d sessions_revoked entries after refused attempts, want 1", got)
			}
		})

		t.Run("an unknown or malformed user is not found", func(t *testing.T) {
			for _, id := range []string{identity.NewID(), "not-a-uuid"} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/users/" + id, Token: admin.Access}), http.StatusNotFound)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/users/" + id + "/sessions", Token: admin.Access}), http.StatusNotFound)
			}
		})

		t.Run("bad filters are refused, every field named at once", func(t *testing.T) {
			for _, tc := range []struct {
				query  url.Values
				fields []string
			}{
				{url.Values{"actor_id": {"abbot@example.org"}}, []string{"query.actor_id"}},
				{url.Values{"action": {"Plan.Published"}}, []string{"query.action"}},
				{url.Values{"action": {"plan"}}, []string{"query.action"}},
				{url.Values{"action": {"plan.%"}}, []string{"query.action"}},
				{url.Values{"target_type": {"plan; drop"}}, []string{"query.target_type"}},
				{url.Values{"since": {"yesterday"}}, []string{"query.since"}},
				{url.Values{"until": {"2026-13-01T00:00:00Z"}}, []string{"query.until"}},
				{url.Values{"since": {"2026-02-01T00:00:00Z"}, "until": {"2026-01-01T00:00:00Z"}}, []string{"query.until"}},
				{url.Values{"cursor": {"not a cursor"}}, []string{"query.cursor"}},
				{url.Values{"limit": {"0"}}, []string{"query.limit"}},
				{url.Values{"limit": {"101"}}, []string{"query.limit"}},
				{url.Values{"q": {strings.Repeat("q", 201)}}, []string{"query.q"}},
				{url.Values{"target_id": {strings.Repeat("x", 201)}}, []string{"query.target_id"}},
				{url.Values{"actor_id": {"x"}, "action": {"?"}, "since": {"soon"}, "cursor": {"x"}, "limit": {"500"}},
					[]string{"query.actor_id", "query.action", "query.since", "query.cursor", "query.limit"}},
			} {
				fields := apptest.Problem(t, list(t, admin, tc.query), http.StatusUnprocessableEntity)
				for _, f := range tc.fields {
					if fields[f] == "" {
						t.Errorf("%s: no error for %s in %v", tc.query.Encode(), f, fields)
					}
				}
			}
		})

		if engine == "postgres" {
			t.Run("a replica stops the revoked access tokens within its state TTL", func(t *testing.T) {
				b := apptest.Start(t, engine, apptest.Options{DatabaseURL: s.DBURL, StateTTL: time.Second})
				monk := s.Register(t, "wanderer@example.org")
				b.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: monk.Access}) // cached on B as live
				s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/users/" + monk.ID + "/sessions", Token: admin.Access})
				apptest.Eventually(t, 5*time.Second, func() error {
					if res := b.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: monk.Access}); res.Status != http.StatusUnauthorized {
						return apptest.Errorf("B still answers %d to the revoked session's token", res.Status)
					}
					return nil
				})
				apptest.Problem(t, b.Refresh(t, monk), http.StatusUnauthorized)
			})
		}

		t.Run("a person's export holds what was done to their account, and only when and what of what they did", func(t *testing.T) {
			type entry struct {
				Action      string         `json:"action"`
				ByMe        bool           `json:"by_me"`
				TargetType  string         `json:"target_type"`
				TargetLabel string         `json:"target_label"`
				Details     map[string]any `json:"details"`
			}
			export := func(t *testing.T, as *apptest.Account) []entry {
				t.Helper()
				fresh := s.Login(t, as.Email, as.Password)
				res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me/export", Token: fresh.Access})
				return decode[struct {
					Data struct {
						Audit []entry `json:"audit"`
					} `json:"data"`
				}](t, res).Data.Audit
			}
			about := export(t, reader)
			var got []string
			for _, e := range about {
				got = append(got, e.Action)
				if e.ByMe || e.TargetLabel != reader.Email {
					t.Errorf("%s in the reader's export: %+v, want done to them and labelled with their address", e.Action, e)
				}
			}
			if !slices.Equal(got, []string{"user.enabled", "user.disabled", "user.role_changed"}) {
				t.Errorf("the reader's export lists %v", got)
			}
			if len(about) > 0 && about[len(about)-1].Details["role"] == nil {
				d := about[len(about)-1].Details
				t.Errorf("the role change in the export has no details: %v", d)
			}
			by := export(t, deputy)
			got = got[:0]
			for _, e := range by {
				got = append(got, e.Action)
				if !e.ByMe || e.TargetLabel != "" || e.Details != nil {
					t.Errorf("%s in the deputy's export names others: %+v", e.Action, e)
				}
			}
			if !slices.Equal(got, []string{"user.enabled", "author.updated"}) {
				t.Errorf("the deputy's export lists %v", got)
			}
		})

		// Last: the accounts go.
		t.Run("deleting an account replaces its address in the log, keeping the ids", func(t *testing.T) {
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: reader.Access})
			deputy = s.Login(t, deputy.Email, deputy.Password)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: deputy.Access})

			about := read(t, url.Values{"target_type": {"user"}, "target_id": {reader.ID}}).Items
			if got := actionsOf(about); !slices.Equal(got, []string{"user.enabled", "user.disabled", "user.role_changed"}) {
				t.Fatalf("entries about the deleted reader: %v", got)
			}
			for _, e := range about {
				if e.Target.Label != "deleted account" || e.Target.ID != reader.ID {
					t.Errorf("%s: target %+v, want the id and \"deleted account\"", e.Action, e.Target)
				}
			}
			by := read(t, url.Values{"actor_id": {deputy.ID}}).Items
			if got := actionsOf(by); !slices.Equal(got, []string{"user.enabled", "author.updated"}) {
				t.Fatalf("entries by the deleted deputy: %v", got)
			}
			for _, e := range by {
				if e.Actor.Label != "deleted account" || e.Actor.ID == nil || *e.Actor.ID != deputy.ID {
					t.Errorf("%s: actor %+v, want the id and \"deleted account\"", e.Action, e.Actor)
				}
			}
			for _, q := range []string{"reader@", "deputy@"} {
				if got := read(t, url.Values{"q": {q}}).Items; len(got) != 0 {
					t.Errorf("q=%s still finds %v", q, actionsOf(got))
				}
			}
			if e := read(t, url.Values{"action": {"user.sessions_revoked"}, "target_id": {scribe.ID}}).Items; len(e) != 1 || e[0].Target.Label != scribe.Email || e[0].Actor.Label != admin.Email {
				t.Errorf("an entry about other accounts changed: %+v", e)
			}
		})
	})
}
