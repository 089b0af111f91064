package planfile_test

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// tricky are strings that YAML, front matter or Markdown could get wrong.
var tricky = []string{
	"yes", "no", "null", "~", "true", "1.0", "0x1F", "1e3", ".inf", "2025-07-11",
	": x", "# y", "a: b", "a #b", "- list", "-", "---", "...", "'quoted'", `"double"`,
	"[flow]", "{map}", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "|", ">",
	`back\slash`, "tab\tinside", "ā ī ū ṃ ṁ ṅ ñ ṭ ḍ ṇ ḷ ś ṣ", "法句經", "🙏 ☸️",
}

// trickyMarkdown are Markdown texts with the same dangers over several lines.
var trickyMarkdown = []string{
	"    indented code\nfirst line indented",
	"trailing spaces make a break  \nnext line",
	"above\n---\nbelow\n\n---",
	"hard break\\\nby backslash\\\nagain",
	"**1** Manopubbaṅgamā dhammā,\\\nmanoseṭṭhā manomayā;",
	"# Heading\n\n- item: one\n- item # two\n\n> quote\n\n```\ncode: yes\n```",
	"'starts with a quote\nand goes on",
	"\"double\nquoted",
	"- starts like a list\n- and goes on",
	"yes\nno",
	"諸惡莫作，\n衆善奉行。",
	"tab\tin a line\n\tand leading a line",
	"windows line\r\nends",
	"\n\nleading blank lines\n\n\n",
	"...\n--- \n---",
}

// richPlan uses every key, every item and task kind and the tricky strings.
func richPlan() *catalog.PlanContent {
	c := &catalog.PlanContent{
		Slug:        "dhammapada-in-a-month",
		Title:       "The Dhammapada: Verses on the Path",
		Subtitle:    "Twenty-six chapters, yes: one a day",
		Description: "The *Dhammapada* (Pāli: **Dhammapada**; 法句經) is loved across traditions.\n\n    an indented line\n\nIt ends here.\\\nWith a hard break.",
		Authors: []catalog.AuthorContent{
			{Name: "Bhikkhu Sujato", Tradition: catalog.Theravada, Bio: "Translator at SuttaCentral.\n\n---\n\nAn Australian monk."},
			{Name: "no", Bio: "null"},
			{Name: "Thích Nhất Hạnh", Tradition: catalog.Zen},
		},
		Tradition:       catalog.Theravada,
		Topics:          []string{"ethics", "mind", "yes", "1.0", "# y", ": x"},
		Level:           catalog.Beginner,
		Language:        "en",
		CoverMediaID:    "01J9ZQ8X3M4K7D2S6V0B5N1C8T",
		FixedStartDates: []string{"2025-07-11", "2026-07-30", "not a date"},
	}
	intro := "Today we begin.\n\n---\n\nA line that is exactly three dashes came before.\\\nAnd a hard break."
	c.Days = append(c.Days, catalog.DayContent{
		Title: "Pairs",
		Intro: intro,
		Items: []catalog.ItemContent{{
			Kind: catalog.Text, Title: "Verses 1–20", Citation: "Dhp 1–20",
			SegmentStart: "dhp1:1", SegmentEnd: "dhp20:6", Minutes: 8,
			Body:         "**1** Intention shapes experiences;\\\nintention is their chief; they’re made by intention.",
			RootLanguage: "pi",
			RootText:     "Manopubbaṅgamā dhammā,\\\nmanoseṭṭhā manomayā;\nManasā ce paduṭṭhena,",
		}, {
			Kind: catalog.Audio, Title: "Chanting the Pairs", MediaID: "01J9ZQAUDIO0000000000000", Minutes: 4,
			Body: "Recorded at Wat Pah Nanachat.",
		}, {
			Kind: catalog.Video, Title: "A talk", URL: "https://example.org/talk.mp4?a=1&b=2#t=3", Minutes: 45,
		}, {
			Kind: catalog.PDF, Title: "Study notes", MediaID: "pdf-1",
		}, {
			Kind: catalog.Image, Title: "The Buddha teaching", MediaID: "img-1", Body: "Gandhāra, 2nd century.",
		}, {
			Kind: catalog.Link, Title: "SuttaCentral", URL: "https://suttacentral.net/dhp1-20/en/sujato",
		}},
		Tasks: []catalog.TaskContent{
			{Kind: catalog.Meditate, Minutes: 10, Prompt: "Sit and notice intention before each movement."},
			{Kind: catalog.Reflect, Prompt: "When did a thought shape your day?\n\nWrite it down.", Optional: true},
			{Kind: catalog.Chant, Prompt: "Namo tassa bhagavato arahato sammāsambuddhassa (×3)"},
			{Kind: catalog.Practice, Minutes: 600, Prompt: "yes", Optional: true},
			{Kind: catalog.Memorize, Prompt: "Dhp 5:\\\nNa hi verena verāni"},
		},
	})
	for i, s := range tricky {
		c.Days = append(c.Days, catalog.DayContent{
			Title: s,
			Intro: trickyMarkdown[i%len(trickyMarkdown)],
			Items: []catalog.ItemContent{{
				Kind: catalog.ItemKind(s), Title: s, Citation: s, SegmentStart: s, SegmentEnd: s,
				MediaID: s, URL: s, RootLanguage: s, Minutes: -i,
				Body: trickyMarkdown[(i+1)%len(trickyMarkdown)], RootText: trickyMarkdown[(i+2)%len(trickyMarkdown)],
			}},
			Tasks: []catalog.TaskContent{{Kind: catalog.TaskKind(s), Prompt: s}},
		})
	}
	for i, md := range trickyMarkdown {
		c.Days = append(c.Days, catalog.DayContent{Title: "Markdown " + tricky[i], Intro: md,
			Items: []catalog.ItemContent{{Kind: catalog.Text, Body: md, RootText: md}},
			Tasks: []catalog.TaskContent{{Kind: catalog.Reflect, Prompt: md}},
		})
	}
	c.Days = append(c.Days, catalog.DayContent{}) // nothing at all, not even a title
	catalog.Normalize(c)
	return c
}

