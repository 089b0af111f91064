package blob_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/blob/blobtest"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

func TestLocal(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := blob.NewLocal(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// A symbolic link inside the folder that points outside it is never
// followed, and failed puts leave no file behind.
func TestLocalStaysInItsFolder(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	outside := filepath.Join(parent, "outside")
	if err := os.MkdirAll(outside, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "media")
	s, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, "link/secret"); err == nil {
		t.Error("read a file outside the folder through a link")
	}
	if _, err := s.Put(ctx, "link/planted", strings.NewReader("x"), blob.PutOptions{Size: 1}); err == nil {
		t.Error("wrote a file outside the folder through a link")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); err == nil {
		t.Error("a file was planted outside the folder")
	}
	if _, err := s.Put(ctx, "big", strings.NewReader(strings.Repeat("x", 1000)), blob.PutOptions{Size: -1, MaxSize: 10}); !errs.Is(err, errs.TooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	left, err := os.ReadDir(filepath.Join(dir, ".incoming"))
	if err != nil || len(left) != 0 {
		t.Errorf("incoming after a failed put: %v (%v), want empty", left, err)
	}
}
