package suttacentral

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// collectionNames are the abbreviations readers know for the collections
// whose spelling is not just a capital letter ("mn10" is "MN 10").
var collectionNames = map[string]string{
	"dn": "DN", "mn": "MN", "sn": "SN", "an": "AN", "snp": "Snp", "dhp": "Dhp",
}

// discourseReflection is the task of each day of a selection: an open
// question in this project's words.
const discourseReflection = "Which passage of today's discourse stays with you? Read it once more, slowly."

// selection builds one day per text of o.Texts, in the order given.
func selection(dir string, o Options) (*catalog.PlanContent, error) {
	if len(o.Texts) > catalog.MaxDays {
		return nil, fmt.Errorf("suttacentral: %d texts, more than the %d days a plan may have", len(o.Texts), catalog.MaxDays)
	}
	trFolder := path.Join("translation", o.Language, o.Translator, "sutta")
	translations, err := index(dir, trFolder)
	if err != nil {
		return nil, err
	}
	rootFolder := path.Join("root", "pli", o.RootEdition)
	roots, err := index(dir, rootFolder)
	if err != nil {
		return nil, err
	}
	htmlFolder := path.Join("html", "pli", o.RootEdition)
	layouts, err := index(dir, htmlFolder)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	titles := map[string]collectionTitles{}

	var citations []string
	days := make([]catalog.DayContent, 0, len(o.Texts))
	for _, uid := range o.Texts {
		uid = strings.ToLower(strings.TrimSpace(uid))
		trName := uid + "_translation-" + o.Language + "-" + o.Translator + ".json"
		trFile, ok := translations[trName]
		if !ok || uid == "" {
			return nil, &FileError{File: trFolder, Err: fmt.Errorf("unknown text %q: %s: %w", uid, trName, notFound("file"))}
		}
		rootName := uid + "_root-pli-" + o.RootEdition + ".json"
		rootFile, ok := roots[rootName]
		if !ok {
			return nil, &FileError{File: rootFolder, Err: fmt.Errorf("no root text for %q: %s: %w", uid, rootName, notFound("file"))}
		}
		layoutFile, ok := layouts[uid+"_html.json"]
		if !ok {
			layoutFile = layouts[uid+"_markup.json"]
		}

		coll := collection(uid)
		names, ok := titles[coll]
		if !ok {
			if names, err = readTitles(dir, o, coll); err != nil {
				return nil, err
			}
			titles[coll] = names
		}
		item, err := discourse(dir, trFile, rootFile, layoutFile)
		if err != nil {
			return nil, err
		}
		item.Citation = citation(uid)
		item.Title = firstOf(names.translated[uid], names.pali[uid], item.Title, item.Citation)
		citations = append(citations, item.Citation)
		days = append(days, catalog.DayContent{
			Title: item.Title,
			Items: []catalog.ItemContent{item},
			Tasks: []catalog.TaskContent{{Kind: catalog.Reflect, Prompt: discourseReflection, Optional: true}},
		})
	}

	list := strings.Join(citations, ", ")
	subtitle := list + ", with the Pāli beside the English"
	if len(subtitle) > catalog.MaxSubtitle {
		subtitle = fmt.Sprintf("%d discourses, with the Pāli beside the English", len(citations))
	}
	return &catalog.PlanContent{
		Slug:     "selected-discourses",
		Title:    "Selected Discourses",
		Subtitle: subtitle,
		Description: fmt.Sprintf("Discourses from the early Buddhist texts, one a day (%s). "+
			"Each reading gives the English translation with the Pāli beside it.\n\n%s", list, attribution(o)),
		Authors:   authors(o),
		Tradition: catalog.Theravada,
		Topics:    []string{"suttas"},
		Level:     catalog.Intermediate,
		Language:  o.Language,
		Days:      days,
	}, nil
}

// collectionTitles are the titles of a collection's texts, by uid: the
// translator's and the Pāli ones.
type collectionTitles struct{ translated, pali map[string]string }

func readTitles(dir string, o Options, coll string) (collectionTitles, error) {
	translated, err := readNames(dir, translationNames(o, coll))
	if err != nil {
		return collectionTitles{}, err
	}
	pali, err := readNames(dir, rootNames(coll))
	return collectionTitles{translated: translated, pali: pali}, err
}

// discourse reads one text into a reading. Its Title is the text's own
// title segment, a fallback for the title files.
func discourse(dir, trFile, rootFile, layoutFile string) (catalog.ItemContent, error) {
	tr, err := readSegments(dir, trFile)
	if err != nil {
		return catalog.ItemContent{}, err
	}
	root, err := readSegments(dir, rootFile)
	if err != nil {
		return catalog.ItemContent{}, err
	}
	tmpl, err := readTemplates(dir, layoutFile)
	if err != nil {
		return catalog.ItemContent{}, err
	}
	english, pali := render(tr, tmpl), render(root, tmpl)
	if english.first == "" {
		return catalog.ItemContent{}, &FileError{File: trFile, Err: errors.New("no text found")}
	}
	item := catalog.ItemContent{
		Kind:         catalog.Text,
		Title:        titleSegment(tr),
		SegmentStart: english.first,
		SegmentEnd:   english.last,
		Minutes:      minutes(english.words, prosePace),
		Body:         english.markdown(),
	}
	if rootText := pali.markdown(); rootText != "" {
		item.RootText, item.RootLanguage = rootText, rootLanguage
	}
	return item, nil
}

// index maps the names of the files under folder (relative to dir) to
// their paths relative to dir. Where one name is in two places, as with
// the older and current layouts of root texts, the current one, under
// "sutta/", wins.
func index(dir, folder string) (map[string]string, error) {
	files := map[string]string{}
	base := filepath.Join(dir, filepath.FromSlash(folder))
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if _, seen := files[d.Name()]; !seen || strings.Contains(rel, "/sutta/") {
			files[d.Name()] = rel
		}
		return nil
	})
	if err != nil {
		return nil, &FileError{File: folder, Err: folderError(err)}
	}
	return files, nil
}

// collection is the collection a text uid belongs to: its leading letters,
// "sn" for "sn56.11".
func collection(uid string) string {
	i := strings.IndexFunc(uid, func(r rune) bool { return r < 'a' || r > 'z' })
	if i < 0 {
		return uid
	}
	return uid[:i]
}

// citation names a text the way readers know it: "mn10" is "MN 10",
// "snp1.8" is "Snp 1.8", "thag1.1" is "Thag 1.1".
func citation(uid string) string {
	coll := collection(uid)
	name, ok := collectionNames[coll]
	if !ok && coll != "" {
		name = strings.ToUpper(coll[:1]) + coll[1:]
	}
	if rest := uid[len(coll):]; rest != "" {
		return strings.TrimSpace(name + " " + rest)
	}
	return name
}

// firstOf returns the first of titles that is not empty.
func firstOf(titles ...string) string {
	for _, t := range titles {
		if t != "" {
			return t
		}
	}
	return ""
}