// writeRead writes c to a new folder and reads it back.
func writeRead(t *testing.T, c *catalog.PlanContent) (string, *catalog.PlanContent) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "plan")
	if err := planfile.Write(dir, c); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := planfile.Read(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return dir, got
}

func checkSame(t *testing.T, got, want *catalog.PlanContent) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	if !reflect.DeepEqual(got.Days, want.Days) {
		for i := range min(len(got.Days), len(want.Days)) {
			if !reflect.DeepEqual(got.Days[i], want.Days[i]) {
				t.Fatalf("day %d:\n got %#v\nwant %#v", i+1, got.Days[i], want.Days[i])
			}
		}
	}
	g, w := *got, *want
	g.Days, w.Days = nil, nil
	t.Fatalf("read back differs:\n got %#v (%d days)\nwant %#v (%d days)", g, len(got.Days), w, len(want.Days))
}

func TestRoundTrip(t *testing.T) {
	t.Run("a rich plan reads back exactly as written", func(t *testing.T) {
		want := richPlan()
		_, got := writeRead(t, want)
		checkSame(t, got, want)
	})

	t.Run("a plan with nothing but a title reads back", func(t *testing.T) {
		want := &catalog.PlanContent{Title: "Bare"}
		catalog.Normalize(want)
		dir, got := writeRead(t, want)
		checkSame(t, got, want)
		plan, err := os.ReadFile(filepath.Join(dir, "plan.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if string(plan) != "format: 1\ntitle: Bare\n" {
			t.Errorf("plan.yaml = %q, want only format and title", plan)
		}
	})

	t.Run("an empty title and empty list entries read back", func(t *testing.T) {
		want := &catalog.PlanContent{Topics: []string{}, FixedStartDates: []string{"", "2025-01-01", ""},
			Authors: []catalog.AuthorContent{{}, {Name: "x"}},
			Days:    []catalog.DayContent{{Items: []catalog.ItemContent{{}, {}}, Tasks: []catalog.TaskContent{{}}}}}
		catalog.Normalize(want)
		_, got := writeRead(t, want)
		checkSame(t, got, want)
	})

	t.Run("the days folder may be absent, as git keeps no empty folder", func(t *testing.T) {
		want := &catalog.PlanContent{Title: "No days yet"}
		catalog.Normalize(want)
		dir := filepath.Join(t.TempDir(), "plan")
		if err := planfile.Write(dir, want); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, "days")); err != nil {
			t.Fatal(err)
		}
		got, err := planfile.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, got, want)
	})

	t.Run("files are UTF-8 with LF line ends and a final newline, and Markdown is a literal block", func(t *testing.T) {
		dir, _ := writeRead(t, richPlan())
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			if e.IsDir() {
				if perm := info.Mode().Perm(); perm&^0o755 != 0 || perm&0o700 != 0o700 {
					t.Errorf("%s: mode %v, want 0755 (less the umask)", p, perm)
				}
				return nil
			}
			if perm := info.Mode().Perm(); perm&^0o644 != 0 || perm&0o600 != 0o600 {
				t.Errorf("%s: mode %v, want 0644 (less the umask)", p, perm)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !utf8.Valid(data) || bytes.Contains(data, []byte("\r")) || !bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("%s: not UTF-8 with LF line ends and a final newline", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		plan, _ := os.ReadFile(filepath.Join(dir, "plan.yaml"))
		for _, want := range []string{"format: 1\n", "description: |\n  The *Dhammapada*", "\n  - 2025-07-11\n", "bio: |\n      Translator"} {
			if !strings.Contains(string(plan), want) {
				t.Errorf("plan.yaml lacks %q:\n%s", want, plan)
			}
		}
		day, _ := os.ReadFile(filepath.Join(dir, "days", "001.md"))
		for _, want := range []string{"---\ntitle: Pairs\nitems:\n  - kind: text\n", "    body: |\n      **1** Intention shapes experiences;\\\n", "    minutes: 8\n", "    optional: true\n", "---\nToday we begin.\n"} {
			if !strings.Contains(string(day), want) {
				t.Errorf("days/001.md lacks %q:\n%s", want, day)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "days", "002.md")); err != nil {
			t.Error(err)
		}
	})
}

func TestReadFS(t *testing.T) {
	want := richPlan()
	dir := filepath.Join(t.TempDir(), "plan")
	if err := planfile.Write(dir, want); err != nil {
		t.Fatal(err)
	}

	t.Run("reads a folder through os.DirFS", func(t *testing.T) {
		got, err := planfile.ReadFS(os.DirFS(filepath.Dir(dir)), "plan")
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, got, want)
	})

	t.Run("reads a plan embedded in a file system, as the binary embeds demo plans", func(t *testing.T) {
		fsys := fstest.MapFS{}
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			fsys[path.Join("plans", "dhammapada", filepath.ToSlash(rel))] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := planfile.ReadFS(fsys, "plans/dhammapada")
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, got, want)
	})

	t.Run("a hand-written folder reads as the author meant", func(t *testing.T) {
		fsys := fstest.MapFS{
			"README.md": {Data: []byte("# Not part of the plan\n")},
			"plan.yaml": {Data: []byte("\uFEFF# A comment\r\nformat: 1\r\ntitle: 1984\r\ntopics: [Ethics, ethics, Mind]\r\n" +
				"authors:\r\n  - name: Ajahn Chah\r\n    tradition: theravada\r\n" +
				"fixed_start_dates:\r\n  - 2025-07-11\r\n  - '2026-07-30'\r\n" +
				"description: >\r\n  Folded\r\n  text.\r\n")},
			"days/.gitkeep":  {},
			"days/.DS_Store": {Data: []byte{0, 1, 2}},
			"days/001.md":    {Data: []byte("\uFEFF---\ntitle: \"Day: one\"  # a comment\nitems:\n---\n\n\nHello.\n\n---\nStill the intro.\n\n")},
			"days/002.md":    {Data: []byte("---\r\ntitle: Two\r\ntasks:\r\n  - kind: meditate\r\n    minutes: 0x0A\r\n    optional: True\r\n    prompt: |\r\n      Sit.\r\n      Breathe.\r\n--- \r\n")},
		}
		got, err := planfile.ReadFS(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		want := &catalog.PlanContent{
			Title: "1984", Topics: []string{"ethics", "mind"},
			Authors:         []catalog.AuthorContent{{Name: "Ajahn Chah", Tradition: catalog.Theravada}},
			FixedStartDates: []string{"2025-07-11", "2026-07-30"},
			Description:     "Folded text.",
			Days: []catalog.DayContent{
				{Title: "Day: one", Intro: "Hello.\n\n---\nStill the intro."},
				{Title: "Two", Tasks: []catalog.TaskContent{{Kind: catalog.Meditate, Minutes: 10, Optional: true, Prompt: "Sit.\nBreathe."}}},
			},
		}
		catalog.Normalize(want)
		checkSame(t, got, want)
	})
}

