package catalog

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize puts c in the form the catalog stores, so that what is stored,
// exported and imported again compares equal: text is NFC Unicode; single
// lines (titles, names, citations, ids) lose surrounding spaces; Markdown
// loses Windows line ends, leading blank lines and trailing white space;
// topics are lower case and without duplicates; nil lists become empty.
func Normalize(c *PlanContent) {
	c.Slug = strings.ToLower(line(c.Slug))
	c.Title, c.Subtitle = line(c.Title), line(c.Subtitle)
	c.Description = Markdown(c.Description)
	for i := range c.Authors {
		a := &c.Authors[i]
		a.Name, a.Bio = line(a.Name), Markdown(a.Bio)
		a.Tradition = Tradition(line(string(a.Tradition)))
	}
	c.Tradition, c.Level = Tradition(line(string(c.Tradition))), Level(line(string(c.Level)))
	c.Topics = NormalizeTopics(c.Topics)
	c.Language, c.CoverMediaID = line(c.Language), line(c.CoverMediaID)
	for i, d := range c.FixedStartDates {
		c.FixedStartDates[i] = line(d)
	}
	if c.Authors == nil {
		c.Authors = []AuthorContent{}
	}
	if c.FixedStartDates == nil {
		c.FixedStartDates = []string{}
	}
	if c.Days == nil {
		c.Days = []DayContent{}
	}
	for i := range c.Days {
		NormalizeDay(&c.Days[i])
	}
}

// NormalizeDay is Normalize for one day.
func NormalizeDay(d *DayContent) {
	d.Title, d.Intro = line(d.Title), Markdown(d.Intro)
	if d.Items == nil {
		d.Items = []ItemContent{}
	}
	if d.Tasks == nil {
		d.Tasks = []TaskContent{}
	}
	for i := range d.Items {
		NormalizeItem(&d.Items[i])
	}
	for i := range d.Tasks {
		NormalizeTask(&d.Tasks[i])
	}
}

// NormalizeItem is Normalize for one item.
func NormalizeItem(it *ItemContent) {
	it.Kind = ItemKind(line(string(it.Kind)))
	it.Title, it.Body = line(it.Title), Markdown(it.Body)
	it.MediaID, it.URL, it.Citation = line(it.MediaID), line(it.URL), line(it.Citation)
	it.SegmentStart, it.SegmentEnd = line(it.SegmentStart), line(it.SegmentEnd)
	it.RootText, it.RootLanguage = Markdown(it.RootText), line(it.RootLanguage)
}

// NormalizeTask is Normalize for one task.
func NormalizeTask(t *TaskContent) {
	t.Kind, t.Prompt = TaskKind(line(string(t.Kind))), Markdown(t.Prompt)
}

// NormalizeTopics lower-cases topics, trims them and drops empty and
// repeated ones, keeping the first order.
func NormalizeTopics(topics []string) []string {
	out := []string{}
	for _, t := range topics {
		t = strings.ToLower(line(t))
		if t != "" && !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// line is a single-line field as stored: NFC, trimmed.
func line(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// Markdown is Markdown source as stored: NFC, LF line ends, no leading blank
// lines and no trailing white space. Indentation of the first line is kept:
// in Markdown it can mean a code block.
func Markdown(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 || strings.TrimSpace(s[:nl]) != "" {
			return s
		}
		s = s[nl+1:]
	}
}
