package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func testRefreshTokens(t *testing.T, open Open) {
	// start stores a user and a session whose first refresh token is "old".
	start := func(t *testing.T, b bundle) *identity.Session {
		t.Helper()
		return b.addSession(t, newSession(b.addUser(t, "tara@example.org").ID), "old")
	}
	refreshToken := func(t *testing.T, b bundle, hash string) *identity.RefreshToken {
		t.Helper()
		rt, err := b.store.RefreshTokenByHash(b.ctx, hash)
		if err != nil {
			t.Fatalf("RefreshTokenByHash(%s): %v", hash, err)
		}
		return rt
	}
	lastUsed := func(t *testing.T, b bundle, s *identity.Session) time.Time {
		t.Helper()
		got, err := b.store.SessionByID(b.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastUsedAt
	}

	scenario(t, open, "rotating marks the old token used, stores the new one and touches the session", func(t *testing.T, b bundle) {
		s := start(t, b)
		at := now.Add(time.Minute).In(colombo)
		if err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "old", NewHash: "new", SessionID: s.ID, At: at}); err != nil {
			t.Fatal(err)
		}
		wantSame(t, "old token", refreshToken(t, b, "old"), &identity.RefreshToken{Hash: "old", SessionID: s.ID, CreatedAt: now, UsedAt: &at})
		wantSame(t, "new token", refreshToken(t, b, "new"), &identity.RefreshToken{Hash: "new", SessionID: s.ID, CreatedAt: at})
		if d := diffTime(lastUsed(t, b, s), at); d != "" {
			t.Errorf("last_used_at: %s", d)
		}
	})
	scenario(t, open, "rotating a used token is a conflict and stores nothing", func(t *testing.T, b bundle) {
		s := start(t, b)
		first := now.Add(time.Minute)
		if err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "old", NewHash: "new", SessionID: s.ID, At: first}); err != nil {
			t.Fatal(err)
		}
		err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "old", NewHash: "stolen", SessionID: s.ID, At: now.Add(time.Hour)})
		wantCode(t, err, errs.Conflict)
		_, err = b.store.RefreshTokenByHash(b.ctx, "stolen")
		wantCode(t, err, errs.NotFound)
		if d := diffValue(refreshToken(t, b, "old").UsedAt, &first); d != "" {
			t.Errorf("old token used_at: %s", d)
		}
		if d := diffTime(lastUsed(t, b, s), first); d != "" {
			t.Errorf("last_used_at: %s", d)
		}
	})
	scenario(t, open, "a used token is accepted again when used at or after ReusedSince, keeping its first use", func(t *testing.T, b bundle) {
		s := start(t, b)
		used := now.Add(time.Minute)
		if err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "old", NewHash: "new", SessionID: s.ID, At: used}); err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			since time.Time
			ok    bool
		}{
			{used.Add(-10 * time.Second), true},
			{used, true},
			{used.Add(time.Microsecond), false},
		} {
			hash := fmt.Sprintf("retry-%d", i)
			at := used.Add(time.Duration(i+1) * time.Second)
			err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{
				OldHash: "old", NewHash: hash, SessionID: s.ID, At: at, ReusedSince: ptr(c.since.In(colombo)),
			})
			_, found := b.store.RefreshTokenByHash(b.ctx, hash)
			switch {
			case c.ok && (err != nil || found != nil):
				t.Errorf("ReusedSince %v before the use: error = %v, new token: %v; want both nil", used.Sub(c.since), err, found)
			case !c.ok && (errs.CodeOf(err) != errs.Conflict || errs.CodeOf(found) != errs.NotFound):
				t.Errorf("ReusedSince after the use: error = %v, new token: %v; want conflict, not found", err, found)
			}
		}
		if d := diffValue(refreshToken(t, b, "old").UsedAt, &used); d != "" {
			t.Errorf("old token used_at: %s", d)
		}
	})
	scenario(t, open, "ReusedSince accepts an unused token and marks it used", func(t *testing.T, b bundle) {
		s := start(t, b)
		at := now.Add(time.Minute)
		if err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{
			OldHash: "old", NewHash: "new", SessionID: s.ID, At: at, ReusedSince: ptr(now),
		}); err != nil {
			t.Fatal(err)
		}
		if d := diffValue(refreshToken(t, b, "old").UsedAt, &at); d != "" {
			t.Errorf("old token used_at: %s", d)
		}
	})
	scenario(t, open, "rotating an unknown token or another session's is a conflict", func(t *testing.T, b bundle) {
		s := start(t, b)
		other := b.addSession(t, newSession(s.UserID), "others")
		err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "unknown", NewHash: "new1", SessionID: s.ID, At: now})
		wantCode(t, err, errs.Conflict)
		err = b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "others", NewHash: "new2", SessionID: s.ID, At: now})
		wantCode(t, err, errs.Conflict)
		if rt := refreshToken(t, b, "others"); rt.UsedAt != nil || rt.SessionID != other.ID {
			t.Errorf("the other session's token = %+v; want it unused and its own", rt)
		}
	})
	scenario(t, open, "a new hash already taken is a conflict and leaves the old token unused", func(t *testing.T, b bundle) {
		s := start(t, b)
		b.addSession(t, newSession(s.UserID), "taken")
		err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{OldHash: "old", NewHash: "taken", SessionID: s.ID, At: now.Add(time.Minute)})
		wantCode(t, err, errs.Conflict)
		if rt := refreshToken(t, b, "old"); rt.UsedAt != nil {
			t.Errorf("old token used at %v after a failed rotation", *rt.UsedAt)
		}
		if d := diffTime(lastUsed(t, b, s), now); d != "" {
			t.Errorf("last_used_at: %s", d)
		}
	})
	scenario(t, open, "of concurrent rotations of one token exactly one succeeds", func(t *testing.T, b bundle) {
		s := start(t, b)
		const rounds, racers = 5, 6
		old := "old"
		for round := range rounds {
			var (
				wg    sync.WaitGroup
				ready = make(chan struct{})
				errc  = make(chan error, racers)
			)
			for i := range racers {
				wg.Go(func() {
					<-ready
					errc <- b.store.RotateRefreshToken(b.ctx, identity.Rotation{
						OldHash: old, NewHash: fmt.Sprintf("r%d-%d", round, i), SessionID: s.ID,
						At: now.Add(time.Duration(round*racers+i) * time.Second),
					})
				})
			}
			close(ready)
			wg.Wait()
			close(errc)
			ok := 0
			for err := range errc {
				switch errs.CodeOf(err) {
				case errs.Conflict:
				default:
					if err != nil {
						t.Fatalf("round %d: unexpected error %v", round, err)
					}
					ok++
				}
			}
			var stored []string
			for i := range racers {
				if _, err := b.store.RefreshTokenByHash(b.ctx, fmt.Sprintf("r%d-%d", round, i)); err == nil {
					stored = append(stored, fmt.Sprintf("r%d-%d", round, i))
				}
			}
			if ok != 1 || len(stored) != 1 {
				t.Fatalf("round %d: %d rotations succeeded and %v stored; want exactly one", round, ok, stored)
			}
			old = stored[0]
		}
	})
}

