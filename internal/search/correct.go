package search

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
)

// MaxCorrections is how many corrections one misspelt word gets at most.
const MaxCorrections = 3

// Misspellable lists the words of q that may be misspelt: single words
// of correctable length, each once, in the order typed. Words that are
// part of a phrase or a synonym set are spelt as the list spells them.
func (q *Query) Misspellable() []string {
	var out []string
	for _, g := range q.Groups {
		if len(g) != 1 || len(g[0]) != 1 {
			continue
		}
		w := g[0][0]
		if n := utf8.RuneCountInString(w); n >= MinCorrectable && n <= MaxCorrectable && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Correct picks, among vocabulary words near word (candidates, from the
// engine's trigram index), those one edit away, or two for words of more
// than five letters, the nearest first. A word in the vocabulary needs no
// correction: Correct returns nothing for it.
func Correct(word string, candidates []string) []string {
	limit := 1
	if utf8.RuneCountInString(word) > 5 {
		limit = 2
	}
	type near struct {
		word string
		d    int
	}
	var found []near
	for _, c := range candidates {
		if c == word {
			return nil
		}
		if d := levenshtein.ComputeDistance(word, c); d <= limit {
			found = append(found, near{c, d})
		}
	}
	slices.SortStableFunc(found, func(a, b near) int { return a.d - b.d })
	var out []string
	for _, n := range found {
		if len(out) == MaxCorrections {
			break
		}
		if !slices.Contains(out, n.word) {
			out = append(out, n.word)
		}
	}
	return out
}

// Corrected is q with each misspelt word replaced by its corrections
// (alternatives of one another), and what the person's words became, for
// "showing results for ...". ok is false when nothing was corrected.
func (q *Query) Corrected(corrections map[string][]string) (out *Query, said string, ok bool) {
	out = &Query{}
	var words []string
	for _, g := range q.Groups {
		if len(g) == 1 && len(g[0]) == 1 && len(corrections[g[0][0]]) > 0 {
			alts := make([]Alternative, 0, len(corrections[g[0][0]]))
			for _, c := range corrections[g[0][0]] {
				alts = append(alts, Alternative{c})
			}
			out.Groups = append(out.Groups, alts)
			words = append(words, corrections[g[0][0]][0])
			ok = true
			continue
		}
		out.Groups = append(out.Groups, g)
		words = append(words, strings.Join(g[0], " "))
	}
	return out, strings.Join(words, " "), ok
}
