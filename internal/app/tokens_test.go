package app_test

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

func TestAccessTokens(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		a := s.Register(t, "bearer@example.org")
		me := func(token string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: token})
		}
		s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})

		header, payload, sig := splitJWT(t, a.Access)
		var claims map[string]any
		if err := json.Unmarshal(decodeSegment(t, payload), &claims); err != nil {
			t.Fatal(err)
		}
		var hdr map[string]any
		if err := json.Unmarshal(decodeSegment(t, header), &hdr); err != nil {
			t.Fatal(err)
		}
		pub := jwksKey(t, s, hdr["kid"].(string))

		forged := map[string]string{}
		{
			c := clone(claims)
			c["role"], c["sub"] = "admin", "00000000-0000-7000-8000-000000000000"
			forged["a tampered payload"] = header + "." + encodeJSON(t, c) + "." + sig
		}
		{
			last := sig[len(sig)-2:]
			flip := "AA"
			if last == flip {
				flip = "BB"
			}
			forged["a tampered signature"] = header + "." + payload + "." + sig[:len(sig)-2] + flip
		}
		forged["alg none"] = encodeJSON(t, map[string]any{"alg": "none", "typ": "JWT", "kid": hdr["kid"]}) + "." + payload + "."
		hs := func(key []byte) string {
			h := encodeJSON(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": hdr["kid"]})
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte(h + "." + payload))
			return h + "." + payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		}
		forged["HS256 signed with the raw public key"] = hs(pub)
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		forged["HS256 signed with the PEM public key"] = hs(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
		_, other, _ := ed25519.GenerateKey(nil)
		sign := func(kid string) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims(claims))
			tok.Header["kid"] = kid
			out, err := tok.SignedString(other)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		forged["an unknown kid"] = sign("not-a-key-of-ours")
		forged["our kid but another key"] = sign(hdr["kid"].(string))
		forged["no kid"] = sign("")
		forged["garbage"] = "not.a.jwt"

		for name, tok := range forged {
			t.Run("refuses "+name, func(t *testing.T) {
				res := me(tok)
				apptest.Problem(t, res, http.StatusUnauthorized)
				if !strings.Contains(res.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
					t.Errorf("WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
				}
			})
		}

		t.Run("refuses a malformed Authorization header", func(t *testing.T) {
			res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Header: http.Header{"Authorization": {"Basic " + a.Access}}})
			apptest.Problem(t, res, http.StatusUnauthorized, "Bearer")
		})

		t.Run("refuses an expired token", func(t *testing.T) {
			b := s.Register(t, "expiring@example.org")
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: b.Access})
			s.Clock.Advance(16 * time.Minute)
			apptest.Problem(t, me(b.Access), http.StatusUnauthorized, "expired")
			// The refresh token still works and gives a token valid now.
			if res := s.Refresh(t, b); res.Status != http.StatusOK {
				t.Fatalf("refresh: %d %s", res.Status, res.Body)
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: b.Access})
		})
	})
}

func TestRefreshTokens(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		refresh := func(token string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": token}})
		}

		t.Run("each refresh gives new tokens and retires the old refresh token", func(t *testing.T) {
			a := s.Register(t, "rotate@example.org")
			first := a.Refresh
			res := refresh(first)
			if res.Status != http.StatusOK {
				t.Fatalf("refresh: %d %s", res.Status, res.Body)
			}
			second := res.String(t, "refresh_token")
			if second == "" || second == first || len(second) < 43 {
				t.Fatalf("refresh token %q after %q: want a new 256-bit value", second, first)
			}
			if res.String(t, "session_id") != a.Session {
				t.Errorf("the session changed on refresh")
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: res.String(t, "access_token")})
		})

		t.Run("a reused refresh token ends the whole session", func(t *testing.T) {
			a := s.Register(t, "reuse@example.org")
			stolen := a.Refresh
			if res := s.Refresh(t, a); res.Status != http.StatusOK {
				t.Fatalf("refresh: %d %s", res.Status, res.Body)
			}
			apptest.Problem(t, refresh(stolen), http.StatusUnauthorized, "already used")
			// The legitimate successor and the session's access token die too.
			apptest.Problem(t, refresh(a.Refresh), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}), http.StatusUnauthorized)
			if !strings.Contains(s.Log.String(), `"event":"refresh_token_reuse"`) {
				t.Errorf("reuse was not logged as a security event")
			}
			if strings.Contains(s.Log.String(), stolen) {
				t.Errorf("the log holds a refresh token")
			}
			// Another session of the same person is untouched.
			b := s.Login(t, a.Email, a.Password)
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: b.Access})
		})

		t.Run("two refreshes racing with one token: one wins, the session ends", func(t *testing.T) {
			a := s.Register(t, "race@example.org")
			results := make(chan int, 2)
			for range 2 {
				go func() { results <- refresh(a.Refresh).Status }()
			}
			got := []int{<-results, <-results}
			ok := 0
			for _, st := range got {
				if st == http.StatusOK {
					ok++
				} else if st != http.StatusUnauthorized {
					t.Errorf("status %d, want 200 or 401", st)
				}
			}
			if ok > 1 {
				t.Errorf("both racing refreshes succeeded: %v", got)
			}
		})

		t.Run("unknown, empty and oversized refresh tokens are refused", func(t *testing.T) {
			for _, tok := range []string{"", "nonsense", strings.Repeat("x", 129)} {
				res := refresh(tok)
				if res.Status != http.StatusUnauthorized && res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%q: status %d", tok, res.Status)
				}
			}
		})

		t.Run("a session idle longer than the timeout ends", func(t *testing.T) {
			a := s.Register(t, "idle@example.org")
			s.Clock.Advance(31 * 24 * time.Hour)
			apptest.Problem(t, refresh(a.Refresh), http.StatusUnauthorized)
		})

		t.Run("logout ends the session", func(t *testing.T) {
			a := s.Register(t, "logout@example.org")
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": a.Refresh}})
			apptest.Problem(t, refresh(a.Refresh), http.StatusUnauthorized)
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access}), http.StatusUnauthorized)
			// Logging out twice is fine.
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": a.Refresh}})
			// With only an access token, logout ends that token's session.
			b := s.Register(t, "logout2@example.org")
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/logout", Token: b.Access})
			apptest.Problem(t, refresh(b.Refresh), http.StatusUnauthorized)
			// An expired access token sent along does not stop a logout.
			c := s.Register(t, "logout3@example.org")
			s.Clock.Advance(16 * time.Minute)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/logout", Token: c.Access,
				Body: map[string]string{"refresh_token": c.Refresh}})
			apptest.Problem(t, refresh(c.Refresh), http.StatusUnauthorized)
		})
	})
}

