package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func testUsers(t *testing.T, open Open) {
	scenario(t, open, "a stored user reads back every field by id and by email, in UTC", func(t *testing.T, b bundle) {
		u := &identity.User{
			ID: identity.NewID(), Email: "tara@example.org", PasswordHash: "$argon2id$v=19$fake",
			DisplayName: "Tārā", Role: identity.RoleAuthor, Timezone: "Asia/Colombo", Locale: "si-LK",
			DayStartHour: 4, Theme: "dark",
			EmailVerifiedAt: ptr(now.Add(-time.Hour).In(colombo)),
			DisabledAt:      ptr(now.Add(time.Hour)),
			FailedLogins:    3,
			LockedUntil:     ptr(now.Add(15*time.Minute + time.Microsecond).In(colombo)),
			CreatedAt:       now.Add(-48 * time.Hour).In(colombo),
			UpdatedAt:       now,
		}
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		byID, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "UserByID", byID, u)
		byEmail, err := b.store.UserByEmail(b.ctx, u.Email)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "UserByEmail", byEmail, u)
	})
	scenario(t, open, "a user without a password or optional times reads them back empty", func(t *testing.T, b bundle) {
		u := newUser("no-password@example.org")
		u.PasswordHash = ""
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "UserByID", got, u)
	})
	scenario(t, open, "a second account with the same email is a conflict", func(t *testing.T, b bundle) {
		b.addUser(t, "tara@example.org")
		wantCode(t, b.store.CreateUser(b.ctx, newUser("tara@example.org")), errs.Conflict)
		if err := b.store.CreateUser(b.ctx, newUser("other@example.org")); err != nil {
			t.Errorf("another email after the conflict: %v", err)
		}
	})
	scenario(t, open, "an unknown id or email is not found, by name", func(t *testing.T, b bundle) {
		b.addUser(t, "tara@example.org")
		_, err := b.store.UserByID(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "user not found")
		_, err = b.store.UserByEmail(b.ctx, "nobody@example.org")
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "a value outside the schema's checks is invalid", func(t *testing.T, b bundle) {
		stored := b.addUser(t, "stored@example.org")
		for i, c := range []struct {
			name   string
			change func(u *identity.User)
		}{
			{"day starts at hour 24", func(u *identity.User) { u.DayStartHour = 24 }},
			{"day starts at hour -1", func(u *identity.User) { u.DayStartHour = -1 }},
			{"theme neon", func(u *identity.User) { u.Theme = "neon" }},
			{"role owner", func(u *identity.User) { u.Role = "owner" }},
		} {
			u := newUser(fmt.Sprintf("check%d@example.org", i))
			c.change(u)
			if err := b.store.CreateUser(b.ctx, u); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("CreateUser with %s: error = %v, want invalid", c.name, err)
			}
			v := *stored
			c.change(&v)
			update := b.store.UpdateProfile
			if v.Role != stored.Role {
				update = b.store.UpdateAccess
			}
			if err := update(b.ctx, &v); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("update to %s: error = %v, want invalid", c.name, err)
			}
		}
		got, err := b.store.UserByID(b.ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "user after rejected updates", got, stored)
	})
	scenario(t, open, "UpdateProfile saves the profile and nothing else", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		changed := *u
		changed.DisplayName, changed.Timezone, changed.Locale = "Tārā Devi", "Europe/Berlin", "de"
		changed.DayStartHour, changed.Theme, changed.UpdatedAt = 23, "light", now.Add(time.Minute).In(colombo)
		// Not profile fields: these must stay as stored.
		changed.Email, changed.Role, changed.PasswordHash = "changed@example.org", identity.RoleAdmin, "changed"
		changed.FailedLogins, changed.DisabledAt = 9, ptr(now)
		if err := b.store.UpdateProfile(b.ctx, &changed); err != nil {
			t.Fatal(err)
		}
		want := *u
		want.DisplayName, want.Timezone, want.Locale = changed.DisplayName, changed.Timezone, changed.Locale
		want.DayStartHour, want.Theme, want.UpdatedAt = changed.DayStartHour, changed.Theme, changed.UpdatedAt
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after UpdateProfile", got, &want)
	})
	scenario(t, open, "UpdateAccess saves the role and disabled state and nothing else", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		changed := *u
		changed.Role, changed.DisabledAt, changed.UpdatedAt = identity.RoleAdmin, ptr(now.Add(time.Minute)), now.Add(time.Minute)
		changed.DisplayName, changed.Theme = "Changed", "dark"
		if err := b.store.UpdateAccess(b.ctx, &changed); err != nil {
			t.Fatal(err)
		}
		want := *u
		want.Role, want.DisabledAt, want.UpdatedAt = changed.Role, changed.DisabledAt, changed.UpdatedAt
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after disabling", got, &want)

		changed.DisabledAt, changed.UpdatedAt = nil, now.Add(2*time.Minute)
		if err := b.store.UpdateAccess(b.ctx, &changed); err != nil {
			t.Fatal(err)
		}
		want.DisabledAt, want.UpdatedAt = nil, changed.UpdatedAt
		got, err = b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after enabling again", got, &want)
	})
	scenario(t, open, "SetPassword stores the hash and clears failed logins and the lock", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		for range 3 {
			if _, err := b.store.RecordFailedLogin(b.ctx, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.store.SetLockedUntil(b.ctx, u.ID, ptr(now.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		at := now.Add(time.Minute).In(colombo)
		if err := b.store.SetPassword(b.ctx, u.ID, "$argon2id$new", at); err != nil {
			t.Fatal(err)
		}
		want := *u
		want.PasswordHash, want.UpdatedAt = "$argon2id$new", at
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after SetPassword", got, &want)
	})
	scenario(t, open, "SetEmailVerified records when", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		at := now.Add(time.Minute).In(colombo)
		if err := b.store.SetEmailVerified(b.ctx, u.ID, at); err != nil {
			t.Fatal(err)
		}
		want := *u
		want.EmailVerifiedAt, want.UpdatedAt = &at, at
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "after SetEmailVerified", got, &want)
	})
	scenario(t, open, "failed logins count up, lock, and clear", func(t *testing.T, b bundle) {
		u := b.addUser(t, "tara@example.org")
		other := b.addUser(t, "other@example.org")
		for want := 1; want <= 3; want++ {
			n, err := b.store.RecordFailedLogin(b.ctx, u.ID)
			if err != nil || n != want {
				t.Fatalf("RecordFailedLogin = %d, %v; want %d", n, err, want)
			}
		}
		until := now.Add(15 * time.Minute).In(colombo)
		if err := b.store.SetLockedUntil(b.ctx, u.ID, &until); err != nil {
			t.Fatal(err)
		}
		want := *u
		want.FailedLogins, want.LockedUntil = 3, &until
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "locked", got, &want)

		if err := b.store.SetLockedUntil(b.ctx, u.ID, nil); err != nil {
			t.Fatal(err)
		}
		want.LockedUntil = nil
		if got, err = b.store.UserByID(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		wantSame(t, "unlocked", got, &want)

		if err := b.store.SetLockedUntil(b.ctx, u.ID, &until); err != nil {
			t.Fatal(err)
		}
		if err := b.store.ClearFailedLogins(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		want.FailedLogins, want.LockedUntil = 0, nil
		if got, err = b.store.UserByID(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		wantSame(t, "cleared", got, &want)
		if n, err := b.store.RecordFailedLogin(b.ctx, u.ID); err != nil || n != 1 {
			t.Errorf("RecordFailedLogin after clearing = %d, %v; want 1", n, err)
		}

		if got, err = b.store.UserByID(b.ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		wantSame(t, "another user", got, other)
	})
	scenario(t, open, "changing an unknown user is not found", func(t *testing.T, b bundle) {
		b.addUser(t, "tara@example.org")
		ghost := newUser("ghost@example.org")
		for name, err := range map[string]error{
			"UpdateProfile":     b.store.UpdateProfile(b.ctx, ghost),
			"UpdateAccess":      b.store.UpdateAccess(b.ctx, ghost),
			"SetPassword":       b.store.SetPassword(b.ctx, ghost.ID, "x", now),
			"SetEmailVerified":  b.store.SetEmailVerified(b.ctx, ghost.ID, now),
			"SetLockedUntil":    b.store.SetLockedUntil(b.ctx, ghost.ID, &now),
			"ClearFailedLogins": b.store.ClearFailedLogins(b.ctx, ghost.ID),
			"DeleteUser":        b.store.DeleteUser(b.ctx, ghost.ID),
		} {
			if errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: error = %v, want not found", name, err)
			}
		}
		if n, err := b.store.RecordFailedLogin(b.ctx, ghost.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("RecordFailedLogin = %d, %v; want not found", n, err)
		}
	})
	scenario(t, open, "CountUsers counts accounts", func(t *testing.T, b bundle) {
		for i := range 4 {
			if n, err := b.store.CountUsers(b.ctx); err != nil || n != i {
				t.Fatalf("CountUsers = %d, %v; want %d", n, err, i)
			}
			b.addUser(t, fmt.Sprintf("user%d@example.org", i))
		}
	})
	scenario(t, open, "DeleteUser erases the user with their sessions, refresh tokens and email tokens", func(t *testing.T, b bundle) {
		gone, kept := b.addUser(t, "gone@example.org"), b.addUser(t, "kept@example.org")
		goneSession := b.addSession(t, newSession(gone.ID), "gone-refresh")
		keptSession := b.addSession(t, newSession(kept.ID), "kept-refresh")
		for _, u := range []*identity.User{gone, kept} {
			if err := b.store.CreateEmailToken(b.ctx, &identity.EmailToken{
				Hash: u.ID + "-verify", Purpose: identity.PurposeVerifyEmail, UserID: u.ID, Email: u.Email,
				CreatedAt: now, ExpiresAt: now.Add(time.Hour),
			}); err != nil {
				t.Fatal(err)
			}
		}

		if err := b.store.DeleteUser(b.ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		_, err := b.store.UserByID(b.ctx, gone.ID)
		wantCode(t, err, errs.NotFound)
		_, err = b.store.SessionByID(b.ctx, goneSession.ID)
		wantCode(t, err, errs.NotFound)
		_, err = b.store.RefreshTokenByHash(b.ctx, "gone-refresh")
		wantCode(t, err, errs.NotFound)
		if n := b.count(t, "email_tokens", "token_hash", gone.ID+"-verify"); n != 0 {
			t.Errorf("%d email tokens of the deleted user remain", n)
		}

		if _, err := b.store.UserByID(b.ctx, kept.ID); err != nil {
			t.Errorf("the other user: %v", err)
		}
		if _, err := b.store.SessionByID(b.ctx, keptSession.ID); err != nil {
			t.Errorf("the other user's session: %v", err)
		}
		if _, err := b.store.RefreshTokenByHash(b.ctx, "kept-refresh"); err != nil {
			t.Errorf("the other user's refresh token: %v", err)
		}
		if _, err := b.store.UseEmailToken(b.ctx, kept.ID+"-verify", identity.PurposeVerifyEmail, now); err != nil {
			t.Errorf("the other user's email token: %v", err)
		}
		if n, err := b.store.CountUsers(b.ctx); err != nil || n != 1 {
			t.Errorf("CountUsers = %d, %v; want 1", n, err)
		}
	})
}

func testUserSearch(t *testing.T, open Open) {
	// addNamed stores users with the given emails and display names and
	// returns their ids in the order given.
	addNamed := func(t *testing.T, b bundle, people ...[2]string) []string {
		t.Helper()
		var ids []string
		for _, p := range people {
			u := newUser(p[0])
			u.DisplayName = p[1]
			if err := b.store.CreateUser(b.ctx, u); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
		return ids
	}
	// search returns the ids ListUsers finds for q, failing t on error.
	search := func(t *testing.T, b bundle, q identity.UserQuery) []string {
		t.Helper()
		users, err := b.store.ListUsers(b.ctx, q)
		if err != nil {
			t.Fatalf("ListUsers(%+v): %v", q, err)
		}
		ids := []string{}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		return ids
	}
	// wantFound checks that q finds exactly the users want, in id order.
	wantFound := func(t *testing.T, b bundle, q string, want ...string) {
		t.Helper()
		want = append([]string{}, want...)
		slices.Sort(want)
		if got := search(t, b, identity.UserQuery{Q: q}); !slices.Equal(got, want) {
			t.Errorf("ListUsers(%q) = %v, want %v", q, got, want)
		}
	}

	scenario(t, open, "users listed read back every field", func(t *testing.T, b bundle) {
		u := newUser("tara@example.org")
		u.EmailVerifiedAt, u.LockedUntil, u.FailedLogins, u.DayStartHour, u.Theme = ptr(now), ptr(now), 2, 5, "light"
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		users, err := b.store.ListUsers(b.ctx, identity.UserQuery{})
		if err != nil || len(users) != 1 {
			t.Fatalf("ListUsers = %v, %v; want one user", users, err)
		}
		wantSame(t, "listed user", users[0], u)
	})
	scenario(t, open, "the query matches a substring of email or display name, ignoring ASCII case", func(t *testing.T, b bundle) {
		ids := addNamed(t, b,
			[2]string{"tara@example.org", "Tara Devi"},
			[2]string{"bodhi@example.org", "Bodhi"},
			[2]string{"devika@sangha.example", "Devika"},
		)
		tara, bodhi, devika := ids[0], ids[1], ids[2]
		wantFound(t, b, "", tara, bodhi, devika)
		wantFound(t, b, "DEVI", tara, devika)
		wantFound(t, b, "sangha", devika)
		wantFound(t, b, "Example.ORG", tara, bodhi)
		wantFound(t, b, "odh", bodhi)
		wantFound(t, b, "nobody")
	})
	// Names are folded in Go, so both engines ignore the case of every
	// letter, not only ASCII (SQLite's own lower() knows ASCII only).
	scenario(t, open, "the query matches non-ASCII names by substring in any case", func(t *testing.T, b bundle) {
		ids := addNamed(t, b,
			[2]string{"thera@example.org", "Ānanda Thera"},
			[2]string{"ananda2@example.org", "Ananda"},
			[2]string{"muller@example.org", "Jürgen Müller"},
		)
		accented, plain, muller := ids[0], ids[1], ids[2]
		wantFound(t, b, "Ānanda", accented)
		wantFound(t, b, "ĀNANDA", accented)
		wantFound(t, b, "Ānanda THERA", accented)
		wantFound(t, b, "nanda", accented, plain)
		wantFound(t, b, "ANANDA", plain)
		wantFound(t, b, "müller", muller)
		wantFound(t, b, "mÜller", muller)
		wantFound(t, b, "JÜRGEN", muller)
		wantFound(t, b, "ānanda", accented)
		wantFound(t, b, "ĀnAnDa tHeRa", accented)
	})
	scenario(t, open, "a renamed user is found by the new name only", func(t *testing.T, b bundle) {
		id := addNamed(t, b, [2]string{"rename@example.org", "Old Name"})[0]
		u, err := b.store.UserByID(b.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		u.DisplayName = "Ñāṇa Bhikkhu"
		if err := b.store.UpdateProfile(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		wantFound(t, b, "ñāṇa", id)
		wantFound(t, b, "Old")
	})
	scenario(t, open, "percent, underscore and backslash in the query match themselves", func(t *testing.T, b bundle) {
		ids := addNamed(t, b,
			[2]string{"a_b@example.org", "Underscore"},
			[2]string{"axb@example.org", "Plain"},
			[2]string{"percent@example.org", "100% Metta"},
			[2]string{"backslash@example.org", `Back\slash`},
		)
		underscore, percent, backslash := ids[0], ids[2], ids[3]
		wantFound(t, b, "_", underscore)
		wantFound(t, b, "a_b", underscore)
		wantFound(t, b, "%", percent)
		wantFound(t, b, "0%", percent)
		wantFound(t, b, `\`, backslash)
		wantFound(t, b, `k\s`, backslash)
		wantFound(t, b, "a%b")
	})
	scenario(t, open, "pages follow id order with After as the cursor and Limit as the size", func(t *testing.T, b bundle) {
		var all, even []string
		for i := range 7 {
			u := newUser(fmt.Sprintf("user%d@example.org", i))
			if i%2 == 0 {
				u.DisplayName = "Even"
				even = append(even, u.ID)
			}
			if err := b.store.CreateUser(b.ctx, u); err != nil {
				t.Fatal(err)
			}
			all = append(all, u.ID)
		}
		slices.Sort(all)
		slices.Sort(even)
		for _, c := range []struct {
			q    string
			want []string
		}{{"", all}, {"even", even}} {
			var got []string
			after := ""
			for page := 0; ; page++ {
				ids := search(t, b, identity.UserQuery{Q: c.q, After: after, Limit: 3})
				if len(ids) > 3 {
					t.Fatalf("page %d of %q has %d users, limit 3", page, c.q, len(ids))
				}
				if len(ids) == 0 {
					break
				}
				got = append(got, ids...)
				after = ids[len(ids)-1]
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("paging through %q gave %v, want %v", c.q, got, c.want)
			}
		}
		if got := search(t, b, identity.UserQuery{After: all[len(all)-1]}); len(got) != 0 {
			t.Errorf("after the last user: %v, want none", got)
		}
		if got := search(t, b, identity.UserQuery{}); !slices.Equal(got, all) {
			t.Errorf("no limit: %v, want all %v", got, all)
		}
	})
}
