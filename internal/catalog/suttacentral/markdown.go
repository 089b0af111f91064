package suttacentral

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// hardBreak ends a line inside a Markdown paragraph (CommonMark's backslash
// form, which survives trimming of trailing spaces).
const hardBreak = "\\\n"

var (
	tag = regexp.MustCompile(`</?[A-Za-z][^<>]*>`)
	// addition is the older Dhammapada root files' mark for editorial
	// additions such as story titles: the whole value in <span class="add">.
	addition    = regexp.MustCompile(`^\s*<span class=["']add["']>[^<]*</span>\s*$`)
	headingTag  = regexp.MustCompile(`<h([1-6])[\s>]`)
	blockTag    = regexp.MustCompile(`<(p|blockquote|li|div|section|dd|dt)[\s>]`)
	classAttr   = regexp.MustCompile(`class=["']([^"']*)["']`)
	orderedItem = regexp.MustCompile(`^[0-9]{1,9}[.)]`)
)

// lines turns a segment's raw value into the lines of plain text it holds:
// markup and reference markers removed, entities decoded, white space
// collapsed, split where the translator marked a verse line break (<j>).
// An empty or all-markup value gives no lines.
func lines(raw string) []string {
	var out []string
	for part := range strings.SplitSeq(raw, "<j>") {
		part = html.UnescapeString(tag.ReplaceAllString(part, ""))
		var words []string
		for _, w := range strings.Fields(part) {
			if !isReference(w) {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			out = append(out, strings.Join(words, " "))
		}
	}
	return out
}

// isReference reports whether a word is one of the reference markers
// ("#1", "#2"...) that some root files carry inside the text.
func isReference(w string) bool {
	if len(w) < 2 || w[0] != '#' {
		return false
	}
	_, err := strconv.Atoi(w[1:])
	return err == nil
}

// countWords counts the words of lines, for reading-time estimates.
func countWords(ls []string) int {
	n := 0
	for _, l := range ls {
		n += len(strings.Fields(l))
	}
	return n
}

// markdownPunct are the characters that would otherwise make plain text
// into Markdown code, links, footnotes, HTML or strikethrough. Asterisks
// are left alone: translators mark emphasis with them ("*all* form"), as
// Markdown does.
const markdownPunct = "\\`_[]<>&~"

// escapeInline backslash-escapes markdownPunct.
func escapeInline(s string) string {
	if !strings.ContainsAny(s, markdownPunct) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLine is escapeInline for text that starts a Markdown line, where
// "#", "-", "+", "=", "|", "* " and "1." would begin a heading, list or
// table.
func escapeLine(s string) string {
	s = escapeInline(s)
	if s == "" {
		return s
	}
	if strings.ContainsRune("#-+=|", rune(s[0])) || strings.HasPrefix(s, "* ") || s == "*" {
		return "\\" + s
	}
	if m := orderedItem.FindString(s); m != "" {
		return m[:len(m)-1] + "\\" + s[len(m)-1:]
	}
	return s
}

// verse renders a Dhammapada verse as one paragraph: its number in bold,
// then its lines separated by hard line breaks.
func verse(n int, ls []string) string {
	var b strings.Builder
	b.WriteString("**")
	b.WriteString(strconv.Itoa(n))
	b.WriteString("** ")
	for i, l := range ls {
		if i == 0 {
			b.WriteString(escapeInline(l))
			continue
		}
		b.WriteString(hardBreak)
		b.WriteString(escapeLine(l))
	}
	return b.String()
}

// template is a segment's HTML template split around its "{}": the markup
// before the text and after it. A template without "{}" shows no text.
type template struct {
	before, after string
	shows         bool
}

func parseTemplate(t string) template {
	before, after, ok := strings.Cut(t, "{}")
	return template{before: before, after: after, shows: ok}
}

// heading returns the Markdown heading level for a template that puts its
// text in <h1>-<h6>, or 0.
func (t template) heading() int {
	m := headingTag.FindStringSubmatch(t.before)
	if m == nil {
		return 0
	}
	switch m[1] {
	case "1", "2":
		return 2
	case "3":
		return 3
	}
	return 4
}

// opensBlock reports whether the template starts a paragraph, verse,
// quotation or list item.
func (t template) opensBlock() bool { return blockTag.MatchString(t.before) }

// breaksLine reports whether the template ends its text with a line break,
// as verse lines do.
func (t template) breaksLine() bool { return strings.Contains(t.after, "<br") }

// closing reports whether the template marks closing matter rather than
// text: an end-of-section or end-of-book line ("endsection", "endbook",
// "endsutta") or a summary verse (uddāna).
func (t template) closing() bool {
	for _, m := range classAttr.FindAllStringSubmatch(t.before, -1) {
		for c := range strings.FieldsSeq(m[1]) {
			if strings.HasPrefix(c, "end") || strings.HasPrefix(c, "uddana") {
				return true
			}
		}
	}
	return false
}

// prose is a text as Markdown blocks, built segment by segment.
type prose struct {
	blocks []string
	para   strings.Builder
	hard   bool // the next text follows a line break
	words  int
	// first and last name the first and last segments that gave text.
	first, last string
}

// render turns a text's segments into Markdown, laid out by its HTML
// templates: a template that opens a paragraph, verse or list item starts
// a new paragraph; one that puts its text in <h1>-<h2> makes a "##"
// heading, <h3> a "###" one; lines ending in <br>, as verse lines do, are
// kept apart with hard line breaks; a segment without a template joins the
// current paragraph, and one whose template has no "{}" is not shown.
// Without any templates, each section of the text (the "3" of "mn10:3.1")
// becomes a paragraph. Title headings ("0.x") are left out: the plan shows
// the title itself.
func render(segs []Segment, tmpl templates) *prose {
	p := &prose{}
	section := ""
	for _, s := range segs {
		_, pos := splitID(s.ID)
		if isHeading(pos) {
			continue
		}
		if len(tmpl) == 0 {
			if sec, _, _ := strings.Cut(pos, "."); sec != section {
				p.flush()
				section = sec
			}
		}
		raw, ok := tmpl[s.ID]
		t := parseTemplate(raw)
		if ok && !t.shows {
			continue
		}
		ls := lines(s.Text)
		if len(ls) > 0 {
			if p.first == "" {
				p.first = s.ID
			}
			p.last = s.ID
			p.words += countWords(ls)
		}
		switch {
		case !ok:
			p.add(ls)
		case t.heading() > 0:
			p.heading(t.heading(), ls)
		default:
			if t.opensBlock() {
				p.flush()
			}
			p.add(ls)
			p.hard = t.breaksLine()
		}
	}
	p.flush()
	return p
}

// add appends lines to the current paragraph.
func (p *prose) add(ls []string) {
	for i, l := range ls {
		switch {
		case p.para.Len() == 0:
			l = escapeLine(l)
		case i > 0 || p.hard:
			p.para.WriteString(hardBreak)
			l = escapeLine(l)
		case strings.HasSuffix(p.para.String(), "—"):
			l = escapeInline(l) // a closed em dash, as the texts print it
		default:
			p.para.WriteByte(' ')
			l = escapeInline(l)
		}
		p.para.WriteString(l)
	}
}

// heading ends the current paragraph and adds a heading.
func (p *prose) heading(level int, ls []string) {
	p.flush()
	if len(ls) == 0 {
		return
	}
	words := make([]string, len(ls))
	for i, l := range ls {
		words[i] = escapeInline(l)
	}
	p.blocks = append(p.blocks, strings.Repeat("#", level)+" "+strings.Join(words, " "))
}

// flush ends the current paragraph.
func (p *prose) flush() {
	if p.para.Len() > 0 {
		p.blocks = append(p.blocks, p.para.String())
		p.para.Reset()
	}
	p.hard = false
}

// markdown is the finished Markdown.
func (p *prose) markdown() string { return strings.Join(p.blocks, "\n\n") }
