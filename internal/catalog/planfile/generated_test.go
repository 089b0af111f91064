package planfile_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// alphabet holds what makes YAML, front matter and Markdown hard: line
// breaks of every kind, indicators, quotes, escapes, control characters,
// diacritics, CJK and emoji.
var alphabet = []rune("ab yz AZ 09 \n\n\n\t\r#:-|>'\"\\*&!%@`{}[],?.~_āīūṃṁṅñṭḍṇḷśṣ法句經🙏☸️\u00a0\u0085\u2028\u2029\ufeff\x00\x07\x1b\x7f\u0301")

// text returns a random string, sometimes one of the tricky ones or
// lines of dashes.
func text(r *rand.Rand, max int) string {
	switch r.IntN(10) {
	case 0:
		return tricky[r.IntN(len(tricky))]
	case 1:
		return trickyMarkdown[r.IntN(len(trickyMarkdown))]
	case 2:
		return strings.Repeat("---\n", r.IntN(3)) + "---" + text(r, max)
	}
	var b strings.Builder
	for range r.IntN(max + 1) {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func texts(r *rand.Rand, n, max int) []string {
	var list []string
	for range r.IntN(n + 1) {
		list = append(list, text(r, max))
	}
	return list
}

// generatePlan returns a random plan, normalised.
func generatePlan(r *rand.Rand) *catalog.PlanContent {
	c := &catalog.PlanContent{
		Slug: text(r, 10), Title: text(r, 20), Subtitle: text(r, 20), Description: text(r, 80),
		Tradition: catalog.Tradition(text(r, 5)), Level: catalog.Level(text(r, 5)),
		Language: text(r, 5), CoverMediaID: text(r, 10),
		Topics: texts(r, 3, 8), FixedStartDates: texts(r, 3, 10),
	}
	for range r.IntN(3) {
		c.Authors = append(c.Authors, catalog.AuthorContent{Name: text(r, 10), Bio: text(r, 40), Tradition: catalog.Tradition(text(r, 5))})
	}
	for range r.IntN(5) {
		d := catalog.DayContent{Title: text(r, 20), Intro: text(r, 80)}
		for range r.IntN(4) {
			d.Items = append(d.Items, catalog.ItemContent{
				Kind: catalog.ItemKind(text(r, 5)), Title: text(r, 20), Body: text(r, 80),
				MediaID: text(r, 10), URL: text(r, 20), Citation: text(r, 10),
				SegmentStart: text(r, 10), SegmentEnd: text(r, 10), Minutes: r.IntN(1000) - 100,
				RootText: text(r, 80), RootLanguage: text(r, 4),
			})
		}
		for range r.IntN(3) {
			d.Tasks = append(d.Tasks, catalog.TaskContent{
				Kind: catalog.TaskKind(text(r, 5)), Prompt: text(r, 40), Minutes: r.IntN(100), Optional: r.IntN(2) == 0,
			})
		}
		c.Days = append(c.Days, d)
	}
	catalog.Normalize(c)
	return c
}

func TestRoundTripGenerated(t *testing.T) {
	t.Run("any normalised content reads back exactly as written", func(t *testing.T) {
		r := rand.New(rand.NewPCG(108, 2600))
		n := 400
		if testing.Short() {
			n = 50
		}
		for range n {
			want := generatePlan(r)
			_, got := writeRead(t, want)
			checkSame(t, got, want)
		}
	})
}

// FuzzReadDay reads a plan whose one day file is the input. A file that is
// refused is refused with a problem naming it; a file that is accepted is
// written again and reads back the same.
func FuzzReadDay(f *testing.F) {
	f.Add([]byte(item2))
	f.Add([]byte("---\ntitle: One\n---\n"))
	f.Add([]byte("\uFEFF---\r\ntitle: \"a\\tb\"\r\nitems:\r\n---  \r\n\r\nIntro\r\n"))
	f.Add([]byte("---\ntitle: &a x\nitems: [{kind: *a}]\n---\n"))
	f.Add([]byte("---\ntitle: x\ntasks:\n  - {kind: meditate, minutes: 0o17, optional: TRUE, prompt: |2\n      code\n    text\n  }\n---\n"))
	dir := filepath.Join(f.TempDir(), "plan")
	if err := planfile.Write(dir, richPlan()); err != nil {
		f.Fatal(err)
	}
	days, _ := filepath.Glob(filepath.Join(dir, "days", "*.md"))
	for _, name := range days {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	f.Fuzz(func(t *testing.T, day []byte) {
		plan := []byte("format: 1\ntitle: T\n")
		c, err := planfile.ReadFS(fstest.MapFS{"plan.yaml": {Data: plan}, "days/001.md": {Data: day}}, ".")
		if err != nil {
			var problem *planfile.Error
			if !errors.As(err, &problem) || problem.File != "days/001.md" {
				t.Fatalf("refused without naming the day file: %v", err)
			}
			return
		}
		_, got := writeRead(t, c)
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("accepted %q as\n%#v\nbut after writing it again, read\n%#v", day, c.Days, got.Days)
		}
	})
}
