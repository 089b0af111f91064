package app_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// behindProxy makes the test client a trusted load balancer, so each
// request can name its own client address in X-Forwarded-For.
const behindProxy = "DHARMAPLANS_TRUSTED_PROXIES=127.0.0.1/32,::1/128"

// tightLimits are the production limits with small per-IP and per-account
// counts a test reaches in a few requests.
func tightLimits() *identity.Limits {
	l := identity.DefaultLimits()
	l.LoginPerIP = ratelimit.Limit{Rate: 3, Period: time.Minute}
	l.RegisterPerIP = ratelimit.Limit{Rate: 2, Period: time.Hour}
	l.RegisterPerEmail = ratelimit.Limit{Rate: 2, Period: time.Hour}
	l.RefreshPerIP = ratelimit.Limit{Rate: 3, Period: time.Minute}
	l.ResetPerAccount = ratelimit.Limit{Rate: 2, Period: time.Hour}
	return &l
}

// freshIP is a fresh client address from a documentation range, random so
// that counts kept in a shared Redis by earlier runs never meet it.
func freshIP() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("2001:db8:%x:%x:%x::1", b[0:2], b[2:4], b[4:6])
}

// fromIP sends r as if from the client at ip (through the trusted proxy).
func fromIP(ip string, r apptest.Request) apptest.Request {
	r.Header = http.Header{"X-Forwarded-For": {ip}}
	return r
}

