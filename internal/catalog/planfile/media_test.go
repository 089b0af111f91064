package planfile_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// shelf keeps media in memory, as the media service keeps them on disk.
type shelf struct {
	names  map[string]string
	data   map[string][]byte
	broken string // the id of a medium whose file fails to read
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

func newShelf() *shelf { return &shelf{names: map[string]string{}, data: map[string][]byte{}} }

func (s *shelf) Store(_ context.Context, name string, size int64, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	if int64(len(b)) != size {
		return "", fmt.Errorf("%s: %d bytes, not %d", name, len(b), size)
	}
	id := fmt.Sprintf("m%d", len(s.data)+1)
	s.names[id], s.data[id] = name, b
	return id, nil
}

func (s *shelf) Open(_ context.Context, id string) (string, io.ReadCloser, error) {
	b, ok := s.data[id]
	if !ok {
		return "", nil, fmt.Errorf("no media %s", id)
	}
	if id == s.broken {
		return s.names[id], io.NopCloser(failing{}), nil
	}
	return s.names[id], io.NopCloser(bytes.NewReader(b)), nil
}

// withMedia is a two-day plan whose cover and items reference media ids.
func withMedia(cover, talk, again string) *catalog.PlanContent {
	return &catalog.PlanContent{Title: "Bells", Tradition: catalog.Zen, Level: catalog.Beginner, Language: "en", CoverMediaID: cover,
		Authors: []catalog.AuthorContent{{Name: "Roshi"}},
		Days: []catalog.DayContent{
			{Title: "One", Items: []catalog.ItemContent{{Kind: catalog.Audio, Title: "The bell", MediaID: talk, Minutes: 3}}},
			{Title: "Two", Items: []catalog.ItemContent{
				{Kind: catalog.Audio, Title: "The bell again", MediaID: again, Minutes: 3},
				{Kind: catalog.Link, Title: "More", URL: "https://example.org/bells"},
			}},
		}}
}

// A plan exported with its media carries the files in media/, and
// imports back with each file stored once.
func TestMediaTravelWithThePlanFolder(t *testing.T) {
	ctx := context.Background()
	from := newShelf()
	cover, _ := from.Store(ctx, "cover.png", 4, strings.NewReader("\x89PNG"))
	talk, _ := from.Store(ctx, "bell.mp3", 3, strings.NewReader("ID3"))
	other, _ := from.Store(ctx, "bell.mp3", 5, strings.NewReader("ID3v2"))
	c := withMedia(cover, talk, other)
	dir := filepath.Join(t.TempDir(), "bells")
	if err := planfile.WriteWithMedia(ctx, dir, c, from); err != nil {
		t.Fatal(err)
	}
	if c.CoverMediaID != cover {
		t.Errorf("WriteWithMedia changed the plan it wrote: cover %q", c.CoverMediaID)
	}
	for name, want := range map[string]string{"cover.png": "\x89PNG", "bell.mp3": "ID3", "bell-2.mp3": "ID3v2"} {
		if got, err := os.ReadFile(filepath.Join(dir, "media", name)); err != nil || string(got) != want {
			t.Errorf("media/%s: %q, %v; want %q", name, got, err, want)
		}
	}

	read, err := planfile.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if read.CoverMediaID != "media/cover.png" || read.Days[1].Items[0].MediaID != "media/bell-2.mp3" {
		t.Fatalf("read references %q and %q, want paths in media/", read.CoverMediaID, read.Days[1].Items[0].MediaID)
	}
	// The same file named twice is stored once.
	read.Days[1].Items[0].MediaID = "media/bell.mp3"
	to := newShelf()
	if err := planfile.StoreMedia(ctx, dir, read, to); err != nil {
		t.Fatal(err)
	}
	if len(to.data) != 2 || read.Days[0].Items[0].MediaID != read.Days[1].Items[0].MediaID {
		t.Errorf("stored %d files, items reference %q and %q; want 2 files, the talk once", len(to.data),
			read.Days[0].Items[0].MediaID, read.Days[1].Items[0].MediaID)
	}
	if name, rc, err := to.Open(ctx, read.CoverMediaID); err != nil || name != "cover.png" {
		t.Errorf("the stored cover: %q, %v", name, err)
	} else if b, _ := io.ReadAll(rc); string(b) != "\x89PNG" {
		t.Errorf("the stored cover holds %q", b)
	}
}

// References to files the folder does not hold are problems of the
// folder, named where they are written.
func TestMediaFilesMustBeInTheFolder(t *testing.T) {
	ctx := context.Background()
	from := newShelf()
	talk, _ := from.Store(ctx, "bell.mp3", 3, strings.NewReader("ID3"))
	dir := filepath.Join(t.TempDir(), "bells")
	if err := planfile.WriteWithMedia(ctx, dir, withMedia("", talk, ""), from); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("not media"), 0o644)
	os.Mkdir(filepath.Join(dir, "media", "sub"), 0o755)
	yaml, _ := os.ReadFile(filepath.Join(dir, "plan.yaml"))
	for _, tc := range []struct{ cover, want string }{
		{"media/missing.png", "plan.yaml: cover: media/missing.png is not in the folder"},
		{"media/../secret.txt", `plan.yaml: cover: "media/../secret.txt" is not a file of the folder media/`},
		{"media/sub", "plan.yaml: cover: media/sub is not a plain file"},
	} {
		os.WriteFile(filepath.Join(dir, "plan.yaml"), append(bytes.Clone(yaml), []byte("cover: "+tc.cover+"\n")...), 0o644)
		_, err := planfile.Read(dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cover %s: %v; want %q", tc.cover, err, tc.want)
		}
	}
	// A medium that cannot be found, or read, leaves no folder behind.
	out := filepath.Join(t.TempDir(), "broken")
	if err := planfile.WriteWithMedia(ctx, out, withMedia("nope", talk, ""), from); err == nil || !strings.Contains(err.Error(), "no media nope") {
		t.Errorf("exporting a plan with a missing medium: %v", err)
	}
	from.broken = talk
	if err := planfile.WriteWithMedia(ctx, out, withMedia("", talk, ""), from); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("exporting a plan with an unreadable medium: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) > 0 {
		t.Errorf("a failed export left %d entries behind", len(entries))
	}
}
