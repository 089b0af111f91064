package planfile

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// decodePlan decodes plan.yaml into c's metadata.
func decodePlan(data []byte, c *catalog.PlanContent, probs *problems) {
	r := &nodeReader{file: planFile, probs: probs}
	if !r.validUTF8(data) {
		return
	}
	root, ok := r.parse(data)
	if !ok {
		return
	}
	seen, ok := r.mapping(root, "", func(key string, v *yaml.Node) bool {
		label := keyLabel(key, "")
		switch key {
		case "format":
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Value != strconv.Itoa(Version) {
				r.fail(v, "%s: want %d, got %s", label, Version, describe(v))
			}
		case "slug":
			c.Slug = r.text(v, label)
		case "title":
			c.Title = r.text(v, label)
		case "subtitle":
			c.Subtitle = r.text(v, label)
		case "language":
			c.Language = r.text(v, label)
		case "tradition":
			c.Tradition = catalog.Tradition(r.text(v, label))
		case "level":
			c.Level = catalog.Level(r.text(v, label))
		case "topics":
			c.Topics = r.texts(v, label)
		case "authors":
			for i, n := range r.list(v, label) {
				c.Authors = append(c.Authors, r.author(n, fmt.Sprintf("author %d", i+1)))
			}
		case "cover":
			c.CoverMediaID = r.text(v, label)
		case "fixed_start_dates":
			c.FixedStartDates = r.texts(v, label)
		case "description":
			c.Description = r.text(v, label)
		default:
			return false
		}
		return true
	})
	if ok {
		r.require(seen, "format", "title")
	}
}

func (r *nodeReader) author(n *yaml.Node, where string) catalog.AuthorContent {
	var a catalog.AuthorContent
	r.mapping(n, where, func(key string, v *yaml.Node) bool {
		label := keyLabel(key, where)
		switch key {
		case "name":
			a.Name = r.text(v, label)
		case "tradition":
			a.Tradition = catalog.Tradition(r.text(v, label))
		case "bio":
			a.Bio = r.text(v, label)
		default:
			return false
		}
		return true
	})
	return a
}

// decodeDay decodes the day file named file (relative to the folder).
func decodeDay(file string, data []byte, probs *problems) catalog.DayContent {
	// Line 1 of the front matter is line 2 of the file.
	r := &nodeReader{file: file, offset: 1, probs: probs}
	var d catalog.DayContent
	if !r.validUTF8(data) {
		return d
	}
	front, intro, problem := splitDay(data)
	if problem != "" {
		probs.add(file, 1, "%s", problem)
		return d
	}
	root, ok := r.parse(front)
	if !ok {
		return d
	}
	seen, ok := r.mapping(root, "", func(key string, v *yaml.Node) bool {
		label := keyLabel(key, "")
		switch key {
		case "title":
			d.Title = r.text(v, label)
		case "items":
			for i, n := range r.list(v, label) {
				d.Items = append(d.Items, r.item(n, fmt.Sprintf("item %d", i+1)))
			}
		case "tasks":
			for i, n := range r.list(v, label) {
				d.Tasks = append(d.Tasks, r.task(n, fmt.Sprintf("task %d", i+1)))
			}
		default:
			return false
		}
		return true
	})
	if ok {
		r.require(seen, "title")
	}
	d.Intro = string(intro)
	return d
}

func (r *nodeReader) item(n *yaml.Node, where string) catalog.ItemContent {
	var it catalog.ItemContent
	r.mapping(n, where, func(key string, v *yaml.Node) bool {
		label := keyLabel(key, where)
		switch key {
		case "kind":
			it.Kind = catalog.ItemKind(r.text(v, label))
		case "title":
			it.Title = r.text(v, label)
		case "body":
			it.Body = r.text(v, label)
		case "media":
			it.MediaID = r.text(v, label)
		case "url":
			it.URL = r.text(v, label)
		case "citation":
			it.Citation = r.text(v, label)
		case "segment_start":
			it.SegmentStart = r.text(v, label)
		case "segment_end":
			it.SegmentEnd = r.text(v, label)
		case "minutes":
			it.Minutes = r.number(v, label)
		case "root_text":
			it.RootText = r.text(v, label)
		case "root_language":
			it.RootLanguage = r.text(v, label)
		default:
			return false
		}
		return true
	})
	return it
}

func (r *nodeReader) task(n *yaml.Node, where string) catalog.TaskContent {
	var t catalog.TaskContent
	r.mapping(n, where, func(key string, v *yaml.Node) bool {
		label := keyLabel(key, where)
		switch key {
		case "kind":
			t.Kind = catalog.TaskKind(r.text(v, label))
		case "prompt":
			t.Prompt = r.text(v, label)
		case "minutes":
			t.Minutes = r.number(v, label)
		case "optional":
			t.Optional = r.flag(v, label)
		default:
			return false
		}
		return true
	})
	return t
}

// bom is the byte order mark some editors put at the start of UTF-8 files.
var bom = []byte("\uFEFF")

// splitDay cuts a day file into its front matter and its introduction. The
// front matter lies between a first line "---" and the next line "---"
// (trailing spaces and a carriage return allowed on both); the
// introduction is everything after. problem says what is wrong, if
// anything, with line 1.
func splitDay(data []byte) (front, intro []byte, problem string) {
	first, rest, _ := bytes.Cut(bytes.TrimPrefix(data, bom), []byte("\n"))
	if !isDelimiter(first) {
		return nil, nil, `no front matter: a day file begins with a line "---", then the day's keys and another line "---"`
	}
	for off := 0; off < len(rest); {
		line, after, found := bytes.Cut(rest[off:], []byte("\n"))
		if isDelimiter(line) {
			return rest[:off], after, ""
		}
		if !found {
			break
		}
		off += len(line) + 1
	}
	return nil, nil, `front matter not closed: add a line "---" after the day's keys`
}

