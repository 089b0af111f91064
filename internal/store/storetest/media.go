package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media"
)

func newMedium(ownerID string, kind media.Kind, size int64, status media.Status) *media.Medium {
	id := identity.NewID()
	return &media.Medium{ID: id, OwnerID: ownerID, Kind: kind, Filename: "Mettā talk.mp3", ContentType: "audio/mpeg", Size: size,
		Status: status, ObjectKey: "media/" + id + "/original", Secret: "s3cret", Peaks: []int{}, Variants: []media.Variant{},
		ExpiresAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
}

func testMedia(t *testing.T, open Open) {
	scenario(t, open, "a medium is stored and read back whole, and updated only from the status it was read in", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		m := newMedium(u.ID, media.Image, 12_345, media.Uploading)
		if err := b.store.CreateMedium(b.ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.MediumByID(b.ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "created", got, m)
		m.Status, m.SHA256, m.Width, m.Height, m.Duration, m.Pages = media.Ready, "ab12", 800, 400, 90*time.Second, 3
		m.Peaks = []int{0, 50, 100}
		m.Variants = []media.Variant{{Name: "320-abc.webp", Key: "media/x/320-abc.webp", Width: 320, Height: 160, ContentType: "image/webp", Size: 900}}
		m.UpdatedAt = now.Add(time.Minute)
		if err := b.store.UpdateMedium(b.ctx, m, media.Uploading); err != nil {
			t.Fatal(err)
		}
		got, _ = b.store.MediumByID(b.ctx, m.ID)
		wantSame(t, "updated", got, m)
		wantCode(t, b.store.UpdateMedium(b.ctx, m, media.Uploading), errs.Conflict)
		_, err = b.store.MediumByID(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "stored bytes count a person's media that have not failed", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		for _, m := range []*media.Medium{newMedium(u.ID, media.Audio, 100, media.Ready), newMedium(u.ID, media.Audio, 20, media.Uploading),
			newMedium(u.ID, media.Audio, 5_000, media.Failed), newMedium(other.ID, media.Audio, 7, media.Ready)} {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := b.store.StoredBytes(b.ctx, u.ID); err != nil || n != 120 {
			t.Errorf("StoredBytes: %d, %v; want 120", n, err)
		}
		if list, err := b.store.MediaOf(b.ctx, u.ID); err != nil || len(list) != 3 {
			t.Errorf("MediaOf: %d media, %v; want 3", len(list), err)
		}
	})
	scenario(t, open, "a medium is published while a published or archived plan uses it as its cover, an item or an author's photo", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		cover, item, photo, archived := newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Audio, 1, media.Ready),
			newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Image, 1, media.Ready)
		draft, nowhere := newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Image, 1, media.Ready)
		all := []*media.Medium{cover, item, photo, archived, draft, nowhere}
		for _, m := range all {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		a := newAuthor("Ajahn Photo")
		a.PhotoMediaID = photo.ID
		if err := b.store.CreateAuthor(b.ctx, a); err != nil {
			t.Fatal(err)
		}
		pub, _ := b.addPublished(t, "metta", 1, now, func(r *catalog.Revision) {
			r.CoverMediaID = cover.ID
			r.AuthorIDs = []string{a.ID}
			r.Days[0].Items[0].Kind, r.Days[0].Items[0].MediaID = catalog.Audio, item.ID
		})
		b.addWorking(t, pub, func(r *catalog.Revision) { r.CoverMediaID = draft.ID })
		p, r := newPlan("old-talks", 1)
		publish(p, r, now)
		p.Status, p.ArchivedAt = catalog.Archived, &now
		r.CoverMediaID = archived.ID
		b.addPlan(t, p, r)
		want := map[*media.Medium]bool{cover: true, item: true, photo: true, archived: true, draft: false, nowhere: false}
		var ids, wantIDs []string
		for m, w := range want {
			if got, err := b.store.MediumPublished(b.ctx, m.ID); err != nil || got != w {
				t.Errorf("MediumPublished(%s): %v, %v; want %v", m.Kind, got, err, w)
			}
			ids = append(ids, m.ID)
			if w {
				wantIDs = append(wantIDs, m.ID)
			}
		}
		got, err := b.store.PublishedMedia(b.ctx, append(ids, identity.NewID()))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(wantIDs)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("PublishedMedia: %v; want %v", got, wantIDs)
		}
		list, err := b.store.MediaByIDs(b.ctx, append(ids, identity.NewID()))
		if err != nil || len(list) != len(all) {
			t.Errorf("MediaByIDs: %d media, %v; want the %d that exist", len(list), err, len(all))
		}
	})
	scenario(t, open, "a medium is referenced while a revision that is not superseded or an author uses it", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		old, current, working, photo, nowhere := newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Audio, 1, media.Ready),
			newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Image, 1, media.Ready)
		for _, m := range []*media.Medium{old, current, working, photo, nowhere} {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		a := newAuthor("Ajahn Photo")
		a.PhotoMediaID = photo.ID
		if err := b.store.CreateAuthor(b.ctx, a); err != nil {
			t.Fatal(err)
		}
		p, r := b.addPublished(t, "metta", 1, now, func(r *catalog.Revision) { r.CoverMediaID = old.ID })
		// Revision 2 is published, superseding revision 1; revision 3 is being written.
		r2 := b.addWorking(t, p, func(r2 *catalog.Revision) {
			r2.Days[0].Items[0].Kind, r2.Days[0].Items[0].MediaID = catalog.Audio, current.ID
		})
		at := now.Add(time.Hour)
		p.PublishedRevisionID, p.WorkingRevisionID, p.PublishedAt = r2.ID, "", &at
		if err := b.store.ChangeState(b.ctx, p,
			catalog.RevisionChange{RevisionID: r2.ID, From: catalog.RevisionDraft, To: catalog.RevisionPublished, At: at},
			catalog.RevisionChange{RevisionID: r.ID, From: catalog.RevisionPublished, To: catalog.RevisionSuperseded, At: at}); err != nil {
			t.Fatal(err)
		}
		b.addWorking(t, p, func(r3 *catalog.Revision) { r3.Number, r3.CoverMediaID = 3, working.ID })
		for m, want := range map[*media.Medium]bool{old: false, current: true, working: true, photo: true, nowhere: false} {
			if got, err := b.store.MediumReferenced(b.ctx, m.ID); err != nil || got != want {
				t.Errorf("MediumReferenced(%s): %v, %v; want %v", m.ID, got, err, want)
			}
		}
	})
	scenario(t, open, "abandoned uploads and the unreferenced media without owner are listed for pruning, after a grace for imports", func(t *testing.T, b bundle) {
		u, gone := b.addUser(t, "u@example.org"), b.addUser(t, "gone@example.org")
		late, fresh, done, orphan := newMedium(u.ID, media.Audio, 1, media.Uploading), newMedium(u.ID, media.Audio, 1, media.Uploading),
			newMedium(u.ID, media.Audio, 1, media.Ready), newMedium(gone.ID, media.Image, 1, media.Ready)
		inUse, inDraft, imported := newMedium(gone.ID, media.Image, 1, media.Ready), newMedium(gone.ID, media.Image, 1, media.Ready),
			newMedium("", media.Image, 1, media.Ready)
		late.ExpiresAt, fresh.ExpiresAt = now.Add(-time.Minute), now.Add(time.Hour)
		orphan.CreatedAt, inUse.CreatedAt, inDraft.CreatedAt = now.Add(-2*time.Hour), now.Add(-2*time.Hour), now.Add(-2*time.Hour)
		imported.CreatedAt = now.Add(-time.Minute)
		for _, m := range []*media.Medium{late, fresh, done, orphan, inUse, inDraft, imported} {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		b.addPublished(t, "metta", 1, now, func(r *catalog.Revision) { r.CoverMediaID = inUse.ID })
		p, r := newPlan("draft", 1)
		r.CoverMediaID = inDraft.ID
		b.addPlan(t, p, r)
		if err := b.store.DeleteUser(b.ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		list, err := b.store.AbandonedUploads(b.ctx, now, now.Add(-time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, m := range list {
			ids[m.ID] = true
		}
		if len(list) != 2 || !ids[late.ID] || !ids[orphan.ID] {
			t.Errorf("AbandonedUploads: %d media %v; want the late upload and the deleted account's image nothing uses", len(list), ids)
		}
		if m, err := b.store.MediumByID(b.ctx, orphan.ID); err != nil || m.OwnerID != "" {
			t.Errorf("the deleted account's medium: %+v, %v; want it kept without an owner", m, err)
		}
		// Once the grace is over, the imported medium nothing uses goes too.
		list, err = b.store.AbandonedUploads(b.ctx, now, now, 10)
		if err != nil || len(list) != 3 || !slices.ContainsFunc(list, func(m *media.Medium) bool { return m.ID == imported.ID }) {
			t.Errorf("AbandonedUploads after the grace: %d media, %v; want the imported medium as well", len(list), err)
		}
	})
}
