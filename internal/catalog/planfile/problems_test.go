package planfile_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// absent removes a file from the folder a problem case starts from.
const absent = "\x00absent"

// folder is a valid plan folder changed by files.
func folder(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"plan.yaml":   {Data: []byte("format: 1\ntitle: T\n")},
		"days/001.md": {Data: []byte("---\ntitle: One\n---\n")},
	}
	for name, data := range files {
		if data == absent {
			delete(fsys, name)
		} else {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	return fsys
}

// item2 is a day whose second item has a misspelt key on line 9.
const item2 = `---
title: Pairs
items:
  - kind: text
    title: Verses 1–20
    minutes: 8
  - kind: text
    title: Verses 21–32
    minuts: 8
---
`

func TestReadProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // each a line of the error
	}{{
		name:  "a folder without plan.yaml",
		files: map[string]string{"plan.yaml": absent},
		want:  []string{"plan.yaml: missing: a plan folder holds plan.yaml and a folder days"},
	}, {
		name:  "another format version",
		files: map[string]string{"plan.yaml": "format: 2\ntitle: T\n"},
		want:  []string{`plan.yaml: line 1: key "format": want 1, got 2`},
	}, {
		name:  "a format given as text",
		files: map[string]string{"plan.yaml": "title: T\nformat: \"1\"\n"},
		want:  []string{`plan.yaml: line 2: key "format": want 1, got "1"`},
	}, {
		name:  "plan.yaml without format and title",
		files: map[string]string{"plan.yaml": "slug: s\n"},
		want:  []string{`plan.yaml: missing key "format"`, `plan.yaml: missing key "title"`},
	}, {
		name:  "an empty plan.yaml",
		files: map[string]string{"plan.yaml": ""},
		want:  []string{`plan.yaml: missing key "format"`, `plan.yaml: missing key "title"`},
	}, {
		name:  "plan.yaml that is a list",
		files: map[string]string{"plan.yaml": "- format: 1\n"},
		want:  []string{"plan.yaml: line 1: want a mapping of keys, got a list"},
	}, {
		name:  "an unknown key in plan.yaml",
		files: map[string]string{"plan.yaml": "format: 1\ntitle: T\nautors: []\n"},
		want:  []string{`plan.yaml: line 3: unknown key "autors"`},
	}, {
		name: "values of the wrong type in plan.yaml",
		files: map[string]string{"plan.yaml": "format: 1\ntitle: [a, b]\ntopics: ethics\n" +
			"authors:\n  - name: {first: Ajahn}\n  - Ajahn Chah\nfixed_start_dates: [2025-01-01, [x]]\n" +
			"cover: !!binary aGVsbG8=\n"},
		want: []string{
			`plan.yaml: line 2: key "title": want text, got a list`,
			`plan.yaml: line 3: key "topics": want a list, got "ethics"`,
			`plan.yaml: line 5: key "name" in author 1: want text, got a mapping of keys`,
			`plan.yaml: line 6: author 2: want a mapping of keys, got "Ajahn Chah"`,
			`plan.yaml: line 7: key "fixed_start_dates", entry 2: want text, got a list`,
			`plan.yaml: line 8: key "cover": want text, got a value tagged !!binary`,
		},
	}, {
		name:  "an unknown key in an item",
		files: map[string]string{"days/003.md": item2, "days/002.md": "---\ntitle: Two\n---\n"},
		want:  []string{`days/003.md: line 9: unknown key "minuts" in item 2`},
	}, {
		name: "values of the wrong type in a day",
		files: map[string]string{"days/001.md": "---\ntitle: One\nitems:\n  - kind: text\n    minutes: eight\n  - minutes: 1.5\n" +
			"tasks:\n  - kind: reflect\n    optional: yes\n---\n"},
		want: []string{
			`days/001.md: line 5: key "minutes" in item 1: want a whole number, got "eight"`,
			`days/001.md: line 6: key "minutes" in item 2: want a whole number, got 1.5`,
			`days/001.md: line 9: key "optional" in task 1: want true or false, got "yes"`,
		},
	}, {
		name:  "a list entry that is not a mapping",
		files: map[string]string{"days/001.md": "---\ntitle: One\ntasks:\n  - plain\n  -\nitems: {}\n---\n"},
		want: []string{
			`days/001.md: line 4: task 1: want a mapping of keys, got "plain"`,
			`days/001.md: line 5: task 2: want a mapping of keys, got nothing`,
			`days/001.md: line 6: key "items": want a list, got a mapping of keys`,
		},
	}, {
		name:  "an alias",
		files: map[string]string{"days/001.md": "---\ntitle: &t One\nitems:\n  - title: *t\n---\n"},
		want:  []string{`days/001.md: line 4: key "title" in item 1: want text, got an alias (*t): aliases are not supported`},
	}, {
		name:  "a key given twice",
		files: map[string]string{"days/001.md": "---\ntitle: One\nitems:\n  - kind: text\n    kind: link\ntitle: Two\n---\n"},
		want: []string{
			`days/001.md: line 5: key "kind" in item 1 appears twice (first on line 4)`,
			`days/001.md: line 6: key "title" appears twice (first on line 2)`,
		},
	}, {
		name:  "a day without a title",
		files: map[string]string{"days/001.md": "---\nitems: []\n---\nIntro.\n"},
		want:  []string{`days/001.md: missing key "title"`},
	}, {
		name:  "a day without front matter",
		files: map[string]string{"days/001.md": "title: One\n---\nIntro.\n"},
		want:  []string{`days/001.md: line 1: no front matter: a day file begins with a line "---"`},
	}, {
		name:  "front matter that is not closed",
		files: map[string]string{"days/001.md": "---\ntitle: One\n-- \n"},
		want:  []string{`days/001.md: line 1: front matter not closed: add a line "---" after the day's keys`},
	}, {
		name:  "front matter that is not YAML",
		files: map[string]string{"days/001.md": "---\ntitle: One\nitems: a: b\n---\n"},
		want:  []string{"days/001.md: line 3: mapping values are not allowed in this context"},
	}, {
		name:  "front matter with a second document",
		files: map[string]string{"days/001.md": "---\ntitle: One\n--- Two\n---\n", "plan.yaml": "format: 1\ntitle: T\n---\nformat: 1\n"},
		want: []string{
			`plan.yaml: line 3: a second YAML document starts here: only one is allowed`,
			`days/001.md: line 3: a second YAML document starts here`,
		},
	}, {
		name:  "a file that is not UTF-8",
		files: map[string]string{"days/001.md": "---\ntitle: One\n---\nCaf\xe9\n"},
		want:  []string{"days/001.md: line 4: not UTF-8 text: save the file as UTF-8"},
	}, {
		name: "names in days that are not day files",
		files: map[string]string{"days/1.md": "", "days/0001.md": "", "days/notes.txt": "", "days/002.MD": "",
			"days/000.md": "", "days/extra/004.md": ""},
		want: []string{
			`days/0001.md: not a day file: day files are named by their number with three digits, 001.md to 365.md`,
			`days/002.MD: not a day file`,
			`days/000.md: not a day file: days are numbered from 001`,
			`days/1.md: not a day file`,
			`days/extra: is a folder: days holds only day files`,
			`days/notes.txt: not a day file`,
		},
	}, {
		name:  "a missing day",
		files: map[string]string{"days/003.md": "---\ntitle: Three\n---\n"},
		want:  []string{"days/002.md: missing: days are numbered from 001 without gaps"},
	}, {
		name:  "several missing days",
		files: map[string]string{"days/001.md": absent, "days/005.md": "---\ntitle: Five\n---\n", "days/007.md": "---\ntitle: Seven\n---\n"},
		want:  []string{"days/: 001.md to 004.md are missing: days are numbered from 001 without gaps", "days/006.md: missing"},
	}, {
		name:  "days that is a file",
		files: map[string]string{"days/001.md": absent, "days": "not a folder"},
		want:  []string{"days/: is a file: days must be a folder of day files"},
	}, {
		name:  "plan.yaml that is a folder",
		files: map[string]string{"plan.yaml": absent, "plan.yaml/x": ""},
		want:  []string{"plan.yaml: is a folder: want a file"},
	}, {
		name:  "a file over 8 MiB",
		files: map[string]string{"days/001.md": "---\ntitle: Big\n---\n" + strings.Repeat("x", 8<<20)},
		want:  []string{"days/001.md: is larger than 8 MiB"},
	}} {
		t.Run(tc.name+" is reported with its file and line", func(t *testing.T) {
			_, err := planfile.ReadFS(folder(tc.files), ".")
			if err == nil {
				t.Fatal("read without error")
			}
			lines := strings.Split(err.Error(), "\n")
			for _, want := range tc.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, want)
				}
				if !found {
					t.Errorf("no problem %q in:\n%v", want, err)
				}
			}
			if len(lines) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(lines), len(tc.want), err)
			}
		})
	}
}

