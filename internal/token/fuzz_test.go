package token_test

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// FuzzVerify checks that no string but the one token signed here verifies,
// and that nothing makes Verify panic or fail with anything but
// Unauthenticated.
func FuzzVerify(f *testing.F) {
	fx := setup(f)
	valid := fx.sign(f)
	parts := strings.Split(valid, ".")
	f.Add(valid)
	f.Add("")
	f.Add(".")
	f.Add("..")
	f.Add("a.b.c")
	f.Add(parts[0] + "." + parts[1] + ".")
	f.Add(parts[0] + "." + parts[1])
	f.Add(valid + ".x")
	f.Add(forge(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, fx.iss.SigningKeyID(), fx.claims()))
	f.Add(forge(f, jwt.SigningMethodHS256, []byte(fx.signingKey(f).Public), fx.iss.SigningKeyID(), fx.claims()))
	f.Add("eyJhbGciOiJFZERTQSIsImtpZCI6IngifQ.e30.AAAA")

	f.Fuzz(func(t *testing.T, s string) {
		c, err := fx.iss.Verify(context.Background(), s)
		if s == valid {
			if err != nil {
				t.Fatalf("the valid token was rejected: %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("verified %q as %+v", s, c)
		}
		if !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("Verify(%q) = %v, want an unauthenticated error", s, err)
		}
	})
}
