package media

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// fileType is a content type uploads may declare: its kind, the content
// types that name it too, and the types its bytes may be sniffed as.
type fileType struct {
	contentType string
	kind        Kind
	ext         string
	aliases     []string
	sniffed     []string
}

// fileTypes are the files media accepts.
var fileTypes = []fileType{
	{"image/jpeg", Image, ".jpg", []string{"image/jpg", "image/pjpeg"}, []string{"image/jpeg"}},
	{"image/png", Image, ".png", nil, []string{"image/png"}},
	{"image/gif", Image, ".gif", nil, []string{"image/gif"}},
	{"image/webp", Image, ".webp", nil, []string{"image/webp"}},
	{"audio/mpeg", Audio, ".mp3", []string{"audio/mp3", "audio/mpeg3"}, []string{"audio/mpeg"}},
	{"audio/mp4", Audio, ".m4a", []string{"audio/x-m4a", "audio/m4a", "audio/aac", "audio/x-aac"}, []string{"audio/x-m4a", "audio/mp4", "video/mp4", "audio/aac"}},
	{"audio/ogg", Audio, ".ogg", []string{"audio/opus", "audio/vorbis", "application/ogg"}, []string{"audio/ogg", "application/ogg", "audio/opus"}},
	{"audio/wav", Audio, ".wav", []string{"audio/wave", "audio/x-wav", "audio/vnd.wave"}, []string{"audio/wav"}},
	{"video/mp4", Video, ".mp4", []string{"video/x-m4v"}, []string{"video/mp4", "video/x-m4v"}},
	{"video/webm", Video, ".webm", nil, []string{"video/webm"}},
	{"video/quicktime", Video, ".mov", nil, []string{"video/quicktime"}},
	{"application/pdf", PDF, ".pdf", []string{"application/x-pdf"}, []string{"application/pdf"}},
}

// typeOf returns the accepted type a declared content type names
// (parameters and case ignored).
func typeOf(contentType string) (fileType, bool) {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	for _, t := range fileTypes {
		if t.contentType == ct {
			return t, true
		}
		for _, a := range t.aliases {
			if a == ct {
				return t, true
			}
		}
	}
	return fileType{}, false
}

// acceptedTypes lists the content types uploads may declare, for errors.
func acceptedTypes() string {
	names := make([]string, len(fileTypes))
	for i, t := range fileTypes {
		names[i] = t.contentType
	}
	return strings.Join(names, ", ")
}

// sniff checks that head, the start of a file, is what t says it is, and
// returns what its bytes are otherwise ("HTML", "a ZIP archive").
func (t fileType) sniff(head []byte) (ok bool, found string) {
	m := mimetype.Detect(head)
	for _, want := range t.sniffed {
		if m.Is(want) {
			return true, ""
		}
	}
	return false, m.String()
}

// MaxFilename is the longest filename, in bytes.
const MaxFilename = 255

// checkFilename returns what is wrong with an uploaded file's name: it is
// kept for people (a download's name), never used as a path.
func checkFilename(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "filename is required"
	case len(name) > MaxFilename:
		return fmt.Sprintf("filename has at most %d bytes", MaxFilename)
	case !utf8.ValidString(name):
		return "filename is not valid UTF-8"
	case strings.ContainsAny(name, `/\`):
		return "filename is a name, not a path: it may not contain / or \\"
	case name == "." || name == ".." || strings.HasPrefix(name, "../"):
		return "filename may not be . or .."
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return "filename may not contain control characters"
		}
	}
	return ""
}

// objectKey is where a medium's uploaded bytes are kept; variantKey where
// one of its variants is. Each key is written once and never changed.
func objectKey(id string) string        { return path.Join("media", id, "original") }
func variantKey(id, name string) string { return path.Join("media", id, name) }
func invalid(field, format string, a ...any) error {
	return errs.Validation(errs.FieldError{Field: field, Message: fmt.Sprintf(format, a...)})
}
