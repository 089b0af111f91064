package media

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Media used by published content (a published plan's cover or item, the
// photo of its author) are public: anyone may read them, and their files
// come from the CDN when one is configured. Others are private to their
// owner and admins, whose clients get signed file URLs that work for a
// while: presigned GETs on S3, this server's file URLs with a signature
// on the local store.

// Original names a medium's uploaded file among its files.
const Original = "original"

// View is a medium as a client sees it, with the URLs of its files.
type View struct {
	*Medium
	Public   bool
	URL      string // the uploaded file; "" until it is verified
	Variants []VariantView
}

// VariantView is a variant and its URL.
type VariantView struct {
	Variant
	URL string
}

// Get returns medium id as p (nil: anonymous) may see it: its owner and
// admins always, anyone once published content uses it. Otherwise it is
// not found.
func (s *Service) Get(ctx context.Context, p *identity.Principal, id string) (*View, error) {
	m, err := s.medium(ctx, id)
	if err != nil {
		return nil, err
	}
	public, err := s.public(ctx, m)
	if err != nil {
		return nil, err
	}
	if !public && !p.Owns(m.OwnerID) {
		return nil, errs.E(errs.NotFound, "no such media")
	}
	return s.view(ctx, m, public)
}

// view is m as clients see it, with its files' URLs.
func (s *Service) view(ctx context.Context, m *Medium, public bool) (*View, error) {
	v := &View{Medium: m, Public: public, Variants: []VariantView{}}
	if !servable(m.Status) {
		return v, nil
	}
	var err error
	if v.URL, err = s.fileURL(ctx, m, Original, m.ObjectKey, public); err != nil {
		return nil, err
	}
	for _, variant := range m.Variants {
		u, err := s.fileURL(ctx, m, variant.Name, variant.Key, public)
		if err != nil {
			return nil, err
		}
		v.Variants = append(v.Variants, VariantView{Variant: variant, URL: u})
	}
	return v, nil
}

// servable reports whether a medium in status has files to fetch.
func servable(status Status) bool {
	return status == Processing || status == Ready || status == Unprocessed
}

// public reports whether m is public: servable and used by published
// content.
func (s *Service) public(ctx context.Context, m *Medium) (bool, error) {
	if !servable(m.Status) {
		return false, nil
	}
	return s.store.MediumPublished(ctx, m.ID)
}

// fileURL is where a client fetches m's file name (stored under key).
func (s *Service) fileURL(ctx context.Context, m *Medium, name, key string, public bool) (string, error) {
	if public && s.cdn != "" {
		return s.cdn + "/" + key, nil
	}
	if ps, ok := s.blobs.(blob.Presigner); ok {
		opts := blob.PresignGetOptions{Expires: s.limits.FileURLFor}
		if name == Original {
			opts.Filename = m.Filename
		}
		pr, err := ps.PresignGet(ctx, key, opts)
		if err != nil {
			return "", err
		}
		return pr.URL, nil
	}
	u := s.base + "/v1/media/" + m.ID + "/files/" + name
	if public {
		return u, nil
	}
	// Signed for a window that starts at a round time, so the URL stays
	// the same (and cached) for a while: it works from one to two
	// FileURLFor from now.
	every := s.limits.FileURLFor
	expires := s.now().Truncate(every).Add(2 * every)
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(expires.Unix(), 10))
	q.Set("sig", m.sign("file:"+name, expires))
	return u + "?" + q.Encode(), nil
}

// File is a medium's file opened to be served.
type File struct {
	Filename    string // the uploaded file's name, for downloads
	ContentType string
	ModTime     time.Time
	ETag        string
	Public      bool
	// Content reads the file, from its start or anywhere (HTTP ranges).
	Content io.ReadSeekCloser
}

// OpenFile opens file name of medium id for this server to send: with a
// signature made by fileURL (expires and sig), or without one when the
// medium is public. Only the local store's files are served this way.
func (s *Service) OpenFile(ctx context.Context, id, name string, expires int64, sig string) (*File, error) {
	m, err := s.medium(ctx, id)
	if err != nil {
		return nil, err
	}
	key, contentType := "", ""
	if name == Original {
		key, contentType = m.ObjectKey, m.ContentType
	}
	for _, v := range m.Variants {
		if v.Name == name {
			key, contentType = v.Key, v.ContentType
		}
	}
	if key == "" || !servable(m.Status) {
		return nil, errs.E(errs.NotFound, "no such media file")
	}
	public := false
	if sig != "" {
		if err := m.verify("file:"+name, expires, sig, s.now()); err != nil {
			return nil, err
		}
	} else if public, err = s.public(ctx, m); err != nil {
		return nil, err
	} else if !public {
		return nil, errs.E(errs.NotFound, "no such media file")
	}
	rc, info, err := s.blobs.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	content, ok := rc.(io.ReadSeekCloser)
	if !ok {
		rc.Close()
		return nil, errs.E(errs.NotFound, "this server does not serve media files itself: fetch them from the URLs GET /v1/media/{id} gives")
	}
	return &File{Filename: m.Filename, ContentType: contentType, ModTime: info.ModTime, ETag: `"` + m.ID + "/" + name + `"`,
		Public: public, Content: content}, nil
}
