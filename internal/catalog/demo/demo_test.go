package demo_test

import (
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/demo"
)

func TestPlans(t *testing.T) {
	plans, err := demo.Plans()
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) < 4 {
		t.Fatalf("got %d demo plans, want at least 4", len(plans))
	}
	traditions := map[catalog.Tradition]bool{}
	slugs := map[string]bool{}
	var all strings.Builder
	for _, p := range plans {
		if p.Slug == "" {
			t.Errorf("plan %q has no slug", p.Title)
		}
		if slugs[p.Slug] {
			t.Errorf("slug %q is used twice", p.Slug)
		}
		slugs[p.Slug] = true
		if !p.Tradition.Valid() {
			t.Errorf("%s: unknown tradition %q", p.Slug, p.Tradition)
		}
		traditions[p.Tradition] = true
		if !p.Level.Valid() {
			t.Errorf("%s: unknown level %q", p.Slug, p.Level)
		}
		if p.Language != "en" {
			t.Errorf("%s: language %q, want en", p.Slug, p.Language)
		}
		if n := len(p.Days); n < 5 || n > 7 {
			t.Errorf("%s: %d days, want 5 to 7", p.Slug, n)
		}
		editors := false
		for _, a := range p.Authors {
			if a.Name == "Dharma Plans Editors" {
				editors = true
			}
		}
		if !editors {
			t.Errorf("%s: author Dharma Plans Editors is missing", p.Slug)
		}
		all.WriteString(p.Title + "\n" + p.Subtitle + "\n" + p.Description + "\n")
		for i, d := range p.Days {
			if d.Title == "" {
				t.Errorf("%s day %d: no title", p.Slug, i+1)
			}
			if len(d.Items) == 0 {
				t.Errorf("%s day %d: no items", p.Slug, i+1)
			}
			if len(d.Tasks) == 0 {
				t.Errorf("%s day %d: no tasks", p.Slug, i+1)
			}
			all.WriteString(d.Title + "\n" + d.Intro + "\n")
			for _, it := range d.Items {
				if !it.Kind.Valid() {
					t.Errorf("%s day %d: unknown item kind %q", p.Slug, i+1, it.Kind)
				}
				if it.Kind == catalog.Link && !strings.HasPrefix(it.URL, "https://") {
					t.Errorf("%s day %d: link item %q has no https URL", p.Slug, i+1, it.Title)
				}
				all.WriteString(it.Title + "\n" + it.Body + "\n")
			}
			for _, task := range d.Tasks {
				if !task.Kind.Valid() {
					t.Errorf("%s day %d: unknown task kind %q", p.Slug, i+1, task.Kind)
				}
				if task.Kind == catalog.Meditate && task.Minutes <= 0 {
					t.Errorf("%s day %d: meditate task without minutes", p.Slug, i+1)
				}
				all.WriteString(task.Prompt + "\n")
			}
		}
	}
	if len(traditions) < 3 {
		t.Errorf("demo plans cover %d traditions, want at least 3", len(traditions))
	}
	text := all.String()
	for _, word := range []string{"mettā", "Ānāpānasati", "bodhicitta", "śūnyatā"} {
		if !strings.Contains(text, word) {
			t.Errorf("no demo plan contains %q", word)
		}
	}
}

func TestPlansStableOrder(t *testing.T) {
	a, err := demo.Plans()
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.Plans()
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].Slug != b[i].Slug {
			t.Fatalf("order differs at %d: %s, %s", i, a[i].Slug, b[i].Slug)
		}
	}
}
