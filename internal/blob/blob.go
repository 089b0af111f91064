// Package blob keeps media files (covers, author photos, talks, guided
// meditations) by key. Two implementations share one contract, checked by
// package blobtest: Local, a folder on disk, the embedded default; and an
// S3-protocol bucket for replicas that share their media.
//
// Keys are chosen by the application, never by clients: lower-case ASCII
// letters, digits and "-_.", in segments separated by "/", none starting
// with a dot. CheckKey enforces that before any store touches a file, so no
// key can name a path outside the store.
package blob

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Store keeps objects by key. Implementations are safe for concurrent use.
type Store interface {
	// Put stores what r yields under key, replacing any object there only
	// once all of it is stored: a reader that fails, too many bytes, or a
	// size other than the one declared leave the key as it was.
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error)
	// Get opens the object under key for reading from its start. Local's
	// readers are *os.File, which also seek.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// GetRange opens length bytes of the object under key from offset
	// (length < 0: to its end).
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Stat describes the object under key.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object under key; an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// PutOptions describe what Put receives.
type PutOptions struct {
	// ContentType is stored with the object where the store keeps it.
	ContentType string
	// Size is how many bytes the reader yields; negative when unknown.
	Size int64
	// MaxSize refuses more bytes than this (0: no limit).
	MaxSize int64
}

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
	// SHA256 is the hex digest of the content; Put computes it, Stat and
	// Get leave it empty.
	SHA256 string
}

// Presigner is a Store whose objects clients can reach directly, through
// URLs signed for one object, one method and a limited time.
type Presigner interface {
	// PresignPut signs an upload of exactly opts.Size bytes of type
	// opts.ContentType to key: both are signed headers, so the server
	// refuses a body of another size or type.
	PresignPut(ctx context.Context, key string, opts PresignPutOptions) (Presigned, error)
	// PresignGet signs a download of the object under key. The URL serves
	// ranges as the store does.
	PresignGet(ctx context.Context, key string, opts PresignGetOptions) (Presigned, error)
}

// PresignPutOptions describe the one upload a presigned PUT allows.
type PresignPutOptions struct {
	// ContentType is the type the client must send; required.
	ContentType string
	// Size is the number of bytes the client must send; at least 1.
	Size int64
	// Expires is how long the URL works: 0 means DefaultPresignExpiry, and
	// it may not exceed MaxPresignExpiry.
	Expires time.Duration
}

// PresignGetOptions describe a presigned download.
type PresignGetOptions struct {
	// Expires is how long the URL works, as in PresignPutOptions.
	Expires time.Duration
	// Filename, when set, makes the response an attachment under this name
	// (Content-Disposition), so browsers save it rather than show it.
	Filename string
}

// Presigned is a request a client may send without credentials of its own.
type Presigned struct {
	Method string
	URL    string
	// Header holds the headers the client must send as they are, since
	// they are signed (Content-Length and Content-Type for a PUT).
	Header http.Header
	// Expires is when the server stops accepting the URL.
	Expires time.Time
}

// How long presigned URLs work by default, and at most (the limit of AWS
// Signature Version 4).
const (
	DefaultPresignExpiry = 15 * time.Minute
	MaxPresignExpiry     = 7 * 24 * time.Hour
)

// MaxKey is the longest key, in bytes.
const MaxKey = 512

// CheckKey returns an Invalid error unless key is a valid key.
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKey {
		return errs.E(errs.Invalid, "a media key has 1 to %d characters", MaxKey)
	}
	for _, segment := range strings.Split(key, "/") {
		if segment == "" || segment[0] == '.' {
			return errs.E(errs.Invalid, "media key %q has an empty segment or one starting with a dot", key)
		}
		for i := 0; i < len(segment); i++ {
			c := segment[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return errs.E(errs.Invalid, "media key %q has a character other than a-z, 0-9, '-', '_', '.' and '/'", key)
			}
		}
	}
	return nil
}

// notFound is the error of a missing key.
func notFound(key string, err error) error {
	return errs.Wrap(err, errs.NotFound, "no media object %q", key)
}
