package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// The media references of answers, as a client decodes them.
type (
	itemsMedia struct {
		Items []struct {
			MediaID string     `json:"media_id"`
			Media   *mediaBody `json:"media"`
		} `json:"items"`
	}
	studioMedia struct {
		Cover *mediaBody   `json:"cover"`
		Days  []itemsMedia `json:"days"`
	}
	pageMedia struct {
		Cover         *mediaBody `json:"cover"`
		AuthorDetails []struct {
			Photo *mediaBody `json:"photo"`
		} `json:"author_details"`
	}
	cardsMedia struct {
		Items []struct {
			Cover *mediaBody `json:"cover"`
		} `json:"items"`
	}
	authorMedia struct {
		Photo *mediaBody `json:"photo"`
	}
)

// Plans, items and authors may reference only media their writer owns
// (admins: any), that arrived whole, and of the kind the place wants.
func TestMediaReferencesAreChecked(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		img := upload(t, s, author, "cover.png", "image/png", drawnPNG(t, 700, 350))
		talk := upload(t, s, author, "talk.wav", "audio/wav", toneWAV(1))
		foreign := upload(t, s, other, "theirs.png", "image/png", drawnPNG(t, 400, 200))
		pending := startUpload(t, s, author, "later.png", "image/png", 100).Media
		p := readyPlan(t, s, author, map[string]any{"title": "Bells", "tradition": "zen"}, 1)
		items := planPath(p.ID, "days", 1, "items")
		bad := func(name, method, path string, body any, field, want string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: author, status: http.StatusUnprocessableEntity,
				fields: []string{field}, want: []string{want}}
		}
		runAll(t, s, []scenario{
			bad("someone else's image as a cover", http.MethodPost, "/v1/studio/plans",
				map[string]any{"title": "X", "tradition": "zen", "cover_media_id": foreign.ID}, "body.cover_media_id", "among yours"),
			bad("a recording as a cover", http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": talk.ID},
				"body.cover_media_id", "is an audio, not an image"),
			bad("an upload not yet complete", http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": pending.ID},
				"body.cover_media_id", "complete its upload first"),
			bad("an unknown medium", http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": unknownID},
				"body.cover_media_id", "there is no media"),
			bad("an image as an audio item", http.MethodPost, items, map[string]any{"kind": "audio", "title": "T", "media_id": img.ID},
				"body.media_id", "is an image, not an audio"),
			bad("someone else's image as an image item", http.MethodPost, items, map[string]any{"kind": "image", "title": "T", "media_id": foreign.ID},
				"body.media_id", "among yours"),
			bad("a text item with media", http.MethodPost, items, map[string]any{"kind": "text", "title": "T", "body": "B", "media_id": talk.ID},
				"body.media_id", "a text item has no media"),
		})

		// What is the author's, whole and of the right kind is taken, and
		// answers carry it: the studio with signed URLs.
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": img.ID})
		studioDo(t, s, author, http.StatusCreated, http.MethodPost, items, map[string]any{"kind": "audio", "title": "The bell", "media_id": talk.ID, "minutes": 1})
		draft := decode[studioMedia](t, get(t, s, author, http.StatusOK, planPath(p.ID)))
		if draft.Cover == nil || draft.Cover.ID != img.ID || draft.Cover.Srcset["webp"] == "" || !strings.Contains(draft.Cover.URL, "sig=") {
			t.Errorf("studio cover %+v, want the image with a srcset and signed URLs", draft.Cover)
		}
		if it := draft.Days[0].Items[1]; it.Media == nil || it.Media.DurationMS < 900 || len(it.Media.Peaks) == 0 {
			t.Errorf("studio audio item %+v, want its duration and waveform", it.Media)
		}
		// An admin may use anyone's media, and the author's later edits of
		// other fields leave that reference be.
		studioDo(t, s, admin, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": foreign.ID})
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"subtitle": "Sounds of the temple"})
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"cover_media_id": img.ID})
		// A medium cannot be deleted while a draft uses it.
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/media/" + talk.ID, Token: author.Access}), http.StatusConflict, "remove it there first")

		// An admin may give an author any photo; the author's page shows it.
		a := decode[struct {
			ID string `json:"id"`
		}](t, s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/authors", Token: admin.Access,
			Body: map[string]any{"name": "Roshi", "tradition": "zen", "photo_media_id": foreign.ID}}))
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/authors/" + a.ID, Token: admin.Access,
			Body: map[string]any{"photo_media_id": talk.ID}}), http.StatusUnprocessableEntity, "is an audio, not an image")
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"author_ids": []string{p.Authors[0].ID, a.ID}})

		// Published, the plan's answers carry public media: no signatures.
		publish(t, s, author, admin, p.ID)
		page := decode[pageMedia](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+p.Slug))
		if page.Cover == nil || !page.Cover.Public || strings.Contains(page.Cover.URL, "sig=") || len(page.Cover.Variants) != 6 {
			t.Errorf("public plan cover %+v, want the public image and its variants", page.Cover)
		}
		if len(page.AuthorDetails) != 2 || page.AuthorDetails[1].Photo == nil || page.AuthorDetails[1].Photo.ID != foreign.ID {
			t.Errorf("public plan authors %+v, want the second with the photo", page.AuthorDetails)
		}
		list := decode[cardsMedia](t, get(t, s, nil, http.StatusOK, "/v1/plans"))
		if len(list.Items) != 1 || list.Items[0].Cover == nil || list.Items[0].Cover.ID != img.ID {
			t.Errorf("catalogue card %+v, want the cover", list.Items)
		}
		day := decode[itemsMedia](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+p.Slug+"/days/1"))
		if len(day.Items) != 2 || day.Items[1].Media == nil || !day.Items[1].Media.Public || day.Items[1].Media.DurationMS < 900 {
			t.Errorf("public day items %+v, want the talk, public, with its duration", day.Items)
		}
		res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: strings.TrimPrefix(day.Items[1].Media.URL, s.URL)})
		if len(res.Body) != int(talk.Size) {
			t.Errorf("the talk's public URL gave %d bytes, want %d", len(res.Body), talk.Size)
		}
		photo := decode[authorMedia](t, get(t, s, nil, http.StatusOK, "/v1/authors/"+a.ID))
		if photo.Photo == nil || photo.Photo.ID != foreign.ID {
			t.Errorf("author page photo %+v", photo.Photo)
		}

		// The reader enrolled in the plan gets the talk with the day.
		reader := s.CreateUser(t, "reader@example.org", identity.RoleUser)
		e := decode[struct {
			ID string `json:"id"`
		}](t, s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: reader.Access,
			Body: map[string]any{"plan": p.Slug}}))
		today := decode[struct {
			Day itemsMedia `json:"day"`
		}](t, get(t, s, reader, http.StatusOK, "/v1/enrollments/"+e.ID+"/days/1"))
		if len(today.Day.Items) != 2 || today.Day.Items[1].Media == nil || today.Day.Items[1].Media.ID != talk.ID {
			t.Errorf("enrolled day items %+v, want the talk", today.Day.Items)
		}
	})
}
