package app_test

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// systemSettings is GET /v1/admin/settings as a client decodes it.
type systemSettings struct {
	Version   int    `json:"version"`
	UpdatedAt string `json:"updated_at"`
	UpdatedBy string `json:"updated_by"`
	Settings  struct {
		SiteName            string                  `json:"site_name"`
		Registration        string                  `json:"registration"`
		DefaultReminderHour int                     `json:"default_reminder_hour"`
		DefaultGraceDays    int                     `json:"default_grace_days"`
		RateLimits          map[string]rateSettings `json:"rate_limits"`
		Features            map[string]bool         `json:"features"`
	} `json:"settings"`
	FeatureDescriptions map[string]string `json:"feature_descriptions"`
	Defaults            struct {
		SiteName     string                  `json:"site_name"`
		Registration string                  `json:"registration"`
		RateLimits   map[string]rateSettings `json:"rate_limits"`
	} `json:"defaults"`
}

type rateSettings struct {
	Rate   int    `json:"rate"`
	Period string `json:"period"`
}

// siteInfo is GET /v1/site.
type siteInfo struct {
	SiteName     string          `json:"site_name"`
	Registration string          `json:"registration"`
	Features     map[string]bool `json:"features"`
}

// invite is an invitation as the admin endpoints answer it.
type invite struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Link      string `json:"link"`
	Email     string `json:"email"`
	Status    string `json:"status"`
	ExpiresAt string `json:"expires_at"`
	UsedBy    string `json:"used_by"`
}

// settingsAs reads the system settings as a.
func settingsAs(t testing.TB, s *apptest.Server, a *apptest.Account) systemSettings {
	t.Helper()
	res := get(t, s, a, http.StatusOK, "/v1/admin/settings")
	got := decode[systemSettings](t, res)
	if etag := res.Header.Get("ETag"); etag != `"`+itoa(got.Version)+`"` {
		t.Errorf("ETag %q for version %d", etag, got.Version)
	}
	return got
}

// patchSettings changes the system settings as a from version ifMatch
// ("" sends no If-Match).
func patchSettings(t testing.TB, s *apptest.Server, a *apptest.Account, ifMatch string, body any) *apptest.Response {
	t.Helper()
	r := apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/settings", Token: bearer(a), Body: body}
	if ifMatch != "" {
		r.Header = http.Header{"If-Match": {ifMatch}}
	}
	return s.Do(t, r)
}

// changeSettings changes the settings from their current version, as an
// admin would from the panel.
func changeSettings(t testing.TB, s *apptest.Server, admin *apptest.Account, body any) systemSettings {
	t.Helper()
	cur := settingsAs(t, s, admin)
	res := patchSettings(t, s, admin, `"`+itoa(cur.Version)+`"`, body)
	if res.Status != http.StatusOK {
		t.Fatalf("PATCH /v1/admin/settings %v: %d %s", body, res.Status, res.Body)
	}
	return decode[systemSettings](t, res)
}

func site(t testing.TB, s *apptest.Server) siteInfo {
	t.Helper()
	return decode[siteInfo](t, get(t, s, nil, http.StatusOK, "/v1/site"))
}

// signUp registers email with an invitation code ("" for none).
func signUp(t testing.TB, s *apptest.Server, email, code string) *apptest.Response {
	t.Helper()
	body := map[string]string{"email": email, "password": "a lamp in the dark of the forest", "display_name": "Guest"}
	if code != "" {
		body["invite_code"] = code
	}
	return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register", Body: body})
}

