package suttacentral_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
)

// Whatever a file holds, ParseSegments returns either an error or the
// segments in file order; what it accepts, encoding/json reads as the same
// object, and writing the segments back out in order and parsing them
// again gives them back unchanged.
func FuzzParseSegments(f *testing.F) {
	for _, seed := range []string{
		`{"dhp1:1": "Intention shapes experiences; ", "dhp1:2": "intention is first"}`,
		`{"mn10:0.2": "<h1 class='sutta-title'>{}</h1></header>", "mn10:1.1": "<p><span class='evam'>{}</span>"}`,
		`{"dhp1:^0.1": "Khuddakanikāya", "dhp1:0": "<span class=\"add\">Cakkhupālattheravatthu</span>"}`,
		`{"b": "1", "a": "2", "c": "\u00e9\ud83d\ude00\n"}`,
		"{}\n",
		`{"a": "x", "a": "y"}`,
		`{"a": 1}`,
		`{"a": {"b": "c"}}`,
		`{"a": ["b"]}`,
		`{"a": true, "b": null}`,
		`{"a": "x",}`,
		`{"a": "x"} trailing`,
		`["a"]`,
		`"a"`,
		"",
		"{\"a\": \"\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		segs, err := suttacentral.ParseSegments(bytes.NewReader(data))
		if err != nil {
			var fe *suttacentral.FileError
			if !errors.As(err, &fe) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q (%T), want a one-line *FileError", err, err)
			}
			return
		}
		var object map[string]string
		if err := json.Unmarshal(data, &object); err != nil {
			t.Fatalf("accepted %q, which encoding/json rejects: %v", data, err)
		}
		if len(object) != len(segs) {
			t.Fatalf("accepted %d segments, encoding/json reads %d keys", len(segs), len(object))
		}
		for _, s := range segs {
			if v, ok := object[s.ID]; !ok || v != s.Text {
				t.Fatalf("segment %q = %q, encoding/json reads %q", s.ID, s.Text, v)
			}
		}

		var out bytes.Buffer
		out.WriteByte('{')
		for i, s := range segs {
			if i > 0 {
				out.WriteByte(',')
			}
			k, _ := json.Marshal(s.ID)
			v, _ := json.Marshal(s.Text)
			out.Write(k)
			out.WriteByte(':')
			out.Write(v)
		}
		out.WriteByte('}')
		again, err := suttacentral.ParseSegments(&out)
		if err != nil {
			t.Fatalf("rejects its own output %q: %v", out.String(), err)
		}
		if len(segs) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(segs, again) {
			t.Fatalf("round trip changed the segments or their order:\n%q\n%q", segs, again)
		}
	})
}
