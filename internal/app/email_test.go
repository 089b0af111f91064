package app_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
)

// testBase is the public address the test servers put in their links.
const testBase = "https://plans.example.org"

var baseEnv = []string{"DHARMAPLANS_BASE_URL=" + testBase}

// mailWait is how long a test waits for the job queue to hand a message to
// Mailpit or the outbox.
const mailWait = 15 * time.Second

func TestEmailVerification(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		limits := apptest.Generous()
		limits.VerifyMailPerUser = ratelimit.Limit{Rate: 1, Period: time.Hour}
		s := apptest.Start(t, engine, apptest.Options{Mail: true, Limits: limits, Env: baseEnv})
		verify := func(token string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/verify-email", Body: map[string]string{"token": token}})
		}
		me := func(a *apptest.Account) map[string]any {
			return s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}).JSON(t)
		}

		t.Run("registering mails a link that confirms the address once", func(t *testing.T) {
			a := s.Register(t, "sariputta@example.org")
			msg := s.Mailpit.WaitFor(t, a.Email, 1, mailWait)[0]
			if msg.Subject != "Confirm your email for Dharma Plans" {
				t.Errorf("subject %q", msg.Subject)
			}
			token := linkToken(t, msg.Text, testBase+"/verify-email")
			if me(a)["email_verified"] != false {
				t.Fatal("verified before the link was opened")
			}

			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/verify-email", Body: map[string]string{"token": token}})
			if me(a)["email_verified"] != true {
				t.Error("email_verified is not true after opening the link")
			}
			apptest.Problem(t, verify(token), http.StatusUnauthorized, "used already or has expired")
		})

		t.Run("a made-up token is refused", func(t *testing.T) {
			apptest.Problem(t, verify("bm90IGEgcmVhbCB0b2tlbiBhdCBhbGwgYnV0IGxvbmcgZW5vdWdo"), http.StatusUnauthorized)
			apptest.Problem(t, verify(""), http.StatusUnauthorized)
		})

		t.Run("the mail can be sent again, but not over and over", func(t *testing.T) {
			a := s.Register(t, "moggallana@example.org")
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait)
			resend := apptest.Request{Method: http.MethodPost, Path: "/v1/me/verify-email", Token: a.Access}
			s.Expect(t, http.StatusAccepted, resend)
			msgs := s.Mailpit.WaitFor(t, a.Email, 2, mailWait)
			res := s.Do(t, resend)
			apptest.Problem(t, res, http.StatusTooManyRequests)
			retryAfter(t, res, time.Hour)

			// The newest link works.
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/verify-email",
				Body: map[string]string{"token": linkToken(t, msgs[1].Text, testBase+"/verify-email")}})
			if me(a)["email_verified"] != true {
				t.Error("email_verified is not true after opening the resent link")
			}
		})

		t.Run("a verified address needs no more mail", func(t *testing.T) {
			a := s.CreateUser(t, "verified@example.org", identity.RoleUser)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/me/verify-email", Token: a.Access}),
				http.StatusConflict, "already verified")
		})
	})
}

