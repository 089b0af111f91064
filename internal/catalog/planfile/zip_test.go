package planfile_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// zipOf builds an archive of files (path -> content; a path ending in /
// is a folder).
func zipOf(t testing.TB, files ...string) []byte {
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

const (
	minimalPlan = "format: 1\ntitle: Bells\ntradition: zen\nlanguage: en\nlevel: beginner\nauthors:\n  - name: Roshi\n"
	minimalDay  = "---\ntitle: One\nitems:\n  - kind: link\n    title: More\n    url: https://example.org\n---\n"
)

func openZip(data []byte, lim planfile.ZipLimits) (*planfile.Archive, error) {
	return planfile.OpenZip(bytes.NewReader(data), int64(len(data)), lim)
}

// wantProblem fails t unless err reports a problem with file whose message
// contains msg.
func wantProblem(t *testing.T, err error, file, msg string) {
	t.Helper()
	list, ok := planfile.Problems(err)
	if !ok {
		t.Fatalf("error %v is not a list of problems", err)
	}
	for _, p := range list {
		if p.File == file && strings.Contains(p.Msg, msg) {
			return
		}
	}
	t.Errorf("problems %v: none with %q saying %q", err, file, msg)
}

// A plan written as a zip reads back the same, its media stored again,
// each once.
func TestZipRoundTrip(t *testing.T) {
	ctx := context.Background()
	from := newShelf()
	cover, _ := from.Store(ctx, "cover.png", 4, strings.NewReader("\x89PNG"))
	talk, _ := from.Store(ctx, "bell.mp3", 3, strings.NewReader("ID3"))
	other, _ := from.Store(ctx, "../bell.mp3", 5, strings.NewReader("ID3v2"))
	c := withMedia(cover, talk, other)
	c.Days[1].Items = append(c.Days[1].Items, catalog.ItemContent{Kind: catalog.Audio, Title: "Once more", MediaID: talk})
	catalog.Normalize(c)
	z, err := planfile.NewZip(c, "bells", func(id string) (string, error) { return from.names[id], nil })
	if err != nil {
		t.Fatal(err)
	}
	z.Modified = time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := z.Write(ctx, &buf, from); err != nil {
		t.Fatal(err)
	}

	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	want := []string{"bells/plan.yaml", "bells/days/001.md", "bells/days/002.md", "bells/media/cover.png", "bells/media/bell.mp3", "bells/media/bell-2.mp3"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}

	a, err := openZip(buf.Bytes(), planfile.DefaultZipLimits)
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir() != "bells" {
		t.Errorf("the plan folder is %q, want bells", a.Dir())
	}
	read, err := a.Read()
	if err != nil {
		t.Fatal(err)
	}
	if read.CoverMediaID != "media/cover.png" || read.Days[1].Items[0].MediaID != "media/bell-2.mp3" {
		t.Errorf("references %q and %q, want paths in media/", read.CoverMediaID, read.Days[1].Items[0].MediaID)
	}
	to := newShelf()
	ids, err := a.StoreMedia(ctx, read, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || len(to.data) != 3 {
		t.Errorf("stored %v (%d files), want 3: the talk named twice is stored once", ids, len(to.data))
	}
	for old, id := range map[string]string{cover: read.CoverMediaID, talk: read.Days[0].Items[0].MediaID, other: read.Days[1].Items[0].MediaID} {
		if !bytes.Equal(from.data[old], to.data[id]) {
			t.Errorf("medium %s came back as %q, want %q", old, to.data[id], from.data[old])
		}
	}
	read.CoverMediaID, read.Days[0].Items[0].MediaID, read.Days[1].Items[0].MediaID, read.Days[1].Items[2].MediaID = cover, talk, other, talk
	if !reflect.DeepEqual(read, c) {
		t.Errorf("read back\n%+v\nwant\n%+v", read, c)
	}
}

func TestZipWriteStopsAtAMediumThatCannotBeRead(t *testing.T) {
	ctx := context.Background()
	from := newShelf()
	talk, _ := from.Store(ctx, "bell.mp3", 3, strings.NewReader("ID3"))
	if _, err := planfile.NewZip(withMedia("gone", talk, ""), "bells", func(id string) (string, error) {
		if from.names[id] == "" {
			return "", errors.New("no such medium")
		}
		return from.names[id], nil
	}); err == nil || !strings.Contains(err.Error(), "no such medium") {
		t.Errorf("NewZip with a medium that is gone: %v", err)
	}
	from.broken = talk
	z, err := planfile.NewZip(withMedia("", talk, ""), "bells", func(id string) (string, error) { return from.names[id], nil })
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := z.Write(ctx, &buf, from); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Write with an unreadable medium: %v", err)
	}
}

func TestZipFindsThePlanFolder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		dir   string
	}{
		{"at the root", []string{"plan.yaml", minimalPlan, "days/001.md", minimalDay}, "."},
		{"in one top folder", []string{"bells/plan.yaml", minimalPlan, "bells/days/001.md", minimalDay}, "bells"},
		{"beside what macOS adds", []string{"__MACOSX/bells/._plan.yaml", "x", ".DS_Store", "x", "bells/", "", "bells/plan.yaml", minimalPlan}, "bells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := openZip(zipOf(t, tc.files...), planfile.DefaultZipLimits)
			if err != nil {
				t.Fatal(err)
			}
			if a.Dir() != tc.dir {
				t.Errorf("folder %q, want %q", a.Dir(), tc.dir)
			}
			if c, err := a.Read(); err != nil || c.Title != "Bells" {
				t.Errorf("Read = %+v, %v", c, err)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		files []string
	}{
		{"no plan.yaml", []string{"days/001.md", minimalDay}},
		{"two top folders", []string{"a/plan.yaml", minimalPlan, "b/plan.yaml", minimalPlan}},
		{"a file beside the top folder", []string{"readme.txt", "hi", "a/plan.yaml", minimalPlan}},
		{"plan.yaml too deep", []string{"a/b/plan.yaml", minimalPlan}},
		{"empty", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openZip(zipOf(t, tc.files...), planfile.DefaultZipLimits)
			wantProblem(t, err, "plan.yaml", "missing")
		})
	}
}

