package planfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// encodePlan returns plan.yaml for c.
func encodePlan(c *catalog.PlanContent) ([]byte, error) {
	b := &builder{file: planFile}
	m := b.mapping()
	b.add(m, "format", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(Version)})
	b.text(m, "slug", c.Slug)
	b.add(m, "title", b.str("title", c.Title)) // required, so written when empty
	b.text(m, "subtitle", c.Subtitle)
	b.text(m, "language", c.Language)
	b.text(m, "tradition", string(c.Tradition))
	b.text(m, "level", string(c.Level))
	b.texts(m, "topics", c.Topics)
	if len(c.Authors) > 0 {
		list := b.sequence()
		for i, a := range c.Authors {
			b.where = fmt.Sprintf("author %d", i+1)
			am := b.mapping()
			b.text(am, "name", a.Name)
			b.text(am, "tradition", string(a.Tradition))
			b.markdown(am, "bio", a.Bio)
			list.Content = append(list.Content, am)
		}
		b.where = ""
		b.add(m, "authors", list)
	}
	b.text(m, "cover", c.CoverMediaID)
	b.texts(m, "fixed_start_dates", c.FixedStartDates)
	b.markdown(m, "description", c.Description)
	if b.err != nil {
		return nil, b.err
	}
	return encodeVerified(planFile, m, func(yml []byte) []byte { return yml }, func(data []byte) []byte { return data })
}

// encodeDay returns the day file for d, named file.
func encodeDay(file string, d *catalog.DayContent) ([]byte, error) {
	b := &builder{file: file}
	m := b.mapping()
	b.add(m, "title", b.str("title", d.Title)) // required, so written when empty
	if len(d.Items) > 0 {
		list := b.sequence()
		for i, it := range d.Items {
			b.where = fmt.Sprintf("item %d", i+1)
			im := b.mapping()
			b.text(im, "kind", string(it.Kind))
			b.text(im, "title", it.Title)
			b.text(im, "citation", it.Citation)
			b.text(im, "segment_start", it.SegmentStart)
			b.text(im, "segment_end", it.SegmentEnd)
			b.text(im, "media", it.MediaID)
			b.text(im, "url", it.URL)
			b.number(im, "minutes", it.Minutes)
			b.markdown(im, "body", it.Body)
			b.text(im, "root_language", it.RootLanguage)
			b.markdown(im, "root_text", it.RootText)
			list.Content = append(list.Content, im)
		}
		b.add(m, "items", list)
	}
	if len(d.Tasks) > 0 {
		list := b.sequence()
		for i, t := range d.Tasks {
			b.where = fmt.Sprintf("task %d", i+1)
			tm := b.mapping()
			b.text(tm, "kind", string(t.Kind))
			b.number(tm, "minutes", t.Minutes)
			b.markdown(tm, "prompt", t.Prompt)
			if t.Optional {
				b.add(tm, "optional", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
			list.Content = append(list.Content, tm)
		}
		b.add(m, "tasks", list)
	}
	b.where = ""
	if !utf8.ValidString(d.Intro) {
		b.fail("the introduction")
	}
	if b.err != nil {
		return nil, b.err
	}

	// The introduction follows the front matter as it is: no YAML, no
	// escaping.
	after := ""
	if d.Intro != "" {
		after = d.Intro + "\n"
	}
	wrap := func(yml []byte) []byte {
		return append(append(append([]byte("---\n"), yml...), "---\n"...), after...)
	}
	unwrap := func(data []byte) []byte {
		front, intro, problem := splitDay(data)
		if problem != "" || string(intro) != after {
			return nil
		}
		return front
	}
	return encodeVerified(file, m, wrap, unwrap)
}

// builder builds the YAML nodes of one file, omitting empty values and
// noting the first text that is not UTF-8, which YAML cannot hold.
type builder struct {
	file  string
	where string // "item 2", or empty at the top level
	err   error
}

func (b *builder) mapping() *yaml.Node  { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }
func (b *builder) sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

func (b *builder) add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func (b *builder) fail(what string) {
	if b.err == nil {
		b.err = fmt.Errorf("planfile: %s: %s is not valid UTF-8", b.file, what)
	}
}

// str is a string scalar. The encoder picks the plainest style that YAML
// reads back as the same string, and a literal block for several lines.
func (b *builder) str(key, s string) *yaml.Node {
	if !utf8.ValidString(s) {
		b.fail(keyLabel(key, b.where))
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case s == "":
		n.Style = yaml.DoubleQuotedStyle // plain, it would read as null
	case isDate(s):
		n.Tag = "!!timestamp" // written plain, read back as its text
	case oldBools[s]:
		// Read takes them as text, as YAML 1.2 does, but other tools an
		// author may use read YAML 1.1, where they are true and false.
		n.Style = yaml.DoubleQuotedStyle

	}
	return n
}

// text adds key with a single line of text, unless it is empty.
func (b *builder) text(m *yaml.Node, key, s string) {
	if s != "" {
		b.add(m, key, b.str(key, s))
	}
}

// markdown adds key with Markdown, unless it is empty. Several lines end
// with a line break, so that the literal block reads "|" rather than "|-":
// Read drops the trailing break again (catalog.Markdown).
func (b *builder) markdown(m *yaml.Node, key, s string) {
	if strings.Contains(s, "\n") && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	b.text(m, key, s)
}

func (b *builder) texts(m *yaml.Node, key string, list []string) {
	if len(list) == 0 {
		return
	}
	seq := b.sequence()
	for _, s := range list {
		seq.Content = append(seq.Content, b.str(key, s))
	}
	b.add(m, key, seq)
}

func (b *builder) number(m *yaml.Node, key string, n int) {
	if n != 0 {
		b.add(m, key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)})
	}
}

