package search

import (
	"html"
	"slices"
	"strings"
	"unicode"
)

// SnippetWords is how many words a snippet quotes at most.
const SnippetWords = 28

// Highlight returns text as HTML with the words q matches in <mark>, and
// whether any matched. A word matches when its folded form starts with a
// word of the query (the engines match words by prefix too), so "Mettā"
// is marked for "metta"; the words of a phrase match only together, in
// order, so "loving-kindness" is marked for "mettā" but a lone "of" is
// not marked for "mindfulness of breathing".
func (q *Query) Highlight(text string) (string, bool) {
	toks := tokens(text)
	return render(text, toks, q.marked(toks), 0, -1)
}

// Snippet quotes up to SnippetWords words of text around the first word
// q matches, as HTML with the matches in <mark> and an ellipsis where
// text was cut. Without a match it quotes the beginning of text, and ok
// is false.
func (q *Query) Snippet(text string) (snippet string, ok bool) {
	toks := tokens(text)
	marks := q.marked(toks)
	first := slices.Index(marks, true)
	start := 0
	if first > SnippetWords/3 {
		start = first - SnippetWords/3
	}
	end := min(start+SnippetWords, len(toks))
	if end == len(toks) && end-SnippetWords > 0 && first >= 0 {
		start = end - SnippetWords
	}
	return render(text, toks, marks, start, end)
}

// render writes text from token from up to token to (-1: to the end) as
// HTML, with the marked tokens in <mark>.
func render(text string, toks []token, marks []bool, from, to int) (string, bool) {
	if len(toks) == 0 {
		return html.EscapeString(text), false
	}
	var b strings.Builder
	begin, finish := 0, len(text)
	if from > 0 {
		begin = toks[from].start
		b.WriteString("… ")
	}
	cut := to >= 0 && to < len(toks)
	if cut {
		finish = toks[to-1].end
	} else {
		to = len(toks)
	}
	matched := false
	at := begin
	for i, t := range toks[from:to] {
		b.WriteString(html.EscapeString(text[at:t.start]))
		if marks[from+i] {
			matched = true
			b.WriteString("<mark>" + html.EscapeString(t.word) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(t.word))
		}
		at = t.end
	}
	b.WriteString(html.EscapeString(text[at:finish]))
	if cut {
		b.WriteString(" …")
	}
	return b.String(), matched
}

// marked reports for each of toks whether q matches it: as the engines
// match, an alternative matches where the folded words of the text spell
// it, every word but the last exactly and the last by its start.
func (q *Query) marked(toks []token) []bool {
	type word struct {
		folded string
		tok    int
	}
	var words []word
	for i, t := range toks {
		// A token is letters, digits and marks, so it folds to one word,
		// unless folding makes something else of a letter.
		if f := Fold(t.word); wordOnly(f) {
			words = append(words, word{f, i})
			continue
		}
		for _, w := range Words(t.word) {
			words = append(words, word{w, i})
		}
	}
	out := make([]bool, len(toks))
	spells := func(at int, a Alternative) bool {
		if len(a) == 0 || at+len(a) > len(words) {
			return false
		}
		last := len(a) - 1
		for j, term := range a[:last] {
			if words[at+j].folded != term {
				return false
			}
		}
		return strings.HasPrefix(words[at+last].folded, a[last])
	}
	for i := range words {
		for _, g := range q.Groups {
			for _, a := range g {
				if spells(i, a) {
					for j := range a {
						out[words[i+j].tok] = true
					}
				}
			}
		}
	}
	return out
}

type token struct {
	word       string
	start, end int
}

// tokens splits text into words as written (letters, digits and
// combining marks), with their byte offsets.
func tokens(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, token{text[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{text[start:], start, len(text)})
	}
	return out
}

// wordOnly reports whether s is letters and digits only.
func wordOnly(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
