package app_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

func TestKeysInTheDatabase(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		a := s.Register(t, "keys@example.org")

		t.Run("the JWKS publishes the key that signed an access token", func(t *testing.T) {
			header := jwtHeader(t, a.Access)
			if header["alg"] != "EdDSA" || header["kid"] == "" {
				t.Fatalf("token header %v, want alg EdDSA and a kid", header)
			}
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/.well-known/jwks.json"})
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			var found bool
			for _, k := range jwks(t, res) {
				if _, private := k["d"]; private {
					t.Errorf("the JWKS reveals a private key: %v", k)
				}
				if k["kid"] != header["kid"] {
					continue
				}
				found = true
				if k["kty"] != "OKP" || k["crv"] != "Ed25519" || k["alg"] != "EdDSA" || k["use"] != "sig" {
					t.Errorf("key %v, want kty OKP, crv Ed25519, alg EdDSA, use sig", k)
				}
				if x, err := base64.RawURLEncoding.DecodeString(k["x"]); err != nil || len(x) != 32 {
					t.Errorf("x %q is not a base64url Ed25519 public key (%v)", k["x"], err)
				}
			}
			if !found {
				t.Errorf("the JWKS lacks kid %v", header["kid"])
			}
		})

		t.Run("the keys made on first start are kept for the next start", func(t *testing.T) {
			again := apptest.Start(t, engine, apptest.Options{DatabaseURL: s.DBURL})
			again.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
			b := again.Login(t, a.Email, a.Password)
			if kidOf(t, b.Access) != kidOf(t, a.Access) {
				t.Errorf("the next start signs with %s, not the stored %s", kidOf(t, b.Access), kidOf(t, a.Access))
			}
			if !slices.Equal(jwksKids(t, s), jwksKids(t, again)) {
				t.Errorf("JWKS differ: %v and %v", jwksKids(t, s), jwksKids(t, again))
			}
		})
	})
}

func TestKeysFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	oldKey, oldFile := writeKey(t, dir, "old.pem")
	newKey, newFile := writeKey(t, dir, "new.pem")

	first := apptest.Start(t, "sqlite", apptest.Options{Env: []string{"DHARMAPLANS_JWT_KEY_FILE=" + oldFile}})
	a := first.Register(t, "files@example.org")

	t.Run("tokens carry the kid of the configured key and the JWKS lists it alone", func(t *testing.T) {
		if kid := kidOf(t, a.Access); kid != oldKey.ID {
			t.Errorf("kid %s, want the configured key's %s", kid, oldKey.ID)
		}
		if kids := jwksKids(t, first); !slices.Equal(kids, []string{oldKey.ID}) {
			t.Errorf("JWKS lists %v, want only %s", kids, oldKey.ID)
		}
	})

	t.Run("a new key with the old one still verifying keeps old tokens working", func(t *testing.T) {
		rotated := apptest.Start(t, "sqlite", apptest.Options{DatabaseURL: first.DBURL, Env: []string{
			"DHARMAPLANS_JWT_KEY_FILE=" + newFile, "DHARMAPLANS_JWT_VERIFY_KEY_FILES=" + oldFile,
		}})
		rotated.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
		if kids, want := jwksKids(t, rotated), sorted(oldKey.ID, newKey.ID); !slices.Equal(kids, want) {
			t.Errorf("JWKS lists %v, want %v", kids, want)
		}
		b := rotated.Login(t, a.Email, a.Password)
		if kid := kidOf(t, b.Access); kid != newKey.ID {
			t.Errorf("new tokens carry kid %s, want the new key's %s", kid, newKey.ID)
		}
	})

	t.Run("without the old key its tokens are refused", func(t *testing.T) {
		replaced := apptest.Start(t, "sqlite", apptest.Options{DatabaseURL: first.DBURL, Env: []string{"DHARMAPLANS_JWT_KEY_FILE=" + newFile}})
		res := replaced.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/me", Token: a.Access})
		apptest.Problem(t, res, http.StatusUnauthorized)
		if h := res.Header.Get("WWW-Authenticate"); !strings.Contains(h, "invalid_token") {
			t.Errorf("WWW-Authenticate %q, want error=invalid_token", h)
		}
		if kids := jwksKids(t, replaced); !slices.Equal(kids, []string{newKey.ID}) {
			t.Errorf("JWKS lists %v, want only %s", kids, newKey.ID)
		}
	})
}

