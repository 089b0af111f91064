package storetest

import (
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
	scenario(t, open, "a medium is published while a published plan uses it as its cover or an item", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		cover, item, draft := newMedium(u.ID, media.Image, 1, media.Ready), newMedium(u.ID, media.Audio, 1, media.Ready), newMedium(u.ID, media.Image, 1, media.Ready)
		for _, m := range []*media.Medium{cover, item, draft} {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		b.addPublished(t, "metta", 1, now, func(r *catalog.Revision) {
			r.CoverMediaID = cover.ID
			r.Days[0].Items[0].Kind, r.Days[0].Items[0].MediaID = catalog.Audio, item.ID
		})
		for m, want := range map[*media.Medium]bool{cover: true, item: true, draft: false} {
			if got, err := b.store.MediumPublished(b.ctx, m.ID); err != nil || got != want {
				t.Errorf("MediumPublished(%s): %v, %v; want %v", m.Kind, got, err, want)
			}
		}
	})
	scenario(t, open, "abandoned uploads and the unpublished media of deleted accounts are listed for pruning", func(t *testing.T, b bundle) {
		u, gone := b.addUser(t, "u@example.org"), b.addUser(t, "gone@example.org")
		late, fresh, done, orphan := newMedium(u.ID, media.Audio, 1, media.Uploading), newMedium(u.ID, media.Audio, 1, media.Uploading),
			newMedium(u.ID, media.Audio, 1, media.Ready), newMedium(gone.ID, media.Image, 1, media.Ready)
		inUse := newMedium(gone.ID, media.Image, 1, media.Ready)
		late.ExpiresAt, fresh.ExpiresAt = now.Add(-time.Minute), now.Add(time.Hour)
		for _, m := range []*media.Medium{late, fresh, done, orphan, inUse} {
			if err := b.store.CreateMedium(b.ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		b.addPublished(t, "metta", 1, now, func(r *catalog.Revision) { r.CoverMediaID = inUse.ID })
		if err := b.store.DeleteUser(b.ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		list, err := b.store.AbandonedUploads(b.ctx, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, m := range list {
			ids[m.ID] = true
		}
		if len(list) != 2 || !ids[late.ID] || !ids[orphan.ID] {
			t.Errorf("AbandonedUploads: %d media %v; want the late upload and the deleted account's image no plan uses", len(list), ids)
		}
		if m, err := b.store.MediumByID(b.ctx, orphan.ID); err != nil || m.OwnerID != "" {
			t.Errorf("the deleted account's medium: %+v, %v; want it kept without an owner", m, err)
		}
	})
}
