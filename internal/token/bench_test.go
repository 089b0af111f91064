package token_test

import (
	"context"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/token"
)

// BenchmarkVerifyCached is the common case: a client sends the same access
// token with every request for its 15 minutes.
func BenchmarkVerifyCached(b *testing.B) {
	f := setup(b)
	tok := f.sign(b)
	ctx := context.Background()
	if _, err := f.iss.Verify(ctx, tok); err != nil { // the first one pays in full
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.iss.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCachedParallel is BenchmarkVerifyCached with requests on
// every core at once.
func BenchmarkVerifyCachedParallel(b *testing.B) {
	f := setup(b)
	tok := f.sign(b)
	ctx := context.Background()
	if _, err := f.iss.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.iss.Verify(ctx, tok); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyUncached is the first request with a token: parsing and
// the Ed25519 signature check.
func BenchmarkVerifyUncached(b *testing.B) {
	f := setup(b, func(o *token.Options) { o.CacheSize = -1 })
	tok := f.sign(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.iss.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	f := setup(b)
	c := token.Claims{UserID: "user-1", SessionID: "session-1", Role: "user"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := f.iss.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}
