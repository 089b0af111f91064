package planfile_test

import (
	"os"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
)

// example is a file of the example in docs/plan-format.md: a comment
// naming the file, then a fenced block holding it.
var example = regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```[a-z]*\n(.*?)```\n")

func TestDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/plan-format.md")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range example.FindAllSubmatch(doc, -1) {
		fsys[string(m[1])] = &fstest.MapFile{Data: m[2]}
	}

	t.Run("the example in the format's documentation reads as documented", func(t *testing.T) {
		if len(fsys) != 3 {
			t.Fatalf("found %d example files, want plan.yaml and two days", len(fsys))
		}
		c, err := planfile.ReadFS(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != "The Dhammapada: Pairs and Vigilance" || c.Tradition != catalog.Theravada || len(c.Days) != 2 {
			t.Errorf("read %q (%s, %d days)", c.Title, c.Tradition, len(c.Days))
		}
		it := c.Days[0].Items[0]
		if it.SegmentStart != "dhp1:1" || it.Body != "**1** Intention shapes experiences;\\\nintention is their chief; they’re made by intention." {
			t.Errorf("first item = %#v", it)
		}
		if c.Days[1].Intro != "" || c.Days[1].Tasks[0].Prompt != "Verse 21:\\\nHeedfulness is the path to the deathless." {
			t.Errorf("second day = %#v", c.Days[1])
		}
		_, back := writeRead(t, c)
		checkSame(t, back, c)
	})
}
