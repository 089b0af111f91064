// Package suttacentral builds reading plans from SuttaCentral's segmented
// texts: the JSON files of its bilara-data repository
// (https://github.com/suttacentral/bilara-data), in which every segment of
// a text has an id shared by the translation, the root text and the HTML
// template, so English, Pāli and layout line up segment by segment.
//
// The plans it builds credit their source as SuttaCentral asks. Bhikkhu
// Sujato's English translations are dedicated to the public domain
// (Creative Commons Zero, CC0 1.0), and the Pāli root texts of the
// Mahāsaṅgīti edition are in the public domain; SuttaCentral's licensing
// page (https://suttacentral.net/licensing) says so for both.
package suttacentral

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// Options choose what to import.
type Options struct {
	// Collection "dhp" builds the Dhammapada: one day per chapter file, in
	// verse order. It is the only collection supported.
	Collection string
	// Texts, instead of Collection, builds one day per text uid, in the
	// order given, e.g. []string{"mn10", "mn118", "sn56.11"}.
	Texts []string
	// Translator is the translation's author folder; default "sujato".
	Translator string
	// Language is the translation's language folder and the plan's
	// language; default "en".
	Language string
	// RootEdition is the Pāli root text's edition folder; default "ms"
	// (Mahāsaṅgīti).
	RootEdition string
}

// Reading speeds, in words a minute, for estimating reading time: verse is
// read more slowly than prose.
const (
	versePace = 100
	prosePace = 200
)

// rootLanguage is the language of the root texts read (root/pli/...).
const rootLanguage = "pi"

// Build reads the bilara folder dir (the one holding translation/, root/
// and html/) and returns the plan that opts describe, normalised with
// catalog.Normalize and within the catalog's limits. Each day holds one
// text item whose Body is the translation as Markdown and whose RootText
// is the Pāli in the same shape, and an optional reflection.
//
// The Dhammapada has a day per chapter, each verse a paragraph that starts
// with its number in bold and keeps its lines apart with hard line breaks.
// Texts give a day per text, laid out in paragraphs and headings by their
// HTML templates, in a plan titled "Selected Discourses" that callers may
// rename. Every plan credits SuttaCentral, the translator and the root
// edition, with their licences, in its description.
//
// Errors about files are *FileError values naming the file, relative to
// dir, and the segment id where there is one; a missing file or folder is
// also fs.ErrNotExist.
func Build(dir string, opts Options) (*catalog.PlanContent, error) {
	o := opts.withDefaults()
	for _, v := range []string{o.Translator, o.Language, o.RootEdition} {
		if !validName(v) {
			return nil, fmt.Errorf("suttacentral: invalid folder name %q in options", v)
		}
	}
	var (
		p   *catalog.PlanContent
		err error
	)
	switch {
	case o.Collection != "" && len(o.Texts) > 0:
		return nil, errors.New("suttacentral: options name both a collection and texts; choose one")
	case o.Collection == "dhp":
		p, err = dhammapada(dir, o)
	case o.Collection != "":
		return nil, fmt.Errorf("suttacentral: collection %q is not supported (only \"dhp\"); list its texts instead", o.Collection)
	case len(o.Texts) > 0:
		p, err = selection(dir, o)
	default:
		return nil, errors.New("suttacentral: options name no collection and no texts")
	}
	if err != nil {
		return nil, err
	}
	catalog.Normalize(p)
	if err := checkLimits(p); err != nil {
		return nil, err
	}
	return p, nil
}

func (o Options) withDefaults() Options {
	if o.Translator == "" {
		o.Translator = "sujato"
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if o.RootEdition == "" {
		o.RootEdition = "ms"
	}
	o.Collection = strings.ToLower(strings.TrimSpace(o.Collection))
	return o
}

// validName reports whether an option can be used as one folder name.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`)
}

// translators are the translators whose name, bio and licence are known.
var translators = map[string]struct {
	author  catalog.AuthorContent
	licence string
}{
	"sujato": {
		author: catalog.AuthorContent{
			Name:      "Bhikkhu Sujato",
			Tradition: catalog.Theravada,
			Bio:       "Bhikkhu Sujato is a Buddhist monk who has translated the early Buddhist discourses from Pāli into English for SuttaCentral.",
		},
		licence: "dedicated to the public domain (CC0)",
	},
}

// authors names the translator as the plan's author.
func authors(o Options) []catalog.AuthorContent {
	if t, ok := translators[o.Translator]; ok {
		return []catalog.AuthorContent{t.author}
	}
	return []catalog.AuthorContent{{Name: o.Translator, Tradition: catalog.Theravada}}
}

