package pdf_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/pdf"
)

// makePDF writes a small valid PDF by hand: a catalog, a page tree and
// pages that each draw a line. With nested, all but two pages hang from a
// second Pages node, as in books assembled from chapters.
func makePDF(pages int, nested bool) []byte {
	var objs []string // objs[i] is object i+1
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	ref := func(n int) string { return fmt.Sprintf("%d 0 R", n) }

	add("<< /Type /Catalog /Pages 2 0 R >>")
	add("") // the root Pages node, written once its kids are known
	parent, inner := 2, 0
	if nested && pages > 2 {
		inner = add("")
	}
	var rootKids, innerKids []string
	for i := range pages {
		content := fmt.Sprintf("%d 0 0 RG 72 %d m 540 %d l S", i%2, 700-10*i, 700-10*i)
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
		p := parent
		if inner != 0 && i >= 2 {
			p = inner
		}
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %s /MediaBox [0 0 612 792] /Resources << >> /Contents %s >>", ref(p), ref(c)))
		if p == inner {
			innerKids = append(innerKids, ref(pg))
		} else {
			rootKids = append(rootKids, ref(pg))
		}
	}
	if inner != 0 {
		objs[inner-1] = fmt.Sprintf("<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>", strings.Join(innerKids, " "), len(innerKids))
		rootKids = append(rootKids, ref(inner))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(rootKids, " "), pages)

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPageCountCountsPages(t *testing.T) {
	cases := []struct {
		name   string
		pages  int
		nested bool
	}{
		{"a single page", 1, false},
		{"three pages", 3, false},
		{"five pages in a nested page tree", 5, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := pdf.PageCount(bytes.NewReader(makePDF(c.pages, c.nested)))
			if err != nil {
				t.Fatalf("PageCount: %v", err)
			}
			if n != c.pages {
				t.Errorf("PageCount = %d, want %d", n, c.pages)
			}
		})
	}
}

func TestPageCountRefusesBrokenFiles(t *testing.T) {
	good := makePDF(3, true)
	cases := []struct {
		name, data, message string
	}{
		{"an empty file", "", "empty"},
		{"an HTML page saved as a PDF", "<!doctype html>\n<html><body>Access denied</body></html>", "HTML"},
		{"a text file", "Buddham saranam gacchami", "not a PDF"},
		{"a header and nothing else", "%PDF-1.7\n", "cut short"},
		{"a PDF whose cross-references point nowhere", strings.Replace(string(good), "/Root 1 0 R", "/Root 99 0 R", 1), "damaged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := pdf.PageCount(strings.NewReader(c.data))
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %d, %v; want an invalid error", n, err)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not mention %q", err, c.message)
			}
		})
	}

	t.Run("cut short at several points", func(t *testing.T) {
		for _, cut := range []int{3, 20, len(good) / 4, len(good) / 2, len(good) - 10, len(good) - 3} {
			if n, err := pdf.PageCount(bytes.NewReader(good[:cut])); !errs.Is(err, errs.Invalid) {
				t.Errorf("cut to %d of %d bytes: got %d, %v; want an invalid error", cut, len(good), n, err)
			}
		}
	})
	t.Run("random bytes, some behind a PDF header", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range 50 {
			b := make([]byte, 1+rng.IntN(4096))
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
			if i%2 == 1 {
				copy(b, "%PDF-1.5\n")
				b = append(b, "\n%%EOF\n"...)
			}
			if n, err := pdf.PageCount(bytes.NewReader(b)); !errs.Is(err, errs.Invalid) {
				t.Fatalf("random input %d: got %d, %v; want an invalid error", i, n, err)
			}
		}
	})
	t.Run("locked with a password", func(t *testing.T) {
		api.DisableConfigDir()
		var locked bytes.Buffer
		conf := model.NewAESConfiguration("user secret", "owner secret", 256)
		if err := api.Encrypt(bytes.NewReader(good), &locked, conf); err != nil {
			t.Fatalf("encrypt the fixture: %v", err)
		}
		n, err := pdf.PageCount(bytes.NewReader(locked.Bytes()))
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "password") {
			t.Fatalf("got %d, %v; want an invalid error about the password", n, err)
		}
	})
}
