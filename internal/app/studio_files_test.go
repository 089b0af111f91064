package app_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// zipArchive builds a zip of files (path, content, path, content...).
func zipArchive(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, files[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importZip sends data to the studio's import as a.
func importZip(t testing.TB, s *apptest.Server, a *apptest.Account, data []byte) *apptest.Response {
	t.Helper()
	return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/plans/import", Token: bearer(a), Body: string(data),
		Header: http.Header{"Content-Type": {"application/zip"}}})
}

// unzip reads an archive's files by name.
func unzip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return out
}

// studioPlanWithCover is studioPlan with the cover a client reads.
type studioPlanWithCover struct {
	studioPlan
	CoverMediaID string     `json:"cover_media_id"`
	Cover        *mediaBody `json:"cover"`
}

const (
	bellsPlan = "format: 1\ntitle: Bells\ntradition: zen\nlanguage: en\nlevel: beginner\nauthors:\n  - name: %s\n"
	bellsDay  = "---\ntitle: One\nitems:\n  - kind: link\n    title: More\n    url: https://example.org/bells\n---\n"
)

func TestPlanFoldersTravelAsZips(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		reader := s.Register(t, "reader@example.org")
		png := drawnPNG(t, 700, 350)
		cover := upload(t, s, author, "cover.png", "image/png", png)
		orig := readyPlan(t, s, author, map[string]any{"title": "Seven Days of Metta", "tradition": "theravada", "cover_media_id": cover.ID}, 2)
		addTask(t, s, author, orig.ID, 1, map[string]any{"kind": "meditate", "prompt": "Sit with kindness.", "minutes": 10})
		orig = decode[studioPlan](t, get(t, s, author, http.StatusOK, planPath(orig.ID)))
		authorName := orig.Authors[0].Name

		var archive []byte
		t.Run("a plan exports as a zip of its folder, named by its slug", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: planPath(orig.ID, "export"), Token: author.Access,
				Header: http.Header{"Accept-Encoding": {"gzip"}}})
			if ct := res.Header.Get("Content-Type"); ct != "application/zip" {
				t.Errorf("Content-Type %q, want application/zip", ct)
			}
			if ce := res.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("Content-Encoding %q: a zip is sent as it is", ce)
			}
			if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err != nil || params["filename"] != orig.Slug+".zip" {
				t.Errorf("Content-Disposition %q, want an attachment named %s.zip", res.Header.Get("Content-Disposition"), orig.Slug)
			}
			archive = res.Body
			files := unzip(t, archive)
			dir := orig.Slug + "/"
			for _, name := range []string{"plan.yaml", "days/001.md", "days/002.md", "media/cover.png"} {
				if files[dir+name] == nil {
					t.Errorf("the archive has no %s%s: %v", dir, name, slices.Sorted(maps.Keys(files)))
				}
			}
			if !bytes.Equal(files[dir+"media/cover.png"], png) {
				t.Errorf("the cover in the archive is not the uploaded one")
			}
			if !strings.Contains(string(files[dir+"plan.yaml"]), "cover: media/cover.png") {
				t.Errorf("plan.yaml does not reference its cover by path:\n%s", files[dir+"plan.yaml"])
			}
		})

		t.Run("the zip imports back as a new draft of the importer, with the same days and its cover", func(t *testing.T) {
			res := importZip(t, s, author, archive)
			if res.Status != http.StatusCreated {
				t.Fatalf("import: %d %s", res.Status, res.Body)
			}
			got := decode[studioPlanWithCover](t, res)
			if got.ID == orig.ID || got.Status != "draft" || got.Slug == orig.Slug || !strings.HasPrefix(got.Slug, orig.Slug) {
				t.Errorf("imported plan %s (%s, slug %s); want a new draft with a free slug after %s", got.ID, got.Status, got.Slug, orig.Slug)
			}
			if got.Title != orig.Title || len(got.Days) != 2 || len(got.Authors) != 1 || got.Authors[0].ID != orig.Authors[0].ID {
				t.Errorf("imported %q with %d days by %+v; want %q, 2 days, by %+v", got.Title, len(got.Days), got.Authors, orig.Title, orig.Authors)
			}
			for i, d := range orig.Days {
				g := got.Days[i]
				if g.Title != d.Title || len(g.Items) != len(d.Items) || len(g.Tasks) != len(d.Tasks) {
					t.Fatalf("day %d: %+v, want %+v", i+1, g, d)
				}
				for j, it := range d.Items {
					if gi := g.Items[j]; gi.Kind != it.Kind || gi.Title != it.Title || gi.Body != it.Body || gi.ID == it.ID {
						t.Errorf("day %d item %d: %+v, want %+v with an id of its own", i+1, j, gi, it)
					}
				}
				for j, task := range d.Tasks {
					if gt := g.Tasks[j]; gt.Kind != task.Kind || gt.Prompt != task.Prompt || gt.Minutes != task.Minutes || gt.Optional != task.Optional {
						t.Errorf("day %d task %d: %+v, want %+v", i+1, j, gt, task)
					}
				}
			}
			if got.CoverMediaID == "" || got.CoverMediaID == cover.ID || got.Cover == nil || got.Cover.Kind != "image" {
				t.Fatalf("the imported cover is %q (%+v), want a new image of its own", got.CoverMediaID, got.Cover)
			}
			m := complete(t, s, author, got.CoverMediaID) // processed like an upload
			if m.Size != int64(len(png)) || m.Width != 700 || m.Status != "ready" {
				t.Errorf("the imported cover: %+v", m)
			}
			get(t, s, author, http.StatusOK, planPath(got.ID))
		})

		t.Run("only those who may edit a plan export it", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "another author", method: http.MethodGet, path: planPath(orig.ID, "export"), as: other, status: http.StatusNotFound},
				{name: "a reader", method: http.MethodGet, path: planPath(orig.ID, "export"), as: reader, status: http.StatusForbidden},
				{name: "nobody", method: http.MethodGet, path: planPath(orig.ID, "export"), status: http.StatusUnauthorized},
				{name: "no such plan", method: http.MethodGet, path: planPath("0190a5d2-0000-7000-8000-000000000000", "export"), as: admin, status: http.StatusNotFound},
				{name: "an admin", method: http.MethodGet, path: planPath(orig.ID, "export"), as: admin, status: http.StatusOK},
			})
			apptest.Problem(t, importZip(t, s, reader, archive), http.StatusForbidden)
			apptest.Problem(t, importZip(t, s, nil, archive), http.StatusUnauthorized)
		})

		t.Run("archives that are not plan folders are refused, naming the file and line", func(t *testing.T) {
			for _, tc := range []struct {
				name     string
				data     []byte
				location string
				want     string
			}{
				{"not a zip", []byte("a letter, not an archive"), "body", "not a zip archive"},
				{"a path out of the folder", zipArchive(t, "plan.yaml", strings.Replace(bellsPlan, "%s", authorName, 1), "../../etc/cron.d/x", "boo"), "../../etc/cron.d/x", "not a plain relative path"},
				{"an absolute path", zipArchive(t, "bells/plan.yaml", "x", "/bells/days/001.md", bellsDay), "/bells/days/001.md", "not a plain relative path"},
				{"no plan.yaml", zipArchive(t, "bells/days/001.md", bellsDay), "plan.yaml", "missing"},
				{"invalid YAML", zipArchive(t, "bells/plan.yaml", "title: [unclosed\n", "bells/days/001.md", bellsDay), "bells/plan.yaml:1", ""},
				{"an unknown key", zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", authorName, 1)+"colour: blue\n", "bells/days/001.md", bellsDay), "bells/plan.yaml:8", "colour"},
				{"an unknown tradition", zipArchive(t, "bells/plan.yaml", strings.Replace(strings.Replace(bellsPlan, "%s", authorName, 1), "zen", "tantric", 1), "bells/days/001.md", bellsDay), "bells/plan.yaml", "tradition must be one of"},
				{"a text without a body", zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", authorName, 1), "bells/days/001.md", "---\ntitle: One\nitems:\n  - kind: text\n    title: Empty\n---\n"), "bells/days/001.md", "items[0].body: a text item needs a body"},
				{"a missing media file", zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", authorName, 1)+"cover: media/cover.png\n"), "bells/plan.yaml", "media/cover.png is not in the folder"},
				{"an author this server does not know", zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", "Nobody Known", 1), "bells/days/001.md", bellsDay), "bells/plan.yaml", `authors[0].name: there is no author "Nobody Known"`},
			} {
				t.Run(tc.name, func(t *testing.T) {
					fields := apptest.Problem(t, importZip(t, s, author, tc.data), http.StatusUnprocessableEntity)
					if msg, ok := fields[tc.location]; !ok || !strings.Contains(msg, tc.want) {
						t.Errorf("errors %v: want %q at %s", fields, tc.want, tc.location)
					}
				})
			}
			res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/plans/import", Token: author.Access, Body: string(archive),
				Header: http.Header{"Content-Type": {"application/json"}}})
			apptest.Problem(t, res, http.StatusUnsupportedMediaType, "application/zip")
			apptest.Problem(t, importZip(t, s, author, nil), http.StatusUnprocessableEntity)
		})

		t.Run("a media file refused leaves nothing behind", func(t *testing.T) {
			originals := func() []string {
				return slices.DeleteFunc(mediaFiles(t, s), func(f string) bool { return !strings.HasSuffix(f, "original") })
			}
			before := originals()
			data := zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", authorName, 1)+"cover: media/cover.png\n",
				"bells/days/001.md", "---\ntitle: One\nitems:\n  - kind: pdf\n    title: Notes\n    media: media/notes.txt\n---\n",
				"bells/media/cover.png", string(png), "bells/media/notes.txt", "not a pdf")
			fields := apptest.Problem(t, importZip(t, s, author, data), http.StatusUnprocessableEntity)
			if msg := fields["bells/days/001.md"]; !strings.Contains(msg, "items[0].media: media/notes.txt") {
				t.Errorf("errors %v: want one about media/notes.txt in bells/days/001.md", fields)
			}
			if after := originals(); len(after) != len(before) {
				t.Errorf("media files before %v, after %v: the cover stored first should be gone", before, after)
			}
		})

		t.Run("admins may name new authors, who are added", func(t *testing.T) {
			res := importZip(t, s, admin, zipArchive(t, "bells/plan.yaml", strings.Replace(bellsPlan, "%s", "Roshi Newcomer", 1), "bells/days/001.md", bellsDay))
			if res.Status != http.StatusCreated {
				t.Fatalf("import as admin: %d %s", res.Status, res.Body)
			}
			if p := decode[studioPlan](t, res); len(p.Authors) != 1 || p.Authors[0].Name != "Roshi Newcomer" {
				t.Errorf("authors %+v, want Roshi Newcomer", p.Authors)
			}
		})

		t.Run("nothing refused was imported", func(t *testing.T) {
			page := decode[planPage](t, get(t, s, author, http.StatusOK, "/v1/studio/plans"))
			if len(page.Items) != 2 {
				t.Errorf("the author has %d plans, want 2: the first and its one good import", len(page.Items))
			}
		})
	})
}