func testEmailTokens(t *testing.T, open Open) {
	newToken := func(hash string, p identity.Purpose, u *identity.User) *identity.EmailToken {
		tok := &identity.EmailToken{
			Hash: hash, Purpose: p, Email: "setup@example.org",
			CreatedAt: now.In(colombo), ExpiresAt: now.Add(time.Hour).In(colombo),
		}
		if u != nil {
			tok.UserID, tok.Email = u.ID, u.Email
		}
		return tok
	}
	add := func(t *testing.T, b bundle, tok *identity.EmailToken) {
		t.Helper()
		if err := b.store.CreateEmailToken(b.ctx, tok); err != nil {
			t.Fatal(err)
		}
	}

	scenario(t, open, "a token is used once and comes back as stored", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		tok := newToken("verify", identity.PurposeVerifyEmail, u)
		add(t, b, tok)
		at := now.Add(time.Minute).In(colombo)
		got, err := b.store.UseEmailToken(b.ctx, "verify", identity.PurposeVerifyEmail, at)
		if err != nil {
			t.Fatal(err)
		}
		want := *tok
		want.UsedAt = &at
		wantSame(t, "used token", got, &want)
		_, err = b.store.UseEmailToken(b.ctx, "verify", identity.PurposeVerifyEmail, at.Add(time.Second))
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "token not found")
	})
	scenario(t, open, "a token can be looked at without using it, until it is used or expires", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		tok := newToken("reset", identity.PurposeResetPassword, u)
		add(t, b, tok)
		for range 2 {
			got, err := b.store.EmailToken(b.ctx, "reset", identity.PurposeResetPassword, now)
			if err != nil {
				t.Fatal(err)
			}
			wantSame(t, "token", got, tok)
		}
		_, err := b.store.EmailToken(b.ctx, "reset", identity.PurposeVerifyEmail, now)
		wantCode(t, err, errs.NotFound)
		_, err = b.store.EmailToken(b.ctx, "reset", identity.PurposeResetPassword, tok.ExpiresAt)
		wantCode(t, err, errs.NotFound)
		if _, err := b.store.UseEmailToken(b.ctx, "reset", identity.PurposeResetPassword, now); err != nil {
			t.Fatal(err)
		}
		_, err = b.store.EmailToken(b.ctx, "reset", identity.PurposeResetPassword, now)
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "a token of another purpose is not found and stays usable for its own", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		add(t, b, newToken("verify", identity.PurposeVerifyEmail, u))
		_, err := b.store.UseEmailToken(b.ctx, "verify", identity.PurposeResetPassword, now)
		wantCode(t, err, errs.NotFound)
		if _, err := b.store.UseEmailToken(b.ctx, "verify", identity.PurposeVerifyEmail, now); err != nil {
			t.Errorf("using it for its purpose afterwards: %v", err)
		}
	})
	scenario(t, open, "a token is not found from the moment it expires", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		tok := newToken("reset", identity.PurposeResetPassword, u)
		add(t, b, tok)
		for _, at := range []time.Time{tok.ExpiresAt.Add(time.Hour), tok.ExpiresAt} {
			_, err := b.store.UseEmailToken(b.ctx, "reset", identity.PurposeResetPassword, at)
			wantCode(t, err, errs.NotFound)
		}
		if _, err := b.store.UseEmailToken(b.ctx, "reset", identity.PurposeResetPassword, tok.ExpiresAt.Add(-time.Microsecond)); err != nil {
			t.Errorf("just before it expires: %v", err)
		}
	})
	scenario(t, open, "an unknown token is not found", func(t *testing.T, b bundle) {
		_, err := b.store.UseEmailToken(b.ctx, "unknown", identity.PurposeVerifyEmail, now)
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "a setup token needs no user", func(t *testing.T, b bundle) {
		tok := newToken("setup", identity.PurposeSetupAdmin, nil)
		add(t, b, tok)
		got, err := b.store.UseEmailToken(b.ctx, "setup", identity.PurposeSetupAdmin, now)
		if err != nil {
			t.Fatal(err)
		}
		want := *tok
		want.UsedAt = &now
		wantSame(t, "setup token", got, &want)
	})
	scenario(t, open, "a token for an unknown user or of an unknown purpose is invalid", func(t *testing.T, b bundle) {
		wantCode(t, b.store.CreateEmailToken(b.ctx, newToken("orphan", identity.PurposeVerifyEmail, newUser("ghost@example.org"))), errs.Invalid)
		wantCode(t, b.store.CreateEmailToken(b.ctx, newToken("odd", "unsubscribe", nil)), errs.Invalid)
	})
	scenario(t, open, "a second token with the same hash is a conflict", func(t *testing.T, b bundle) {
		add(t, b, newToken("setup", identity.PurposeSetupAdmin, nil))
		wantCode(t, b.store.CreateEmailToken(b.ctx, newToken("setup", identity.PurposeSetupAdmin, nil)), errs.Conflict)
	})
	scenario(t, open, "of concurrent uses of one token exactly one succeeds", func(t *testing.T, b bundle) {
		add(t, b, newToken("setup", identity.PurposeSetupAdmin, nil))
		const racers = 6
		var (
			wg    sync.WaitGroup
			ready = make(chan struct{})
			errc  = make(chan error, racers)
		)
		for i := range racers {
			wg.Go(func() {
				<-ready
				_, err := b.store.UseEmailToken(b.ctx, "setup", identity.PurposeSetupAdmin, now.Add(time.Duration(i)*time.Second))
				errc <- err
			})
		}
		close(ready)
		wg.Wait()
		close(errc)
		ok := 0
		for err := range errc {
			switch {
			case err == nil:
				ok++
			case errs.CodeOf(err) != errs.NotFound:
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d uses succeeded, want 1", ok)
		}
	})
}
