package suttacentral_test

import (
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
)

func TestTexts(t *testing.T) {
	dir := bilara(t)
	texts := []struct {
		uid, title, citation, start string
		// body and root hold passages the English and the Pāli must contain.
		body, root []string
	}{
		{
			uid: "mn10", title: "The Discourse on Mindfulness Meditation", citation: "MN 10", start: "mn10:1.1",
			body: []string{
				"So I have heard. At one time the Buddha was staying in the land of the Kurus",
				"\n\n## 1. Observing the Body\n\n### 1.1. Mindfulness of Breathing\n\n",
			},
			root: []string{"Evaṁ me sutaṁ—ekaṁ samayaṁ bhagavā kurūsu viharati", "## 1. Kāyānupassanā"},
		},
		{
			// MN 118 has no English title in the stored title file.
			uid: "mn118", title: "Ānāpānassati Sutta", citation: "MN 118", start: "mn118:1.1",
			body: []string{"So I have heard."},
			root: []string{"Evaṁ me sutaṁ"},
		},
		{
			uid: "sn56.11", title: "Dhammacakkappavattana Sutta", citation: "SN 56.11", start: "sn56.11:1.1",
			body: []string{"At one time the Buddha was staying near Varanasi, in the deer park at Isipatana."},
		},
		{
			uid: "sn22.59", title: "Anattalakkhaṇa Sutta", citation: "SN 22.59", start: "sn22.59:1.1",
			body: []string{"far or near: *all* form—with right understanding"},
		},
		{
			uid: "an3.65", title: "With the Kālāmas of Kesamutta", citation: "AN 3.65", start: "an3.65:1.1",
			body: []string{"So I have heard. At one time the Buddha was wandering in the land of the Kosalans"},
		},
		{
			uid: "snp1.8", title: "The Discourse on Love", citation: "Snp 1.8", start: "snp1.8:1.1",
			body: []string{"Those who are skilled in the meaning of scripture\\\nshould practice as follows\\\nto realize the state of peace.\\\n"},
		},
	}
	uids := make([]string, len(texts))
	for i, c := range texts {
		uids[i] = c.uid
	}
	p := build(t, dir, suttacentral.Options{Texts: uids})

	t.Run("has one day per text, in the order given", func(t *testing.T) {
		if len(p.Days) != len(texts) {
			t.Fatalf("%d days, want %d", len(p.Days), len(texts))
		}
	})

	for i, c := range texts {
		t.Run(c.citation+" is titled, cited and laid out in paragraphs", func(t *testing.T) {
			if i >= len(p.Days) {
				t.Fatal("no day")
			}
			d := p.Days[i]
			if len(d.Items) != 1 {
				t.Fatalf("%d items", len(d.Items))
			}
			it := d.Items[0]
			if d.Title != c.title || it.Title != c.title || it.Citation != c.citation {
				t.Errorf("day %q, item %q cited %q; want %q cited %q", d.Title, it.Title, it.Citation, c.title, c.citation)
			}
			if it.Kind != catalog.Text || it.SegmentStart != c.start || !strings.HasPrefix(it.SegmentEnd, c.uid+":") {
				t.Errorf("kind %q, segments %q to %q", it.Kind, it.SegmentStart, it.SegmentEnd)
			}
			if n := strings.Count(it.Body, "\n\n") + 1; n < 5 {
				t.Errorf("%d paragraphs:\n%s", n, it.Body)
			}
			if it.RootText == "" || it.RootLanguage != "pi" {
				t.Errorf("root text in %q: %.200s", it.RootLanguage, it.RootText)
			}
			for _, want := range c.body {
				if !strings.Contains(it.Body, want) {
					t.Errorf("body lacks %q:\n%.1500s", want, it.Body)
				}
			}
			for _, want := range c.root {
				if !strings.Contains(it.RootText, want) {
					t.Errorf("root text lacks %q:\n%.1500s", want, it.RootText)
				}
			}
			for _, leak := range []string{"{}", "<j>", "<p", "<span", "Middle Discourses", "Linked Discourses"} {
				if strings.Contains(it.Body+it.RootText, leak) {
					t.Errorf("text holds %q", leak)
				}
			}
		})
	}

	t.Run("reference markers in the Pāli are left out", func(t *testing.T) {
		if root := p.Days[0].Items[0].RootText; strings.Contains(root, "#1") || strings.Contains(root, "#37") {
			t.Error("MN 10's Pāli keeps its #N markers")
		}
	})

	t.Run("the plan is named generically, credits its sources and fits the catalog", func(t *testing.T) {
		if p.Slug != "selected-discourses" || p.Title != "Selected Discourses" || p.Level != catalog.Intermediate ||
			p.Tradition != catalog.Theravada || p.Language != "en" {
			t.Errorf("slug %q, title %q, level %q, tradition %q, language %q", p.Slug, p.Title, p.Level, p.Tradition, p.Language)
		}
		for _, want := range []string{"https://suttacentral.net", "Bhikkhu Sujato", "CC0", "Mahāsaṅgīti", "MN 10"} {
			if !strings.Contains(p.Description, want) {
				t.Errorf("description lacks %q", want)
			}
		}
		if len(p.Authors) != 1 || p.Authors[0].Name != "Bhikkhu Sujato" {
			t.Errorf("authors %+v", p.Authors)
		}
		withinLimits(t, p)
	})

	t.Run("uids are found whatever their case or surrounding spaces", func(t *testing.T) {
		q := build(t, dir, suttacentral.Options{Texts: []string{" SN56.11 "}})
		if got := q.Days[0].Items[0].Citation; got != "SN 56.11" {
			t.Errorf("cited %q", got)
		}
	})
}
