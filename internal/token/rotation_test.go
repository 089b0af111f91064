package token_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dharmaplans/dharmaplans/internal/token"
)

func TestRetiredKeyVerifiesForOneTTLAfterRetirement(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	first := f.signingKey(t)
	oldToken := f.sign(t)
	// A token the old key signed with a far exp: only the key's retirement
	// can end it.
	longToken := forge(t, jwt.SigningMethodEdDSA, first.Private, first.ID,
		with(f.claims(), "exp", f.clock.Now().Add(2*time.Hour).Unix()))
	if _, err := f.iss.Verify(ctx, longToken); err != nil { // and cache it
		t.Fatal(err)
	}

	f.clock.Advance(time.Minute)
	retiredAt := f.clock.Now()
	second, err := f.iss.Rotate(ctx)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if got := f.iss.SigningKeyID(); got != second.ID {
		t.Fatalf("after Rotate the signing kid is %s, want the new %s", got, second.ID)
	}
	if kid := decodeSegment(t, f.sign(t), 0)["kid"]; kid != second.ID {
		t.Fatalf("new token's kid = %v, want %s", kid, second.ID)
	}

	steps := []struct {
		name        string
		at          time.Time
		oldVerifies bool   // longToken
		signedWant  string // oldToken, signed before the rotation; empty: verifies
		jwks        []string
	}{
		{"right after rotation", retiredAt, true, "", []string{second.ID, first.ID}},
		{"just before the grace ends", retiredAt.Add(ttl + leeway - time.Second), true, "access token expired", []string{second.ID, first.ID}},
		{"once the grace has ended", retiredAt.Add(ttl + leeway), false, "access token is not valid", []string{second.ID}},
	}
	for _, s := range steps {
		f.clock.Advance(s.at.Sub(f.clock.Now()))
		_, err := f.iss.Verify(ctx, longToken)
		if s.oldVerifies && err != nil {
			t.Fatalf("%s: a token of the retired key was rejected: %v", s.name, err)
		}
		if !s.oldVerifies {
			wantRejected(t, err, "access token is not valid")
		}
		_, err = f.iss.Verify(ctx, oldToken)
		if s.signedWant == "" && err != nil {
			t.Fatalf("%s: a token signed before the rotation was rejected: %v", s.name, err)
		}
		if s.signedWant != "" {
			wantRejected(t, err, s.signedWant)
		}
		if got := jwksIDs(t, f.iss.JWKS()); strings.Join(got, ",") != strings.Join(s.jwks, ",") {
			t.Fatalf("%s: JWKS kids = %v, want %v", s.name, got, s.jwks)
		}
	}

	third, err := f.iss.Rotate(ctx)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if got, want := strings.Join(f.store.IDs(), ","), strings.Join(slices.Sorted(slices.Values([]string{second.ID, third.ID})), ","); got != want {
		t.Fatalf("stored keys after the second rotation = %s, want %s (the first deleted)", got, want)
	}
}

func TestRotatingTwiceWithinASecondSignsWithTheNewestKey(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	for range 3 {
		k, err := f.iss.Rotate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if f.iss.SigningKeyID() != k.ID {
			t.Fatalf("signing with %s, want the key just made, %s", f.iss.SigningKeyID(), k.ID)
		}
	}
}

func TestReplicasStartingTogetherSignWithOneKey(t *testing.T) {
	t.Run("each finding no key and making one", func(t *testing.T) {
		shared, clk := newMemStore(), newClock()
		firstRead, inserted := newRendezvous(2), newRendezvous(2)
		replicas := startReplicas(t, 2, clk, func(int) token.KeyStore {
			return &lockstepStore{memStore: shared, firstRead: firstRead, inserted: inserted}
		})
		assertOneKey(t, replicas)
		if n := len(shared.IDs()); n != 2 {
			t.Fatalf("store holds %d keys, want 2 (one retired)", n)
		}
		if got := jwksIDs(t, replicas[0].JWKS()); len(got) != 2 {
			t.Fatalf("JWKS kids = %v, want both: the loser's stays listed for its grace", got)
		}
	})
	t.Run("racing freely, then refreshing", func(t *testing.T) {
		shared, clk := newMemStore(), newClock()
		replicas := startReplicas(t, 4, clk, func(int) token.KeyStore { return shared })
		for _, r := range replicas {
			if err := r.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		assertOneKey(t, replicas)
	})
}

// startReplicas starts n Issuers at once, each on the store store(n) gives.
func startReplicas(t *testing.T, n int, clk *clock, store func(int) token.KeyStore) []*token.Issuer {
	t.Helper()
	replicas := make([]*token.Issuer, n)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for r := range n {
		wg.Go(func() {
			iss, err := token.NewIssuer(context.Background(), token.Options{
				Issuer: testIssuer, Audience: testAudience, Now: clk.Now, KeyStore: store(r), Logger: quiet,
			})
			replicas[r] = iss
			errc <- err
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("NewIssuer: %v", err)
		}
	}
	return replicas
}

// assertOneKey checks that all replicas sign with the same kid and verify
// one another's tokens.
func assertOneKey(t *testing.T, replicas []*token.Issuer) {
	t.Helper()
	kid := replicas[0].SigningKeyID()
	for n, r := range replicas {
		if r.SigningKeyID() != kid {
			t.Fatalf("replica %d signs with %s, replica 0 with %s", n, r.SigningKeyID(), kid)
		}
		tok, _, err := r.Sign(token.Claims{UserID: "user-1"})
		if err != nil {
			t.Fatal(err)
		}
		for m, other := range replicas {
			if _, err := other.Verify(context.Background(), tok); err != nil {
				t.Fatalf("replica %d rejects a token of replica %d: %v", m, n, err)
			}
		}
	}
}

func TestKeyRotatedOnAnotherReplicaVerifiesHere(t *testing.T) {
	ctx := context.Background()
	a := setup(t)
	b, err := token.NewIssuer(ctx, token.Options{Issuer: testIssuer, Audience: testAudience, Now: a.clock.Now, KeyStore: a.store, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.iss.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Verify(ctx, a.sign(t)); err != nil {
		t.Fatalf("a token signed with the key rotated on the other replica: %v", err)
	}
	if b.SigningKeyID() != a.iss.SigningKeyID() {
		t.Fatalf("after reloading, replica b signs with %s, want the rotated %s", b.SigningKeyID(), a.iss.SigningKeyID())
	}
}

func TestUnknownKidReloadsKeysAtMostEvery10Seconds(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	stranger, err := token.GenerateKey(f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	loads := func() int { return f.store.Calls()["SigningKeys"] }
	steps := []struct {
		name      string
		after     time.Duration
		tries     int
		wantLoads int // more than before the step
	}{
		{"the first unknown kid reloads", 0, 5, 1},
		{"9 seconds later, none does", 9 * time.Second, 5, 0},
		{"10 seconds after the reload, one does again", time.Second, 5, 1},
	}
	for _, s := range steps {
		f.clock.Advance(s.after)
		before := loads()
		for range s.tries {
			tok := forge(t, jwt.SigningMethodEdDSA, stranger.Private, stranger.ID, f.claims())
			_, err := f.iss.Verify(ctx, tok)
			wantRejected(t, err, "access token is not valid")
		}
		if got := loads() - before; got != s.wantLoads {
			t.Fatalf("%s: %d reloads, want %d", s.name, got, s.wantLoads)
		}
	}
}
