package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

func TestPrivacyExport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})

		t.Run("the export is a download of the account and its sessions, and of no one else", func(t *testing.T) {
			a := s.Register(t, "khema@example.org")
			phone := s.Login(t, a.Email, a.Password)
			s.Register(t, "someone-else@example.org")

			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me/export", Token: a.Access})
			if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "filename=") {
				t.Errorf("Content-Disposition %q, want an attachment with a file name", cd)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			ex := res.JSON(t)
			account, _ := ex["account"].(map[string]any)
			for field, want := range map[string]any{
				"id": a.ID, "email": a.Email, "display_name": a.Name, "role": "user", "timezone": "UTC", "locale": "en", "email_verified": false,
			} {
				if account[field] != want {
					t.Errorf("account.%s = %v, want %v", field, account[field], want)
				}
			}
			sessions, _ := ex["sessions"].([]any)
			ids := map[string]bool{}
			for _, v := range sessions {
				ids[v.(map[string]any)["id"].(string)] = true
			}
			if len(sessions) != 2 || !ids[a.Session] || !ids[phone.Session] {
				t.Errorf("sessions %v, want %s and %s", sessions, a.Session, phone.Session)
			}
			if _, ok := ex["data"].(map[string]any); !ok {
				t.Errorf("no data object in %s", res.Body)
			}
			if _, err := time.Parse(time.RFC3339, ex["exported_at"].(string)); err != nil {
				t.Errorf("exported_at: %v", err)
			}
			body := string(res.Body)
			for _, secret := range []string{"someone-else", "$argon2", a.Password, a.Refresh, "password"} {
				if strings.Contains(body, secret) {
					t.Errorf("the export holds %q:\n%s", secret, body)
				}
			}
		})

		t.Run("the export needs a signed-in person", func(t *testing.T) {
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me/export"}), http.StatusUnauthorized)
		})
	})
}

func TestPrivacyDeleteAccount(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		deleteMe := func(a *apptest.Account, body any) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: a.Access, Body: body})
		}
		me := func(a *apptest.Account) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
		}
		login := func(email, password string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login", Body: map[string]string{"email": email, "password": password}})
		}

		t.Run("right after signing in, deleting needs no password", func(t *testing.T) {
			a := s.Register(t, "fresh@example.org")
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: a.Access})
			apptest.Problem(t, me(a), http.StatusUnauthorized)
			apptest.Problem(t, login(a.Email, a.Password), http.StatusUnauthorized)
		})

		// Last: it moves the server's clock.
		t.Run("after ten minutes deleting needs the password, then erases everything", func(t *testing.T) {
			a := s.Register(t, "patacara@example.org")
			phone := s.Login(t, a.Email, a.Password)
			oldAccess := a.Access
			s.Clock.Advance(11 * time.Minute)
			if res := s.Refresh(t, a); res.Status != http.StatusOK {
				t.Fatalf("refresh: status %d: %s", res.Status, res.Body)
			}

			apptest.Problem(t, deleteMe(a, nil), http.StatusUnauthorized, "enter your password")
			apptest.Problem(t, deleteMe(a, map[string]string{}), http.StatusUnauthorized, "enter your password")
			apptest.Problem(t, deleteMe(a, map[string]string{"password": "not my password at all"}), http.StatusUnauthorized, "password is incorrect")
			// Nothing went.
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: phone.Access})
			s.Login(t, a.Email, a.Password)

			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: a.Access,
				Body: map[string]string{"password": a.Password}})
			apptest.Problem(t, login(a.Email, a.Password), http.StatusUnauthorized, "email or password is incorrect")
			for _, acc := range []*apptest.Account{a, phone} {
				apptest.Problem(t, me(acc), http.StatusUnauthorized)
				apptest.Problem(t, s.Refresh(t, acc), http.StatusUnauthorized)
			}
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: oldAccess}), http.StatusUnauthorized)

			again := s.Register(t, a.Email)
			if again.ID == a.ID {
				t.Errorf("the new account has the old id %s", a.ID)
			}
			ex := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me/export", Token: again.Access}).JSON(t)
			if sessions := ex["sessions"].([]any); len(sessions) != 1 {
				t.Errorf("the new account inherited sessions: %v", sessions)
			}
		})
	})
}