func TestBadKeyFilesStopStartUp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, good := writeKey(t, dir, "good.pem")
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, _ := writeKey(t, dir, "unused.pem")
	public := filepath.Join(dir, "public.pem")
	if err := os.WriteFile(public, publicPEM(t, k), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")

	for _, tc := range []struct {
		name string
		env  []string
		want []string
	}{
		{"a missing signing key file", []string{"DHARMAPLANS_JWT_KEY_FILE=" + missing}, []string{"DHARMAPLANS_JWT_KEY_FILE", "missing.pem"}},
		{"a signing key file that is a folder", []string{"DHARMAPLANS_JWT_KEY_FILE=" + dir}, []string{"DHARMAPLANS_JWT_KEY_FILE"}},
		{"a signing key file without a key", []string{"DHARMAPLANS_JWT_KEY_FILE=" + garbage}, []string{"DHARMAPLANS_JWT_KEY_FILE", "garbage.pem"}},
		{"a public key to sign with", []string{"DHARMAPLANS_JWT_KEY_FILE=" + public}, []string{"DHARMAPLANS_JWT_KEY_FILE", "private key"}},
		{"a missing verify key file", []string{"DHARMAPLANS_JWT_KEY_FILE=" + good, "DHARMAPLANS_JWT_VERIFY_KEY_FILES=" + missing}, []string{"DHARMAPLANS_JWT_VERIFY_KEY_FILES", "missing.pem"}},
		{"verify keys without a signing key", []string{"DHARMAPLANS_JWT_VERIFY_KEY_FILES=" + good}, []string{"DHARMAPLANS_JWT_KEY_FILE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			env := append([]string{"DATABASE_URL=sqlite:" + data + "/test.db", "DHARMAPLANS_DATA_DIR=" + data}, tc.env...)
			cfg, _, err := config.Load("serve", "", config.Database|config.Server, []string{"--addr", "127.0.0.1:0"}, env, io.Discard)
			if err != nil {
				t.Fatalf("config: %v", err)
			}
			m := app.NewMain(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), "test")
			m.Notice = io.Discard
			err = m.Run(context.Background())
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err == nil {
				_ = m.Close(ctx)
				t.Fatal("the server started")
			}
			_ = m.Close(ctx)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// writeKey makes a signing key and writes it to dir/name as PEM.
func writeKey(t *testing.T, dir, name string) (token.Key, string) {
	t.Helper()
	k, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	data, err := token.MarshalPrivateKeyPEM(k)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return k, path
}

// jwtHeader decodes the header of a JWT.
func jwtHeader(t *testing.T, jwt string) map[string]string {
	t.Helper()
	head, _, ok := strings.Cut(jwt, ".")
	if !ok {
		t.Fatalf("%q is not a JWT", jwt)
	}
	data, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatalf("JWT header: %v", err)
	}
	var h map[string]string
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatalf("JWT header %s: %v", data, err)
	}
	return h
}

// kidOf is the kid in a JWT's header.
func kidOf(t *testing.T, jwt string) string {
	t.Helper()
	return jwtHeader(t, jwt)["kid"]
}

func jwks(t *testing.T, res *apptest.Response) []map[string]string {
	t.Helper()
	var set struct{ Keys []map[string]string }
	if err := json.Unmarshal(res.Body, &set); err != nil {
		t.Fatalf("JWKS: %v\n%s", err, res.Body)
	}
	return set.Keys
}

// jwksKids are the kids the server publishes, sorted.
func jwksKids(t *testing.T, s *apptest.Server) []string {
	t.Helper()
	var kids []string
	for _, k := range jwks(t, s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/.well-known/jwks.json"})) {
		kids = append(kids, k["kid"])
	}
	slices.Sort(kids)
	return kids
}

// publicPEM is k's public half as a PKIX "PUBLIC KEY" PEM block.
func publicPEM(t *testing.T, k token.Key) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.Public)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}
