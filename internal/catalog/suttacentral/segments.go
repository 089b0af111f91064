package suttacentral

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Segment is one entry of a bilara file: a segment id such as "mn10:1.1"
// and its value (text, a title, or an HTML template, by file type).
type Segment struct {
	ID   string
	Text string
}

// FileError is what Build and ParseSegments return for unreadable or
// malformed input: the file (relative to the bilara folder, with forward
// slashes), the segment id when the fault is in one entry, and the fault.
// File is empty when the input did not come from a file.
type FileError struct {
	File string
	Key  string
	Err  error
}

func (e *FileError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "key %q: ", e.Key)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// ParseSegments reads one bilara file: a single flat JSON object whose keys
// are segment ids and whose values are strings. It keeps the keys in file
// order, which is reading order, and rejects anything else: a value that
// is not a string, a repeated key, or data after the object. Errors about
// one entry are *FileError values naming its key.
func ParseSegments(r io.Reader) ([]Segment, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber() // so a number is reported as one, whatever its size
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{Err: errors.New("empty file, want a JSON object of segments")}
	}
	if err != nil {
		return nil, &FileError{Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	if tok != json.Delim('{') {
		return nil, &FileError{Err: fmt.Errorf("found %s, want a JSON object of segments", describe(tok))}
	}
	var segs []Segment
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(err, segs)
		}
		key, _ := tok.(string) // the decoder allows only strings as object keys
		if seen[key] {
			return nil, &FileError{Key: key, Err: errors.New("the key appears more than once")}
		}
		seen[key] = true
		tok, err = dec.Token()
		if err != nil {
			return nil, &FileError{Key: key, Err: fmt.Errorf("invalid JSON: %w", err)}
		}
		text, ok := tok.(string)
		if !ok {
			return nil, &FileError{Key: key, Err: fmt.Errorf("value is %s, want a string", describe(tok))}
		}
		segs = append(segs, Segment{ID: key, Text: text})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, syntaxError(err, segs)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &FileError{Err: errors.New("invalid JSON: data after the object")}
	}
	return segs, nil
}

// syntaxError reports malformed JSON where it was found: after the last
// entry read, if any.
func syntaxError(err error, read []Segment) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if len(read) == 0 {
		return &FileError{Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	return &FileError{Err: fmt.Errorf("invalid JSON after key %q: %w", read[len(read)-1].ID, err)}
}

// describe names the kind of a JSON token, for errors.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	}
	return fmt.Sprintf("%T", tok)
}

// readSegments parses the file at rel (slash-separated, relative to dir).
// Errors name rel.
func readSegments(dir, rel string) ([]Segment, error) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &FileError{File: rel, Err: notFound("file")}
		}
		return nil, &FileError{File: rel, Err: err}
	}
	defer f.Close()
	segs, err := ParseSegments(f)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = rel
			return nil, fe
		}
		return nil, &FileError{File: rel, Err: err}
	}
	return segs, nil
}

// notFound says a file or folder does not exist; it is fs.ErrNotExist.
type notFound string

func (n notFound) Error() string        { return string(n) + " does not exist" }
func (n notFound) Is(target error) bool { return target == fs.ErrNotExist }

// templates maps segment ids to their HTML templates.
type templates map[string]string

// readTemplates reads an HTML template file; an empty rel means there is
// none, and gives no templates.
func readTemplates(dir, rel string) (templates, error) {
	if rel == "" {
		return templates{}, nil
	}
	segs, err := readSegments(dir, rel)
	if err != nil {
		return nil, err
	}
	t := make(templates, len(segs))
	for _, s := range segs {
		t[s.ID] = s.Text
	}
	return t, nil
}

// exists reports whether rel is a regular file under dir.
func exists(dir, rel string) bool {
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	return err == nil && fi.Mode().IsRegular()
}

// splitID splits a segment id into the text uid and the position in it:
// "dhp416:5.1" gives "dhp416" and "5.1".
func splitID(id string) (uid, pos string) {
	uid, pos, _ = strings.Cut(id, ":")
	return uid, pos
}

// isHeading reports whether a position names a heading rather than text:
// "0.1", "0.2"... (collection, chapter and text titles), "0" (Dhammapada
// story titles) and the "^0.1" form of the older Dhammapada root files.
func isHeading(pos string) bool {
	return pos == "0" || strings.HasPrefix(pos, "0.") || strings.HasPrefix(pos, "^")
}
