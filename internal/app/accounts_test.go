package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

func TestAccounts(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		post := func(path string, body any) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: path, Body: body})
		}

		t.Run("registering signs in with OAuth-named tokens and a normalised email", func(t *testing.T) {
			res := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register", Body: map[string]string{
				"email": "  Tara@Example.ORG ", "password": "loving kindness daily", "display_name": "Tārā", "timezone": "Asia/Colombo",
			}})
			body := res.JSON(t)
			if body["token_type"] != "Bearer" || body["expires_in"].(float64) < 890 || body["expires_in"].(float64) > 900 {
				t.Errorf("token_type %v expires_in %v, want Bearer and 900 s", body["token_type"], body["expires_in"])
			}
			if body["refresh_token"] == "" || body["access_token"] == "" {
				t.Fatalf("missing tokens: %s", res.Body)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			me := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: res.String(t, "access_token")}).JSON(t)
			if me["email"] != "tara@example.org" || me["display_name"] != "Tārā" || me["timezone"] != "Asia/Colombo" || me["role"] != "user" || me["email_verified"] != false {
				t.Errorf("me = %v", me)
			}
			s.Login(t, "TARA@example.org", "loving kindness daily")
		})

		t.Run("bad registrations list every problem and create nothing", func(t *testing.T) {
			fields := apptest.Problem(t, post("/v1/auth/register", map[string]string{
				"email": "not-an-email", "password": "short", "display_name": " ",
			}), http.StatusUnprocessableEntity)
			for _, f := range []string{"body.email", "body.password", "body.display_name"} {
				if fields[f] == "" {
					t.Errorf("no error for %s in %v", f, fields)
				}
			}
			apptest.Problem(t, post("/v1/auth/register", map[string]string{
				"email": "common@example.org", "password": "password12", "display_name": "C",
			}), http.StatusUnprocessableEntity, "most common passwords")
			apptest.Problem(t, post("/v1/auth/register", map[string]string{
				"email": "common@example.org", "password": "qwertyuiop", "display_name": "C",
			}), http.StatusUnprocessableEntity, "most common passwords")
			apptest.Problem(t, post("/v1/auth/register", map[string]string{
				"email": "zone@example.org", "password": "a fine long password", "display_name": "Z", "timezone": "Mars/Olympus_Mons",
			}), http.StatusUnprocessableEntity, "time zone")
			for _, email := range []string{"not-an-email", "common@example.org", "zone@example.org"} {
				apptest.Problem(t, post("/v1/auth/login", map[string]string{"email": email + "x", "password": "whatever it is"}), statusFor(email))
			}
			apptest.Problem(t, post("/v1/auth/login", map[string]string{"email": "zone@example.org", "password": "a fine long password"}),
				http.StatusUnauthorized, "email or password is incorrect")
		})

		t.Run("a taken email is refused without saying whose", func(t *testing.T) {
			s.Register(t, "taken@example.org")
			res := post("/v1/auth/register", map[string]string{"email": " TAKEN@example.org", "password": "another good password", "display_name": "Someone"})
			apptest.Problem(t, res, http.StatusConflict, "cannot be used to sign up")
			if strings.Contains(string(res.Body), "taken@example.org") || strings.Contains(string(res.Body), "exists") {
				t.Errorf("the answer reveals the account: %s", res.Body)
			}
			// The first password still works; the second never did.
			apptest.Problem(t, post("/v1/auth/login", map[string]string{"email": "taken@example.org", "password": "another good password"}), http.StatusUnauthorized)
		})

		t.Run("a wrong password and an unknown email get the same answer", func(t *testing.T) {
			a := s.Register(t, "wrong@example.org")
			wrong := post("/v1/auth/login", map[string]string{"email": a.Email, "password": "not my password at all"})
			unknown := post("/v1/auth/login", map[string]string{"email": "nobody@example.org", "password": "not my password at all"})
			apptest.Problem(t, wrong, http.StatusUnauthorized, "email or password is incorrect")
			apptest.Problem(t, unknown, http.StatusUnauthorized, "email or password is incorrect")
			if wrong.String(t, "detail") != unknown.String(t, "detail") {
				t.Errorf("answers differ: %q vs %q", wrong.String(t, "detail"), unknown.String(t, "detail"))
			}
			if !strings.HasPrefix(wrong.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", wrong.Header.Get("WWW-Authenticate"))
			}
		})

		t.Run("the profile changes field by field and rejects every bad field at once", func(t *testing.T) {
			a := s.Register(t, "owl@example.org")
			patch := func(body any) *apptest.Response {
				return s.Do(t, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: a.Access, Body: body})
			}
			res := patch(map[string]any{"timezone": "America/Los_Angeles", "day_start_hour": 4, "theme": "dark", "locale": "pt-br", "display_name": "Night Owl"})
			if res.Status != http.StatusOK {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			me := res.JSON(t)
			if me["timezone"] != "America/Los_Angeles" || me["day_start_hour"].(float64) != 4 || me["theme"] != "dark" || me["locale"] != "pt-BR" || me["display_name"] != "Night Owl" {
				t.Errorf("me = %v", me)
			}
			fields := apptest.Problem(t, patch(map[string]any{"timezone": "Europe/Atlantis", "day_start_hour": 24, "theme": "neon", "locale": "not a tag!"}), http.StatusUnprocessableEntity)
			for _, f := range []string{"body.timezone", "body.day_start_hour", "body.theme", "body.locale"} {
				if fields[f] == "" {
					t.Errorf("no error for %s in %v", f, fields)
				}
			}
			after := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}).JSON(t)
			if after["timezone"] != "America/Los_Angeles" || after["theme"] != "dark" {
				t.Errorf("a rejected change changed something: %v", after)
			}
		})

		t.Run("malformed JSON is a 4xx problem", func(t *testing.T) {
			res := post("/v1/auth/login", `{"email": "x@example.org", "password": `)
			if res.Status < 400 || res.Status >= 500 {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
		})
	})
}

// statusFor is what logging in with an address made from email gets: a
// malformed address is a validation problem, a well-formed unknown one a
// credentials problem.
func statusFor(email string) int {
	if !strings.Contains(email, "@") {
		return http.StatusUnprocessableEntity
	}
	return http.StatusUnauthorized
}