func createInvite(t testing.TB, s *apptest.Server, admin *apptest.Account, body any) invite {
	t.Helper()
	return decode[invite](t, s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/invites", Token: admin.Access, Body: body}))
}

func itoa(n int) string { return strconv.Itoa(n) }

// outboxSubjects lists the subjects of the mail in s's outbox folder.
func outboxSubjects(t testing.TB, s *apptest.Server) string {
	t.Helper()
	msgs, err := mail.ReadOutbox(filepath.Join(s.Main.Config.DataDir, "outbox"))
	if err != nil {
		return err.Error()
	}
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	return strings.Join(subjects, " | ")
}

func TestSystemSettings(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "scribe@example.org", identity.RoleAuthor)
		reader := s.Register(t, "reader@example.org")

		t.Run("an admin reads the defaults, and anyone the site's description", func(t *testing.T) {
			got := settingsAs(t, s, admin)
			set := got.Settings
			if got.Version != 0 || got.UpdatedAt != "" || got.UpdatedBy != "" || set.SiteName != "Dharma Plans" || set.Registration != "open" ||
				set.DefaultReminderHour != 7 || set.DefaultGraceDays != 1 {
				t.Errorf("defaults = %+v", got)
			}
			if l := set.RateLimits["login_per_ip"]; l.Rate != 30 || l.Period != "1m" || len(set.RateLimits) != 5 {
				t.Errorf("rate limits = %v", set.RateLimits)
			}
			for _, f := range []string{"recommendations", "search_suggestions", "journal"} {
				if !set.Features[f] || got.FeatureDescriptions[f] == "" {
					t.Errorf("feature %s: on %v, described %q", f, set.Features[f], got.FeatureDescriptions[f])
				}
			}
			res := get(t, s, nil, http.StatusOK, "/v1/site")
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
				t.Errorf("GET /v1/site Cache-Control %q, want public", cc)
			}
			if info := decode[siteInfo](t, res); info.SiteName != "Dharma Plans" || info.Registration != "open" || !info.Features["journal"] {
				t.Errorf("site = %+v", info)
			}
		})

		t.Run("users and authors may not read or change the settings or invitations", func(t *testing.T) {
			for _, a := range []*apptest.Account{reader, author} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/settings", Token: a.Access}), http.StatusForbidden, "may not")
				apptest.Problem(t, patchSettings(t, s, a, `"0"`, map[string]any{"site_name": "Mine"}), http.StatusForbidden)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/invites", Token: a.Access, Body: map[string]any{}}), http.StatusForbidden)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/invites", Token: a.Access}), http.StatusForbidden)
			}
			apptest.Problem(t, patchSettings(t, s, nil, `"0"`, map[string]any{"site_name": "Mine"}), http.StatusUnauthorized)
			if got := site(t, s).SiteName; got != "Dharma Plans" {
				t.Errorf("a refused change renamed the site %q", got)
			}
		})

		t.Run("every bad field is named at once and nothing changes", func(t *testing.T) {
			res := patchSettings(t, s, admin, `"0"`, map[string]any{
				"site_name": "", "registration": "closed", "default_reminder_hour": 24, "default_grace_days": 9,
				"rate_limits": map[string]any{"login_per_ip": map[string]any{"rate": 0, "period": "1w"}, "login_per_moon": map[string]any{"rate": 1}},
				"features":    map[string]any{"teleport": true, "journal": false},
			})
			fields := apptest.Problem(t, res, http.StatusUnprocessableEntity)
			for _, f := range []string{"body.site_name", "body.registration", "body.default_reminder_hour", "body.default_grace_days",
				"body.rate_limits.login_per_ip.rate", "body.rate_limits.login_per_ip.period", "body.rate_limits.login_per_moon", "body.features.teleport"} {
				if _, ok := fields[f]; !ok {
					t.Errorf("no error for %s in %v", f, fields)
				}
			}
			fields = apptest.Problem(t, patchSettings(t, s, admin, `"0"`, map[string]any{"site_name": "   "}), http.StatusUnprocessableEntity)
			if _, ok := fields["body.site_name"]; !ok {
				t.Errorf("a blank site name: %v", fields)
			}
			if got := settingsAs(t, s, admin); got.Version != 0 || !got.Settings.Features["journal"] {
				t.Errorf("a refused change changed the settings: %+v", got)
			}
		})

		t.Run("a change needs the version it was made from", func(t *testing.T) {
			fields := apptest.Problem(t, patchSettings(t, s, admin, "", map[string]any{"site_name": "Jetavana"}), http.StatusUnprocessableEntity)
			if _, ok := fields["header.If-Match"]; !ok {
				t.Errorf("without If-Match: %v", fields)
			}
			fields = apptest.Problem(t, patchSettings(t, s, admin, "yesterday", map[string]any{"site_name": "Jetavana"}), http.StatusUnprocessableEntity)
			if _, ok := fields["header.If-Match"]; !ok {
				t.Errorf("with a bad If-Match: %v", fields)
			}
		})

		t.Run("a new site name and invitation-only registration apply at once", func(t *testing.T) {
			res := patchSettings(t, s, admin, `"0"`, map[string]any{"site_name": "  Jetavana Grove ", "registration": "invite_only"})
			if res.Status != http.StatusOK {
				t.Fatalf("PATCH: %d %s", res.Status, res.Body)
			}
			got := decode[systemSettings](t, res)
			if got.Version != 1 || res.Header.Get("ETag") != `"1"` || got.UpdatedBy != admin.ID || got.UpdatedAt == "" ||
				got.Settings.SiteName != "Jetavana Grove" || got.Settings.Registration != "invite_only" || got.Settings.DefaultReminderHour != 7 {
				t.Errorf("after the change: %+v (ETag %s)", got, res.Header.Get("ETag"))
			}
			// The defaults stay what they were, for the way back.
			if d := got.Defaults; d.SiteName != "Dharma Plans" || d.Registration != "open" || d.RateLimits["refresh_per_ip"] != (rateSettings{Rate: 300, Period: "1m"}) {
				t.Errorf("defaults after the change: %+v", d)
			}
			if info := site(t, s); info.SiteName != "Jetavana Grove" || info.Registration != "invite_only" {
				t.Errorf("site = %+v", info)
			}
			apptest.Problem(t, signUp(t, s, "uninvited@example.org", ""), http.StatusForbidden, "registration is by invitation")
		})

		t.Run("a stale version is a conflict and changes nothing", func(t *testing.T) {
			apptest.Problem(t, patchSettings(t, s, admin, `"0"`, map[string]any{"site_name": "Isipatana"}), http.StatusConflict, "version 1")
			if got := site(t, s).SiteName; got != "Jetavana Grove" {
				t.Errorf("a stale change renamed the site %q", got)
			}
		})

		t.Run("an invitation signs up one person", func(t *testing.T) {
			inv := createInvite(t, s, admin, map[string]any{})
			if inv.Code == "" || !strings.HasSuffix(inv.Link, "/sign-up?invite="+url.QueryEscape(inv.Code)) || inv.Email != "" || inv.Status != "pending" {
				t.Errorf("invitation = %+v", inv)
			}
			if exp, err := time.Parse(time.RFC3339, inv.ExpiresAt); err != nil || exp.Sub(s.Clock.Now()) < 13*24*time.Hour || exp.Sub(s.Clock.Now()) > 14*24*time.Hour {
				t.Errorf("expires_at %s, want in 14 days", inv.ExpiresAt)
			}
			apptest.Problem(t, signUp(t, s, "guess@example.org", "NOT-A-REAL-CODE"), http.StatusForbidden, "registration is by invitation", "not valid")
			res := signUp(t, s, "invited@example.org", strings.ToLower(inv.Code))
			if res.Status != http.StatusCreated {
				t.Fatalf("sign up with the invitation: %d %s", res.Status, res.Body)
			}
			newID := res.JSON(t)["user"].(map[string]any)["id"].(string)
			apptest.Problem(t, signUp(t, s, "second@example.org", inv.Code), http.StatusForbidden, "registration is by invitation", "used already")

			page := get(t, s, admin, http.StatusOK, "/v1/admin/invites")
			if strings.Contains(string(page.Body), inv.Code) || strings.Contains(string(page.Body), `"code"`) {
				t.Errorf("the list shows a code: %s", page.Body)
			}
			items := decode[struct{ Items []invite }](t, page).Items
			if len(items) != 1 || items[0].ID != inv.ID || items[0].Status != "used" || items[0].UsedBy != newID {
				t.Errorf("invitations = %+v", items)
			}
		})

		t.Run("two sign-ups with one invitation at once: one gets in", func(t *testing.T) {
			inv := createInvite(t, s, admin, map[string]any{})
			statuses := make(chan int, 4)
			for i := range 4 {
				go func() { statuses <- signUp(t, s, "racer"+itoa(i)+"@example.org", inv.Code).Status }()
			}
			created := 0
			for range 4 {
				switch st := <-statuses; st {
				case http.StatusCreated:
					created++
				case http.StatusForbidden:
				default:
					t.Errorf("status %d", st)
				}
			}
			if created != 1 {
				t.Errorf("%d sign-ups succeeded with one invitation, want 1", created)
			}
		})

		t.Run("an invitation for an address is for that address alone, and a failed sign-up keeps it", func(t *testing.T) {
			inv := createInvite(t, s, admin, map[string]any{"email": " Guest@Example.org ", "expires_in_days": 2})
			if inv.Email != "guest@example.org" {
				t.Errorf("email %q", inv.Email)
			}
			apptest.Problem(t, signUp(t, s, "someone-else@example.org", inv.Code), http.StatusForbidden, "another email address")
			apptest.Problem(t, signUp(t, s, "reader@example.org", inv.Code), http.StatusForbidden, "another email address")
			// A sign-up refused for its own reasons leaves the invitation unused.
			res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register",
				Body: map[string]string{"email": "guest@example.org", "password": "short", "display_name": "Guest", "invite_code": inv.Code}})
			apptest.Problem(t, res, http.StatusUnprocessableEntity)
			s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register",
				Body: map[string]string{"email": "guest@example.org", "password": "a lamp in the dark of the forest", "display_name": "Guest", "invite_code": inv.Code}})

			// A taken address gives the invitation back.
			open := createInvite(t, s, admin, map[string]any{})
			apptest.Problem(t, signUp(t, s, "reader@example.org", open.Code), http.StatusConflict)
			if res := signUp(t, s, "after-the-clash@example.org", open.Code); res.Status != http.StatusCreated {
				t.Errorf("the invitation after a clash: %d %s", res.Status, res.Body)
			}
		})

		t.Run("a withdrawn invitation signs nobody up", func(t *testing.T) {
			inv := createInvite(t, s, admin, map[string]any{})
			del := func(id string) *apptest.Response {
				return s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/invites/" + id, Token: admin.Access})
			}
			if res := del(inv.ID); res.Status != http.StatusNoContent {
				t.Fatalf("DELETE: %d %s", res.Status, res.Body)
			}
			apptest.Problem(t, signUp(t, s, "late@example.org", inv.Code), http.StatusForbidden, "withdrawn")
			if res := del(inv.ID); res.Status != http.StatusNoContent {
				t.Errorf("withdrawing again: %d %s", res.Status, res.Body)
			}
			used := createInvite(t, s, admin, map[string]any{})
			s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register",
				Body: map[string]string{"email": "on-time@example.org", "password": "a lamp in the dark of the forest", "display_name": "Guest", "invite_code": used.Code}})
			apptest.Problem(t, del(used.ID), http.StatusConflict, "used already")
			apptest.Problem(t, del("0190f7a4-0000-7000-8000-000000000000"), http.StatusNotFound)
			apptest.Problem(t, del("not-an-id"), http.StatusNotFound)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/admin/invites/" + used.ID, Token: reader.Access}), http.StatusForbidden)
		})

		t.Run("invitations are listed newest first, a page at a time", func(t *testing.T) {
			all := decode[struct{ Items []invite }](t, get(t, s, admin, http.StatusOK, "/v1/admin/invites?limit=100")).Items
			page := decode[struct {
				Items      []invite
				NextCursor string `json:"next_cursor"`
			}](t, get(t, s, admin, http.StatusOK, "/v1/admin/invites?limit=2"))
			if len(page.Items) != 2 || page.NextCursor == "" || page.Items[0].ID != all[0].ID {
				t.Fatalf("first page %+v", page)
			}
			next := decode[struct{ Items []invite }](t, get(t, s, admin, http.StatusOK, "/v1/admin/invites?limit=2&cursor="+page.NextCursor)).Items
			if len(next) == 0 || next[0].ID != all[2].ID {
				t.Errorf("second page %+v, want it to continue with %s", next, all[2].ID)
			}
			fields := apptest.Problem(t, get(t, s, admin, http.StatusUnprocessableEntity, "/v1/admin/invites?limit=0&cursor=nonsense"), http.StatusUnprocessableEntity)
			if len(fields) != 2 {
				t.Errorf("bad limit and cursor: %v", fields)
			}
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/invites", Token: admin.Access,
				Body: map[string]any{"email": "not an address", "expires_in_days": 400}}), http.StatusUnprocessableEntity)
		})

		t.Run("the limits a test server is given win over the settings", func(t *testing.T) {
			changeSettings(t, s, admin, map[string]any{"rate_limits": map[string]any{"login_per_ip": map[string]any{"rate": 1}}})
			for range 3 {
				res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login", Body: map[string]string{"email": "reader@example.org", "password": "not the password"}})
				apptest.Problem(t, res, http.StatusUnauthorized)
			}
		})

		t.Run("an invitation expires", func(t *testing.T) {
			inv := createInvite(t, s, admin, map[string]any{"expires_in_days": 1})
			s.Clock.Advance(25 * time.Hour)
			apptest.Problem(t, signUp(t, s, "too-late@example.org", inv.Code), http.StatusForbidden, "expired")
		})

		t.Run("open registration again needs no invitation", func(t *testing.T) {
			admin := s.Login(t, admin.Email, "a steady practice by the river") // the clock moved on
			changeSettings(t, s, admin, map[string]any{"registration": "open"})
			if res := signUp(t, s, "walk-in@example.org", ""); res.Status != http.StatusCreated {
				t.Errorf("sign up without an invitation: %d %s", res.Status, res.Body)
			}
		})
	})
}

