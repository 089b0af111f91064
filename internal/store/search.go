package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/search"
)

// The search index: a document per published plan, written in the
// transaction that publishes, archives or re-publishes the plan or renames
// one of its authors, so search answers what the catalogue shows at once.
// Text is folded and split into words by package search before either
// engine sees it. PostgreSQL keeps weighted tsvectors (migration 00005);
// SQLite an FTS5 table whose columns carry the weights.

// ftsColumns are the FTS5 columns, most telling first, and bm25Weights
// their weights, as PostgreSQL's ts_rank weighs A, B, B, C and D.
const (
	ftsColumns  = `title, subtitle, keywords, description, body`
	bm25Weights = `10.0, 4.0, 4.0, 2.0, 0.2`
	tsConfig    = `'dharmaplans_search'`
)

// indexPlan brings the search document of plan id up to date within tx:
// written from its published revision while the plan is published,
// removed otherwise.
func (s *Store) indexPlan(ctx context.Context, tx *sql.Tx, id string) error {
	var doc search.Document
	var revisionID, tradition, level, language string
	var days int
	var publishedAt sql.NullTime
	err := tx.QueryRowContext(ctx, `
		SELECT r.id, r.title, r.subtitle, r.description, r.tradition, r.level, r.language, r.day_count,
			p.first_published_at
		FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id
		WHERE p.id = $1 AND p.status = 'published'`, id).Scan(&revisionID, &doc.Title, &doc.Subtitle, &doc.Description,
		&tradition, &level, &language, &days, &publishedAt)
	if err == sql.ErrNoRows {
		_, err = tx.ExecContext(ctx, `DELETE FROM plan_search WHERE plan_id = $1`, id)
		return err
	}
	if err != nil {
		return err
	}
	doc.Keywords = append(doc.Keywords, tradition) // "pure_land" is two words
	rows, err := tx.QueryContext(ctx, `
		SELECT 'k', topic FROM revision_topics WHERE revision_id = $1
		UNION ALL SELECT 'k', a.name FROM revision_authors ra JOIN authors a ON a.id = ra.author_id WHERE ra.revision_id = $1
		UNION ALL SELECT 'b', title || ' ' || intro FROM plan_days WHERE revision_id = $1
		UNION ALL SELECT 'b', title || ' ' || body || ' ' || citation || ' ' || root_text FROM plan_items WHERE revision_id = $1
		UNION ALL SELECT 'b', prompt FROM plan_tasks WHERE revision_id = $1`, revisionID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var kind, text string
		if err := rows.Scan(&kind, &text); err != nil {
			rows.Close()
			return err
		}
		if kind == "k" {
			doc.Keywords = append(doc.Keywords, text)
		} else {
			doc.Body = append(doc.Body, text)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	x := doc.Index()
	vocabulary := strings.Join(x.Vocabulary(), " ")
	if s.db.Dialect.Name() == Postgres {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO plan_search (plan_id, revision_id, tradition, level, language, day_count, published_at,
				sort_title, titles, document)
			SELECT $1, $7, $8, $9, $10, $11, $12, $13, titles,
				titles || setweight(to_tsvector(`+tsConfig+`, $5), 'C') || setweight(to_tsvector(`+tsConfig+`, $6), 'D')
			FROM (SELECT setweight(to_tsvector(`+tsConfig+`, $2), 'A') || setweight(to_tsvector(`+tsConfig+`, $3), 'B') ||
				setweight(to_tsvector(`+tsConfig+`, $4), 'B') AS titles) t
			ON CONFLICT (plan_id) DO UPDATE SET revision_id = excluded.revision_id, tradition = excluded.tradition,
				level = excluded.level, language = excluded.language, day_count = excluded.day_count,
				published_at = excluded.published_at, sort_title = excluded.sort_title, titles = excluded.titles,
				document = excluded.document`,
			id, x.Title, x.Subtitle, x.Keywords, x.Description, x.Body, revisionID, tradition, level, language, days,
			publishedAt.Time.UTC(), catalog.SortTitle(doc.Title)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO search_vocabulary (word) SELECT unnest(string_to_array($1, ' ')) ON CONFLICT DO NOTHING`, vocabulary)
		return err
	}
	var rowid int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO plan_search (plan_id) VALUES ($1)
		ON CONFLICT (plan_id) DO UPDATE SET plan_id = excluded.plan_id RETURNING rowid`, id).Scan(&rowid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM plan_search_text WHERE rowid = $1`, rowid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO plan_search_text (rowid, `+ftsColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		rowid, x.Title, x.Subtitle, x.Keywords, x.Description, x.Body); err != nil {
		return err
	}
	words, _ := json.Marshal(strings.Fields(vocabulary))
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO search_vocabulary (word) SELECT value FROM json_each($1)`, string(words))
	return err
}

// IndexPublished writes the search document of every published plan that
// has none (all of them with all set), a plan per transaction, and
// returns how many it wrote: for plans published before the index
// existed, and to rebuild it.
func (s *Store) IndexPublished(ctx context.Context, all bool) (int, error) {
	query := `SELECT p.id FROM plans p WHERE p.status = 'published'`
	if !all {
		query += ` AND NOT EXISTS (SELECT 1 FROM plan_search ps WHERE ps.plan_id = p.id)`
	}
	ids, err := s.strings(ctx, query)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := s.tx(ctx, "plan", func(tx *sql.Tx) error { return s.indexPlan(ctx, tx, id) }); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// strings runs a query selecting one text column.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, v)
	}
	return out, s.fail(rows.Err(), "")
}

