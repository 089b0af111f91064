package search_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/search"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		q       string
		tsquery string
		fts5    string
	}{
		{"Mettā", `('metta':* | 'maitri':* | 'lovingkindness':*)`,
			`("metta"* OR "maitri"* OR "loving kindness"* OR "lovingkindness"*)`},
		{"loving-kindness retreat", `('metta':* | 'maitri':* | 'lovingkindness':*) & ('retreat':*)`,
			`("metta"* OR "maitri"* OR "loving kindness"* OR "lovingkindness"*) AND ("retreat"*)`},
		{"SATIPATTHANA", `('satipatthana':* | 'smrtyupasthana':* | 'foundationsofmindfulness':* | 'establishmentsofmindfulness':*)`,
			`("satipatthana"* OR "smrtyupasthana"* OR "foundations of mindfulness"* OR "establishments of mindfulness"*)`},
		{"dharma dhamma", `('dhamma':* | 'dharma':*)`, `("dhamma"* OR "dharma"*)`},
		{`title:x OR 1=1`, `('title':*) & ('or':*)`, `("title"*) AND ("or"*)`},
		{`"NEAR(`, `('near':*)`, `("near"*)`},
		{`&|!:*()'"`, ``, ``},
		{"   ", ``, ``},
		{"a", ``, ``},
		{"Đạo", `('dao':*)`, `("dao"*)`},
	} {
		q, err := search.Parse("query.q", tc.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.q, err)
		}
		if got := q.TSQuery(); got != tc.tsquery {
			t.Errorf("Parse(%q).TSQuery()\n got %s\nwant %s", tc.q, got, tc.tsquery)
		}
		if got := q.FTS5(); got != tc.fts5 {
			t.Errorf("Parse(%q).FTS5()\n got %s\nwant %s", tc.q, got, tc.fts5)
		}
		if q.Empty() != (tc.tsquery == "") {
			t.Errorf("Parse(%q).Empty() = %v", tc.q, q.Empty())
		}
	}
}

func TestParseLimits(t *testing.T) {
	_, err := search.Parse("query.q", strings.Repeat("ā", search.MaxQuery+1))
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "query.q" ||
		!strings.Contains(e.Fields[0].Message, "at most 200 characters (it has 201)") {
		t.Errorf("a query of %d characters: %#v, want a validation error on query.q naming the limit", search.MaxQuery+1, err)
	}
	if _, err := search.Parse("query.q", strings.Repeat("ā", search.MaxQuery)); err != nil {
		t.Errorf("a query of %d characters: %v", search.MaxQuery, err)
	}
	if _, err := search.Parse("query.q", "metta\xff"); !errs.Is(err, errs.Invalid) {
		t.Errorf("invalid UTF-8: %v, want a validation error", err)
	}
	q, err := search.Parse("query.q", "one two three four five six seven eight nine ten")
	if err != nil || len(q.Groups) != search.MaxTerms {
		t.Errorf("ten words: %d groups (%v), want %d", len(q.Groups), err, search.MaxTerms)
	}
}

// documents are what both engines index in these tests, as the store
// indexes them (indexed).
var documents = []string{
	1: "Mettā: a week of loving-kindness",
	2: "The Satipaṭṭhāna Sutta, day by day",
	3: "Dharma talks on nibbāna",
	4: "Śūnyatā: the heart of the Heart Sūtra",
	5: "Loving kindness, and mindfulness of breathing",
}

// matches says which documents each query finds, on both engines.
var matches = []struct {
	q    string
	want []int
}{
	{"metta", []int{1, 5}},
	{"loving kindness", []int{1, 5}},
	{"maitri", []int{1, 5}},
	{"kindness", []int{1, 5}},
	{"anapanasati", []int{5}}, // a phrase of its synonym set
	{"mindfulness", []int{2, 5}},
	{"satipatthana", []int{2}},
	{"Satipaṭṭhāna sutta", []int{2}},
	{"nirvana", []int{3}},
	{"dhamma", []int{3}},
	{"emptiness", []int{4}},
	{"sutra", []int{2, 4}},
	{"sat", []int{2}}, // a prefix, for typeahead
	{`"NEAR( title:x OR 1=1`, nil},
}

// The rendered queries find the same documents on SQLite's FTS5 as on
// PostgreSQL's full-text search.
func TestQueriesMatchOnSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		t.Fatal(err)
	}
	for id, d := range indexed()[1:] {
		if _, err := db.Exec(`INSERT INTO docs (rowid, body) VALUES (?, ?)`, id+1, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range matches {
		q, err := search.Parse("q", m.q)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, m.q, func() (*sql.Rows, error) {
			return db.Query(`SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid`, q.FTS5())
		})
		if !slices.Equal(got, m.want) {
			t.Errorf("%q (%s) finds %v, want %v", m.q, q.FTS5(), got, m.want)
		}
	}
}

func TestQueriesMatchOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, m := range matches {
		q, err := search.Parse("q", m.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		rows, err := conn.Query(ctx, `SELECT id FROM unnest($1::text[]) WITH ORDINALITY AS d(body, id)
			WHERE id > 1 AND to_tsvector('simple', body) @@ to_tsquery('simple', $2) ORDER BY id`, indexed(), q.TSQuery())
		if err != nil {
			t.Fatalf("%q (%s): %v", m.q, q.TSQuery(), err)
		}
		for rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			got = append(got, id-1)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%q (%s): %v", m.q, q.TSQuery(), err)
		}
		if !slices.Equal(got, m.want) {
			t.Errorf("%q (%s) finds %v, want %v", m.q, q.TSQuery(), got, m.want)
		}
	}
}

// indexed is documents as the engines index them: folded words, and the
// compounds of the synonym phrases among them.
func indexed() []string {
	out := make([]string, len(documents))
	for i, d := range documents {
		out[i] = (&search.Document{Title: d}).Index().Title
	}
	return out
}

func collect(t *testing.T, q string, query func() (*sql.Rows, error)) []int {
	t.Helper()
	rows, err := query()
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return out
}