// The site's settings change what readers get: features switch off, and
// new enrolments and profiles take the defaults.
func TestSystemSettingsApply(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s, admin, reader := w.s, w.admin, w.reader
		e := w.enroll(t, reader, nil)
		journal := "/v1/enrollments/" + e.ID + "/days/1/journal"
		s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPut, Path: journal, Token: reader.Access, Body: map[string]any{"body": "Kindness first."}})
		if err := s.Main.Recommend().Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		suggest := "/v1/search/suggest?q=" + url.QueryEscape("Seven")
		items := func(path string) int {
			t.Helper()
			return len(decode[struct{ Items []any }](t, get(t, s, nil, http.StatusOK, path)).Items)
		}

		t.Run("an enrolment without a reminder gets the site's default hour", func(t *testing.T) {
			if e.ReminderTime != "07:00" {
				t.Errorf("reminder_time %q, want the default 07:00", e.ReminderTime)
			}
			changeSettings(t, s, admin, map[string]any{"default_reminder_hour": 21})
			other := s.Register(t, "evening@example.org")
			if got := w.enroll(t, other, nil).ReminderTime; got != "21:00" {
				t.Errorf("after the default changed: reminder_time %q, want 21:00", got)
			}
			quiet := s.Register(t, "no-reminder@example.org")
			if got := w.enroll(t, quiet, map[string]any{"reminder_time": ""}).ReminderTime; got != "" {
				t.Errorf("no reminder asked for: reminder_time %q", got)
			}
		})

		t.Run("new readers start with the site's grace days; others keep theirs", func(t *testing.T) {
			changeSettings(t, s, admin, map[string]any{"default_grace_days": 3})
			newcomer := s.Register(t, "newcomer@example.org")
			if got := w.stats(t, newcomer).GraceDaysPerWeek; got != 3 {
				t.Errorf("a newcomer has %d grace days, want the site's 3", got)
			}
			w.enroll(t, newcomer, nil) // saves their profile
			changeSettings(t, s, admin, map[string]any{"default_grace_days": 0})
			if got := w.stats(t, newcomer).GraceDaysPerWeek; got != 3 {
				t.Errorf("after the default changed again, the newcomer has %d grace days, want the 3 they started with", got)
			}
			if got := w.stats(t, reader).GraceDaysPerWeek; got != 1 {
				t.Errorf("the reader who practised before has %d grace days, want their 1", got)
			}
		})

		t.Run("features switched off stop at once and come back", func(t *testing.T) {
			if items(suggest) == 0 || items("/v1/recommendations") == 0 {
				t.Fatalf("with every feature on: %d suggestions, %d recommendations", items(suggest), items("/v1/recommendations"))
			}
			off := changeSettings(t, s, admin, map[string]any{"features": map[string]any{"journal": false, "recommendations": false, "search_suggestions": false}})
			if off.Settings.Features["journal"] || off.Settings.Features["recommendations"] || off.Settings.Features["search_suggestions"] {
				t.Fatalf("features after switching off: %v", off.Settings.Features)
			}
			if n, m := items(suggest), items("/v1/recommendations"); n != 0 || m != 0 {
				t.Errorf("switched off: %d suggestions, %d recommendations", n, m)
			}
			if n := len(decode[struct{ Items []any }](t, get(t, s, reader, http.StatusOK, "/v1/recommendations")).Items); n != 0 {
				t.Errorf("switched off: %d recommendations for a reader", n)
			}
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPut, Path: journal, Token: reader.Access, Body: map[string]any{"body": "Second thoughts."}}),
				http.StatusForbidden, "journal is switched off")
			if got := get(t, s, reader, http.StatusOK, journal).String(t, "body"); got != "Kindness first." {
				t.Errorf("the journal reads %q while off, want what was written", got)
			}
			res := sync_(t, w, reader, []map[string]any{{"client_id": "offline-1", "type": "save_journal", "enrollment_id": e.ID, "day": 2,
				"body": "Written on the train.", "at": s.Clock.Now().UTC().Format(time.RFC3339)}})
			if len(res) != 1 || res[0].Result != "rejected" || !strings.Contains(res[0].Detail, "journal") {
				t.Errorf("a synced reflection while off: %+v", res)
			}
			if info := site(t, s); info.Features["journal"] || info.Features["recommendations"] {
				t.Errorf("site features %v", info.Features)
			}

			changeSettings(t, s, admin, map[string]any{"features": map[string]any{"journal": true, "recommendations": true, "search_suggestions": true}})
			if items(suggest) == 0 || items("/v1/recommendations") == 0 {
				t.Errorf("switched on again: %d suggestions, %d recommendations", items(suggest), items("/v1/recommendations"))
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPut, Path: journal, Token: reader.Access, Body: map[string]any{"body": "Second thoughts."}})
		})

		t.Run("emails carry the site's name", func(t *testing.T) {
			changeSettings(t, s, admin, map[string]any{"site_name": "Jetavana Grove"})
			s.Expect(t, http.StatusAccepted, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset", Body: map[string]string{"email": reader.Email}})
			apptest.Eventually(t, 10*time.Second, func() error {
				if subjects := outboxSubjects(t, s); !strings.Contains(subjects, "Reset your Jetavana Grove password") {
					return apptest.Errorf("outbox subjects: %s", subjects)
				}
				return nil
			})
		})
	})
}

