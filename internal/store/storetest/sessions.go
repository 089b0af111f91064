package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func testSessions(t *testing.T, open Open) {
	scenario(t, open, "a new session reads back every field and its first refresh token, unused", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		s := &identity.Session{
			ID: identity.NewID(), UserID: u.ID, UserAgent: "Safari on iPhone",
			CreatedAt: now.In(colombo), LastUsedAt: now.Add(time.Minute), ExpiresAt: now.Add(30 * 24 * time.Hour).In(colombo),
			AuthTime: ptr(now.Add(-time.Microsecond).In(colombo)),
		}
		b.addSession(t, s, "first-refresh")
		got, err := b.store.SessionByID(b.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "SessionByID", got, s)
		rt, err := b.store.RefreshTokenByHash(b.ctx, "first-refresh")
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "RefreshTokenByHash", rt, &identity.RefreshToken{Hash: "first-refresh", SessionID: s.ID, CreatedAt: now})
	})
	scenario(t, open, "a session for an unknown user is invalid and stores no refresh token", func(t *testing.T, b bundle) {
		s := newSession(identity.NewID())
		wantCode(t, b.store.CreateSession(b.ctx, s, "orphan-refresh"), errs.Invalid)
		_, err := b.store.RefreshTokenByHash(b.ctx, "orphan-refresh")
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "a refresh hash already taken is a conflict and stores no session", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		first := b.addSession(t, newSession(u.ID), "taken-refresh")
		second := newSession(u.ID)
		wantCode(t, b.store.CreateSession(b.ctx, second, "taken-refresh"), errs.Conflict)
		_, err := b.store.SessionByID(b.ctx, second.ID)
		wantCode(t, err, errs.NotFound)
		if rt, err := b.store.RefreshTokenByHash(b.ctx, "taken-refresh"); err != nil || rt.SessionID != first.ID {
			t.Errorf("RefreshTokenByHash = %+v, %v; want the first session's", rt, err)
		}
	})
	scenario(t, open, "an unknown session or refresh token is not found, by name", func(t *testing.T, b bundle) {
		_, err := b.store.SessionByID(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "session not found")
		_, err = b.store.RefreshTokenByHash(b.ctx, "no-such-hash")
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "refresh token not found")
		_, err = b.store.AuthState(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "SessionsByUser lists the user's live sessions, most recently used first", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "tara@example.org"), b.addUser(t, "other@example.org")
		var want []string
		// Stored oldest-used first, so order by insertion would be wrong.
		for _, ago := range []time.Duration{3 * time.Hour, time.Hour, time.Microsecond} {
			s := newSession(u.ID)
			s.LastUsedAt = now.Add(-ago)
			b.addSession(t, s, s.ID)
			want = append([]string{s.ID}, want...)
		}
		revoked := newSession(u.ID)
		revoked.LastUsedAt, revoked.RevokedAt = now.Add(time.Hour), ptr(now)
		b.addSession(t, revoked, revoked.ID)
		b.addSession(t, newSession(other.ID), "other-refresh")

		list, err := b.store.SessionsByUser(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("SessionsByUser = %v, want %v", got, want)
		}
		if len(list) > 0 {
			first := newSession(u.ID)
			first.ID, first.LastUsedAt = want[0], now.Add(-time.Microsecond)
			wantSame(t, "listed session", list[0], first)
		}
		if list, err := b.store.SessionsByUser(b.ctx, identity.NewID()); err != nil || len(list) != 0 {
			t.Errorf("SessionsByUser(unknown) = %v, %v; want none", list, err)
		}
	})
	scenario(t, open, "revoking a session twice keeps the first time", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		s := b.addSession(t, newSession(u.ID), "refresh")
		kept := b.addSession(t, newSession(u.ID), "kept-refresh")
		first := now.Add(time.Minute).In(colombo)
		if err := b.store.RevokeSession(b.ctx, s.ID, first); err != nil {
			t.Fatal(err)
		}
		if err := b.store.RevokeSession(b.ctx, s.ID, now.Add(time.Hour)); err != nil {
			t.Fatalf("revoking again: %v", err)
		}
		got, err := b.store.SessionByID(b.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *s
		want.RevokedAt = &first
		wantSame(t, "revoked session", got, &want)
		if got, err = b.store.SessionByID(b.ctx, kept.ID); err != nil || got.RevokedAt != nil {
			t.Errorf("the other session = %+v, %v; want it live", got, err)
		}
		if list, err := b.store.SessionsByUser(b.ctx, u.ID); err != nil || len(list) != 1 || list[0].ID != kept.ID {
			t.Errorf("SessionsByUser = %v, %v; want only the live session", list, err)
		}
	})
	scenario(t, open, "revoking an unknown session is not found", func(t *testing.T, b bundle) {
		wantCode(t, b.store.RevokeSession(b.ctx, identity.NewID(), now), errs.NotFound)
	})
	scenario(t, open, "RevokeUserSessions revokes every live session but the one kept and returns their ids", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "tara@example.org"), b.addUser(t, "other@example.org")
		a := b.addSession(t, newSession(u.ID), "a")
		keep := b.addSession(t, newSession(u.ID), "keep")
		c := b.addSession(t, newSession(u.ID), "c")
		earlier := newSession(u.ID)
		earlier.RevokedAt = ptr(now.Add(-time.Hour))
		b.addSession(t, earlier, "earlier")
		others := b.addSession(t, newSession(other.ID), "others")

		at := now.Add(time.Minute)
		ids, err := b.store.RevokeUserSessions(b.ctx, u.ID, keep.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		want := []string{a.ID, c.ID}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("revoked %v, want %v", ids, want)
		}
		for _, c := range []struct {
			name    string
			id      string
			revoked *time.Time
		}{
			{"a revoked session", a.ID, &at},
			{"the kept session", keep.ID, nil},
			{"a session revoked before", earlier.ID, earlier.RevokedAt},
			{"another user's session", others.ID, nil},
		} {
			got, err := b.store.SessionByID(b.ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffValue(got.RevokedAt, c.revoked); d != "" {
				t.Errorf("%s: revoked_at: %s", c.name, d)
			}
		}
	})
	scenario(t, open, "RevokeUserSessions with no exception revokes them all", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		want := []string{b.addSession(t, newSession(u.ID), "a").ID, b.addSession(t, newSession(u.ID), "b").ID}
		ids, err := b.store.RevokeUserSessions(b.ctx, u.ID, "", now)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("revoked %v, want %v", ids, want)
		}
		if list, err := b.store.SessionsByUser(b.ctx, u.ID); err != nil || len(list) != 0 {
			t.Errorf("SessionsByUser = %v, %v; want none", list, err)
		}
		if ids, err := b.store.RevokeUserSessions(b.ctx, u.ID, "", now); err != nil || len(ids) != 0 {
			t.Errorf("revoking again = %v, %v; want none", ids, err)
		}
	})
	scenario(t, open, "AuthState reflects the role, a disabled user and a revoked session", func(t *testing.T, b bundle) {
		u := newUser("admin@example.org")
		u.Role = identity.RoleAdmin
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		s := newSession(u.ID)
		s.ExpiresAt = now.Add(time.Hour).In(colombo)
		b.addSession(t, s, "refresh")
		want := identity.AuthState{UserID: u.ID, Role: identity.RoleAdmin, SessionExpiresAt: s.ExpiresAt}
		check := func(when string) {
			t.Helper()
			got, err := b.store.AuthState(b.ctx, s.ID)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			wantSame(t, "AuthState "+when, got, &want)
		}
		check("of a live session")

		u.Role, u.DisabledAt = identity.RoleAuthor, ptr(now)
		if err := b.store.UpdateAccess(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		want.Role, want.UserDisabled = identity.RoleAuthor, true
		check("after disabling the user")

		if err := b.store.RevokeSession(b.ctx, s.ID, now); err != nil {
			t.Fatal(err)
		}
		want.SessionRevoked = true
		check("after revoking the session")
	})
	scenario(t, open, "PruneSessions deletes expired and idle sessions with their tokens, and expired email tokens", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		idleBefore := now.Add(-7 * 24 * time.Hour)
		mk := func(lastUsed, expires time.Time) *identity.Session {
			s := newSession(u.ID)
			s.CreatedAt, s.LastUsedAt, s.ExpiresAt = idleBefore.Add(-time.Hour), lastUsed, expires
			return b.addSession(t, s, s.ID)
		}
		live := now.Add(time.Hour)
		gone := []*identity.Session{
			mk(now, now.Add(-48*time.Hour)),             // long expired
			mk(now, now.Add(-time.Microsecond)),         // just expired
			mk(idleBefore.Add(-time.Microsecond), live), // just idle too long
		}
		kept := []*identity.Session{
			mk(now, live),
			mk(now, now),         // expires exactly now: not yet past
			mk(idleBefore, live), // last used exactly at the idle limit
		}
		revoked := mk(now, live)
		if err := b.store.RevokeSession(b.ctx, revoked.ID, now); err != nil {
			t.Fatal(err)
		}
		revoked.RevokedAt = ptr(now)
		kept = append(kept, revoked)
		// A rotated token goes with its session too.
		if err := b.store.RotateRefreshToken(b.ctx, identity.Rotation{
			OldHash: gone[0].ID, NewHash: gone[0].ID + "-next", SessionID: gone[0].ID, At: now.Add(-49 * time.Hour),
		}); err != nil {
			t.Fatal(err)
		}
		emailToken := func(hash string, expires time.Time) {
			if err := b.store.CreateEmailToken(b.ctx, &identity.EmailToken{
				Hash: hash, Purpose: identity.PurposeResetPassword, UserID: u.ID, Email: u.Email,
				CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: expires,
			}); err != nil {
				t.Fatal(err)
			}
		}
		emailToken("expired", now.Add(-time.Microsecond))
		emailToken("expires-now", now)
		emailToken("live", now.Add(time.Hour))

		n, err := b.store.PruneSessions(b.ctx, now.In(colombo), idleBefore.In(colombo))
		if err != nil || n != int64(len(gone)) {
			t.Fatalf("PruneSessions = %d, %v; want %d", n, err, len(gone))
		}
		for _, s := range gone {
			_, err := b.store.SessionByID(b.ctx, s.ID)
			wantCode(t, err, errs.NotFound)
			_, err = b.store.RefreshTokenByHash(b.ctx, s.ID)
			wantCode(t, err, errs.NotFound)
		}
		_, err = b.store.RefreshTokenByHash(b.ctx, gone[0].ID+"-next")
		wantCode(t, err, errs.NotFound)
		for _, s := range kept {
			got, err := b.store.SessionByID(b.ctx, s.ID)
			if err != nil {
				t.Fatalf("a session that should stay was pruned: %v", err)
			}
			wantSame(t, "kept session", got, s)
			if _, err := b.store.RefreshTokenByHash(b.ctx, s.ID); err != nil {
				t.Errorf("a kept session lost its refresh token: %v", err)
			}
		}
		for hash, want := range map[string]int{"expired": 0, "expires-now": 1, "live": 1} {
			if got := b.count(t, "email_tokens", "token_hash", hash); got != want {
				t.Errorf("email token %q: %d left, want %d", hash, got, want)
			}
		}

		if n, err := b.store.PruneSessions(b.ctx, now, idleBefore); err != nil || n != 0 {
			t.Errorf("pruning again = %d, %v; want 0", n, err)
		}
	})
}