func isDelimiter(line []byte) bool { return string(bytes.TrimRight(line, " \t\r")) == "---" }

// nodeReader decodes the YAML of one file into content, strictly, noting
// problems with the file's name and lines.
type nodeReader struct {
	file   string
	offset int // lines in the file before the YAML text
	probs  *problems
}

// fail notes a problem at n's line.
func (r *nodeReader) fail(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil && n.Line > 0 {
		line = n.Line + r.offset
	}
	r.probs.add(r.file, line, format, args...)
}

// validUTF8 reports whether the whole file is UTF-8, noting the first line
// that is not.
func (r *nodeReader) validUTF8(data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	for i := 0; i < len(data); {
		c, size := utf8.DecodeRune(data[i:])
		if c == utf8.RuneError && size == 1 {
			r.probs.add(r.file, bytes.Count(data[:i], []byte("\n"))+1, "not UTF-8 text: save the file as UTF-8")
			break
		}
		i += size
	}
	return false
}

// parse parses text as a single YAML document and returns its root: nil
// for an empty document. ok is false if the YAML does not parse.
func (r *nodeReader) parse(text []byte) (root *yaml.Node, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, true
	} else if err != nil {
		r.syntax(err)
		return nil, false
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			r.syntax(err)
		} else {
			r.fail(&next, "a second YAML document starts here: only one is allowed")
		}
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

// syntax notes a YAML syntax error, moving its line number to the file's.
func (r *nodeReader) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, msg = l+r.offset, after
			}
		}
	}
	r.probs.add(r.file, line, "%s", msg)
}

// mapping calls set with each key of the mapping n and its value, and
// notes keys that set does not know (it returns false) and keys given
// twice. where names n in messages ("item 2"), or is empty for the file's
// top level. It returns the line of each key seen; ok is false when n is
// not a mapping.
func (r *nodeReader) mapping(n *yaml.Node, where string, set func(key string, v *yaml.Node) bool) (seen map[string]int, ok bool) {
	seen = map[string]int{}
	if n == nil {
		return seen, true // an empty file
	}
	if n.Kind != yaml.MappingNode {
		r.fail(n, "%swant a mapping of keys, got %s", prefix(where), describe(n))
		return nil, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.fail(k, "%skeys are names, got %s", prefix(where), describe(k))
			continue
		}
		if first, twice := seen[k.Value]; twice {
			r.fail(k, "%s appears twice (first on line %d)", keyLabel(k.Value, where), first)
			continue
		}
		seen[k.Value] = k.Line + r.offset
		if !set(k.Value, v) {
			r.fail(k, "unknown key %q%s", k.Value, in(where))
		}
	}
	return seen, true
}

// require notes each of keys missing from seen.
func (r *nodeReader) require(seen map[string]int, keys ...string) {
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			r.probs.add(r.file, 0, "missing key %q", k)
		}
	}
}

// textTags are the tags of scalars that text takes as strings: YAML reads
// "title: 1984" as a number and "2025-07-11" as a date, and their source
// text is what the author meant.
var textTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!timestamp": true}

// text decodes a string from any scalar but null (empty), which is "".
func (r *nodeReader) text(v *yaml.Node, label string) string {
	if v.Kind == yaml.ScalarNode {
		if v.ShortTag() == "!!null" {
			return ""
		}
		if textTags[v.ShortTag()] {
			return v.Value
		}
	}
	r.fail(v, "%s: want text, got %s", label, describe(v))
	return ""
}

// number decodes a whole number; an empty value is 0.
func (r *nodeReader) number(v *yaml.Node, label string) int {
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!null":
			return 0
		case "!!int":
			var n int
			if err := v.Decode(&n); err == nil {
				return n
			}
		}
	}
	r.fail(v, "%s: want a whole number, got %s", label, describe(v))
	return 0
}

// flag decodes true or false; an empty value is false.
func (r *nodeReader) flag(v *yaml.Node, label string) bool {
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!null":
			return false
		case "!!bool":
			var b bool
			if err := v.Decode(&b); err == nil {
				return b
			}
		}
	}
	r.fail(v, "%s: want true or false, got %s", label, describe(v))
	return false
}

// list returns the entries of a list; an empty value is an empty list.
func (r *nodeReader) list(v *yaml.Node, label string) []*yaml.Node {
	switch {
	case v.Kind == yaml.SequenceNode:
		return v.Content
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		return nil
	}
	r.fail(v, "%s: want a list, got %s", label, describe(v))
	return nil
}

// texts decodes a list of strings.
func (r *nodeReader) texts(v *yaml.Node, label string) []string {
	var out []string
	for i, n := range r.list(v, label) {
		out = append(out, r.text(n, fmt.Sprintf("%s, entry %d", label, i+1)))
	}
	return out
}

// keyLabel names a key in messages: `key "minutes" in item 2`.
func keyLabel(key, where string) string { return fmt.Sprintf("key %q%s", key, in(where)) }

func in(where string) string {
	if where == "" {
		return ""
	}
	return " in " + where
}

func prefix(where string) string {
	if where == "" {
		return ""
	}
	return where + ": "
}

// describe says what a node is, for "want ..., got ..." messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return fmt.Sprintf("an alias (*%s): aliases are not supported", n.Value)
	case yaml.ScalarNode:
		v := n.Value
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "..."
		}
		switch tag := n.ShortTag(); {
		case tag == "!!null":
			return "nothing"
		case tag == "!!str":
			return strconv.Quote(v)
		case textTags[tag]:
			return v
		}
		return fmt.Sprintf("a value tagged %s", n.Tag)
	}
	return "nothing"
}
