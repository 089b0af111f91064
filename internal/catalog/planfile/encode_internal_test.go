package planfile

import (
	"bytes"
	"testing"
)

// The YAML encoder has so far written every value so that it reads back;
// these tests stand in for the day it does not.
func TestEncodeVerified(t *testing.T) {
	build := func() *builder { return &builder{file: "days/001.md"} }
	same := func(data []byte) []byte { return data }

	t.Run("a value that does not read back as written is written again double-quoted", func(t *testing.T) {
		b := build()
		m := b.mapping()
		b.markdown(m, "body", "one\ntwo")
		b.text(m, "title", "plain")
		dropTwo := func(yml []byte) []byte { return bytes.Replace(yml, []byte("  two\n"), nil, 1) }
		data, err := encodeVerified("days/001.md", m, dropTwo, same)
		if err != nil {
			t.Fatal(err)
		}
		if want := "body: \"one\\ntwo\\n\"\ntitle: plain\n"; string(data) != want {
			t.Errorf("wrote %q, want %q", data, want)
		}
	})

	t.Run("a file that loses its structure has every string written double-quoted", func(t *testing.T) {
		b := build()
		m := b.mapping()
		b.markdown(m, "body", "one\ntwo")
		unwrap := func(data []byte) []byte {
			if bytes.Contains(data, []byte("|")) {
				return []byte("[")
			}
			return data
		}
		data, err := encodeVerified("days/001.md", m, same, unwrap)
		if err != nil {
			t.Fatal(err)
		}
		if want := "\"body\": \"one\\ntwo\\n\"\n"; string(data) != want {
			t.Errorf("wrote %q, want %q", data, want)
		}
	})

	t.Run("content that never reads back is an error naming the file", func(t *testing.T) {
		b := build()
		m := b.mapping()
		b.text(m, "title", "x")
		_, err := encodeVerified("days/001.md", m, same, func([]byte) []byte { return nil })
		if err == nil || !bytes.HasPrefix([]byte(err.Error()), []byte("planfile: days/001.md: ")) {
			t.Fatalf("err = %v, want an error naming the file", err)
		}
	})
}
