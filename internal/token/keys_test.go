package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/token"
)

func TestParseKeyPEM(t *testing.T) {
	k, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	private, err := token.MarshalPrivateKeyPEM(k)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(k.Public)
	wantID := base64.RawURLEncoding.EncodeToString(sum[:12])
	if k.ID != wantID {
		t.Fatalf("generated kid = %s, want %s", k.ID, wantID)
	}

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name        string
		pem         []byte
		wantPrivate bool
		wantErr     string // empty: parses
	}{
		{"a PKCS#8 private key round-trips", private, true, ""},
		{"a PKIX public key parses without a private key", publicPEM(t, k.Public), false, ""},
		{"surrounding blank lines are fine", append(append([]byte("\n\n"), private...), "\n\n"...), true, ""},
		{"an ECDSA key is refused", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), false, "want Ed25519"},
		{"an unknown block type is refused", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), false, "CERTIFICATE"},
		{"two keys in one file are refused", append(append([]byte{}, private...), private...), false, "more than one"},
		{"a file without PEM is refused", []byte("not a key"), false, "no PEM block"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := token.ParseKeyPEM(tc.pem)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != wantID {
				t.Errorf("kid = %s, want %s: the same key must give the same kid on every replica", got.ID, wantID)
			}
			if !got.Public.Equal(k.Public) {
				t.Error("public key differs")
			}
			if tc.wantPrivate != (got.Private != nil) || (tc.wantPrivate && !got.Private.Equal(k.Private)) {
				t.Errorf("private key = %v, want present: %v and equal to the original", got.Private != nil, tc.wantPrivate)
			}
		})
	}
}

func TestMarshalPrivateKeyPEMRefusesAPublicOnlyKey(t *testing.T) {
	k, err := token.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	k.Private = nil
	if _, err := token.MarshalPrivateKeyPEM(k); err == nil {
		t.Fatal("MarshalPrivateKeyPEM of a public-only key succeeded")
	}
}

func TestGenerateKeyKeepsWholeSeconds(t *testing.T) {
	now := time.Date(2026, 3, 1, 6, 0, 0, 987_654_321, time.FixedZone("x", 3600))
	k, err := token.GenerateKey(now)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Truncate(time.Second).UTC(); !k.CreatedAt.Equal(want) || k.CreatedAt.Nanosecond() != 0 {
		t.Fatalf("CreatedAt = %v, want %v", k.CreatedAt, want)
	}
}