// Archives larger than the server takes, or that inflate past its limits,
// are refused before anything is stored.
func TestPlanZipLimits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: []string{"DHARMAPLANS_MEDIA_MAX_IMAGE=1MB", "DHARMAPLANS_MEDIA_MAX_AUDIO=1MB",
			"DHARMAPLANS_MEDIA_MAX_VIDEO=1MB", "DHARMAPLANS_MEDIA_MAX_PDF=1MB"}})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		mine := newPlan(t, s, author, map[string]any{"title": "Mine", "tradition": "zen"})
		plan := strings.Replace(bellsPlan, "%s", mine.Authors[0].Name, 1)

		// Random bytes do not compress: 1.5 MB of them is over the limit.
		noise := make([]byte, 3<<19)
		rand.Read(noise)
		apptest.Problem(t, importZip(t, s, author, zipArchive(t, "plan.yaml", "title: x", "media/noise.bin", string(noise))),
			http.StatusRequestEntityTooLarge, "1 MB")

		// Three megabytes of zeros deflate to a few kilobytes: a bomb.
		bomb := zipArchive(t, "bells/plan.yaml", plan, "bells/days/001.md", bellsDay, "bells/media/zeros.wav", strings.Repeat("\x00", 3<<20))
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes", len(bomb))
		}
		fields := apptest.Problem(t, importZip(t, s, author, bomb), http.StatusUnprocessableEntity)
		if msg := fields["bells/media/zeros.wav"]; !strings.Contains(msg, "uncompressed") {
			t.Errorf("errors %v: want the inflated size of bells/media/zeros.wav", fields)
		}
	})
}

