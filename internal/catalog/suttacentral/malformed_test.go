package suttacentral_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
)

// Small bilara folders written for these tests, in the real layout.
const (
	dhpTranslation = "translation/en/sujato/sutta/kn/dhp/dhp1-2_translation-en-sujato.json"
	dhpRoot        = "root/pli/ms/sutta/kn/dhp/dhp1-2_root-pli-ms.json"
	dhpOldRoot     = "root/pli/ms/kn/dhp/dhp1-2_root-pli-ms.json"
	mnTranslation  = "translation/en/sujato/sutta/mn/mn1_translation-en-sujato.json"
	mnRoot         = "root/pli/ms/sutta/mn/mn1_root-pli-ms.json"
	mnHTML         = "html/pli/ms/sutta/mn/mn1_html.json"
	mnNames        = "translation/en/sujato/name/sutta/mn-name_translation-en-sujato.json"
)

// folder writes files (path relative to the folder: content) into a new
// temporary bilara folder.
func folder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// validDhp is a two-verse Dhammapada chapter.
func validDhp() map[string]string {
	return map[string]string{
		dhpTranslation: `{"dhp1:0.1": "Pairs ", "dhp1:1": "First line, ", "dhp1:2": "second line. ", "dhp2:1": "Another verse. "}`,
		dhpRoot:        `{"dhp1:0.1": "Yamakavagga", "dhp1:1": "Paṭhamā,", "dhp1:2": "dutiyā.", "dhp2:1": "Aññā."}`,
	}
}

// validMN is one short discourse, with templates.
func validMN() map[string]string {
	return map[string]string{
		mnTranslation: `{"mn1:0.1": "Middle Discourses 1 ", "mn1:0.2": "The Root ", "mn1:1.1": "So I have heard. ", "mn1:1.2": "At one time. ", "mn1:2.1": "Then. "}`,
		mnRoot:        `{"mn1:0.1": "Majjhima Nikāya 1", "mn1:0.2": "Mūlapariyāyasutta", "mn1:1.1": "Evaṁ me sutaṁ—", "mn1:1.2": "ekaṁ samayaṁ.", "mn1:2.1": "Tatra."}`,
		mnHTML:        `{"mn1:0.1": "<header>{}", "mn1:0.2": "<h1>{}</h1></header>", "mn1:1.1": "<p>{}", "mn1:1.2": "{}</p>", "mn1:2.1": "<p>{}</p>"}`,
	}
}

func with(files map[string]string, rel, content string) map[string]string {
	files[rel] = content
	return files
}

func without(files map[string]string, rel string) map[string]string {
	delete(files, rel)
	return files
}

