package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Local keeps objects as files under a folder, through an os.Root, so that
// nothing outside the folder is ever opened, even through a symbolic link.
// Objects are written to a file of their own in the folder's .incoming
// directory and renamed into place when complete.
type Local struct {
	root *os.Root
}

// incoming is where Put writes before renaming; keys cannot start with a
// dot, so no key names it.
const incoming = ".incoming"

// NewLocal opens (and creates) the folder dir.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media folder: %w", err)
	}
	if err := root.MkdirAll(incoming, 0o750); err != nil {
		root.Close()
		return nil, fmt.Errorf("media folder: %w", err)
	}
	return &Local{root: root}, nil
}

// Close releases the folder.
func (l *Local) Close() error { return l.root.Close() }

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	if err := l.root.MkdirAll(path.Dir(key), 0o750); err != nil {
		return Info{}, err
	}
	tmp := path.Join(incoming, rand.Text())
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return Info{}, err
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			l.root.Remove(tmp)
		}
	}()
	h := sha256.New()
	n, err := copyChecked(ctx, io.MultiWriter(f, h), r, opts)
	if err != nil {
		return Info{}, err
	}
	if err := f.Sync(); err != nil {
		return Info{}, err
	}
	if err := f.Close(); err != nil {
		return Info{}, err
	}
	if err := l.root.Rename(tmp, key); err != nil {
		return Info{}, err
	}
	done = true
	info, err := l.Stat(ctx, key)
	if err != nil {
		return Info{}, err
	}
	info.Size, info.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return info, nil
}

// copyChecked copies r to w, refusing more than opts.MaxSize bytes and a
// total other than opts.Size, and stopping when ctx ends.
func copyChecked(ctx context.Context, w io.Writer, r io.Reader, opts PutOptions) (int64, error) {
	limit := int64(-1)
	if opts.MaxSize > 0 {
		limit = opts.MaxSize
	}
	if opts.Size >= 0 && (limit < 0 || opts.Size < limit) {
		limit = opts.Size
	}
	src := r
	if limit >= 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(w, contextReader{ctx, src})
	if err != nil {
		return n, err
	}
	switch {
	case opts.MaxSize > 0 && n > opts.MaxSize:
		return n, errs.E(errs.TooLarge, "the file is over the limit of %d bytes", opts.MaxSize)
	case opts.Size >= 0 && n != opts.Size:
		return n, errs.E(errs.Invalid, "the file has %s bytes, not the %d declared", countOf(n, opts.Size), opts.Size)
	}
	return n, nil
}

// countOf says how many bytes arrived, when reading stopped past the
// declared size.
func countOf(n, declared int64) string {
	if n > declared {
		return "more than " + fmt.Sprint(declared)
	}
	return fmt.Sprint(n)
}

// contextReader stops reading once ctx ends.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Get implements Store.
func (l *Local) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, Info{}, err
	}
	f, err := l.root.Open(key)
	if err != nil {
		return nil, Info{}, l.fail(key, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, notFound(key, nil)
	}
	return f, Info{Key: key, Size: st.Size(), ModTime: st.ModTime().UTC()}, nil
}

// GetRange implements Store.
func (l *Local) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	rc, info, err := l.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	if offset < 0 || offset > info.Size {
		rc.Close()
		return nil, errs.E(errs.Invalid, "offset %d is outside the object's %d bytes", offset, info.Size)
	}
	f := rc.(*os.File)
	if length < 0 {
		length = info.Size - offset
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, offset, length), f}, nil
}

// Stat implements Store.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	st, err := l.root.Stat(key)
	if err != nil {
		return Info{}, l.fail(key, err)
	}
	if !st.Mode().IsRegular() {
		return Info{}, notFound(key, nil)
	}
	return Info{Key: key, Size: st.Size(), ModTime: st.ModTime().UTC()}, nil
}

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (l *Local) fail(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return notFound(key, err)
	}
	return err
}
