package suttacentral_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// bilara is the real sample of SuttaCentral's bilara-data, read in place.
func bilara(t *testing.T) string {
	t.Helper()
	return testenv.SharedData(t, "suttacentral/bilara")
}

func build(t *testing.T, dir string, o suttacentral.Options) *catalog.PlanContent {
	t.Helper()
	p, err := suttacentral.Build(dir, o)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

// verseMark is the bold verse number that starts each verse's paragraph.
var verseMark = regexp.MustCompile(`(?m)^\*\*([0-9]+)\*\* `)

// verseNumbers lists the verse numbers of a Dhammapada body, in order.
func verseNumbers(t *testing.T, body string) []int {
	t.Helper()
	var ns []int
	for _, m := range verseMark.FindAllStringSubmatch(body, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			t.Fatalf("verse number %q: %v", m[1], err)
		}
		ns = append(ns, n)
	}
	return ns
}

// segmentVerse is the verse number of a Dhammapada segment id: 20 for "dhp20:6".
func segmentVerse(t *testing.T, id string) int {
	t.Helper()
	uid, _, ok := strings.Cut(id, ":")
	n, err := strconv.Atoi(strings.TrimPrefix(uid, "dhp"))
	if !ok || err != nil || !strings.HasPrefix(uid, "dhp") {
		t.Fatalf("segment id %q is not a Dhammapada verse line", id)
	}
	return n
}

func TestDhammapada(t *testing.T) {
	dir := bilara(t)
	p := build(t, dir, suttacentral.Options{Collection: "dhp"})

	t.Run("has one day per chapter, 26 in all", func(t *testing.T) {
		if len(p.Days) != 26 {
			t.Fatalf("%d days, want 26", len(p.Days))
		}
		for i, d := range p.Days {
			if len(d.Items) != 1 || d.Items[0].Kind != catalog.Text {
				t.Errorf("day %d: items %+v, want one text", i+1, d.Items)
			}
		}
	})

	t.Run("holds the 423 verses once each, in verse order", func(t *testing.T) {
		var all []int
		for _, d := range p.Days {
			all = append(all, verseNumbers(t, d.Items[0].Body)...)
		}
		if len(all) != 423 {
			t.Fatalf("%d verses, want 423", len(all))
		}
		for i, n := range all {
			if n != i+1 {
				t.Fatalf("verse %d found where verse %d belongs", n, i+1)
			}
		}
	})

	t.Run("segment ranges cover verses 1 to 423 without gaps, chapter by chapter", func(t *testing.T) {
		next := 1
		for i, d := range p.Days {
			it := d.Items[0]
			first, last := segmentVerse(t, it.SegmentStart), segmentVerse(t, it.SegmentEnd)
			if first != next || last < first {
				t.Errorf("day %d covers %s to %s, want it to start at verse %d", i+1, it.SegmentStart, it.SegmentEnd, next)
			}
			if want := fmt.Sprintf("Dhp %d–%d", first, last); it.Citation != want {
				t.Errorf("day %d cites %q, want %q", i+1, it.Citation, want)
			}
			next = last + 1
		}
		if next != 424 {
			t.Errorf("the last day ends at verse %d, want 423", next-1)
		}
	})

	t.Run("day 1 reads verses 1–20 with Sujato's English and the Pāli", func(t *testing.T) {
		d := p.Days[0]
		it := d.Items[0]
		if d.Title != "Pairs" || it.Title != "Verses 1–20" || it.Citation != "Dhp 1–20" {
			t.Errorf("day title %q, item %q cited %q", d.Title, it.Title, it.Citation)
		}
		if it.SegmentStart != "dhp1:1" || !strings.HasPrefix(it.SegmentEnd, "dhp20:") {
			t.Errorf("segments %s to %s, want dhp1:1 to dhp20:…", it.SegmentStart, it.SegmentEnd)
		}
		for _, want := range []string{
			"**1** Intention shapes experiences;\\\nintention is first, they’re made by intention.\\\n",
			"**2** Intention shapes experiences;",
			"like a wheel, the ox’s foot.\n\n**2** ",
		} {
			if !strings.Contains(it.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, it.Body[:400])
			}
		}
		if !strings.HasPrefix(it.RootText, "**1** Manopubbaṅgamā dhammā,\\\nmanoseṭṭhā manomayā;") || it.RootLanguage != "pi" {
			t.Errorf("root text (%s):\n%s", it.RootLanguage, it.RootText[:200])
		}
		if it.Minutes < 2 || it.Minutes > 10 {
			t.Errorf("%d minutes for twenty verses", it.Minutes)
		}
	})

	t.Run("chapters are named in English, or in Pāli where no English name is stored", func(t *testing.T) {
		for day, want := range map[int]string{1: "Pairs", 3: "The Mind", 7: "The Perfected Ones", 24: "Craving", 25: "Bhikkhu Vagga", 26: "Brāhmaṇa Vagga"} {
			if got := p.Days[day-1].Title; got != want {
				t.Errorf("day %d is %q, want %q", day, got, want)
			}
		}
	})

	t.Run("every day has the Pāli of the same verses beside the English", func(t *testing.T) {
		for i, d := range p.Days {
			it := d.Items[0]
			if it.RootText == "" || it.RootLanguage != "pi" {
				t.Errorf("day %d has no root text", i+1)
				continue
			}
			if en, pi := verseNumbers(t, it.Body), verseNumbers(t, it.RootText); !slices.Equal(en, pi) {
				t.Errorf("day %d: English verses %v, Pāli verses %v", i+1, en, pi)
			}
		}
	})

	t.Run("headings, story titles, markup and closing lines stay out of the verses", func(t *testing.T) {
		for _, c := range []struct {
			day   int
			field string
			text  string
		}{
			{1, "RootText", "Cakkhupālattheravatthu"}, // a story title, dhp1:0
			{1, "RootText", "Yamakavagga"},            // the chapter heading, dhp1:^0.3
			{1, "RootText", "Yamakavaggo paṭhamo"},    // the chapter's closing line, dhp20:7
			{1, "Body", "Minor Collection"},           // dhp1:0.1
			{15, "RootText", "vatthu_gatha"},          // an empty anchor in dhp208:2
			{26, "RootText", "Jotikattheravatthu"},    // a story title inside verse 416
			{26, "RootText", "Dhammapadapāḷi samattā"},
			{26, "Body", "The Sayings of the Dhamma is completed"},
		} {
			it := p.Days[c.day-1].Items[0]
			text := it.Body
			if c.field == "RootText" {
				text = it.RootText
			}
			if strings.Contains(text, c.text) {
				t.Errorf("day %d %s holds %q", c.day, c.field, c.text)
			}
		}
		for i, d := range p.Days {
			if it := d.Items[0]; strings.ContainsAny(it.Body+it.RootText, "<>{}") {
				t.Errorf("day %d keeps markup", i+1)
			}
		}
		if root := p.Days[14].Items[0].RootText; !strings.Contains(root, "**208** Tasmā hi—\\\nDhīrañca paññañca bahussutañca,") {
			t.Errorf("verse 208 lost its line after the anchor:\n%s", root[strings.Index(root, "**208**"):])
		}
	})

	t.Run("a line break the translator marked inside a segment breaks the line", func(t *testing.T) {
		if body := p.Days[0].Items[0].Body; !strings.Contains(body, "**17** Here they’re tormented,\\\nhereafter they’re tormented,") {
			t.Errorf("verse 17:\n%s", body[strings.Index(body, "**17**"):])
		}
	})

	t.Run("each day asks an optional reflection", func(t *testing.T) {
		for i, d := range p.Days {
			if len(d.Tasks) != 1 || d.Tasks[0].Kind != catalog.Reflect || !d.Tasks[0].Optional || d.Tasks[0].Prompt == "" {
				t.Errorf("day %d tasks %+v", i+1, d.Tasks)
			}
		}
	})

	t.Run("the plan credits SuttaCentral, Bhikkhu Sujato and the Mahāsaṅgīti edition", func(t *testing.T) {
		if p.Slug != "dhammapada" || p.Title != "The Dhammapada in 26 Days" ||
			p.Subtitle != "Sayings of the Dhamma, one chapter a day, with the Pāli beside the English" {
			t.Errorf("slug %q, title %q, subtitle %q", p.Slug, p.Title, p.Subtitle)
		}
		if p.Tradition != catalog.Theravada || p.Level != catalog.Beginner || p.Language != "en" ||
			!slices.Equal(p.Topics, []string{"dhammapada", "verses", "ethics"}) {
			t.Errorf("tradition %q, level %q, language %q, topics %v", p.Tradition, p.Level, p.Language, p.Topics)
		}
		for _, want := range []string{"https://suttacentral.net", "Bhikkhu Sujato", "CC0", "Mahāsaṅgīti", "423"} {
			if !strings.Contains(p.Description, want) {
				t.Errorf("description lacks %q:\n%s", want, p.Description)
			}
		}
		if len(p.Authors) != 1 || p.Authors[0].Name != "Bhikkhu Sujato" || p.Authors[0].Tradition != catalog.Theravada || p.Authors[0].Bio == "" {
			t.Errorf("authors %+v", p.Authors)
		}
	})

	t.Run("the plan is normalised and within the catalog's limits", func(t *testing.T) {
		again := build(t, dir, suttacentral.Options{Collection: "dhp"})
		catalog.Normalize(again)
		if !reflect.DeepEqual(p, again) {
			t.Error("normalising the built plan changes it")
		}
		withinLimits(t, p)
	})
}

