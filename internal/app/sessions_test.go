package app_test

import (
	"net/http"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

func TestSessions(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		list := func(a *apptest.Account) []map[string]any {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me/sessions", Token: a.Access})
			var out []map[string]any
			for _, it := range res.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any))
			}
			return out
		}

		t.Run("every signed-in device is listed, this one marked current", func(t *testing.T) {
			phone := s.Register(t, "devices@example.org")
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Header: http.Header{"User-Agent": {"Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}},
				Body:   map[string]string{"email": phone.Email, "password": phone.Password}})
			laptop := &apptest.Account{Access: res.String(t, "access_token"), Session: res.String(t, "session_id")}
			got := list(laptop)
			if len(got) != 2 {
				t.Fatalf("%d sessions, want 2: %v", len(got), got)
			}
			current := 0
			for _, sess := range got {
				if sess["current"] == true {
					current++
					if sess["id"] != laptop.Session || sess["user_agent"] != "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" {
						t.Errorf("current session %v, want the laptop's", sess)
					}
				}
				for _, f := range []string{"created_at", "last_used_at", "expires_at"} {
					if sess[f] == nil {
						t.Errorf("session lacks %s: %v", f, sess)
					}
				}
			}
			if current != 1 {
				t.Errorf("%d current sessions, want 1", current)
			}
		})

		t.Run("signing a device out ends its tokens", func(t *testing.T) {
			a := s.Register(t, "signout@example.org")
			b := s.Login(t, a.Email, a.Password)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me/sessions/" + b.Session, Token: a.Access})
			apptest.Problem(t, s.Refresh(t, b), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: b.Access}), http.StatusUnauthorized)
			if n := len(list(a)); n != 1 {
				t.Errorf("%d sessions left, want 1", n)
			}
			// Gone is gone: a second delete is not found.
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/me/sessions/" + b.Session, Token: a.Access}), http.StatusNotFound)
		})

		t.Run("someone else's session is not found", func(t *testing.T) {
			mine := s.Register(t, "mine@example.org")
			theirs := s.Register(t, "theirs@example.org")
			for _, id := range []string{theirs.Session, "not-a-uuid", "00000000-0000-7000-8000-000000000000"} {
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/me/sessions/" + id, Token: mine.Access}),
					http.StatusNotFound, "session not found")
			}
			// And theirs still works.
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: theirs.Access})
		})

		t.Run("changing the password signs out every other session", func(t *testing.T) {
			a := s.Register(t, "newpass@example.org")
			other := s.Login(t, a.Email, a.Password)
			change := func(current, next string) *apptest.Response {
				return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/me/password", Token: a.Access,
					Body: map[string]string{"current_password": current, "new_password": next}})
			}
			apptest.Problem(t, change("not the password", "a brand new passphrase"), http.StatusUnauthorized, "incorrect")
			apptest.Problem(t, change(a.Password, "1234567890"), http.StatusUnprocessableEntity, "common")
			if res := s.Refresh(t, other); res.Status != http.StatusOK {
				t.Fatalf("failed attempts signed the other session out: %d", res.Status)
			}
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/me/password", Token: a.Access,
				Body: map[string]string{"current_password": a.Password, "new_password": "a brand new passphrase"}})
			apptest.Problem(t, s.Refresh(t, other), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: other.Access}), http.StatusUnauthorized)
			if res := s.Refresh(t, a); res.Status != http.StatusOK {
				t.Errorf("the session that changed the password was signed out: %d", res.Status)
			}
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": a.Email, "password": a.Password}}), http.StatusUnauthorized)
			s.Login(t, a.Email, "a brand new passphrase")
		})
	})
}
