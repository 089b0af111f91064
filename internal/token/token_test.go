package token_test

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

const (
	testIssuer   = "https://dharmaplans.example"
	testAudience = "dharmaplans-api"
	ttl          = token.DefaultTTL
	leeway       = 5 * time.Second
)

// quiet drops the Issuer's logs of key generation, which every test causes.
var quiet = slog.New(slog.DiscardHandler)

// fixture is one Issuer on an in-memory store with a settable clock.
type fixture struct {
	iss   *token.Issuer
	store *memStore
	clock *clock
}

func setup(t testing.TB, modify ...func(*token.Options)) fixture {
	t.Helper()
	f := fixture{store: newMemStore(), clock: newClock()}
	opts := token.Options{Issuer: testIssuer, Audience: testAudience, Now: f.clock.Now, KeyStore: f.store, Logger: quiet}
	for _, m := range modify {
		m(&opts)
	}
	iss, err := token.NewIssuer(context.Background(), opts)
	if err != nil {
		t.Fatalf("NewIssuer: %v", err)
	}
	f.iss = iss
	return f
}

// sign signs a token for a plain user and fails the test on error.
func (f fixture) sign(t testing.TB) string {
	t.Helper()
	tok, _, err := f.iss.Sign(token.Claims{UserID: "user-1", SessionID: "session-1", Role: "user"})
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return tok
}

// signingKey returns the stored key that signs now, private half included.
func (f fixture) signingKey(t testing.TB) token.Key {
	t.Helper()
	return f.store.Key(t, f.iss.SigningKeyID())
}

// claims returns valid claims for a token made outside the Issuer.
func (f fixture) claims() jwt.MapClaims {
	now := f.clock.Now()
	return jwt.MapClaims{
		"iss": testIssuer,
		"aud": testAudience,
		"sub": "user-1",
		"iat": now.Unix(),
		"exp": now.Add(ttl).Unix(),
	}
}

// forge signs claims with method and key; kid, if not empty, goes in the header.
func forge(t testing.TB, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("forge: %v", err)
	}
	return s
}

func with(c jwt.MapClaims, name string, value any) jwt.MapClaims {
	if value == nil {
		delete(c, name)
	} else {
		c[name] = value
	}
	return c
}

// wantRejected fails unless err is Unauthenticated with message msg.
func wantRejected(t testing.TB, err error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("token verified; want it rejected with %q", msg)
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Unauthenticated || e.Message != msg {
		t.Fatalf("err = %v; want unauthenticated %q", err, msg)
	}
}

func TestSignedTokenVerifiesWithAllItsClaims(t *testing.T) {
	f := setup(t)
	f.clock.Advance(300 * time.Millisecond) // times are kept to the second
	authTime := f.clock.Now().Add(-time.Hour)
	in := token.Claims{UserID: "user-1", SessionID: "session-1", Role: "author", AuthTime: authTime, ID: "jti-1"}

	tok, exp, err := f.iss.Sign(in)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	now := f.clock.Now().Truncate(time.Second)
	if want := now.Add(ttl); !exp.Equal(want) {
		t.Errorf("exp = %v, want %v", exp, want)
	}
	for range 2 { // the second answer comes from the cache
		got, err := f.iss.Verify(context.Background(), tok)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		want := in
		want.AuthTime = authTime.Truncate(time.Second).UTC()
		want.IssuedAt = now.UTC()
		want.ExpiresAt = exp
		if *got != want {
			t.Fatalf("claims = %+v\nwant     %+v", *got, want)
		}
		got.Role = "admin" // must not change what the cache holds
	}

	header := decodeSegment(t, tok, 0)
	if header["alg"] != "EdDSA" || header["kid"] != f.iss.SigningKeyID() {
		t.Errorf("header = %v, want alg EdDSA and kid %s", header, f.iss.SigningKeyID())
	}
	payload := decodeSegment(t, tok, 1)
	for _, name := range []string{"iss", "aud", "sub", "sid", "role", "auth_time", "iat", "exp", "jti"} {
		if _, ok := payload[name]; !ok {
			t.Errorf("payload has no %s: %v", name, payload)
		}
	}
}