// The review queue compares the revision in review with the published
// one: GET /published answers what readers see, in the studio's shape.
func TestPublishedRevisionForReview(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		reader := s.Register(t, "reader@example.org")
		draft := readyPlan(t, s, author, map[string]any{"title": "Seven Days of Metta", "tradition": "theravada"}, 2)

		t.Run("a plan never published has no published revision", func(t *testing.T) {
			apptest.Problem(t, get(t, s, author, http.StatusNotFound, planPath(draft.ID, "published")), http.StatusNotFound, "not been published")
		})

		published := publish(t, s, author, admin, draft.ID)
		// The author edits it: a new revision, with a new title and a third day.
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(draft.ID), map[string]any{"title": "Eight Days of Metta"})
		studioDo(t, s, author, http.StatusCreated, http.MethodPost, planPath(draft.ID, "days"), map[string]any{"title": "Day 3"})
		addTextItem(t, s, author, draft.ID, 3, "Reading 3", "The reading of day **3**.")
		studioDo(t, s, author, http.StatusOK, http.MethodPost, planPath(draft.ID, "submit"), nil)

		t.Run("the published revision keeps the old values while the studio shows the new", func(t *testing.T) {
			for _, as := range []*apptest.Account{author, admin} {
				res := get(t, s, as, http.StatusOK, planPath(draft.ID, "published"))
				if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control %q, want no-store", cc)
				}
				old := decode[studioPlan](t, res)
				if old.ID != draft.ID || old.Title != "Seven Days of Metta" || len(old.Days) != 2 || old.Revision.ID != published.Revision.ID ||
					old.Revision.State != "published" || !old.HasPublished {
					t.Errorf("published revision as %s: %q, %d days, revision %+v; want the first, published, with 2 days",
						as.Email, old.Title, len(old.Days), old.Revision)
				}
				if old.Days[0].Items[0].ID != published.Days[0].Items[0].ID {
					t.Errorf("item ids differ from the published plan's: %s, %s", old.Days[0].Items[0].ID, published.Days[0].Items[0].ID)
				}
			}
			now := decode[studioPlan](t, get(t, s, admin, http.StatusOK, planPath(draft.ID)))
			if now.Title != "Eight Days of Metta" || len(now.Days) != 3 || now.Revision.State != "in_review" || now.Revision.Number != 2 {
				t.Errorf("the studio shows %q, %d days, revision %+v; want the new one in review", now.Title, len(now.Days), now.Revision)
			}
			// Items carried over keep their ids, so the two compare item by item.
			if now.Days[0].Items[0].ID != published.Days[0].Items[0].ID {
				t.Errorf("day 1's reading changed id: %s, was %s", now.Days[0].Items[0].ID, published.Days[0].Items[0].ID)
			}
		})

		t.Run("only those who may edit the plan see it", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "another author", method: http.MethodGet, path: planPath(draft.ID, "published"), as: other, status: http.StatusNotFound, want: []string{"plan not found"}},
				{name: "a reader", method: http.MethodGet, path: planPath(draft.ID, "published"), as: reader, status: http.StatusForbidden},
				{name: "nobody", method: http.MethodGet, path: planPath(draft.ID, "published"), status: http.StatusUnauthorized},
				{name: "no such plan", method: http.MethodGet, path: planPath("not-an-id", "published"), as: admin, status: http.StatusNotFound},
			})
		})
	})
}

// A medium whose file is lost while the plan is exported breaks the
// download off: the client never takes a zip cut short for a whole one.
func TestPlanExportBreaksOffWhenAMediumCannotBeRead(t *testing.T) {
	s := apptest.Start(t, "sqlite", apptest.Options{})
	author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
	cover := upload(t, s, author, "cover.png", "image/png", drawnPNG(t, 700, 350))
	p := readyPlan(t, s, author, map[string]any{"title": "Bells", "tradition": "zen", "cover_media_id": cover.ID}, 1)
	if err := os.Remove(filepath.Join(s.Main.Config.Media(), "media", cover.ID, "original")); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+planPath(p.ID, "export"), nil)
	req.Header.Set("Authorization", "Bearer "+author.Access)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return // broken off before the answer began
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return // broken off while it was sent
	}
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		t.Fatalf("status %d and a whole zip without its cover", res.StatusCode)
	}
	t.Fatalf("status %d and %d bytes that are not a zip: the download should have broken off", res.StatusCode, len(data))
}
