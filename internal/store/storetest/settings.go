package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

func testSettings(t *testing.T, open Open) {
	scenario(t, open, "no settings are stored before the first change", func(t *testing.T, b bundle) {
		_, err := b.store.Settings(b.ctx)
		wantCode(t, err, errs.NotFound)
	})

	scenario(t, open, "each version is saved only over the one before it", func(t *testing.T, b bundle) {
		admin := b.addUser(t, "admin@example.org")
		v1 := &settings.Stored{Version: 1, Document: `{"site_name":"Jetavana"}`, UpdatedAt: now.In(colombo), UpdatedBy: admin.ID}
		if err := b.store.SaveSettings(b.ctx, v1); err != nil {
			t.Fatalf("SaveSettings(1): %v", err)
		}
		got, err := b.store.Settings(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := *v1
		want.UpdatedAt = now
		if got.Version != 1 || got.UpdatedBy != admin.ID || !got.UpdatedAt.Equal(now) || got.UpdatedAt.Location() != time.UTC {
			t.Errorf("Settings = %+v, want %+v", got, want)
		}
		if got.Document != v1.Document && got.Document != `{"site_name": "Jetavana"}` { // jsonb spaces its text
			t.Errorf("document %q, want %q", got.Document, v1.Document)
		}

		wantCode(t, b.store.SaveSettings(b.ctx, &settings.Stored{Version: 1, Document: `{}`, UpdatedAt: now}), errs.Conflict)
		wantCode(t, b.store.SaveSettings(b.ctx, &settings.Stored{Version: 3, Document: `{}`, UpdatedAt: now}), errs.Conflict)
		v2 := &settings.Stored{Version: 2, Document: `{"site_name":"Veḷuvana"}`, UpdatedAt: now.Add(time.Minute), UpdatedBy: admin.ID}
		if err := b.store.SaveSettings(b.ctx, v2); err != nil {
			t.Fatalf("SaveSettings(2): %v", err)
		}
		if got, _ := b.store.Settings(b.ctx); got.Version != 2 || !got.UpdatedAt.Equal(v2.UpdatedAt) {
			t.Errorf("after version 2: %+v", got)
		}
	})

	scenario(t, open, "of two administrators saving from one version, one wins", func(t *testing.T, b bundle) {
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Go(func() {
				results[i] = b.store.SaveSettings(b.ctx, &settings.Stored{Version: 1, Document: `{}`, UpdatedAt: now})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("SaveSettings: %v, want success or a conflict", err)
			}
		}
		if won != 1 {
			t.Errorf("%d saves of version 1 succeeded, want 1", won)
		}
	})

	scenario(t, open, "the settings outlive the administrator who changed them", func(t *testing.T, b bundle) {
		admin := b.addUser(t, "admin@example.org")
		if err := b.store.SaveSettings(b.ctx, &settings.Stored{Version: 1, Document: `{}`, UpdatedAt: now, UpdatedBy: admin.ID}); err != nil {
			t.Fatal(err)
		}
		if err := b.store.DeleteUser(b.ctx, admin.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := b.store.Settings(b.ctx); err != nil || got.Version != 1 || got.UpdatedBy != "" {
			t.Errorf("Settings = %+v, %v; want version 1 by nobody", got, err)
		}
	})

	scenario(t, open, "a new practice profile starts with the site's grace days", func(t *testing.T, b bundle) {
		grace := 3
		b.store.SetGraceDefault(func(context.Context) int { return grace })
		u := b.addUser(t, "reader@example.org")
		if p := b.profile(t, u.ID); p.GracePerWeek != 3 {
			t.Errorf("before the first write: %d grace days, want the site's 3", p.GracePerWeek)
		}
		if err := b.store.Write(b.ctx, u.ID, func(tx practice.Tx) error {
			p, err := tx.Profile()
			if err == nil && p.GracePerWeek != 3 {
				t.Errorf("created with %d grace days, want 3", p.GracePerWeek)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		grace = 0
		if p := b.profile(t, u.ID); p.GracePerWeek != 3 {
			t.Errorf("after the site's default changed, a saved profile has %d grace days, want its own 3", p.GracePerWeek)
		}
		other := b.addUser(t, "other@example.org")
		if p := b.profile(t, other.ID); p.GracePerWeek != 0 {
			t.Errorf("someone new has %d grace days, want the site's 0 now", p.GracePerWeek)
		}
	})
}

// newInvite returns an invitation made now by createdBy, valid for a week.
func newInvite(hash, email, createdBy string) *settings.Invite {
	return &settings.Invite{ID: identity.NewID(), CodeHash: hash, Email: email, CreatedBy: createdBy,
		CreatedAt: now, ExpiresAt: now.Add(7 * 24 * time.Hour)}
}

func (b bundle) addInvite(t *testing.T, inv *settings.Invite) *settings.Invite {
	t.Helper()
	if err := b.store.CreateInvite(b.ctx, inv); err != nil {
		t.Fatalf("CreateInvite: %v", err)
	}
	return inv
}

func testInvites(t *testing.T, open Open) {
	scenario(t, open, "an invitation reads back as made, by id and by code", func(t *testing.T, b bundle) {
		admin := b.addUser(t, "admin@example.org")
		inv := newInvite("hash-1", "guest@example.org", admin.ID)
		inv.CreatedAt, inv.ExpiresAt = now.In(colombo), now.Add(time.Hour).In(colombo)
		b.addInvite(t, inv)
		want := *inv
		want.CreatedAt, want.ExpiresAt = now, now.Add(time.Hour)
		got, err := b.store.Invite(b.ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "Invite", got, &want)
		got, err = b.store.InviteByCode(b.ctx, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "InviteByCode", got, &want)
		_, err = b.store.Invite(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
		_, err = b.store.InviteByCode(b.ctx, "hash-2")
		wantCode(t, err, errs.NotFound)
		wantCode(t, b.store.CreateInvite(b.ctx, newInvite("hash-1", "", admin.ID)), errs.Conflict)
	})

	scenario(t, open, "invitations are listed newest first, a page at a time", func(t *testing.T, b bundle) {
		var ids []string
		for i := range 5 {
			inv := b.addInvite(t, newInvite("hash-"+string(rune('a'+i)), "", ""))
			ids = append(ids, inv.ID)
		}
		page, err := b.store.ListInvites(b.ctx, "", 3)
		if err != nil || len(page) != 3 || page[0].ID != ids[4] || page[2].ID != ids[2] {
			t.Fatalf("first page = %v, %v", page, err)
		}
		page, err = b.store.ListInvites(b.ctx, ids[2], 3)
		if err != nil || len(page) != 2 || page[0].ID != ids[1] || page[1].ID != ids[0] {
			t.Fatalf("second page = %v, %v", page, err)
		}
	})

	scenario(t, open, "a claim takes an unused, unexpired invitation for the address once", func(t *testing.T, b bundle) {
		anyone := b.addInvite(t, newInvite("open", "", ""))
		forOne := b.addInvite(t, newInvite("for-one", "guest@example.org", ""))
		expired := newInvite("expired", "", "")
		expired.ExpiresAt = now
		b.addInvite(t, expired)
		revoked := b.addInvite(t, newInvite("revoked", "", ""))
		if err := b.store.RevokeInvite(b.ctx, revoked.ID, now); err != nil {
			t.Fatal(err)
		}

		_, err := b.store.ClaimInvite(b.ctx, "for-one", "other@example.org", now)
		wantCode(t, err, errs.NotFound)
		got, err := b.store.ClaimInvite(b.ctx, "for-one", "guest@example.org", now)
		if err != nil || got.ID != forOne.ID || got.UsedAt == nil || !got.UsedAt.Equal(now) {
			t.Fatalf("ClaimInvite for its address = %+v, %v", got, err)
		}
		_, err = b.store.ClaimInvite(b.ctx, "for-one", "guest@example.org", now)
		wantCode(t, err, errs.NotFound)
		for _, hash := range []string{"expired", "revoked", "unknown"} {
			_, err = b.store.ClaimInvite(b.ctx, hash, "guest@example.org", now)
			wantCode(t, err, errs.NotFound)
		}
		if got, err := b.store.ClaimInvite(b.ctx, "open", "anyone@example.org", now.Add(-time.Hour)); err != nil || got.ID != anyone.ID {
			t.Fatalf("ClaimInvite for anyone = %+v, %v", got, err)
		}
	})

	scenario(t, open, "of many claims of one invitation, one succeeds", func(t *testing.T, b bundle) {
		b.addInvite(t, newInvite("contested", "", ""))
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Go(func() {
				_, results[i] = b.store.ClaimInvite(b.ctx, "contested", "guest@example.org", now)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errs.Is(err, errs.NotFound):
				t.Errorf("ClaimInvite: %v, want success or not found", err)
			}
		}
		if won != 1 {
			t.Errorf("%d claims succeeded, want 1", won)
		}
	})

	scenario(t, open, "a claim is confirmed with its account or released without one", func(t *testing.T, b bundle) {
		kept := b.addInvite(t, newInvite("kept", "", ""))
		released := b.addInvite(t, newInvite("released", "", ""))
		for _, hash := range []string{"kept", "released"} {
			if _, err := b.store.ClaimInvite(b.ctx, hash, "guest@example.org", now); err != nil {
				t.Fatal(err)
			}
		}
		guest := b.addUser(t, "guest@example.org")
		if err := b.store.ConfirmInvite(b.ctx, kept.ID, guest.ID); err != nil {
			t.Fatalf("ConfirmInvite: %v", err)
		}
		if err := b.store.ReleaseInvite(b.ctx, released.ID); err != nil {
			t.Fatalf("ReleaseInvite: %v", err)
		}
		wantCode(t, b.store.ReleaseInvite(b.ctx, kept.ID), errs.NotFound) // it has its account
		if got, _ := b.store.Invite(b.ctx, kept.ID); got.UsedBy != guest.ID || got.UsedAt == nil {
			t.Errorf("confirmed invitation = %+v", got)
		}
		if got, _ := b.store.Invite(b.ctx, released.ID); got.UsedAt != nil || got.UsedBy != "" {
			t.Errorf("released invitation = %+v", got)
		}
		if _, err := b.store.ClaimInvite(b.ctx, "released", "guest2@example.org", now); err != nil {
			t.Errorf("a released invitation cannot be claimed again: %v", err)
		}
	})

	scenario(t, open, "only an unused invitation is withdrawn, once", func(t *testing.T, b bundle) {
		inv := b.addInvite(t, newInvite("withdrawn", "", ""))
		used := b.addInvite(t, newInvite("used", "", ""))
		if _, err := b.store.ClaimInvite(b.ctx, "used", "guest@example.org", now); err != nil {
			t.Fatal(err)
		}
		if err := b.store.RevokeInvite(b.ctx, inv.ID, now.In(colombo)); err != nil {
			t.Fatalf("RevokeInvite: %v", err)
		}
		if got, _ := b.store.Invite(b.ctx, inv.ID); got.RevokedAt == nil || !got.RevokedAt.Equal(now) || got.RevokedAt.Location() != time.UTC {
			t.Errorf("withdrawn invitation = %+v", got)
		}
		wantCode(t, b.store.RevokeInvite(b.ctx, inv.ID, now), errs.NotFound)
		wantCode(t, b.store.RevokeInvite(b.ctx, used.ID, now), errs.NotFound)
		wantCode(t, b.store.RevokeInvite(b.ctx, identity.NewID(), now), errs.NotFound)
	})

	scenario(t, open, "erasing an account keeps its invitations without its address", func(t *testing.T, b bundle) {
		admin := b.addUser(t, "admin@example.org")
		inv := b.addInvite(t, newInvite("erased", "guest@example.org", admin.ID))
		if _, err := b.store.ClaimInvite(b.ctx, "erased", "guest@example.org", now); err != nil {
			t.Fatal(err)
		}
		guest := b.addUser(t, "guest@example.org")
		if err := b.store.ConfirmInvite(b.ctx, inv.ID, guest.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{guest.ID, admin.ID} {
			if err := b.store.DeleteUser(b.ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		got, err := b.store.Invite(b.ctx, inv.ID)
		if err != nil || got.UsedAt == nil || got.UsedBy != "" || got.Email != "" || got.CreatedBy != "" {
			t.Errorf("invitation after erasure = %+v, %v; want used, by nobody, for no address", got, err)
		}
	})

}