func TestSignGivesEachTokenItsOwnID(t *testing.T) {
	f := setup(t)
	a, err := f.iss.Verify(context.Background(), f.sign(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.iss.Verify(context.Background(), f.sign(t))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.ID == b.ID {
		t.Fatalf("jti %q and %q: want two different non-empty IDs", a.ID, b.ID)
	}
}

func TestVerifyRejects(t *testing.T) {
	other, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		token func(t *testing.T, f fixture) string
		later time.Duration // how long after making the token it is verified
		want  string
	}{
		{
			name:  "an expired token",
			token: func(t *testing.T, f fixture) string { return f.sign(t) },
			later: ttl + leeway + time.Second,
			want:  "access token expired",
		},
		{
			name: "a token whose payload was changed",
			token: func(t *testing.T, f fixture) string {
				parts := strings.Split(f.sign(t), ".")
				payload := decodeSegment(t, strings.Join(parts, "."), 1)
				payload["role"] = "admin"
				b, _ := json.Marshal(payload)
				parts[1] = base64.RawURLEncoding.EncodeToString(b)
				return strings.Join(parts, ".")
			},
			want: "access token is not valid",
		},
		{
			name: "a token whose signature was changed",
			token: func(t *testing.T, f fixture) string {
				parts := strings.Split(f.sign(t), ".")
				sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
				sig[10] ^= 1
				parts[2] = base64.RawURLEncoding.EncodeToString(sig)
				return strings.Join(parts, ".")
			},
			want: "access token is not valid",
		},
		{
			name: "a token whose signature is spelled in non-canonical base64",
			token: func(t *testing.T, f fixture) string {
				tok := f.sign(t)
				const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
				last := strings.IndexByte(alphabet, tok[len(tok)-1])
				return tok[:len(tok)-1] + string(alphabet[last|1]) // same bytes once decoded loosely
			},
			want: "access token is not valid",
		},
		{
			name: "an unsigned token (alg none)",
			token: func(t *testing.T, f fixture) string {
				return forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, f.iss.SigningKeyID(), f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "an HS256 token keyed with the raw public key",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				return forge(t, jwt.SigningMethodHS256, []byte(k.Public), k.ID, f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "an HS256 token keyed with the PEM public key",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				der, err := x509.MarshalPKIXPublicKey(k.Public)
				if err != nil {
					t.Fatal(err)
				}
				secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
				return forge(t, jwt.SigningMethodHS256, secret, k.ID, f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "a token with an unknown kid",
			token: func(t *testing.T, f fixture) string {
				return forge(t, jwt.SigningMethodEdDSA, other.Private, other.ID, f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "a token without a kid",
			token: func(t *testing.T, f fixture) string {
				return forge(t, jwt.SigningMethodEdDSA, f.signingKey(t).Private, "", f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "a token signed with another key under our kid",
			token: func(t *testing.T, f fixture) string {
				return forge(t, jwt.SigningMethodEdDSA, other.Private, f.iss.SigningKeyID(), f.claims())
			},
			want: "access token is not valid",
		},
		{
			name: "a token from another issuer",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "iss", "https://evil.example"))
			},
			want: "access token is not valid",
		},
		{
			name: "a token for another audience",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "aud", "another-api"))
			},
			want: "access token is not valid",
		},
		{
			name: "a token without exp",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "exp", nil))
			},
			want: "access token is not valid",
		},
		{
			name: "a token not valid before a time still to come (nbf)",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				nbf := f.clock.Now().Add(time.Minute).Unix()
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "nbf", nbf))
			},
			want: "access token is not valid",
		},
		{
			name: "a token issued in the future (iat)",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				iat := f.clock.Now().Add(time.Minute).Unix()
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "iat", iat))
			},
			want: "access token is not valid",
		},
		{
			name: "a token without a subject",
			token: func(t *testing.T, f fixture) string {
				k := f.signingKey(t)
				return forge(t, jwt.SigningMethodEdDSA, k.Private, k.ID, with(f.claims(), "sub", nil))
			},
			want: "access token is not valid",
		},
		{
			name:  "an empty string",
			token: func(t *testing.T, f fixture) string { return "" },
			want:  "access token is not valid",
		},
		{
			name:  "a string that is no JWT",
			token: func(t *testing.T, f fixture) string { return "not-a-token" },
			want:  "access token is not valid",
		},
		{
			name:  "an absurdly long string",
			token: func(t *testing.T, f fixture) string { return f.sign(t) + strings.Repeat("A", 5000) },
			want:  "access token is not valid",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			tok := tc.token(t, f)
			f.clock.Advance(tc.later)
			_, err := f.iss.Verify(context.Background(), tok)
			wantRejected(t, err, tc.want)
			if n := token.CacheLen(f.iss); n != 0 {
				t.Errorf("a rejected token left %d cache entries", n)
			}
		})
	}
}

func TestCachedVerificationEndsAtExp(t *testing.T) {
	f := setup(t)
	tok := f.sign(t)
	steps := []struct {
		name  string
		after time.Duration // since the token was signed
		want  string        // empty: verifies
	}{
		{"verified for the first time", 0, ""},
		{"verified again from the cache", time.Minute, ""},
		{"a second before exp", ttl - time.Second, ""},
		{"just after exp, within the clock leeway", ttl + leeway - time.Second, ""},
		{"after exp and the leeway", ttl + leeway + time.Second, "access token expired"},
	}
	start := f.clock.Now()
	for _, s := range steps {
		f.clock.Advance(start.Add(s.after).Sub(f.clock.Now()))
		_, err := f.iss.Verify(context.Background(), tok)
		if s.want == "" && err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.want != "" {
			wantRejected(t, err, s.want)
		}
		if s.name == "verified for the first time" && token.CacheLen(f.iss) != 1 {
			t.Fatalf("after the first verification the cache holds %d tokens, want 1", token.CacheLen(f.iss))
		}
	}
}

