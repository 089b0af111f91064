// Package search turns what a person types into a search box into terms
// both database engines match the same way: folded to lower case without
// diacritics ("Mettā" and "metta" are one word), widened by the synonyms
// of the tradition's language ("loving-kindness" finds "mettā"), and
// rendered for PostgreSQL's to_tsquery and SQLite's FTS5 MATCH from
// nothing but letters and digits, so no query syntax a person types can
// reach either engine.
package search

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Limits on a query.
const (
	// MaxQuery is the longest query, in characters, that is searched.
	MaxQuery = 200
	// MaxTerms is how many words of a query count; the rest are dropped.
	MaxTerms = 8
	// MinTerm is the shortest word searched on its own: shorter words
	// ("a", "of") match too much to mean anything.
	MinTerm = 2
)

// Query is a parsed search: every group must match, and a group matches
// when any of its alternatives does.
type Query struct {
	Groups [][]Alternative
}

// Alternative is a word, or a phrase of words that must follow each other.
type Alternative []string

// Empty reports whether the query has nothing to search for.
func (q *Query) Empty() bool { return len(q.Groups) == 0 }

// Parse reads raw as a search query. Anything may be typed: quotes and
// operators are separators like spaces. Too long a query is a validation
// error on field; one with no searchable word is an empty Query.
func Parse(field, raw string) (*Query, error) {
	if !utf8.ValidString(raw) {
		return nil, errs.Validation(errs.FieldError{Field: field, Message: "q must be UTF-8 text"})
	}
	if n := utf8.RuneCountInString(raw); n > MaxQuery {
		return nil, errs.Validation(errs.FieldError{Field: field, Message: fmt.Sprintf("q must be at most %d characters (it has %d)", MaxQuery, n)})
	}
	words := Words(raw)
	var q Query
	for i := 0; i < len(words) && len(q.Groups) < MaxTerms; {
		if alts, n := synonymsAt(words[i:]); n > 0 {
			q.add(alts)
			i += n
			continue
		}
		if utf8.RuneCountInString(words[i]) >= MinTerm {
			q.add([]Alternative{{words[i]}})
		}
		i++
	}
	return &q, nil
}

// add appends group g unless q has it already.
func (q *Query) add(g []Alternative) {
	for _, have := range q.Groups {
		if strings.Join(have[0], " ") == strings.Join(g[0], " ") {
			return
		}
	}
	q.Groups = append(q.Groups, g)
}

// folders hold transformers that remove diacritics, keeping base
// letters: "Ānāpānasati" is "Anapanasati". Letters without a
// decomposition get their usual Latin spelling. A transformer has state,
// so each call takes its own.
var folders = sync.Pool{New: func() any { return newFolder() }}

func newFolder() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), runes.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		case 'ø', 'Ø':
			return 'o'
		case 'ł', 'Ł':
			return 'l'
		}
		return r
	}), norm.NFC)
}

// Fold is s in lower case without diacritics: the form both the index and
// the queries use.
func Fold(s string) string {
	if ascii(s) {
		return strings.ToLower(s) // nothing to fold: the common case, cheaply
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteString(foldRune(r))
	}
	return b.String()
}

// folded keeps each non-ASCII letter's folded form once made. Folding
// letter by letter gives what folding the whole text would: a precomposed
// letter decomposes on its own, and a combining mark is removed either way.
var folded sync.Map // rune -> string

func foldRune(r rune) string {
	if f, ok := folded.Load(r); ok {
		return f.(string)
	}
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	f, _, err := transform.String(t, string(r))
	if err != nil {
		f = string(r)
	}
	f = strings.ToLower(f)
	if r < 0x3000 { // the alphabets; other scripts are folded each time, so the map stays small
		folded.Store(r, f)
	}
	return f
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Words splits s into folded words of letters and digits; everything else
// separates them.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TSQuery renders q for PostgreSQL's to_tsquery('simple', ...): groups
// joined by &, alternatives by |, a phrase as its Compound (which the
// documents carry), and each alternative matching as a prefix, for
// typeahead. Each word is quoted, so one that PostgreSQL's parser splits
// where Go does not becomes a phrase rather than a syntax error; words
// are letters and digits only, so no quote ends early.
func (q *Query) TSQuery() string { return q.TSQueryIn("") }

// TSQueryIn is TSQuery matching only words of the given weights ("AB":
// weights A and B; "": any).
func (q *Query) TSQueryIn(weights string) string {
	groups := make([]string, len(q.Groups))
	for i, g := range q.Groups {
		var alts []string
		for _, a := range g {
			if alt := "'" + a.Compound() + "':*" + weights; !slices.Contains(alts, alt) {
				alts = append(alts, alt)
			}
		}
		groups[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(groups, " & ")
}

// FTS5 renders q for SQLite's FTS5 MATCH: groups joined by AND,
// alternatives by OR, each alternative a quoted phrase matching its last
// word as a prefix. The words are letters and digits only, so no quote
// or operator of the person's reaches FTS5.
func (q *Query) FTS5() string { return q.FTS5In() }

// FTS5In is FTS5 matching only in the given columns (none: any).
func (q *Query) FTS5In(columns ...string) string {
	groups := make([]string, len(q.Groups))
	for i, g := range q.Groups {
		alts := make([]string, len(g))
		for j, a := range g {
			alts[j] = `"` + strings.Join(a, " ") + `"*`
		}
		groups[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	if len(columns) > 0 {
		return "{" + strings.Join(columns, " ") + "} : (" + strings.Join(groups, " AND ") + ")"
	}
	return strings.Join(groups, " AND ")
}
