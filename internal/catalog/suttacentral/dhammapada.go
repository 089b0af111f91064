package suttacentral

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// chapterFile matches a Dhammapada chapter's range, e.g. "dhp1-20".
var chapterFile = regexp.MustCompile(`^dhp([0-9]{1,4})-([0-9]{1,4})$`)

// chapterNumber is the "1. " before a chapter name.
var chapterNumber = regexp.MustCompile(`^[0-9]+\.\s*`)

// chapter is one Dhammapada chapter file: "dhp1-20" holds verses 1 to 20.
type chapter struct {
	uid         string
	first, last int
	file        string // the translation, relative to the bilara folder
}

// reflections are the chapters' tasks, taken in turn: open questions in
// this project's words, not quotations.
var reflections = []string{
	"Which verse of today's chapter stays with you? Read it once more, slowly.",
	"Choose one verse from today's chapter to carry through the day. When did it come back to you?",
	"Is there a verse today you find hard to accept? Sit with it for a moment without deciding what you think.",
}

// dhammapada builds the Dhammapada: one day per chapter, in verse order.
func dhammapada(dir string, o Options) (*catalog.PlanContent, error) {
	chapters, err := dhammapadaChapters(dir, o)
	if err != nil {
		return nil, err
	}
	en, err := readNames(dir, translationNames(o, "dhp"))
	if err != nil {
		return nil, err
	}
	pi, err := readNames(dir, rootNames("dhp"))
	if err != nil {
		return nil, err
	}
	p := &catalog.PlanContent{
		Slug:      "dhammapada",
		Title:     fmt.Sprintf("The Dhammapada in %d Days", len(chapters)),
		Subtitle:  "Sayings of the Dhamma, one chapter a day, with the Pāli beside the English",
		Authors:   authors(o),
		Tradition: catalog.Theravada,
		Topics:    []string{"dhammapada", "verses", "ethics"},
		Level:     catalog.Beginner,
		Language:  o.Language,
	}
	verses := 0
	for i, c := range chapters {
		r, err := dhammapadaChapter(dir, o, c)
		if err != nil {
			return nil, err
		}
		verses += r.verses
		p.Days = append(p.Days, catalog.DayContent{
			Title: firstOf(withoutNumber(en[c.uid]), pi[c.uid], withoutNumber(r.heading), r.item.Title),
			Items: []catalog.ItemContent{r.item},
			Tasks: []catalog.TaskContent{{
				Kind:     catalog.Reflect,
				Prompt:   reflections[i%len(reflections)],
				Optional: true,
			}},
		})
	}
	p.Description = fmt.Sprintf("The Dhammapada gathers %d short verses on ethics, the mind and the way to freedom "+
		"into %d chapters. It is among the best-loved books of the Pāli canon, and a gentle way into it: "+
		"this plan reads one chapter a day, with the Pāli verses beside the English.\n\n%s",
		verses, len(chapters), attribution(o))
	return p, nil
}

// dhammapadaChapters lists the chapter files of the translation, ordered
// by first verse.
func dhammapadaChapters(dir string, o Options) ([]chapter, error) {
	folder := path.Join("translation", o.Language, o.Translator, "sutta", "kn", "dhp")
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(folder)))
	if err != nil {
		return nil, &FileError{File: folder, Err: folderError(err)}
	}
	suffix := "_translation-" + o.Language + "-" + o.Translator + ".json"
	var chapters []chapter
	for _, e := range entries {
		uid, ok := strings.CutSuffix(e.Name(), suffix)
		m := chapterFile.FindStringSubmatch(uid)
		if !ok || m == nil || e.IsDir() {
			continue
		}
		first, _ := strconv.Atoi(m[1])
		last, _ := strconv.Atoi(m[2])
		chapters = append(chapters, chapter{uid: uid, first: first, last: last, file: folder + "/" + e.Name()})
	}
	if len(chapters) == 0 {
		return nil, &FileError{File: folder, Err: fmt.Errorf("no Dhammapada chapter files (dhpN-M%s)", suffix)}
	}
	slices.SortFunc(chapters, func(a, b chapter) int { return a.first - b.first })
	return chapters, nil
}

// chapterReading is one chapter read: the day's reading, the chapter
// heading of the translation (a fallback title) and the number of verses.
type chapterReading struct {
	item    catalog.ItemContent
	heading string
	verses  int
}