func TestVerifyWorksWithTheCacheOff(t *testing.T) {
	f := setup(t, func(o *token.Options) { o.CacheSize = -1 })
	tok := f.sign(t)
	for range 2 {
		if _, err := f.iss.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := token.CacheLen(f.iss); n != 0 {
		t.Fatalf("cache holds %d tokens, want none", n)
	}
}

func TestJWKSPublishesEveryVerifyingKey(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	first := f.signingKey(t)
	second, err := f.iss.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(f.iss.JWKS(), &set); err != nil {
		t.Fatalf("JWKS is not JSON: %v", err)
	}
	want := map[string]ed25519.PublicKey{first.ID: first.Public, second.ID: second.Public}
	if len(set.Keys) != len(want) {
		t.Fatalf("JWKS has %d keys, want %d", len(set.Keys), len(want))
	}
	for _, k := range set.Keys {
		if k["kty"] != "OKP" || k["crv"] != "Ed25519" || k["alg"] != "EdDSA" || k["use"] != "sig" {
			t.Errorf("key %v: want kty OKP, crv Ed25519, alg EdDSA, use sig", k)
		}
		if _, ok := k["d"]; ok {
			t.Errorf("key %s publishes its private part", k["kid"])
		}
		x, err := base64.RawURLEncoding.DecodeString(k["x"])
		if err != nil {
			t.Fatalf("key %s: x is not base64url: %v", k["kid"], err)
		}
		if pub, ok := want[k["kid"]]; !ok || !ed25519.PublicKey(x).Equal(pub) {
			t.Errorf("key %s: x does not reproduce the public key", k["kid"])
		}
	}
}

func TestConfigKeysSignAndLeaveTheStoreUntouched(t *testing.T) {
	ctx := context.Background()
	generated, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := token.MarshalPrivateKeyPEM(generated)
	if err != nil {
		t.Fatal(err)
	}
	signing, err := token.ParseKeyPEM(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	// An older key given by its public half only: it verifies, never signs.
	older, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	verifyOnly, err := token.ParseKeyPEM(publicPEM(t, older.Public))
	if err != nil {
		t.Fatal(err)
	}

	f := setup(t, func(o *token.Options) { o.ConfigKeys = []token.Key{verifyOnly, signing} })
	if f.iss.SigningKeyID() != generated.ID {
		t.Fatalf("signing with %s, want the configured private key %s", f.iss.SigningKeyID(), generated.ID)
	}
	if _, err := f.iss.Verify(ctx, f.sign(t)); err != nil {
		t.Fatalf("a token signed with the configured key: %v", err)
	}
	if _, err := f.iss.Verify(ctx, forge(t, jwt.SigningMethodEdDSA, older.Private, older.ID, f.claims())); err != nil {
		t.Fatalf("a token of the verify-only configured key: %v", err)
	}
	if got := jwksIDs(t, f.iss.JWKS()); len(got) != 2 {
		t.Fatalf("JWKS kids = %v, want both configured keys", got)
	}
	if _, err := f.iss.Rotate(ctx); err == nil {
		t.Fatal("Rotate with configured keys succeeded; want an error")
	}
	if err := f.iss.Refresh(ctx); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if calls := f.store.Calls(); len(calls) != 0 {
		t.Fatalf("the store was used: %v", calls)
	}
}

func TestNewIssuerRefusesIncompleteOptions(t *testing.T) {
	full, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pub := full
	pub.Private = nil
	cases := []struct {
		name string
		opts token.Options
	}{
		{"no issuer", token.Options{Audience: testAudience, KeyStore: newMemStore()}},
		{"no audience", token.Options{Issuer: testIssuer, KeyStore: newMemStore()}},
		{"no store and no config keys", token.Options{Issuer: testIssuer, Audience: testAudience}},
		{"config keys that cannot sign", token.Options{Issuer: testIssuer, Audience: testAudience, ConfigKeys: []token.Key{pub}}},
		{"the same config key twice", token.Options{Issuer: testIssuer, Audience: testAudience, ConfigKeys: []token.Key{full, full}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := token.NewIssuer(context.Background(), tc.opts); err == nil {
				t.Fatal("NewIssuer succeeded; want an error")
			}
		})
	}
}

func decodeSegment(t testing.TB, tok string, n int) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[n])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jwksIDs(t testing.TB, b []byte) []string {
	t.Helper()
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, k := range set.Keys {
		ids = append(ids, k.Kid)
	}
	return ids
}

func publicPEM(t testing.TB, pub ed25519.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
