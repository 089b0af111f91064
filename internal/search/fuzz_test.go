package search_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"

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