func TestMalformedInput(t *testing.T) {
	dhp := suttacentral.Options{Collection: "dhp"}
	mn := suttacentral.Options{Texts: []string{"mn1"}}
	cases := []struct {
		name  string
		files map[string]string
		opts  suttacentral.Options
		// file and key are what the *FileError must name; msg is a part
		// of its message.
		file, key, msg string
		notExist       bool
	}{
		{
			name:  "invalid JSON in a value names the file and its key",
			files: with(validMN(), mnTranslation, `{"mn1:1.1": "So I have heard. ", "mn1:1.2": "At one`),
			opts:  mn, file: mnTranslation, key: "mn1:1.2", msg: "invalid JSON: unexpected EOF",
		},
		{
			name:  "invalid JSON between entries names the file and the last key read",
			files: with(validMN(), mnTranslation, `{"mn1:1.1": "So I have heard. " "mn1:1.2": "At one time."}`),
			opts:  mn, file: mnTranslation, msg: `invalid JSON after key "mn1:1.1"`,
		},
		{
			name:  "a number value names the file and key",
			files: with(validDhp(), dhpTranslation, `{"dhp1:1": "First line, ", "dhp3:1": 3}`),
			opts:  dhp, file: dhpTranslation, key: "dhp3:1",
			msg: dhpTranslation + `: key "dhp3:1": value is a number, want a string`,
		},
		{
			name:  "an object value names the file and key",
			files: with(validMN(), mnRoot, `{"mn1:1.1": {"text": "Evaṁ"}}`),
			opts:  mn, file: mnRoot, key: "mn1:1.1", msg: "value is an object, want a string",
		},
		{
			name:  "a repeated key names the file and key",
			files: with(validMN(), mnHTML, `{"mn1:1.1": "<p>{}", "mn1:1.1": "<p>{}"}`),
			opts:  mn, file: mnHTML, key: "mn1:1.1", msg: "more than once",
		},
		{
			name:  "a file that is not an object names the file",
			files: with(validDhp(), dhpRoot, `["dhp1:1"]`),
			opts:  dhp, file: dhpRoot, msg: "found an array, want a JSON object",
		},
		{
			name:  "an empty file names the file",
			files: with(validDhp(), dhpTranslation, ``),
			opts:  dhp, file: dhpTranslation, msg: "empty file",
		},
		{
			name:  "data after the object names the file",
			files: with(validDhp(), dhpTranslation, `{"dhp1:1": "a"} {}`),
			opts:  dhp, file: dhpTranslation, msg: "data after the object",
		},
		{
			name:  "a malformed title file names it",
			files: with(validMN(), mnNames, `{"mn-name:1.mn1": null}`),
			opts:  mn, file: mnNames, key: "mn-name:1.mn1", msg: "value is null",
		},
		{
			name:  "a missing translation folder is named",
			files: without(validDhp(), dhpTranslation),
			opts:  dhp, file: "translation/en/sujato/sutta/kn/dhp", msg: dhpTranslation[:strings.LastIndex(dhpTranslation, "/")] + ": folder does not exist", notExist: true,
		},
		{
			name:  "a missing root file is named",
			files: without(validDhp(), dhpRoot),
			opts:  dhp, file: dhpRoot, msg: dhpRoot + ": file does not exist", notExist: true,
		},
		{
			name:  "a text without a translation file is named with the file looked for",
			files: with(without(validMN(), mnTranslation), "translation/en/sujato/sutta/mn/mn2_translation-en-sujato.json", `{}`),
			opts:  mn, file: "translation/en/sujato/sutta", msg: `unknown text "mn1": mn1_translation-en-sujato.json: file does not exist`, notExist: true,
		},
		{
			name:  "an unknown uid is named with the file looked for",
			files: validMN(),
			opts:  suttacentral.Options{Texts: []string{"mn1", "mn999"}},
			file:  "translation/en/sujato/sutta", msg: `unknown text "mn999": mn999_translation-en-sujato.json`, notExist: true,
		},
		{
			name:  "a text without a root file is named",
			files: with(without(validMN(), mnRoot), "root/pli/ms/sutta/mn/mn2_root-pli-ms.json", `{}`),
			opts:  mn, file: "root/pli/ms", msg: `no root text for "mn1": mn1_root-pli-ms.json`, notExist: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := suttacentral.Build(folder(t, c.files), c.opts)
			var fe *suttacentral.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want a *FileError", err, err)
			}
			if fe.File != c.file || fe.Key != c.key || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q names file %q and key %q; want %q, %q and a message containing %q", err, fe.File, fe.Key, c.file, c.key, c.msg)
			}
			if c.notExist != errors.Is(err, fs.ErrNotExist) {
				t.Errorf("errors.Is(%q, fs.ErrNotExist) = %v", err, !c.notExist)
			}
		})
	}

	t.Run("a missing bilara folder is an error", func(t *testing.T) {
		if _, err := suttacentral.Build(filepath.Join(t.TempDir(), "nothing"), dhp); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %v, want one that is fs.ErrNotExist", err)
		}
	})
}

