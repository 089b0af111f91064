package search_test

import (
	"context"
	"database/sql"
	"html"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/transform"

	"github.com/dharmaplans/dharmaplans/internal/search"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// Whatever is typed, Parse answers a query or a validation error, and the
// query it answers is valid syntax for both engines: nothing a person
// types can make a search fail.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", " ", "metta", "Mettā loving-kindness", `"NEAR(`, `title:x OR 1=1`, `a & b | !c`,
		"*:()'\\\"", "Satipaṭṭhāna", "ﬁre ǅemal ß", "漢字 かな", "x\x00y", "٣٤ abc١", "가"} {
		f.Add(s)
	}
	lite, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
		INSERT INTO docs (body) VALUES ('metta sutta')`); err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, testenv.PostgresURL(f))
	if err != nil {
		f.Fatal(err)
	}
	defer pg.Close(ctx)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := search.Parse("q", raw)
		if err != nil {
			return
		}
		if q.Empty() {
			return
		}
		rows, err := lite.Query(`SELECT rowid FROM docs WHERE docs MATCH ?`, q.FTS5())
		if err != nil {
			t.Fatalf("%q: FTS5 refuses %s: %v", raw, q.FTS5(), err)
		}
		rows.Close()
		var n int
		if err := pg.QueryRow(ctx, `SELECT numnode(to_tsquery('simple', $1))`, q.TSQuery()).Scan(&n); err != nil {
			t.Fatalf("%q: PostgreSQL refuses %s: %v", raw, q.TSQuery(), err)
		}
	})
}

// Whatever the text and the query, Highlight and Snippet answer HTML whose
// only tags are the marks, and which says nothing the text did not: with
// the marks taken out and the entities read, Highlight gives back the text
// and Snippet a part of it (between the ellipses where it was cut).
func FuzzHighlight(f *testing.F) {
	for _, s := range [][2]string{
		{"Mettā for Beginners", "metta"},
		{"Sīla & Samādhi <script>alert('x')</script>", "samadhi"},
		{`"quoted" &amp; <mark>already</mark>`, "mark"},
		{"… a text that starts with an ellipsis …", "text"},
		{"Satipaṭṭhāna\u0301 x\x00y \xff\xfe", "satipatthana"},
		{"ﬁre ǅemal ß İstanbul", "fire"},
		{strings.Repeat("word ", 60) + "metta", "metta"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, raw string) {
		q, err := search.Parse("q", raw)
		if err != nil {
			return
		}
		plain := func(out string) string {
			t.Helper()
			bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(out)
			if strings.Contains(bare, "<") || strings.Contains(bare, ">") {
				t.Fatalf("text %q, q %q: a tag other than <mark> in %q", text, raw, out)
			}
			if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
				t.Fatalf("text %q, q %q: marks unbalanced in %q", text, raw, out)
			}
			return html.UnescapeString(bare)
		}
		h, _ := q.Highlight(text)
		if got := plain(h); got != text {
			t.Fatalf("text %q, q %q: Highlight says %q", text, raw, got)
		}
		s, _ := q.Snippet(text)
		got := plain(s)
		got = strings.TrimPrefix(got, "… ")
		got = strings.TrimSuffix(got, " …")
		if !strings.Contains(text, got) {
			t.Fatalf("text %q, q %q: Snippet says %q, not a part of the text", text, raw, got)
		}
	})
}

// FuzzFold checks that folding letter by letter, as Fold does, gives what
// folding the whole text at once gives.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Ānāpānasati", "Satipaṭṭhāna", "śūnyatā", "Đạo Phật", "e\u0301", "ÅØŁ", "ﬁ", "Ωμέγα"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		chain := search.NewFolder()
		whole, _, err := transform.String(chain, s)
		if err != nil {
			return
		}
		if got, want := search.Words(s), strings.FieldsFunc(strings.ToLower(whole), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q; folding the whole text gives %q", s, got, want)
		}
	})
}