// attribution credits the source, translator and root edition, with the
// licences, as a Markdown paragraph.
func attribution(o Options) string {
	translation := fmt.Sprintf("Translation by %s", o.Translator)
	if t, ok := translators[o.Translator]; ok {
		translation = fmt.Sprintf("English translation by %s, %s", t.author.Name, t.licence)
		if o.Language != "en" {
			translation = fmt.Sprintf("Translation (%s) by %s, %s", o.Language, t.author.Name, t.licence)
		}
	}
	edition := fmt.Sprintf("the %s edition", o.RootEdition)
	if o.RootEdition == "ms" {
		edition = "the Mahāsaṅgīti edition"
	}
	return fmt.Sprintf("Texts from SuttaCentral (https://suttacentral.net). %s. "+
		"Pāli root text of %s, in the public domain.", translation, edition)
}

// minutes estimates reading time at pace words a minute, within the
// catalog's bounds.
func minutes(words, pace int) int {
	m := (words + pace - 1) / pace
	return min(max(m, 1), catalog.MaxMinutes)
}

// htmlFile finds the HTML template file of uid under html/pli/<edition>/sub:
// "<uid>_html.json", or the older "<uid>_markup.json". It returns "" when
// there is neither.
func htmlFile(dir string, o Options, sub, uid string) string {
	for _, name := range []string{uid + "_html.json", uid + "_markup.json"} {
		rel := path.Join("html", "pli", o.RootEdition, sub, name)
		if exists(dir, rel) {
			return rel
		}
	}
	return ""
}

// translationNames is the translator's title file for a collection.
func translationNames(o Options, collection string) string {
	return path.Join("translation", o.Language, o.Translator, "name", "sutta",
		collection+"-name_translation-"+o.Language+"-"+o.Translator+".json")
}

// rootNames is the Pāli title file for a collection.
func rootNames(collection string) string {
	return path.Join("root", "misc", "site", "name", "sutta", collection+"-name_root-misc-site.json")
}

// readNames reads a title file into titles by text uid: the key
// "mn-name:12.mn10" names "mn10". A missing file gives no titles (they
// have fallbacks); a malformed one is an error.
func readNames(dir, rel string) (map[string]string, error) {
	names := map[string]string{}
	if !exists(dir, rel) {
		return names, nil
	}
	segs, err := readSegments(dir, rel)
	if err != nil {
		return nil, err
	}
	for _, s := range segs {
		_, pos := splitID(s.ID)
		_, uid, ok := strings.Cut(pos, ".")
		if title := strings.Join(lines(s.Text), " "); ok && title != "" {
			names[uid] = title
		}
	}
	return names, nil
}

// folderError says plainly that a folder is missing.
func folderError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return notFound("folder")
	}
	return err
}

// checkLimits reports content the catalog would refuse, naming where it is.
func checkLimits(p *catalog.PlanContent) error {
	long := func(s string, limit int) bool { return utf8.RuneCountInString(s) > limit }
	switch {
	case len(p.Days) > catalog.MaxDays:
		return fmt.Errorf("suttacentral: %d days, more than the %d a plan may have", len(p.Days), catalog.MaxDays)
	case long(p.Title, catalog.MaxTitle), long(p.Subtitle, catalog.MaxSubtitle):
		return fmt.Errorf("suttacentral: the plan's title or subtitle is too long")
	case len(p.Description) > catalog.MaxBodyBytes:
		return fmt.Errorf("suttacentral: the description is over %d bytes", catalog.MaxBodyBytes)
	}
	for i, d := range p.Days {
		if long(d.Title, catalog.MaxTitle) {
			return fmt.Errorf("suttacentral: day %d: title longer than %d characters", i+1, catalog.MaxTitle)
		}
		for _, it := range d.Items {
			switch {
			case long(it.Title, catalog.MaxTitle), long(it.Citation, catalog.MaxCitation):
				return fmt.Errorf("suttacentral: day %d: title or citation too long", i+1)
			case len(it.SegmentStart) > catalog.MaxSegmentID, len(it.SegmentEnd) > catalog.MaxSegmentID:
				return fmt.Errorf("suttacentral: day %d: segment id longer than %d bytes", i+1, catalog.MaxSegmentID)
			case len(it.Body) > catalog.MaxBodyBytes, len(it.RootText) > catalog.MaxBodyBytes:
				return fmt.Errorf("suttacentral: day %d (%s): text over %d bytes; choose a shorter text", i+1, it.Citation, catalog.MaxBodyBytes)
			case it.Minutes < 1 || it.Minutes > catalog.MaxMinutes:
				return fmt.Errorf("suttacentral: day %d: %d minutes is out of range", i+1, it.Minutes)
			}
		}
	}
	return nil
}
