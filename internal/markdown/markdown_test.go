package markdown_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/markdown"
)

func TestHTML(t *testing.T) {
	cases := []struct {
		name, src    string
		want, absent []string
	}{
		{name: "emphasis and headings render", src: "## Mettā\n\nMay *all* beings be **well**.",
			want: []string{"<h2", "Mettā</h2>", "<em>all</em>", "<strong>well</strong>"}},
		{name: "a backslash at a line end is a hard break, as verse needs", src: "Intention shapes experiences;\\\nintention is their chief",
			want: []string{"experiences;<br"}},
		{name: "raw script is dropped", src: "Hello <script>alert(1)</script> world",
			absent: []string{"<script", "alert(1)</script"}},
		{name: "iframes are dropped", src: "<iframe src=\"https://evil.example\"></iframe>\n\ntext",
			absent: []string{"<iframe", "evil.example"}},
		{name: "event handlers are dropped", src: "<img src=x onerror=\"alert(1)\">\n\n<a href=\"#\" onclick=\"steal()\">x</a>",
			absent: []string{"onerror", "onclick", "steal()"}},
		{name: "javascript links are dropped", src: "[click](javascript:alert(1))",
			absent: []string{"javascript:"}},
		{name: "links open safely", src: "[SuttaCentral](https://suttacentral.net)",
			want: []string{`href="https://suttacentral.net"`, `rel="nofollow noreferrer noopener"`, `target="_blank"`}},
		{name: "tables render", src: "| Pāli | English |\n| --- | --- |\n| mettā | loving-kindness |",
			want: []string{"<table>", "<td>mettā</td>"}},
		{name: "empty source is empty", src: "", want: nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := markdown.HTML(c.src)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q) = %q, want it to contain %q", c.src, got, w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(got, a) {
					t.Errorf("HTML(%q) = %q, must not contain %q", c.src, got, a)
				}
			}
			if c.src == "" && got != "" {
				t.Errorf("HTML(\"\") = %q", got)
			}
		})
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:b)", "<img onerror=1>", "**ā**\\\nb", "<svg onload=1>"} {
		f.Add(s)
	}
	// Inside a tag: what the browser would run. The same words as escaped
	// text are harmless and allowed.
	unsafe := regexp.MustCompile(`(?i)<(script|iframe|style|object|embed)|<[^>]*\son[a-z]+\s*=|<[^>]*(href|src)\s*=\s*"?\s*(javascript|data|vbscript):`)
	f.Fuzz(func(t *testing.T, src string) {
		got := markdown.HTML(src)
		if m := unsafe.FindString(got); m != "" {
			t.Fatalf("HTML(%q) = %q contains %q", src, got, m)
		}
	})
}

func TestText(t *testing.T) {
	for src, want := range map[string]string{
		"*Zazen*, seated meditation.\n\nSit **down**; breathe.": "Zazen, seated meditation. Sit down; breathe.",
		"1. one\n2. two & three":                                "one two & three",
		"Fire & water < earth":                                  "Fire & water < earth",
	} {
		if got := markdown.Text(markdown.HTML(src)); got != want {
			t.Errorf("Text(HTML(%q)) = %q, want %q", src, got, want)
		}
	}
}