func TestEmailPasswordReset(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Mail: true, Env: baseEnv})
		post := func(path string, body any) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: path, Body: body})
		}
		login := func(email, password string) *apptest.Response {
			return post("/v1/auth/login", map[string]string{"email": email, "password": password})
		}
		// resetLink asks for a reset of email and returns the token of the
		// n-th message to it.
		resetLink := func(t *testing.T, email string, n int) string {
			t.Helper()
			s.Expect(t, http.StatusAccepted, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset", Body: map[string]string{"email": email}})
			msg := s.Mailpit.WaitFor(t, email, n, mailWait)[n-1]
			if msg.Subject != "Reset your Dharma Plans password" {
				t.Fatalf("message %d to %s is %q, want the reset mail", n, email, msg.Subject)
			}
			return linkToken(t, msg.Text, testBase+"/reset-password")
		}
		const newPassword = "the middle way between extremes"

		t.Run("an unknown address gets the same answer and no mail", func(t *testing.T) {
			a := s.CreateUser(t, "known@example.org", identity.RoleUser)
			unknown := post("/v1/auth/password-reset", map[string]string{"email": "stranger@example.org"})
			known := post("/v1/auth/password-reset", map[string]string{"email": " Known@Example.org"})
			if unknown.Status != http.StatusAccepted || known.Status != unknown.Status || string(known.Body) != string(unknown.Body) {
				t.Fatalf("answers differ: known %d %q, unknown %d %q", known.Status, known.Body, unknown.Status, unknown.Body)
			}
			// The stranger's job was queued first; by the time the known
			// address has its mail, the stranger would have had one too.
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait)
			if got := s.Mailpit.Messages(t, "stranger@example.org"); len(got) != 0 {
				t.Errorf("an unknown address got mail: %+v", got)
			}
		})

		t.Run("a malformed address is a validation problem", func(t *testing.T) {
			fields := apptest.Problem(t, post("/v1/auth/password-reset", map[string]string{"email": "not-an-address"}), http.StatusUnprocessableEntity)
			if fields["body.email"] == "" {
				t.Errorf("no error for body.email in %v", fields)
			}
		})

		t.Run("a reset sets a new password, signs out everywhere and works once", func(t *testing.T) {
			a := s.Register(t, "upali@example.org")
			other := s.Login(t, a.Email, a.Password)
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait) // the verification mail
			token := resetLink(t, a.Email, 2)

			res := post("/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "short"})
			if fields := apptest.Problem(t, res, http.StatusUnprocessableEntity); fields["body.password"] == "" {
				t.Errorf("no error for body.password in %v", fields)
			}
			// Nothing changed: the old password and the old sessions work.
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
			s.Login(t, a.Email, a.Password)

			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset/confirm",
				Body: map[string]string{"token": token, "password": newPassword}})
			for _, acc := range []*apptest.Account{a, other} {
				apptest.Problem(t, s.Refresh(t, acc), http.StatusUnauthorized)
				apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: acc.Access}), http.StatusUnauthorized)
			}
			apptest.Problem(t, login(a.Email, a.Password), http.StatusUnauthorized, "email or password is incorrect")
			b := s.Login(t, a.Email, newPassword)
			if me := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: b.Access}).JSON(t); me["email_verified"] != true {
				t.Errorf("a reset through the mailed link should prove the address: %v", me)
			}

			apptest.Problem(t, post("/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "a second new password here"}),
				http.StatusUnauthorized, "used already or has expired")
			apptest.Problem(t, login(a.Email, "a second new password here"), http.StatusUnauthorized)
			s.Login(t, a.Email, newPassword)
		})

		t.Run("a password with the person's name is refused and the link still works", func(t *testing.T) {
			a := s.Register(t, "mahakassapa@example.org")
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait)
			token := resetLink(t, a.Email, 2)
			res := post("/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "mahakassapa in the forest"})
			apptest.Problem(t, res, http.StatusUnprocessableEntity, "must not contain your email address or name")
			s.Login(t, a.Email, a.Password)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset/confirm",
				Body: map[string]string{"token": token, "password": newPassword}})
			s.Login(t, a.Email, newPassword)
		})

		t.Run("a verification token does not reset a password", func(t *testing.T) {
			a := s.Register(t, "kaccana@example.org")
			token := linkToken(t, s.Mailpit.WaitFor(t, a.Email, 1, mailWait)[0].Text, testBase+"/verify-email")
			apptest.Problem(t, post("/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": newPassword}), http.StatusUnauthorized)
			s.Login(t, a.Email, a.Password)
		})

		// Last: it moves the server's clock.
		t.Run("a reset link expires after an hour", func(t *testing.T) {
			a := s.Register(t, "ananda@example.org")
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait)
			token := resetLink(t, a.Email, 2)
			s.Clock.Advance(61 * time.Minute)
			apptest.Problem(t, post("/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": newPassword}),
				http.StatusUnauthorized, "used already or has expired")
			s.Login(t, a.Email, a.Password)
			apptest.Problem(t, login(a.Email, newPassword), http.StatusUnauthorized)
		})
	})
}