// encodeVerified encodes root, wraps the YAML into the file (wrap), and
// checks that the file reads back (unwrap, then YAML) to the same values.
// Literal blocks diff well, but their rules are subtle (indentation
// indicators, line breaks other than LF, a file's own delimiters), so the
// encoder is not trusted with them blindly: a value that does not read
// back the same is written again double-quoted, which is always exact.
func encodeVerified(file string, root *yaml.Node, wrap, unwrap func([]byte) []byte) ([]byte, error) {
	want := scalars(root, nil)
	for range 3 {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(root); err != nil {
			return nil, fmt.Errorf("planfile: %s: %w", file, err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("planfile: %s: %w", file, err)
		}
		data := wrap(buf.Bytes())

		var got []*yaml.Node
		if yml := unwrap(data); yml != nil {
			var doc yaml.Node
			if err := yaml.Unmarshal(yml, &doc); err == nil && len(doc.Content) == 1 {
				got = scalars(doc.Content[0], nil)
			}
		}
		if len(got) != len(want) {
			// Lost structure: quote every string.
			for _, n := range want {
				if n.Tag == "!!str" || n.Tag == "!!timestamp" {
					n.Style = yaml.DoubleQuotedStyle
				}
			}
			continue
		}
		exact := true
		for i, n := range want {
			if !readsAs(got[i], n) {
				n.Style, exact = yaml.DoubleQuotedStyle, false
			}
		}
		if exact {
			return data, nil
		}
	}
	return nil, errors.New("planfile: " + file + ": the YAML encoder does not write the content so that it reads back the same")
}

// scalars appends the scalars under n, keys and values, in order.
func scalars(n *yaml.Node, list []*yaml.Node) []*yaml.Node {
	if n.Kind == yaml.ScalarNode {
		return append(list, n)
	}
	for _, c := range n.Content {
		list = scalars(c, list)
	}
	return list
}

// oldBools are the booleans of YAML 1.1 that YAML 1.2 reads as text.
var oldBools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// readsAs reports whether got, read back, gives the value of want.
func readsAs(got, want *yaml.Node) bool {
	if got.Value != want.Value {
		return false
	}
	if want.Tag == "!!str" || want.Tag == "!!timestamp" {
		return textTags[got.ShortTag()]
	}
	return got.ShortTag() == want.Tag
}
