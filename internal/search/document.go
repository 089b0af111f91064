package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Document is what a plan is found by, part by part, from the most
// telling to the least: a word in the title ranks a plan above one with
// the word only in a day's text.
type Document struct {
	Title       string
	Subtitle    string
	Keywords    []string // topics and author names
	Description string
	Body        []string // day titles and introductions, item titles, texts, citations and root texts, task prompts
}

// Indexed is a document as both engines index it: each part folded and
// split into words, the words joined by spaces. Nothing but letters,
// digits and spaces reaches an engine, so both split it into the same
// words the queries are made of.
type Indexed struct {
	Title, Subtitle, Keywords, Description, Body string
}

// Index folds d for the engines.
func (d *Document) Index() Indexed {
	return Indexed{
		Title:       joinWords(d.Title),
		Subtitle:    joinWords(d.Subtitle),
		Keywords:    joinWords(d.Keywords...),
		Description: joinWords(d.Description),
		Body:        joinWords(d.Body...),
	}
}

// joinWords is the words of texts, then the Compound of each synonym
// phrase among them.
func joinWords(texts ...string) string {
	var words []string
	for _, t := range texts {
		words = append(words, Words(t)...)
	}
	return strings.Join(append(words, compounds(words)...), " ")
}

// Correctable words have at least MinCorrectable and at most
// MaxCorrectable letters: shorter words are one or two edits away from
// too many others to correct, longer ones are not words.
const (
	MinCorrectable = 4
	MaxCorrectable = 40
)

// Vocabulary is the distinct correctable words of x, sorted: the words a
// misspelt query word may be corrected to.
func (x Indexed) Vocabulary() []string {
	var out []string
	for _, part := range []string{x.Title, x.Subtitle, x.Keywords, x.Description, x.Body} {
		for _, w := range strings.Fields(part) {
			if n := utf8.RuneCountInString(w); n >= MinCorrectable && n <= MaxCorrectable {
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