func TestReadProblemsTogether(t *testing.T) {
	t.Run("problems in several files are reported together, as *planfile.Error", func(t *testing.T) {
		_, err := planfile.ReadFS(folder(map[string]string{
			"plan.yaml":   "format: 1\ntitle: T\nsubtitel: S\n",
			"days/002.md": "---\ntitle: Two\nitems:\n  - kind: text\n    minuts: 8\n---\n",
			"days/003.md": "no front matter\n",
		}), ".")
		var first *planfile.Error
		if !errors.As(err, &first) {
			t.Fatalf("err = %v, want *planfile.Error", err)
		}
		if first.File != "plan.yaml" || first.Line != 3 || first.Msg != `unknown key "subtitel"` {
			t.Errorf("first problem = %+v", first)
		}
		want := "plan.yaml: line 3: unknown key \"subtitel\"\n" +
			"days/002.md: line 5: unknown key \"minuts\" in item 1\n" +
			"days/003.md: line 1: no front matter: a day file begins with a line \"---\", then the day's keys and another line \"---\""
		if err.Error() != want {
			t.Errorf("err =\n%v\nwant\n%s", err, want)
		}
	})

	t.Run("reading stops after twenty problems, saying so", func(t *testing.T) {
		files := map[string]string{}
		for n := 1; n <= 40; n++ {
			files[fmt.Sprintf("days/%03d.md", n)] = "---\nitems: []\n---\n"
		}
		_, err := planfile.ReadFS(folder(files), ".")
		lines := strings.Split(fmt.Sprint(err), "\n")
		if len(lines) != 21 || !strings.HasPrefix(lines[20], "(stopped after 20 problems") {
			t.Fatalf("got %d lines, want 20 problems and a last line saying reading stopped:\n%v", len(lines), err)
		}
		if lines[19] != `days/020.md: missing key "title"` {
			t.Errorf("the twentieth problem is %q", lines[19])
		}
	})

	t.Run("more days than a plan holds are refused", func(t *testing.T) {
		files := map[string]string{}
		for n := 1; n <= catalog.MaxDays+1; n++ {
			files[fmt.Sprintf("days/%03d.md", n)] = "---\ntitle: Day\n---\n"
		}
		_, err := planfile.ReadFS(folder(files), ".")
		if err == nil || err.Error() != "days/: 366 days: a plan has at most 365" {
			t.Fatalf("err = %v, want 366 days refused", err)
		}
		delete(files, "days/366.md")
		if _, err := planfile.ReadFS(folder(files), "."); err != nil {
			t.Fatalf("365 days: %v", err)
		}
	})
}

func TestReadLinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.md")
	if err := os.WriteFile(secret, []byte("---\ntitle: Secret\n---\nNot for readers.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "plan")
		if err := planfile.Write(dir, &catalog.PlanContent{Title: "T", Days: []catalog.DayContent{{Title: "One"}}}); err != nil {
			t.Fatal(err)
		}
		return dir
	}

	t.Run("a day file linking out of the folder is refused", func(t *testing.T) {
		dir := plan(t)
		if err := os.Symlink(secret, filepath.Join(dir, "days", "002.md")); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		_, err := planfile.Read(dir)
		if err == nil || !strings.Contains(err.Error(), "days/002.md: is a symbolic link") {
			t.Fatalf("err = %v, want the link refused", err)
		}
		if _, err := planfile.ReadFS(os.DirFS(dir), "."); err == nil || !strings.Contains(err.Error(), "days/002.md: is a symbolic link") {
			t.Fatalf("through os.DirFS: err = %v, want the link refused", err)
		}
	})

	t.Run("a days folder linking out of the folder is refused", func(t *testing.T) {
		dir := plan(t)
		if err := os.RemoveAll(filepath.Join(dir, "days")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(dir, "days")); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		_, err := planfile.Read(dir)
		if err == nil || !strings.Contains(err.Error(), "days/: is a symbolic link") {
			t.Fatalf("err = %v, want the link refused", err)
		}
	})

	t.Run("a link reported by any file system is refused", func(t *testing.T) {
		fsys := folder(nil)
		fsys["plan.yaml"] = &fstest.MapFile{Data: []byte("../outside/plan.yaml"), Mode: fs.ModeSymlink}
		_, err := planfile.ReadFS(fsys, ".")
		if err == nil || !strings.Contains(err.Error(), "plan.yaml: is a symbolic link") {
			t.Fatalf("err = %v, want the link refused", err)
		}
	})

	t.Run("a folder that does not exist is an error", func(t *testing.T) {
		_, err := planfile.Read(filepath.Join(t.TempDir(), "nowhere"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v, want fs.ErrNotExist", err)
		}
	})
}