func TestRefreshOverlapWindow(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: []string{"DHARMAPLANS_REFRESH_OVERLAP=30s"}})
		refresh := func(token string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": token}})
		}
		a := s.Register(t, "tabs@example.org")
		prev := a.Refresh
		if res := s.Refresh(t, a); res.Status != http.StatusOK {
			t.Fatal(res.Status)
		}
		// A second tab presents the same token moments later: accepted.
		if res := refresh(prev); res.Status != http.StatusOK {
			t.Fatalf("within the window: %d %s", res.Status, res.Body)
		}
		// Both descendants keep working.
		if res := s.Refresh(t, a); res.Status != http.StatusOK {
			t.Fatalf("successor: %d %s", res.Status, res.Body)
		}
		// After the window, the old token is reuse again.
		s.Clock.Advance(time.Minute)
		apptest.Problem(t, refresh(prev), http.StatusUnauthorized, "already used")
		apptest.Problem(t, refresh(a.Refresh), http.StatusUnauthorized)
	})
}

func TestBrowserRefreshCookie(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		browser := http.Header{"Sec-Fetch-Mode": {"cors"}, "Sec-Fetch-Site": {"same-origin"}}
		res := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/register", Header: browser,
			Body: map[string]string{"email": "browser@example.org", "password": "sitting by the river", "display_name": "B"}})
		if res.JSON(t)["refresh_token"] != nil {
			t.Errorf("a browser got the refresh token in the body: %s", res.Body)
		}
		cookie := findCookie(t, res, "dp_refresh")
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/v1/auth" {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/v1/auth", cookie)
		}
		if cookie.Secure {
			t.Errorf("cookie is Secure on plain http://127.0.0.1, where browsers would drop it")
		}

		withCookie := browser.Clone()
		withCookie.Set("Cookie", "dp_refresh="+cookie.Value)
		next := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Header: withCookie})
		rotated := findCookie(t, next, "dp_refresh")
		if rotated.Value == cookie.Value || rotated.Value == "" {
			t.Errorf("the cookie was not rotated")
		}
		// The old cookie again is reuse: the session ends and the cookie is cleared.
		again := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Header: withCookie})
		apptest.Problem(t, again, http.StatusUnauthorized)
		if c := findCookie(t, again, "dp_refresh"); c.MaxAge >= 0 {
			t.Errorf("the cookie was not cleared: %+v", c)
		}

		// Behind TLS (a proxy saying https, or a public host) the cookie is Secure.
		secure := browser.Clone()
		secure.Set("X-Forwarded-Proto", "https")
		res = s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/auth/login", Header: secure,
			Body: map[string]string{"email": "browser@example.org", "password": "sitting by the river"}})
		if !findCookie(t, res, "dp_refresh").Secure {
			t.Errorf("the cookie is not Secure over https")
		}
	})
}

func findCookie(t *testing.T, res *apptest.Response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", name, res.Header.Values("Set-Cookie"))
	return nil
}

func splitJWT(t *testing.T, tok string) (header, payload, sig string) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	return parts[0], parts[1], parts[2]
}

func decodeSegment(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encodeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// jwksKey fetches the public key with kid from the server's JWKS.
func jwksKey(t *testing.T, s *apptest.Server, kid string) ed25519.PublicKey {
	t.Helper()
	res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/.well-known/jwks.json"})
	var set struct {
		Keys []struct{ Kty, Crv, X, Kid, Alg, Use string }
	}
	if err := json.Unmarshal(res.Body, &set); err != nil {
		t.Fatal(err)
	}
	for _, k := range set.Keys {
		if k.Kid == kid {
			if k.Kty != "OKP" || k.Crv != "Ed25519" || k.Alg != "EdDSA" {
				t.Errorf("key %+v: want OKP Ed25519 EdDSA", k)
			}
			return ed25519.PublicKey(decodeSegment(t, k.X))
		}
	}
	t.Fatalf("kid %s not in JWKS %s", kid, res.Body)
	return nil
}
