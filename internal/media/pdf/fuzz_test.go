package pdf_test

import (
	"bytes"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/pdf"
)

// FuzzPageCount feeds PageCount mutations of small hand-made PDFs: it
// returns a positive count or an Invalid error, and never panics.
func FuzzPageCount(f *testing.F) {
	f.Add(makePDF(1, false))
	f.Add(makePDF(3, true))
	f.Add([]byte("%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := pdf.PageCount(bytes.NewReader(b))
		switch {
		case err != nil && !errs.Is(err, errs.Invalid):
			t.Fatalf("got %v, want nil or an invalid error", err)
		case err == nil && n < 1:
			t.Fatalf("accepted with %d pages", n)
		}
	})
}