// Problems name the file as the archive holds it, with its line.
func TestZipProblemsNameTheEntry(t *testing.T) {
	a, err := openZip(zipOf(t, "bells/plan.yaml", minimalPlan+"colour: blue\n", "bells/days/001.md", "---\ntitle: [unclosed\n---\n"), planfile.DefaultZipLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Read()
	wantProblem(t, err, "bells/plan.yaml", "colour")
	list, _ := planfile.Problems(err)
	for _, p := range list {
		if p.File == "bells/plan.yaml" && p.Line != 8 {
			t.Errorf("the unknown key is reported on line %d, want 8", p.Line)
		}
	}
	wantProblem(t, err, "bells/days/001.md", "")
}

func TestZipRefusesUnsafeArchives(t *testing.T) {
	small := planfile.ZipLimits{MaxEntries: 5, MaxFileBytes: 1 << 20, MaxTotalBytes: 3 << 19}
	t.Run("not a zip", func(t *testing.T) {
		_, err := openZip([]byte("PK but not really"), small)
		wantProblem(t, err, "", "not a zip archive")
	})
	for _, name := range []string{"../evil.yaml", "/etc/passwd", "bells/../../evil", `bells\plan.yaml`, "C:/plan.yaml", "./plan.yaml", "a//b"} {
		t.Run("zip slip "+name, func(t *testing.T) {
			_, err := openZip(zipOf(t, "plan.yaml", minimalPlan, name, "x"), small)
			wantProblem(t, err, name, "not a plain relative path")
		})
	}
	t.Run("twice the same name", func(t *testing.T) {
		_, err := openZip(zipOf(t, "plan.yaml", minimalPlan, "plan.yaml", "title: Other"), small)
		wantProblem(t, err, "plan.yaml", "appears twice")
	})
	t.Run("too many entries", func(t *testing.T) {
		_, err := openZip(zipOf(t, "plan.yaml", minimalPlan, "a", "", "b", "", "c", "", "d", "", "e", ""), small)
		wantProblem(t, err, "", "6 entries")
	})
	t.Run("a symbolic link", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		zw.Create("plan.yaml")
		h := &zip.FileHeader{Name: "days"}
		h.SetMode(0o777 | 1<<27) // fs.ModeSymlink
		w, _ := zw.CreateHeader(h)
		io.WriteString(w, "/etc")
		zw.Close()
		_, err := openZip(buf.Bytes(), small)
		wantProblem(t, err, "days", "symbolic link")
	})

	// A bomb: a megabyte and a half of zeros deflates to a few kilobytes.
	zeros := bytes.Repeat([]byte{0}, 3<<19)
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write(zeros)
	fw.Close()
	raw := func(name string, declared uint64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	t.Run("a file larger than a file may be", func(t *testing.T) {
		_, err := openZip(raw("plan.yaml", uint64(len(zeros))), small)
		wantProblem(t, err, "plan.yaml", "1.5 MB uncompressed")
	})
	t.Run("files larger together than an archive may hold", func(t *testing.T) {
		_, err := openZip(zipOf(t, "plan.yaml", minimalPlan, "days/001.md", string(zeros[:1<<20]), "media/a.bin", string(zeros[:1<<19])), small)
		wantProblem(t, err, "", "holds at most 1.5 MB")
	})
	t.Run("a file that inflates to more than it declares", func(t *testing.T) {
		a, err := openZip(raw("plan.yaml", 100), small)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Read()
		wantProblem(t, err, "plan.yaml", "damaged")
	})
}

func TestFieldFile(t *testing.T) {
	for field, want := range map[string][2]string{
		"title":                      {"plan.yaml", "title"},
		"cover_media_id":             {"plan.yaml", "cover"},
		"authors[1].name":            {"plan.yaml", "authors[1].name"},
		"days[0].title":              {"days/001.md", "title"},
		"days[41].items[2].media_id": {"days/042.md", "items[2].media"},
		"days[9999].title":           {"plan.yaml", "days[9999].title"},
		"days":                       {"plan.yaml", "days"},
	} {
		if file, key := planfile.FieldFile(field); file != want[0] || key != want[1] {
			t.Errorf("FieldFile(%q) = %s, %s; want %s, %s", field, file, key, want[0], want[1])
		}
	}
}

// FuzzOpenZip feeds the zip reader anything a client could send: the
// answer is a plan or problems with the files, never a panic or an error
// of another kind.
func FuzzOpenZip(f *testing.F) {
	f.Add(zipOf(f, "plan.yaml", minimalPlan, "days/001.md", minimalDay))
	f.Add(zipOf(f, "bells/plan.yaml", minimalPlan+"cover: media/c.png\n", "bells/media/c.png", "\x89PNG", "bells/days/001.md", minimalDay))
	f.Add(zipOf(f, "../plan.yaml", minimalPlan))
	f.Add(zipOf(f, "plan.yaml", "title: [", "days/", "", "days/01.md", "x"))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := openZip(data, planfile.ZipLimits{MaxEntries: 50, MaxFileBytes: 1 << 20, MaxTotalBytes: 2 << 20})
		if err != nil {
			if _, ok := planfile.Problems(err); !ok {
				t.Fatalf("OpenZip: %v is not a list of problems", err)
			}
			return
		}
		c, err := a.Read()
		if err != nil {
			if _, ok := planfile.Problems(err); !ok {
				t.Fatalf("Read: %v is not a list of problems", err)
			}
			return
		}
		if c == nil {
			t.Fatal("Read returned neither a plan nor problems")
		}
		if _, err := a.StoreMedia(context.Background(), c, newShelf()); err != nil {
			var me *planfile.MediaError
			if !errors.As(err, &me) {
				t.Fatalf("StoreMedia: %v is not a media error", err)
			}
		}
	})
}

// A reference to a media file the archive does not hold is a problem of
// the file that references it.
func TestZipMediaMustBeInTheArchive(t *testing.T) {
	a, err := openZip(zipOf(t, "plan.yaml", minimalPlan+"cover: media/c.png\n", "days/001.md", minimalDay), planfile.DefaultZipLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Read()
	wantProblem(t, err, "plan.yaml", "cover: media/c.png is not in the folder")
}

// An archive of a great many tiny entries is refused before they are all
// read into memory.
func TestZipRefusesAHugeDirectory(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 50_000 {
		zw.Create(strings.Repeat("x", i%7+1) + "/" + strconv.Itoa(i))
	}
	zw.Close()
	_, err := openZip(buf.Bytes(), planfile.ZipLimits{MaxEntries: 100, MaxFileBytes: 1 << 20, MaxTotalBytes: 1 << 20})
	wantProblem(t, err, "", "too many entries")
}