// textSearch adds q's search to w: the tables to join after plans p, and
// on SQLite the ORDER BY term that puts the best match first (PostgreSQL
// orders a search by relevance in searchPage).
func (s *Store) textSearch(w *where, q *search.Query) (join, rank string) {
	if s.db.Dialect.Name() == Postgres {
		w.add(`ps.document @@ ` + tsQuery(w, q))
		return ` JOIN plan_search ps ON ps.plan_id = p.id`, ""
	}
	w.add(`plan_search_text MATCH ` + w.arg(q.FTS5()))
	return ` JOIN plan_search ps ON ps.plan_id = p.id JOIN plan_search_text ON plan_search_text.rowid = ps.rowid`,
		`bm25(plan_search_text, ` + bm25Weights + `)`
}

// tsQuery adds q as a parameter to w and returns the tsquery expression.
func tsQuery(w *where, q *search.Query) string {
	return `to_tsquery(` + tsConfig + `, ` + w.arg(q.TSQuery()) + `)`
}

// searchColumnsOf are the filter columns of PostgreSQL's search index,
// plan_search s.
var searchColumnsOf = filterColumns{"s.tradition", "s.level", "s.language", "s.day_count", "s.revision_id"}

// searchPage returns, on PostgreSQL, the statement selecting the plan ids
// of q's page in relevance order and each one's place in that order (n):
// the plans whose titles match, by the rank of their titles, then the
// others newest first. Each part is read in its order from an index, the
// titles' GIN index and plan_search_newest_idx, when the planner sees that
// q matches many plans, so that a word every plan has costs no more than a
// rare one. (Titles are the start of the document, so a plan whose titles
// match is among those whose document does.)
func searchPage(w *where, q catalog.CatalogQuery) string {
	tsq := tsQuery(w, q.Search)
	f := where{args: w.args}
	filter(&f, q, searchColumnsOf)
	w.args = f.args
	and := ""
	if len(f.conds) > 0 {
		and = ` AND ` + strings.Join(f.conds, ` AND `)
	}
	upTo, limit, offset := w.arg(q.Offset+q.Limit), w.arg(q.Limit), w.arg(q.Offset)
	return `SELECT x.plan_id, row_number() OVER (ORDER BY x.rank DESC, x.published_at DESC, x.plan_id DESC) AS n FROM (
		(SELECT s.plan_id, ts_rank(s.titles, ` + tsq + `) AS rank, s.published_at FROM plan_search s
			WHERE s.titles @@ ` + tsq + and + ` ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT ` + upTo + `)
		UNION ALL
		(SELECT s.plan_id, CAST(0 AS real), s.published_at FROM plan_search s
			WHERE s.document @@ ` + tsq + ` AND NOT s.titles @@ ` + tsq + and + `
			ORDER BY s.published_at DESC, s.plan_id DESC LIMIT ` + upTo + `)
		) x ORDER BY x.rank DESC, x.published_at DESC, x.plan_id DESC LIMIT ` + limit + ` OFFSET ` + offset
}

// searchPostgres is ListPublished for a search in relevance order on
// PostgreSQL: the page is picked from the search index alone, and only
// its plans are read.
func (s *Store) searchPostgres(ctx context.Context, q catalog.CatalogQuery) ([]*catalog.Listing, error) {
	w := where{}
	return s.listings(ctx, s.db.Search, `SELECT `+planColumns+`, `+revisionColumns+` FROM (`+searchPage(&w, q)+`) page
		JOIN plans p ON p.id = page.plan_id JOIN plan_revisions r ON r.id = p.published_revision_id
		WHERE p.status = 'published' ORDER BY page.n`, w.args)
}

