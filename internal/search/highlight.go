package search

import (
	"html"
	"strings"
	"unicode"
)

// SnippetWords is how many words a snippet quotes at most.
const SnippetWords = 28

// Highlight returns text as HTML with the words q matches in <mark>, and
// whether any matched. A word matches when its folded form starts with a
// word of the query (the engines match words by prefix too), so "Mettā"
// is marked for "metta" and "loving" for "loving-kindness".
func (q *Query) Highlight(text string) (string, bool) {
	return q.render(text, tokens(text), 0, -1)
}

// Snippet quotes up to SnippetWords words of text around the first word
// q matches, as HTML with the matches in <mark> and an ellipsis where
// text was cut. Without a match it quotes the beginning of text, and ok
// is false.
func (q *Query) Snippet(text string) (snippet string, ok bool) {
	toks := tokens(text)
	first := -1
	for i, t := range toks {
		if q.matches(t.word) {
			first = i
			break
		}
	}
	start := 0
	if first > SnippetWords/3 {
		start = first - SnippetWords/3
	}
	end := min(start+SnippetWords, len(toks))
	if end == len(toks) && end-SnippetWords > 0 && first >= 0 {
		start = end - SnippetWords
	}
	return q.render(text, toks, start, end)
}

// render writes text from token from up to token to (-1: to the end) as
// HTML, marking matches.
func (q *Query) render(text string, toks []token, from, to int) (string, bool) {
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
	for _, t := range toks[from:to] {
		b.WriteString(html.EscapeString(text[at:t.start]))
		if q.matches(t.word) {
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

// matches reports whether word, as written, matches a word of q.
func (q *Query) matches(word string) bool {
	for _, w := range Words(word) {
		for _, g := range q.Groups {
			for _, a := range g {
				for _, term := range a {
					if strings.HasPrefix(w, term) {
						return true
					}
				}
			}
		}
	}
	return false
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