// A lowered rate limit applies to the next attempt.
func TestSystemSettingsRateLimits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{SiteLimits: true, Env: []string{behindProxy}})
		admin := s.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
		login := func(ip string) *apptest.Response {
			return s.Do(t, fromIP(ip, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": "abbot@example.org", "password": "not the password"}}))
		}
		ip := freshIP()
		for range 2 {
			apptest.Problem(t, login(ip), http.StatusUnauthorized)
		}
		changeSettings(t, s, admin, map[string]any{"rate_limits": map[string]any{"login_per_ip": map[string]any{"rate": 1, "period": "1h"}}})
		other := freshIP()
		apptest.Problem(t, login(other), http.StatusUnauthorized)
		res := login(other)
		apptest.Problem(t, res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	})
}

// Replicas sharing PostgreSQL and Redis see a change made on one of them
// within moments.
func TestSystemSettingsReachEveryReplica(t *testing.T) {
	t.Parallel()
	env := []string{"REDIS_URL=" + testenv.RedisURL(t), "DHARMAPLANS_CACHE_PREFIX=settings-" + rand.Text()[:10] + ":"}
	db := testenv.PostgresSchemaURL(t)
	one := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	two := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	admin := one.CreateUser(t, "abbot@example.org", identity.RoleAdmin)
	if got := site(t, two).SiteName; got != "Dharma Plans" {
		t.Fatalf("second replica: %q", got)
	}
	changeSettings(t, one, admin, map[string]any{"site_name": "Jetavana Grove", "registration": "invite_only"})
	apptest.Eventually(t, 5*time.Second, func() error {
		if info := site(t, two); info.SiteName != "Jetavana Grove" || info.Registration != "invite_only" {
			return apptest.Errorf("second replica: %+v", info)
		}
		return nil
	})
	apptest.Problem(t, signUp(t, two, "uninvited@example.org", ""), http.StatusForbidden, "registration is by invitation")
	inv := createInvite(t, one, admin, map[string]any{})
	if res := signUp(t, two, "invited@example.org", inv.Code); res.Status != http.StatusCreated {
		t.Errorf("an invitation made on one replica, used on the other: %d %s", res.Status, res.Body)
	}
}