// Facets implements catalog.Store.
func (s *Store) Facets(ctx context.Context, q catalog.CatalogQuery) ([]catalog.FacetCount, error) {
	w := where{}
	db, c, from := s.db.Read, revisionColumnsOf, ` FROM plans p JOIN plan_revisions r ON r.id = p.published_revision_id`
	switch {
	case q.Search != nil && s.db.Dialect.Name() == Postgres:
		// The index holds the published plans and their filter columns.
		db, c, from = s.db.Search, searchColumnsOf, ` FROM plan_search s`
		w.add(`s.document @@ ` + tsQuery(&w, q.Search))
	case q.Search != nil:
		w.add(`p.status = 'published'`)
		join, _ := s.textSearch(&w, q.Search)
		from += join
	default:
		w.add(`p.status = 'published'`)
	}
	topicAndAuthor(&w, q, c)
	counts := facetCounts(&w, q, c)
	rows, err := db.QueryContext(ctx, `SELECT `+counts.columns+from+w.sql()+counts.groupBy, w.args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var out []catalog.FacetCount
	for rows.Next() {
		r, dest := counts.row()
		if err := rows.Scan(dest...); err != nil {
			return nil, s.fail(err, "")
		}
		out = counts.appendTo(out, r)
	}
	return out, s.fail(rows.Err(), "")
}

// facetCounter counts plans by tradition, level and language in rows of
// their own, and within each row by length bucket in columns of their
// own: counting with FILTER reads each plan once, where grouping by the
// buckets as well costs a third more. When q filters by length, each
// bucket also has a column for the plans whose length passes the filter,
// which the other facets are counted under.
type facetCounter struct {
	columns, groupBy string
	inLength         bool // whether the columns count the length filter too
}

func facetCounts(w *where, q catalog.CatalogQuery, c filterColumns) facetCounter {
	var b strings.Builder
	b.WriteString(c.tradition + `, ` + c.level + `, ` + c.language)
	bucket := make([]string, len(catalog.LengthBuckets))
	for i, lb := range catalog.LengthBuckets {
		bucket[i] = c.days + ` <= ` + w.arg(lb.Max)
		if i > 0 {
			bucket[i] += ` AND ` + c.days + ` > ` + w.arg(catalog.LengthBuckets[i-1].Max)
		}
		b.WriteString(`, count(*) FILTER (WHERE ` + bucket[i] + `)`)
	}
	inLength := q.MinDays > 0 || q.MaxDays > 0
	if inLength {
		passes := c.days + ` >= ` + w.arg(max(q.MinDays, 0)) + ` AND ` + c.days + ` <= ` + w.arg(cmp.Or(q.MaxDays, catalog.MaxDays))
		for i := range catalog.LengthBuckets {
			b.WriteString(`, count(*) FILTER (WHERE ` + bucket[i] + ` AND ` + passes + `)`)
		}
	}
	return facetCounter{columns: b.String(), groupBy: ` GROUP BY ` + c.tradition + `, ` + c.level + `, ` + c.language, inLength: inLength}
}

// facetRow is a row of facet counts as scanned.
type facetRow struct {
	tradition, level, language string
	counts                     []int
}

// row returns a facetRow and the scan destinations of its columns.
func (fc facetCounter) row() (*facetRow, []any) {
	n := len(catalog.LengthBuckets)
	if fc.inLength {
		n *= 2
	}
	r := &facetRow{counts: make([]int, n)}
	dest := []any{&r.tradition, &r.level, &r.language}
	for i := range r.counts {
		dest = append(dest, &r.counts[i])
	}
	return r, dest
}

// appendTo appends r's FacetCounts to out: a count per length bucket and
// whether it passes the length filter.
func (fc facetCounter) appendTo(out []catalog.FacetCount, r *facetRow) []catalog.FacetCount {
	n := len(catalog.LengthBuckets)
	for i, lb := range catalog.LengthBuckets {
		all, passing := r.counts[i], r.counts[i]
		if fc.inLength {
			passing = r.counts[n+i]
		}
		for _, part := range []struct {
			in    bool
			plans int
		}{{true, passing}, {false, all - passing}} {
			if part.plans > 0 {
				out = append(out, catalog.FacetCount{Tradition: catalog.Tradition(r.tradition), Level: catalog.Level(r.level),
					Language: r.language, Length: lb.Name, InLength: part.in, Plans: part.plans})
			}
		}
	}
	return out
}

// NearWords implements catalog.Store: PostgreSQL takes the vocabulary's
// nearest words by pg_trgm's trigram distance, SQLite those in which FTS5's
// trigram index finds the most of the word's trigrams. A word of the
// vocabulary is looked up alone, which costs a B-tree probe instead of a
// trigram search: a search of known words that finds nothing asks for it.
func (s *Store) NearWords(ctx context.Context, words []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(words) == 0 {
		return out, nil
	}
	if s.db.Dialect.Name() == Postgres {
		rows, err := s.db.Read.QueryContext(ctx, `
			SELECT q.w, v.word FROM unnest(string_to_array($1, ' ')) AS q(w)
			CROSS JOIN LATERAL (
				SELECT word FROM search_vocabulary WHERE word = q.w
				UNION ALL
				(SELECT word FROM search_vocabulary
				WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary k WHERE k.word = q.w) AND word OPERATOR(public.%) q.w
				ORDER BY word OPERATOR(public.<->) q.w LIMIT 20)) v`, strings.Join(words, " "))
		if err != nil {
			return nil, s.fail(err, "")
		}
		defer rows.Close()
		for rows.Next() {
			var w, near string
			if err := rows.Scan(&w, &near); err != nil {
				return nil, s.fail(err, "")
			}
			out[w] = append(out[w], near)
		}
		return out, s.fail(rows.Err(), "")
	}
	list, _ := json.Marshal(words)
	known, err := s.strings(ctx, `SELECT word FROM search_vocabulary WHERE word IN (SELECT value FROM json_each($1))`, string(list))
	if err != nil {
		return nil, err
	}
	for _, w := range known {
		out[w] = []string{w}
	}
	for _, w := range words {
		grams := trigrams(w)
		if len(grams) == 0 || out[w] != nil {
			continue
		}
		near, err := s.strings(ctx, `
			SELECT word FROM search_vocabulary_trigrams WHERE search_vocabulary_trigrams MATCH $1
			ORDER BY rank, word LIMIT 20`, `"`+strings.Join(grams, `" OR "`)+`"`)
		if err != nil {
			return nil, err
		}
		out[w] = near
	}
	return out, nil
}

// trigrams lists the distinct three-letter runs of word (letters and
// digits only, so each is safe inside an FTS5 string).
func trigrams(word string) []string {
	r := []rune(word)
	seen := map[string]bool{}
	var out []string
	for i := 0; i+3 <= len(r); i++ {
		g := string(r[i : i+3])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// Suggest implements catalog.Store.
func (s *Store) Suggest(ctx context.Context, q *search.Query, limit int) ([]catalog.Suggestion, error) {
	var query, match string
	if s.db.Dialect.Name() == Postgres {
		query = `
			SELECT p.slug, r.title FROM (
				SELECT plan_id, ts_rank(titles, to_tsquery(` + tsConfig + `, $1)) AS rank, sort_title FROM plan_search
				WHERE titles @@ to_tsquery(` + tsConfig + `, $1) ORDER BY rank DESC, sort_title, plan_id LIMIT $2) m
			JOIN plans p ON p.id = m.plan_id JOIN plan_revisions r ON r.id = p.published_revision_id
			WHERE p.status = 'published' ORDER BY m.rank DESC, m.sort_title, m.plan_id`
		match = q.TSQuery()
	} else {
		query = `
			SELECT p.slug, r.title FROM plan_search_text JOIN plan_search ps ON ps.rowid = plan_search_text.rowid
			JOIN plans p ON p.id = ps.plan_id JOIN plan_revisions r ON r.id = p.published_revision_id
			WHERE plan_search_text MATCH $1 AND p.status = 'published'
			ORDER BY bm25(plan_search_text, ` + bm25Weights + `), r.sort_title LIMIT $2`
		match = q.FTS5In("title", "subtitle", "keywords")
	}
	rows, err := s.db.Read.QueryContext(ctx, query, match, limit)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	out := []catalog.Suggestion{}
	for rows.Next() {
		var sg catalog.Suggestion
		if err := rows.Scan(&sg.Slug, &sg.Title); err != nil {
			return nil, s.fail(err, "")
		}
		out = append(out, sg)
	}
	return out, s.fail(rows.Err(), "")
}