func TestOptions(t *testing.T) {
	dir := folder(t, validMN())
	for _, c := range []struct {
		name string
		opts suttacentral.Options
		msg  string
	}{
		{"neither a collection nor texts is an error", suttacentral.Options{}, "no collection and no texts"},
		{"both a collection and texts is an error", suttacentral.Options{Collection: "dhp", Texts: []string{"mn1"}}, "choose one"},
		{"an unsupported collection is an error", suttacentral.Options{Collection: "thag"}, `"thag" is not supported`},
		{"a translator that is not a folder name is an error", suttacentral.Options{Texts: []string{"mn1"}, Translator: "../x"}, "invalid folder name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := suttacentral.Build(dir, c.opts); err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}

func TestUnevenSources(t *testing.T) {
	t.Run("a verse missing from the root keeps its English and shows no Pāli", func(t *testing.T) {
		dir := folder(t, with(validDhp(), dhpRoot, `{"dhp1:1": "Paṭhamā,", "dhp1:2": "dutiyā."}`))
		it := build(t, dir, suttacentral.Options{Collection: "dhp"}).Days[0].Items[0]
		if !strings.Contains(it.Body, "**2** Another verse.") || strings.Contains(it.RootText, "**2**") {
			t.Errorf("body:\n%s\nroot:\n%s", it.Body, it.RootText)
		}
		if it.RootText != "**1** Paṭhamā,\\\ndutiyā." {
			t.Errorf("root %q", it.RootText)
		}
	})

	t.Run("the root's closing line stays out of the last verse, with or without templates", func(t *testing.T) {
		closing := `{"dhp1:1": "Paṭhamā,", "dhp1:2": "dutiyā.", "dhp2:1": "Aññā.", "dhp2:2": "Yamakavaggo paṭhamo."}`
		for name, files := range map[string]map[string]string{
			"without": with(validDhp(), dhpRoot, closing),
			"with": with(with(validDhp(), dhpRoot, closing), "html/pli/ms/sutta/kn/dhp/dhp1-2_html.json",
				`{"dhp1:1": "<p>{}<br>", "dhp1:2": "{}</p>", "dhp2:1": "<p>{}</p>", "dhp2:2": "<p class='endsection'>{}</p>"}`),
		} {
			it := build(t, folder(t, files), suttacentral.Options{Collection: "dhp"}).Days[0].Items[0]
			if !strings.HasSuffix(it.RootText, "**2** Aññā.") {
				t.Errorf("%s templates, root %q", name, it.RootText)
			}
		}
	})

	t.Run("the current root layout wins over the older one", func(t *testing.T) {
		files := with(validDhp(), dhpOldRoot, `{"dhp1:1": "Old.", "dhp2:1": "Old."}`)
		it := build(t, folder(t, files), suttacentral.Options{Collection: "dhp"}).Days[0].Items[0]
		if strings.Contains(it.RootText, "Old.") {
			t.Errorf("root %q", it.RootText)
		}
		it = build(t, folder(t, without(files, dhpRoot)), suttacentral.Options{Collection: "dhp"}).Days[0].Items[0]
		if !strings.Contains(it.RootText, "**1** Old.") {
			t.Errorf("without the current layout, root %q", it.RootText)
		}
	})

	t.Run("a chapter without an English or Pāli name takes its heading", func(t *testing.T) {
		d := build(t, folder(t, validDhp()), suttacentral.Options{Collection: "dhp"}).Days[0]
		if d.Title != "Pairs" || d.Items[0].Title != "Verses 1–2" || d.Items[0].Citation != "Dhp 1–2" {
			t.Errorf("day %q, item %q, cited %q", d.Title, d.Items[0].Title, d.Items[0].Citation)
		}
	})

	t.Run("a text takes its title segment when no title file names it", func(t *testing.T) {
		it := build(t, folder(t, validMN()), suttacentral.Options{Texts: []string{"mn1"}}).Days[0].Items[0]
		if it.Title != "The Root" || it.Body != "So I have heard. At one time.\n\nThen." || it.RootText != "Evaṁ me sutaṁ—ekaṁ samayaṁ.\n\nTatra." {
			t.Errorf("title %q, body %q, root %q", it.Title, it.Body, it.RootText)
		}
	})

	t.Run("without templates a text is laid out by section", func(t *testing.T) {
		it := build(t, folder(t, without(validMN(), mnHTML)), suttacentral.Options{Texts: []string{"mn1"}}).Days[0].Items[0]
		if it.Body != "So I have heard. At one time.\n\nThen." {
			t.Errorf("body %q", it.Body)
		}
	})

	t.Run("a segment without a template joins the paragraph before it", func(t *testing.T) {
		files := with(validMN(), mnHTML, `{"mn1:1.1": "<p>{}", "mn1:2.1": "<p>{}</p>"}`)
		it := build(t, folder(t, files), suttacentral.Options{Texts: []string{"mn1"}}).Days[0].Items[0]
		if it.Body != "So I have heard. At one time.\n\nThen." {
			t.Errorf("body %q", it.Body)
		}
	})

	t.Run("text that looks like Markdown stays plain text", func(t *testing.T) {
		files := with(validMN(), mnTranslation,
			`{"mn1:1.1": "# not a heading [^1] <b>x</b> &lt;y&gt; a_b", "mn1:2.1": "1. not a list"}`)
		it := build(t, folder(t, files), suttacentral.Options{Texts: []string{"mn1"}}).Days[0].Items[0]
		if want := "\\# not a heading \\[^1\\] x \\<y\\> a\\_b\n\n1\\. not a list"; it.Body != want {
			t.Errorf("body %q, want %q", it.Body, want)
		}
	})
}
