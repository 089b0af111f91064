// Package pdf reads what the catalogue needs to know about an uploaded PDF
// (a study guide, a chant book): how many pages it has. Parsing is
// pdfcpu's; this package decides what counts as a broken upload and says
// so in words a person understands.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// headerWindow is how far from the start of a file its "%PDF-" header
// may be, and from its end its "%%EOF": readers accept up to 1024 bytes of
// junk before the one and after the other.
const headerWindow = 1024

var configOnce sync.Once

// config returns pdfcpu's relaxed default configuration. Without
// DisableConfigDir pdfcpu would write a configuration directory and load
// user fonts on first use: a server wants neither. (The switch is global
// to pdfcpu, and nothing else in this program uses pdfcpu.)
func config() *model.Configuration {
	configOnce.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// PageCount returns the number of pages of the PDF in r, read from its
// start. A file that is not a PDF, is damaged, has no pages or is locked
// by a password is an errs.Invalid error saying which; a failure of r
// itself is returned as it is.
func PageCount(r io.ReadSeeker) (int, error) {
	src := &seekerErr{r: r}
	n, err := pageCount(src)
	if src.err != nil {
		return 0, fmt.Errorf("pdf: read: %w", src.err)
	}
	return n, err
}

func pageCount(r io.ReadSeeker) (int, error) {
	head := make([]byte, headerWindow)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, fmt.Errorf("pdf: read: %w", err)
	}
	head = head[:n]
	switch {
	case n == 0:
		return 0, errs.E(errs.Invalid, "the PDF file is empty")
	case !bytes.Contains(head, []byte("%PDF-")):
		if looksLikeMarkup(head) {
			return 0, errs.E(errs.Invalid, "the file is an HTML or XML document, not a PDF")
		}
		return 0, errs.E(errs.Invalid, "the file is not a PDF")
	}
	// pdfcpu rebuilds a lost cross-reference table from whatever objects
	// remain, so a cut-short upload would pass with the pages it still
	// has; the end-of-file marker it lost gives it away.
	end, err := tail(r)
	if err != nil {
		return 0, err
	}
	if !bytes.Contains(end, []byte("%%EOF")) {
		return 0, errs.E(errs.Invalid, "the PDF file is cut short: it does not end with an end-of-file marker")
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("pdf: seek: %w", err)
	}
	pages, err := api.PageCount(r, config())
	switch {
	case errors.Is(err, pdfcpu.ErrWrongPassword):
		return 0, errs.Wrap(err, errs.Invalid, "the PDF is locked with a password")
	case err != nil:
		return 0, errs.Wrap(err, errs.Invalid, "the PDF file is damaged or cut short")
	case pages < 1:
		return 0, errs.E(errs.Invalid, "the PDF has no pages")
	}
	return pages, nil
}

// tail returns the last headerWindow bytes of r, where "%%EOF" must be:
// readers accept that much junk after it.
func tail(r io.ReadSeeker) ([]byte, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("pdf: seek: %w", err)
	}
	if _, err := r.Seek(max(0, size-headerWindow), io.SeekStart); err != nil {
		return nil, fmt.Errorf("pdf: seek: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, headerWindow))
	if err != nil {
		return nil, fmt.Errorf("pdf: read: %w", err)
	}
	return b, nil
}

// looksLikeMarkup reports whether head starts, after a byte order mark and
// white space, with '<': an HTML error page saved in place of a download
// is the most common impostor.
func looksLikeMarkup(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '<'
}

// seekerErr remembers the first failure to read r other than reading past
// its end, which pdfcpu would otherwise report like damage in the file.
// Failed seeks are not remembered: a damaged file can ask for a negative
// offset.
type seekerErr struct {
	r   io.ReadSeeker
	err error
}

func (s *seekerErr) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

func (s *seekerErr) Seek(offset int64, whence int) (int64, error) {
	return s.r.Seek(offset, whence)
}
