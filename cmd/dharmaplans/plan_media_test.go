package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
	"github.com/dharmaplans/dharmaplans/internal/media/mediatest"
)

// A plan folder carries its cover and recordings in media/: import stores
// them in the media store, export copies them back out.
func TestPlanFolderCarriesItsMedia(t *testing.T) {
	data := t.TempDir()
	env := []string{"DHARMAPLANS_DATA_DIR=" + data, "DHARMAPLANS_LOG_LEVEL=warn"}
	cover, bell := mediatest.PNG(64, 32), mediatest.ToneWAV(0.5)
	folder := func(t *testing.T, slug string, files map[string][]byte) string {
		t.Helper()
		dir := filepath.Join(t.TempDir(), slug)
		c := &catalog.PlanContent{Slug: slug, Title: "Bells", Tradition: catalog.Zen, Level: catalog.Beginner, Language: "en", CoverMediaID: "media/cover.png",
			Authors: []catalog.AuthorContent{{Name: "Roshi"}},
			Days: []catalog.DayContent{{Title: "Listening", Items: []catalog.ItemContent{
				{Kind: catalog.Audio, Title: "The bell", MediaID: "media/bell.wav", Minutes: 1},
				{Kind: catalog.Audio, Title: "The bell again", MediaID: "media/bell.wav", Minutes: 1},
			}}}}
		if err := planfile.Write(dir, c); err != nil {
			t.Fatal(err)
		}
		os.Mkdir(filepath.Join(dir, "media"), 0o755)
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, "media", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}

	out, errOut, code := command(t, env, "", "plan", "import", "--publish", folder(t, "bells", map[string][]byte{"cover.png": cover, "bell.wav": bell}))
	if code != 0 || !strings.Contains(out, "imported bells") {
		t.Fatalf("plan import: exit %d\n%s%s", code, out, errOut)
	}
	stored, _ := filepath.Glob(filepath.Join(data, "media", "media", "*", "original"))
	if len(stored) != 2 {
		t.Errorf("the media store holds %d files, want the cover and the bell once", len(stored))
	}

	again := filepath.Join(t.TempDir(), "again")
	if out, errOut, code := command(t, env, "", "plan", "export", "bells", again); code != 0 {
		t.Fatalf("plan export: exit %d\n%s%s", code, out, errOut)
	}
	for name, want := range map[string][]byte{"cover.png": cover, "bell.wav": bell} {
		if got, err := os.ReadFile(filepath.Join(again, "media", name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("exported media/%s: %d bytes, %v; want the %d bytes imported", name, len(got), err, len(want))
		}
	}
	yaml, _ := os.ReadFile(filepath.Join(again, "plan.yaml"))
	day, _ := os.ReadFile(filepath.Join(again, "days", "001.md"))
	if !strings.Contains(string(yaml), "cover: media/cover.png") || strings.Count(string(day), "media: media/bell.wav") != 2 {
		t.Errorf("the exported folder does not reference its files:\n%s\n%s", yaml, day)
	}

	// A file whose bytes are not what its name says is refused, naming it.
	_, errOut, code = command(t, env, "", "plan", "import", folder(t, "fake", map[string][]byte{"cover.png": []byte("<html><script>x</script></html>"), "bell.wav": bell}))
	if code != 1 || !strings.Contains(errOut, "plan.yaml: cover") || !strings.Contains(errOut, "its bytes are text/html") {
		t.Errorf("importing an HTML file as a PNG: exit %d, stderr %q", code, errOut)
	}
	// A reference to a file the folder lacks is a problem of the folder.
	_, errOut, code = command(t, env, "", "plan", "import", folder(t, "lacking", map[string][]byte{"cover.png": cover}))
	if code != 1 || !strings.Contains(errOut, "days/001.md: items[0].media: media/bell.wav is not in the folder") {
		t.Errorf("importing a folder without its recording: exit %d, stderr %q", code, errOut)
	}
}