// dhammapadaChapter reads one chapter: its translation, its root text (in
// the current layout if there, else the older one) and, if there, its
// HTML templates.
func dhammapadaChapter(dir string, o Options, c chapter) (chapterReading, error) {
	tr, err := readSegments(dir, c.file)
	if err != nil {
		return chapterReading{}, err
	}
	current := path.Join("root", "pli", o.RootEdition, "sutta", "kn", "dhp", c.uid+"_root-pli-"+o.RootEdition+".json")
	older := path.Join("root", "pli", o.RootEdition, "kn", "dhp", c.uid+"_root-pli-"+o.RootEdition+".json")
	rootFile := current
	if !exists(dir, current) && exists(dir, older) {
		rootFile = older
	}
	root, err := readSegments(dir, rootFile)
	if err != nil {
		return chapterReading{}, err
	}
	tmpl, err := readTemplates(dir, htmlFile(dir, o, path.Join("sutta", "kn", "dhp"), c.uid))
	if err != nil {
		return chapterReading{}, err
	}

	english := versesOf(tr, tmpl)
	if len(english.order) == 0 {
		return chapterReading{}, &FileError{File: c.file, Err: errors.New("no verses found")}
	}
	if len(tmpl) == 0 {
		// No template marks the root's closing lines ("Yamakavaggo
		// paṭhamo."): leave out what follows the translation's last line.
		if i := slices.IndexFunc(root, func(s Segment) bool { return s.ID == english.last }); i >= 0 {
			root = root[:i+1]
		}
	}
	pali := versesOf(root, tmpl)
	var body, rootText []string
	for _, n := range english.order {
		body = append(body, verse(n, english.lines[n]))
		// A verse the root lacks keeps its English and shows no Pāli.
		if ls := pali.lines[n]; len(ls) > 0 {
			rootText = append(rootText, verse(n, ls))
		}
	}
	item := catalog.ItemContent{
		Kind:         catalog.Text,
		Title:        verseRange("Verses", "Verse", c.first, c.last),
		Citation:     verseRange("Dhp", "Dhp", c.first, c.last),
		SegmentStart: english.first,
		SegmentEnd:   english.last,
		Minutes:      minutes(english.words, versePace),
		Body:         strings.Join(body, "\n\n"),
	}
	if len(rootText) > 0 {
		item.RootText, item.RootLanguage = strings.Join(rootText, "\n\n"), rootLanguage
	}
	return chapterReading{item: item, heading: titleSegment(tr), verses: len(english.order)}, nil
}

// withoutNumber drops the number before a chapter name: "1. Pairs" is "Pairs".
func withoutNumber(name string) string {
	return strings.TrimSpace(chapterNumber.ReplaceAllString(name, ""))
}

// verseRange names a range of verses: "Verses 1–20", or "Verse 5" alone.
func verseRange(plural, singular string, first, last int) string {
	if first == last {
		return fmt.Sprintf("%s %d", singular, first)
	}
	return fmt.Sprintf("%s %d–%d", plural, first, last)
}

// titleSegment is the title segment of a text or chapter: the last "0.x"
// heading before the text, e.g. "Mindfulness Meditation" or "1. Pairs".
func titleSegment(segs []Segment) string {
	heading := ""
	for _, s := range segs {
		_, pos := splitID(s.ID)
		if !strings.HasPrefix(pos, "0.") {
			break
		}
		if ls := lines(s.Text); len(ls) > 0 {
			heading = strings.Join(ls, " ")
		}
	}
	return heading
}

// verses are the lines of a chapter's verses, by verse number.
type verses struct {
	order       []int
	lines       map[int][]string
	first, last string // the first and last segments with text
	words       int
}

// versesOf collects the verse lines of a chapter file. It leaves out
// headings, story titles (the "dhpN:0" segments, a template that shows no
// text or makes a heading, or an editorial addition in the older root
// files) and the closing matter from the first end-of-chapter template on,
// so the root's extra closing lines do not join the last verse. Lines are
// grouped by the verse number of their key, which is what aligns the
// translation with a root file whose line keys differ.
func versesOf(segs []Segment, tmpl templates) verses {
	v := verses{lines: map[int][]string{}}
	for _, s := range segs {
		raw, ok := tmpl[s.ID]
		t := parseTemplate(raw)
		if ok && t.closing() {
			break
		}
		uid, pos := splitID(s.ID)
		n, err := strconv.Atoi(strings.TrimPrefix(uid, "dhp"))
		switch {
		case isHeading(pos), !strings.HasPrefix(uid, "dhp"), err != nil:
			continue // a heading or story title ("dhpN:0"), or not a verse
		case ok && (!t.shows || t.heading() > 0), addition.MatchString(s.Text):
			continue // a story title within a verse's lines
		}
		ls := lines(s.Text)
		if len(ls) == 0 {
			continue
		}
		if _, seen := v.lines[n]; !seen {
			v.order = append(v.order, n)
		}
		v.lines[n] = append(v.lines[n], ls...)
		if v.first == "" {
			v.first = s.ID
		}
		v.last = s.ID
		v.words += countWords(ls)
	}
	return v
}
