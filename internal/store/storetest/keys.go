package storetest

import (
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

func testSigningKeys(t *testing.T, open Open) {
	// newKey generates a key created at created.
	newKey := func(t *testing.T, created time.Time) token.Key {
		t.Helper()
		k, err := token.GenerateKey(created)
		if err != nil {
			t.Fatal(err)
		}
		k.CreatedAt = created
		return k
	}
	add := func(t *testing.T, b bundle, keys ...token.Key) {
		t.Helper()
		for _, k := range keys {
			if err := b.store.AddSigningKey(b.ctx, k); err != nil {
				t.Fatalf("AddSigningKey: %v", err)
			}
		}
	}
	// wantKeys checks that the store holds exactly want, in that order.
	wantKeys := func(t *testing.T, b bundle, want ...token.Key) {
		t.Helper()
		got, err := b.store.SigningKeys(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("SigningKeys returned %d keys, want %d", len(got), len(want))
		}
		for i := range want {
			wantSame(t, "key "+want[i].ID, got[i], want[i])
		}
	}

	scenario(t, open, "an empty store has no keys", func(t *testing.T, b bundle) {
		wantKeys(t, b)
	})
	scenario(t, open, "keys come back newest first, byte for byte", func(t *testing.T, b bundle) {
		oldest, middle, newest := newKey(t, now.Add(-2*time.Hour)), newKey(t, now.Add(-time.Hour).In(colombo)), newKey(t, now)
		middle.RetiredAt = ptr(now.Add(-time.Minute).In(colombo))
		add(t, b, middle, newest, oldest)
		wantKeys(t, b, newest, middle, oldest)
	})
	scenario(t, open, "keys created at the same time come back in descending id order", func(t *testing.T, b bundle) {
		x, y := newKey(t, now), newKey(t, now)
		if x.ID < y.ID {
			x, y = y, x
		}
		add(t, b, y, x)
		wantKeys(t, b, x, y)
	})
	scenario(t, open, "a verify-only key comes back without a private key", func(t *testing.T, b bundle) {
		k := newKey(t, now)
		k.Private = nil
		add(t, b, k)
		wantKeys(t, b, k)
	})
	scenario(t, open, "a second key with the same id is a conflict", func(t *testing.T, b bundle) {
		k := newKey(t, now)
		add(t, b, k)
		again := k
		again.CreatedAt = now.Add(time.Hour)
		wantCode(t, b.store.AddSigningKey(b.ctx, again), errs.Conflict)
		wantKeys(t, b, k)
	})
	scenario(t, open, "retiring a key twice keeps the first time", func(t *testing.T, b bundle) {
		k, other := newKey(t, now), newKey(t, now.Add(-time.Hour))
		add(t, b, k, other)
		first := now.Add(time.Minute).In(colombo)
		if err := b.store.RetireSigningKey(b.ctx, k.ID, first); err != nil {
			t.Fatal(err)
		}
		if err := b.store.RetireSigningKey(b.ctx, k.ID, now.Add(time.Hour)); err != nil {
			t.Fatalf("retiring again: %v", err)
		}
		k.RetiredAt = &first
		wantKeys(t, b, k, other)
	})
	scenario(t, open, "retiring an unknown key is not found", func(t *testing.T, b bundle) {
		wantCode(t, b.store.RetireSigningKey(b.ctx, "no-such-key", now), errs.NotFound)
	})
	scenario(t, open, "deleting a key removes it and no other", func(t *testing.T, b bundle) {
		gone, kept := newKey(t, now), newKey(t, now.Add(-time.Hour))
		add(t, b, gone, kept)
		if err := b.store.DeleteSigningKey(b.ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		wantKeys(t, b, kept)
		add(t, b, gone)
		wantKeys(t, b, gone, kept)
	})
}
