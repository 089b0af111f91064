// Package blobtest is the contract every blob.Store keeps, run by each
// implementation's tests.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Run checks the contract on stores that open gives, a new empty store
// for each test.
func Run(t *testing.T, open func(t *testing.T) blob.Store) {
	ctx := context.Background()
	data := bytes.Repeat([]byte("sabbe sattā bhavantu sukhitattā. "), 2000) // 66,000 bytes
	put := func(t *testing.T, s blob.Store, key string, b []byte) blob.Info {
		t.Helper()
		info, err := s.Put(ctx, key, bytes.NewReader(b), blob.PutOptions{ContentType: "text/plain", Size: int64(len(b))})
		if err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
		return info
	}
	read := func(t *testing.T, rc io.ReadCloser, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	absent := func(t *testing.T, s blob.Store, key string) {
		t.Helper()
		if _, err := s.Stat(ctx, key); !errs.Is(err, errs.NotFound) {
			t.Errorf("stat %s: %v, want not found", key, err)
		}
	}

	t.Run("what is put is got back whole, with its size and digest", func(t *testing.T) {
		s := open(t)
		info := put(t, s, "talks/2026/metta.mp3", data)
		sum := sha256.Sum256(data)
		if info.Size != int64(len(data)) || info.SHA256 != hex.EncodeToString(sum[:]) || info.Key != "talks/2026/metta.mp3" {
			t.Errorf("put: %+v, want %d bytes and sha256 %x", info, len(data), sum)
		}
		rc, got, err := s.Get(ctx, "talks/2026/metta.mp3")
		if b := read(t, rc, err); !bytes.Equal(b, data) || got.Size != int64(len(data)) {
			t.Errorf("get: %d bytes (info %+v), want the %d put", len(b), got, len(data))
		}
		st, err := s.Stat(ctx, "talks/2026/metta.mp3")
		if err != nil || st.Size != int64(len(data)) || st.ModTime.IsZero() {
			t.Errorf("stat: %+v, %v", st, err)
		}
	})
	t.Run("ranges read the bytes asked for", func(t *testing.T) {
		s := open(t)
		put(t, s, "a/b.bin", data)
		n := int64(len(data))
		for _, r := range []struct{ off, length int64 }{{0, 100}, {100, -1}, {n - 100, 100}, {n - 1, 1}, {n, -1}, {500, 0}} {
			rc, err := s.GetRange(ctx, "a/b.bin", r.off, r.length)
			want := data[r.off:]
			if r.length >= 0 {
				want = data[r.off : r.off+r.length]
			}
			if b := read(t, rc, err); !bytes.Equal(b, want) {
				t.Errorf("range %d+%d: %d bytes, want %d", r.off, r.length, len(b), len(want))
			}
		}
	})
	t.Run("a missing key is not found, and deleting it is no error", func(t *testing.T) {
		s := open(t)
		if _, _, err := s.Get(ctx, "nothing/here"); !errs.Is(err, errs.NotFound) {
			t.Errorf("get: %v, want not found", err)
		}
		if _, err := s.GetRange(ctx, "nothing/here", 0, 10); !errs.Is(err, errs.NotFound) {
			t.Errorf("get range: %v, want not found", err)
		}
		absent(t, s, "nothing/here")
		if err := s.Delete(ctx, "nothing/here"); err != nil {
			t.Errorf("delete: %v", err)
		}
		put(t, s, "x/y", data[:10])
		if err := s.Delete(ctx, "x/y"); err != nil {
			t.Fatal(err)
		}
		absent(t, s, "x/y")
	})
	t.Run("putting again replaces the object", func(t *testing.T) {
		s := open(t)
		put(t, s, "cover.jpg", data)
		put(t, s, "cover.jpg", []byte("short"))
		rc, _, err := s.Get(ctx, "cover.jpg")
		if b := read(t, rc, err); string(b) != "short" {
			t.Errorf("got %d bytes, want the second put", len(b))
		}
	})
	t.Run("a failed put leaves the key as it was", func(t *testing.T) {
		s := open(t)
		put(t, s, "kept", []byte("first"))
		failing := io.MultiReader(bytes.NewReader(data[:1000]), errReader{})
		for name, c := range map[string]struct {
			r    io.Reader
			opts blob.PutOptions
			code errs.Code
		}{
			"reader fails":        {failing, blob.PutOptions{Size: -1}, ""},
			"fewer than declared": {bytes.NewReader(data[:10]), blob.PutOptions{Size: 11}, errs.Invalid},
			"more than declared":  {bytes.NewReader(data[:12]), blob.PutOptions{Size: 11}, errs.Invalid},
			"over the limit":      {bytes.NewReader(data), blob.PutOptions{Size: -1, MaxSize: 100}, errs.TooLarge},
		} {
			for _, key := range []string{"kept", "new"} {
				if _, err := s.Put(ctx, key, c.r, c.opts); err == nil || (c.code != "" && !errs.Is(err, c.code)) {
					t.Errorf("%s, %s: %v, want a %q error", name, key, err, c.code)
				}
				if br, ok := c.r.(*bytes.Reader); ok {
					br.Seek(0, io.SeekStart)
				}
			}
		}
		rc, _, err := s.Get(ctx, "kept")
		if b := read(t, rc, err); string(b) != "first" {
			t.Errorf("kept: %q, want the object from before the failed puts", b)
		}
		absent(t, s, "new")
	})
	t.Run("keys that could leave the store are refused", func(t *testing.T) {
		s := open(t)
		for _, key := range []string{"", "/etc/passwd", "../x", "a/../../b", "a//b", "a/", ".hidden", "a/.b", `a\b`,
			"a\x00b", "line\nbreak", "Upper", "é", strings.Repeat("a", blob.MaxKey+1)} {
			if _, err := s.Put(ctx, key, strings.NewReader("x"), blob.PutOptions{Size: 1}); !errs.Is(err, errs.Invalid) {
				t.Errorf("put %q: %v, want invalid", key, err)
			}
			for name, err := range map[string]error{
				"get":    func() error { _, _, err := s.Get(ctx, key); return err }(),
				"stat":   func() error { _, err := s.Stat(ctx, key); return err }(),
				"delete": s.Delete(ctx, key),
			} {
				if !errs.Is(err, errs.Invalid) {
					t.Errorf("%s %q: %v, want invalid", name, key, err)
				}
			}
		}
	})
	t.Run("concurrent puts of one key leave one of them whole", func(t *testing.T) {
		s := open(t)
		versions := [][]byte{bytes.Repeat([]byte("a"), 50_000), bytes.Repeat([]byte("b"), 70_000), bytes.Repeat([]byte("c"), 30_000)}
		var wg sync.WaitGroup
		for _, v := range versions {
			wg.Go(func() { put(t, s, "same", v) })
		}
		wg.Wait()
		rc, _, err := s.Get(ctx, "same")
		b := read(t, rc, err)
		whole := false
		for _, v := range versions {
			whole = whole || bytes.Equal(b, v)
		}
		if !whole {
			t.Errorf("got %d bytes starting %q, want one version whole", len(b), b[:min(len(b), 10)])
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