func TestWrite(t *testing.T) {
	plan := &catalog.PlanContent{Title: "A plan", Days: []catalog.DayContent{{Title: "One"}}}

	t.Run("creates the folder and its parents", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b", "plan")
		if err := planfile.Write(dir, plan); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "days", "001.md")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("writes into an empty folder", func(t *testing.T) {
		if err := planfile.Write(t.TempDir(), plan); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("refuses a folder that is not empty and leaves it alone", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := planfile.Write(dir, plan)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("err = %v, want a folder that is not empty refused", err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("the folder now holds %d entries, want only notes.txt", len(entries))
		}
	})

	t.Run("refuses a file where the folder should be", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "plan")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := planfile.Write(file, plan); err == nil {
			t.Fatal("wrote a plan over a file")
		}
	})

	t.Run("refuses more days than a plan holds, writing nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "plan")
		long := &catalog.PlanContent{Title: "Long", Days: make([]catalog.DayContent, catalog.MaxDays+1)}
		if err := planfile.Write(dir, long); err == nil || !strings.Contains(err.Error(), "366 days") {
			t.Fatalf("err = %v, want 366 days refused", err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("the folder was created: %v", err)
		}
	})

	t.Run("refuses text that is not UTF-8, naming where it is", func(t *testing.T) {
		bad := &catalog.PlanContent{Title: "Bad", Days: []catalog.DayContent{{Title: "One"}, {Title: "Two",
			Items: []catalog.ItemContent{{Kind: catalog.Text}, {Kind: catalog.Text, Body: "caf\xe9"}}}}}
		err := planfile.Write(filepath.Join(t.TempDir(), "plan"), bad)
		if err == nil || !strings.Contains(err.Error(), `days/002.md: key "body" in item 2 is not valid UTF-8`) {
			t.Fatalf("err = %v, want the body of item 2 of day 2 named", err)
		}
		bad = &catalog.PlanContent{Title: "Bad", Days: []catalog.DayContent{{Title: "One", Intro: "\xff"}}}
		err = planfile.Write(filepath.Join(t.TempDir(), "plan"), bad)
		if err == nil || !strings.Contains(err.Error(), "days/001.md: the introduction is not valid UTF-8") {
			t.Fatalf("err = %v, want the introduction of day 1 named", err)
		}
	})
}