func TestLimits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Limits: tightLimits(), Env: []string{behindProxy}})
		login := func(ip, email, password string) *apptest.Response {
			return s.Do(t, fromIP(ip, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": email, "password": password}}))
		}
		register := func(ip, email string) *apptest.Response {
			return s.Do(t, fromIP(ip, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register",
				Body: map[string]string{"email": email, "password": "a patient walk around the stupa", "display_name": "Walker"}}))
		}

		t.Run("one address gets three sign-in attempts a minute", func(t *testing.T) {
			ip := freshIP()
			for i := range 3 {
				apptest.Problem(t, login(ip, fmt.Sprintf("guess%d@example.org", i), "a guessed password"), http.StatusUnauthorized)
			}
			res := login(ip, "guess9@example.org", "a guessed password")
			apptest.Problem(t, res, http.StatusTooManyRequests, "too many attempts")
			retryAfter(t, res, time.Minute)
			// Another address is not held back.
			apptest.Problem(t, login(freshIP(), "guess9@example.org", "a guessed password"), http.StatusUnauthorized)
		})

		t.Run("one address makes two accounts an hour, and the refused one does not exist", func(t *testing.T) {
			ip := freshIP()
			for _, email := range []string{"first@example.org", "second@example.org"} {
				if res := register(ip, email); res.Status != http.StatusCreated {
					t.Fatalf("register %s: status %d: %s", email, res.Status, res.Body)
				}
			}
			res := register(ip, "third@example.org")
			apptest.Problem(t, res, http.StatusTooManyRequests)
			retryAfter(t, res, time.Hour)
			apptest.Problem(t, login(freshIP(), "third@example.org", "a patient walk around the stupa"), http.StatusUnauthorized)
			if res := register(freshIP(), "third@example.org"); res.Status != http.StatusCreated {
				t.Fatalf("register from another address: status %d: %s", res.Status, res.Body)
			}
		})

		t.Run("one email is tried for sign-up twice an hour, from any address", func(t *testing.T) {
			if res := register(freshIP(), "popular@example.org"); res.Status != http.StatusCreated {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			apptest.Problem(t, register(freshIP(), "POPULAR@example.org"), http.StatusConflict)
			res := register(freshIP(), "popular@example.org")
			apptest.Problem(t, res, http.StatusTooManyRequests)
			retryAfter(t, res, time.Hour)
			// Other addresses sign up as before.
			if res := register(freshIP(), "unpopular@example.org"); res.Status != http.StatusCreated {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
		})

		t.Run("one address refreshes three times a minute, and a refused refresh spends nothing", func(t *testing.T) {
			res := register(freshIP(), "refresher@example.org")
			if res.Status != http.StatusCreated {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			refresh := res.String(t, "refresh_token")
			ip := freshIP()
			exchange := func(ip string) *apptest.Response {
				return s.Do(t, fromIP(ip, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": refresh}}))
			}
			for range 3 {
				res := exchange(ip)
				if res.Status != http.StatusOK {
					t.Fatalf("status %d: %s", res.Status, res.Body)
				}
				refresh = res.String(t, "refresh_token")
			}
			res = exchange(ip)
			apptest.Problem(t, res, http.StatusTooManyRequests)
			retryAfter(t, res, time.Minute)
			// The refused token was not used up: it still works elsewhere.
			if res := exchange(freshIP()); res.Status != http.StatusOK {
				t.Fatalf("the refused refresh token no longer works: status %d: %s", res.Status, res.Body)
			}
		})

		t.Run("an address gets two reset mails an hour, whoever asks and whether or not it has an account", func(t *testing.T) {
			if _, err := s.Main.Identity().CreateUser(context.Background(), identity.Registration{
				Email: "forgetful@example.org", Password: "a patient walk around the stupa", DisplayName: "F",
			}, identity.RoleUser); err != nil {
				t.Fatal(err)
			}
			for _, email := range []string{"forgetful@example.org", "nobody-here@example.org"} {
				reset := func() *apptest.Response {
					return s.Do(t, fromIP(freshIP(), apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset", Body: map[string]string{"email": email}}))
				}
				for range 2 {
					if res := reset(); res.Status != http.StatusAccepted {
						t.Fatalf("reset %s: status %d: %s", email, res.Status, res.Body)
					}
				}
				res := reset()
				apptest.Problem(t, res, http.StatusTooManyRequests)
				retryAfter(t, res, time.Hour)
			}
		})

		t.Run("replicas sharing a Redis share the count", func(t *testing.T) {
			redis := testenv.RedisURL(t)
			// One deployment: the same Redis and the same key prefix.
			env := []string{behindProxy, "REDIS_URL=" + redis, "DHARMAPLANS_CACHE_PREFIX=limits-" + rand.Text()[:10] + ":"}
			a := apptest.Start(t, engine, apptest.Options{Limits: tightLimits(), Env: env})
			b := apptest.Start(t, engine, apptest.Options{Limits: tightLimits(), Env: env, DatabaseURL: a.DBURL})
			ip := freshIP()
			attempt := func(s *apptest.Server) *apptest.Response {
				return s.Do(t, fromIP(ip, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
					Body: map[string]string{"email": "roaming@example.org", "password": "a guessed password"}}))
			}
			for _, s := range []*apptest.Server{a, b, a} {
				apptest.Problem(t, attempt(s), http.StatusUnauthorized)
			}
			for _, s := range []*apptest.Server{b, a} {
				res := attempt(s)
				apptest.Problem(t, res, http.StatusTooManyRequests)
				retryAfter(t, res, time.Minute)
			}
		})
	})
}

// lockLimits lock sign-in after three wrong passwords for a minute,
// doubling up to four.
func lockLimits() *identity.Limits {
	l := apptest.Generous()
	l.LockAfter, l.LockFirst, l.LockMax = 3, time.Minute, 4*time.Minute
	return l
}

func TestLoginLockout(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Limits: lockLimits(), Mail: true, Env: baseEnv})
		login := func(a *apptest.Account, password string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login",
				Body: map[string]string{"email": a.Email, "password": password}})
		}
		const wrong = "not the password at all"
		// fail enters n wrong passwords, each answered as wrong.
		fail := func(t *testing.T, a *apptest.Account, n int) {
			t.Helper()
			for range n {
				apptest.Problem(t, login(a, wrong), http.StatusUnauthorized, "email or password is incorrect")
			}
		}
		// locked checks that even the right password waits, for at most max
		// and more than min.
		locked := func(t *testing.T, a *apptest.Account, min, max time.Duration) {
			t.Helper()
			res := login(a, a.Password)
			apptest.Problem(t, res, http.StatusTooManyRequests, "too many wrong passwords", "reset your password")
			if wait := retryAfter(t, res, max); wait <= min {
				t.Errorf("Retry-After %v, want more than %v", wait, min)
			}
		}

		t.Run("three wrong passwords lock sign-in for a minute, then the count starts over", func(t *testing.T) {
			a := s.Register(t, "lock1@example.org")
			fail(t, a, 3)
			locked(t, a, 0, time.Minute)

			s.Clock.Advance(61 * time.Second)
			s.Login(t, a.Email, a.Password)
			// The count restarted: two more wrong passwords do not lock.
			fail(t, a, 2)
			s.Login(t, a.Email, a.Password)
		})

		t.Run("attempts during the lock are refused without counting", func(t *testing.T) {
			a := s.Register(t, "lock2@example.org")
			fail(t, a, 3)
			for range 10 {
				res := login(a, wrong)
				apptest.Problem(t, res, http.StatusTooManyRequests)
				retryAfter(t, res, time.Minute)
			}
			s.Clock.Advance(61 * time.Second)
			// The fourth counted failure doubles the lock to two minutes;
			// had the refused ones counted, it would be at the four-minute cap.
			fail(t, a, 1)
			locked(t, a, time.Minute, 2*time.Minute)
		})

		t.Run("the lock doubles with each further failure but never beyond the cap", func(t *testing.T) {
			a := s.Register(t, "lock3@example.org")
			fail(t, a, 3)
			locked(t, a, 0, time.Minute)
			prev := time.Minute
			for _, lock := range []time.Duration{2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
				s.Clock.Advance(prev - 30*time.Second)
				locked(t, a, 0, 30*time.Second) // not over yet
				s.Clock.Advance(31 * time.Second)
				fail(t, a, 1)
				locked(t, a, lock/2, lock)
				prev = lock
			}
		})

		t.Run("a password reset lifts the lock", func(t *testing.T) {
			a := s.Register(t, "lock4@example.org")
			s.Mailpit.WaitFor(t, a.Email, 1, mailWait)
			fail(t, a, 3)
			locked(t, a, 0, time.Minute)

			s.Expect(t, http.StatusAccepted, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset", Body: map[string]string{"email": a.Email}})
			token := linkToken(t, s.Mailpit.WaitFor(t, a.Email, 2, mailWait)[1].Text, testBase+"/reset-password")
			const next = "a fresh start at dawn each day"
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/password-reset/confirm",
				Body: map[string]string{"token": token, "password": next}})
			s.Login(t, a.Email, next)
		})
	})
}
