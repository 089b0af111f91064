package catalog

import (
	"strings"
	"testing"
)

// FuzzCatalogQuery feeds the public catalogue's parameters anything a
// client could send: the answer is a query or a validation error naming
// query fields, never a panic or an error of another kind.
func FuzzCatalogQuery(f *testing.F) {
	f.Add("theravada", "metta", "beginner", "en", 0, 30, "newest", "")
	f.Add("x' OR 1=1 --", "%_\\", "", "zz-ZZ-", -1, 400, "title", "eyJxIjoiYSJ9")
	f.Add("", "", "", "", 0, 0, "", encodeCursor(catalogCursor{Query: Filter{}.hash(), Key: "not a time", ID: NewID()}))
	s := NewService(Deps{})
	f.Fuzz(func(t *testing.T, tradition, topic, level, lang string, minDays, maxDays int, sort, cursor string) {
		limit := 10
		_, err := s.catalogQuery(Filter{tradition, topic, level, lang, minDays, maxDays, sort, ""}, cursor, &limit)
		if err == nil {
			return
		}
		p, ok := err.(interface{ Error() string })
		if !ok || !strings.Contains(p.Error(), "invalid") {
			t.Fatalf("error %v is not a validation error", err)
		}
	})
}

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"A Week of Mettā":                    "a-week-of-metta",
		"Satipaṭṭhāna: the Four Foundations": "satipatthana-the-four-foundations",
		"  --  ":                      "plan",
		"禅":                           "plan",
		"Ānāpānasati — 16 steps!":     "anapanasati-16-steps",
		strings.Repeat("dhamma ", 30): strings.TrimSuffix(strings.Repeat("dhamma-", 11), "-"),
	}
	for title, want := range cases {
		got := Slugify(title)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", title, got, want)
		}
		if !slugPattern.MatchString(got) || len(got) > MaxSlug {
			t.Errorf("Slugify(%q) = %q is not a valid slug", title, got)
		}
	}
}