func TestEmailWithoutSMTP(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: baseEnv})

		t.Run("mail lands in the outbox folder and the log names it without the link", func(t *testing.T) {
			a := s.Register(t, "vimala@example.org")
			outbox := filepath.Join(s.Main.Config.DataDir, "outbox")
			var msg mail.Message
			apptest.Eventually(t, mailWait, func() error {
				msgs, err := mail.ReadOutbox(outbox)
				if err != nil {
					return err
				}
				for _, m := range msgs {
					if strings.Contains(m.To, a.Email) {
						msg = m
						return nil
					}
				}
				return apptest.Errorf("no message to %s in %s (%d messages)", a.Email, outbox, len(msgs))
			})
			if msg.Subject != "Confirm your email for Dharma Plans" {
				t.Errorf("subject %q", msg.Subject)
			}
			token := linkToken(t, msg.Text, testBase+"/verify-email")

			log := s.Log.String()
			if !strings.Contains(log, `"msg":"mail written to outbox"`) {
				t.Errorf("no outbox line in the log:\n%s", log)
			}
			if strings.Contains(log, token) || strings.Contains(log, url.QueryEscape(token)) {
				t.Errorf("the log holds the token:\n%s", log)
			}

			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/verify-email", Body: map[string]string{"token": token}})
		})
	})
}

func TestSetupFirstAdmin(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: baseEnv})
		setup := func(token, email, password string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/setup/admin", Body: map[string]string{
				"token": token, "email": email, "password": password, "display_name": "First Admin",
			}})
		}
		token := linkToken(t, s.Notice.String(), testBase+"/setup")

		t.Run("a bad request keeps the link good", func(t *testing.T) {
			fields := apptest.Problem(t, setup(token, "not-an-email", "short"), http.StatusUnprocessableEntity)
			if fields["body.email"] == "" || fields["body.password"] == "" {
				t.Errorf("want errors for body.email and body.password, got %v", fields)
			}
			apptest.Problem(t, setup("not the token", "admin@example.org", "a refuge in the three jewels"), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": "admin@example.org", "password": "a refuge in the three jewels"}}), http.StatusUnauthorized)
		})

		t.Run("an address someone signed up with meanwhile is refused and the link stays good", func(t *testing.T) {
			s.Register(t, "early@example.org")
			apptest.Problem(t, setup(token, "early@example.org", "a refuge in the three jewels"), http.StatusConflict)
		})

		t.Run("the printed link creates an admin once", func(t *testing.T) {
			res := setup(token, "admin@example.org", "a refuge in the three jewels")
			if res.Status != http.StatusCreated {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			me := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: res.String(t, "access_token")}).JSON(t)
			if me["role"] != "admin" || me["email"] != "admin@example.org" {
				t.Errorf("me = %v", me)
			}

			apptest.Problem(t, setup(token, "second@example.org", "a refuge in the three jewels"), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": "second@example.org", "password": "a refuge in the three jewels"}}), http.StatusUnauthorized)
		})

		t.Run("without a base URL the link names the port the server bound", func(t *testing.T) {
			fresh := apptest.Start(t, engine, apptest.Options{})
			linkToken(t, fresh.Notice.String(), fresh.URL+"/setup")
		})

		t.Run("a database with accounts prints no link", func(t *testing.T) {
			again := apptest.Start(t, engine, apptest.Options{DatabaseURL: s.DBURL})
			if n := again.Notice.String(); strings.Contains(n, "/setup?token=") {
				t.Errorf("a second start printed a setup link:\n%s", n)
			}
		})
	})
}

// linkToken finds the link to prefix (e.g. http://host/verify-email) in
// text and returns its token.
func linkToken(t testing.TB, text, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `\?token=[^\s"<>]+`).FindString(text)
	if m == "" {
		t.Fatalf("no %s?token=… link in:\n%s", prefix, text)
	}
	u, err := url.Parse(m)
	if err != nil {
		t.Fatal(err)
	}
	tok := u.Query().Get("token")
	if tok == "" {
		t.Fatalf("empty token in %s", m)
	}
	return tok
}

// retryAfter checks that res says, in whole seconds, to wait at least one
// second and at most max, and returns the wait.
func retryAfter(t testing.TB, res *apptest.Response, max time.Duration) time.Duration {
	t.Helper()
	h := res.Header.Get("Retry-After")
	n, err := strconv.Atoi(h)
	if err != nil || n < 1 || time.Duration(n)*time.Second > max {
		t.Fatalf("Retry-After %q, want whole seconds from 1 to %v", h, max.Seconds())
	}
	return time.Duration(n) * time.Second
}