// withinLimits checks what the catalog would check on import.
func withinLimits(t *testing.T, p *catalog.PlanContent) {
	t.Helper()
	if len(p.Days) > catalog.MaxDays || utf8.RuneCountInString(p.Title) > catalog.MaxTitle ||
		utf8.RuneCountInString(p.Subtitle) > catalog.MaxSubtitle || len(p.Description) > catalog.MaxBodyBytes {
		t.Errorf("plan over the limits: %d days, title %q, subtitle %q", len(p.Days), p.Title, p.Subtitle)
	}
	for i, d := range p.Days {
		if d.Title == "" || utf8.RuneCountInString(d.Title) > catalog.MaxTitle {
			t.Errorf("day %d title %q", i+1, d.Title)
		}
		for _, it := range d.Items {
			if it.Title == "" || utf8.RuneCountInString(it.Title) > catalog.MaxTitle ||
				len(it.Body) > catalog.MaxBodyBytes || len(it.RootText) > catalog.MaxBodyBytes ||
				it.Minutes < 1 || it.Minutes > catalog.MaxMinutes ||
				it.SegmentStart == "" || it.SegmentEnd == "" {
				t.Errorf("day %d item %q (%s): %d body bytes, %d minutes, segments %q–%q",
					i+1, it.Title, it.Citation, len(it.Body), it.Minutes, it.SegmentStart, it.SegmentEnd)
			}
		}
	}
}
