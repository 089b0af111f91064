package media

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// UploadRequest is what a client says of the file it is about to send.
type UploadRequest struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string // optional hex digest, checked when processed
}

// Target is where and how to send an upload's bytes.
type Target struct {
	Method    string
	URL       string
	Header    http.Header // headers the request must carry as given
	ExpiresAt time.Time
}

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

// StartUpload records a medium of p's and returns where to send its
// bytes. Authorisation (authors and admins) is checked by the caller.
func (s *Service) StartUpload(ctx context.Context, p *identity.Principal, in UploadRequest) (*Medium, *Target, error) {
	m, err := s.newMedium(ctx, p.UserID, in, "body.")
	if err != nil {
		return nil, nil, err
	}
	target, err := s.uploadTarget(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.CreateMedium(ctx, m); err != nil {
		return nil, nil, err
	}
	return m, target, nil
}

// newMedium checks an upload request and makes its medium, owned by
// ownerID ("" for none, outside any quota), not yet stored. Fields are
// named under prefix.
func (s *Service) newMedium(ctx context.Context, ownerID string, in UploadRequest, prefix string) (*Medium, error) {
	var fields []errs.FieldError
	bad := func(field, format string, a ...any) {
		fields = append(fields, errs.FieldError{Field: prefix + field, Message: fmt.Sprintf(format, a...)})
	}
	if msg := checkFilename(in.Filename); msg != "" {
		bad("filename", "%s", msg)
	}
	t, ok := typeOf(in.ContentType)
	if !ok {
		bad("content_type", "%q is not a file type media accepts: %s", in.ContentType, acceptedTypes())
	}
	if in.Size < 1 {
		bad("size", "size is the file's length in bytes, at least 1")
	}
	if in.SHA256 != "" && !hexDigest.MatchString(in.SHA256) {
		bad("sha256", "sha256 is 64 lower-case hex digits")
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	if limit := s.limits.MaxSize[t.kind]; in.Size > limit {
		return nil, errs.E(errs.TooLarge, "%s file may have at most %s; this one has %s", article(string(t.kind)), bytesText(limit), bytesText(in.Size))
	}
	if s.limits.Quota > 0 && ownerID != "" {
		used, err := s.store.StoredBytes(ctx, ownerID)
		if err != nil {
			return nil, err
		}
		if used+in.Size > s.limits.Quota {
			return nil, errs.E(errs.TooLarge, "this file (%s) would take your media past your quota of %s: %s is in use; delete media you no longer need",
				bytesText(in.Size), bytesText(s.limits.Quota), bytesText(used))
		}
	}
	now := s.now().UTC()
	id := identity.NewID()
	return &Medium{ID: id, OwnerID: ownerID, Kind: t.kind, Filename: in.Filename, ContentType: t.contentType, Size: in.Size,
		SHA256: in.SHA256, Status: Uploading, ObjectKey: objectKey(id), Secret: rand.Text(), Peaks: []int{}, Variants: []Variant{},
		ExpiresAt: now.Add(s.limits.UploadFor), CreatedAt: now, UpdatedAt: now}, nil
}

// uploadTarget is a presigned PUT on a store that presigns, and this
// server's upload URL otherwise.
func (s *Service) uploadTarget(ctx context.Context, m *Medium) (*Target, error) {
	if ps, ok := s.blobs.(blob.Presigner); ok {
		pr, err := ps.PresignPut(ctx, m.ObjectKey, blob.PresignPutOptions{ContentType: m.ContentType, Size: m.Size, Expires: s.limits.UploadFor})
		if err != nil {
			return nil, err
		}
		return &Target{Method: pr.Method, URL: pr.URL, Header: pr.Header, ExpiresAt: pr.Expires}, nil
	}
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(m.ExpiresAt.Unix(), 10))
	q.Set("token", m.sign("upload", m.ExpiresAt))
	h := http.Header{}
	h.Set("Content-Type", m.ContentType)
	return &Target{Method: http.MethodPut, URL: s.base + "/v1/media/uploads/" + m.ID + "/content?" + q.Encode(), Header: h,
		ExpiresAt: m.ExpiresAt}, nil
}

// sign is the signature of what, valid until expires, under m's secret.
func (m *Medium) sign(what string, expires time.Time) string {
	mac := hmac.New(sha256.New, []byte(m.Secret))
	fmt.Fprintf(mac, "%s\n%s\n%d", what, m.ID, expires.Unix())
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verify checks a signature made by sign, and that it has not expired.
func (m *Medium) verify(what string, expires int64, sig string, now time.Time) error {
	want := m.sign(what, time.Unix(expires, 0))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errs.E(errs.Forbidden, "the link's signature does not match: ask for a new one")
	}
	if now.Unix() > expires {
		return errs.E(errs.Forbidden, "the link expired at %s: ask for a new one", time.Unix(expires, 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// ReceiveUpload stores the bytes of an upload sent to this server's
// upload URL (the local store). The URL's token is the permission; the
// body must have the declared type and exactly the declared size, or
// nothing is kept.
func (s *Service) ReceiveUpload(ctx context.Context, id string, expires int64, token, contentType string, body io.Reader) error {
	m, err := s.medium(ctx, id)
	if err != nil {
		return err
	}
	if err := m.verify("upload", expires, token, s.now()); err != nil {
		return err
	}
	if m.Status != Uploading {
		return errs.E(errs.Conflict, "this upload is complete; start a new one to send another file")
	}
	if t, ok := typeOf(contentType); !ok || t.contentType != m.ContentType {
		return invalid("header.Content-Type", "Content-Type must be %s, as declared when the upload started", m.ContentType)
	}
	return s.receive(ctx, m, body)
}

// receive stores the bytes of m, which is uploading: exactly its declared
// size, and its declared SHA-256 when there is one, or nothing is kept.
func (s *Service) receive(ctx context.Context, m *Medium, body io.Reader) error {
	info, err := s.blobs.Put(ctx, m.ObjectKey, body, blob.PutOptions{ContentType: m.ContentType, Size: m.Size, MaxSize: m.Size})
	if err != nil {
		return err
	}
	if m.SHA256 != "" && m.SHA256 != info.SHA256 {
		s.discard(ctx, m)
		return invalid("body", "the file's SHA-256 is %s, not %s as declared: it was changed on the way or the wrong file was sent", info.SHA256, m.SHA256)
	}
	m.SHA256 = info.SHA256
	m.UpdatedAt = s.now().UTC()
	return s.store.UpdateMedium(ctx, m, Uploading)
}

// discard deletes m's bytes; a failure is logged, and the bytes are
// deleted again when the upload is given up.
func (s *Service) discard(ctx context.Context, m *Medium) {
	if err := s.blobs.Delete(ctx, m.ObjectKey); err != nil {
		s.logger.ErrorContext(ctx, "deleting a refused upload failed", "media_id", m.ID, "error", err)
	}
}

// sniffBytes is how much of a file Complete reads to tell what it is: an
// image's dimensions can sit after a large EXIF block.
const sniffBytes = 512 << 10

// Complete verifies what was uploaded for p's medium id and queues its
// processing. A file whose size or bytes do not match what was declared
// is deleted and the medium marked failed, with the reason in the error.
// Completing again answers the medium as it is.
func (s *Service) Complete(ctx context.Context, p *identity.Principal, id string) (*Medium, error) {
	m, err := s.owned(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if m.Status != Uploading {
		return m, nil
	}
	if err := s.verify(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// verify checks what was stored for m, which is uploading, and queues its
// processing; a file that is not what was declared is deleted and m
// marked failed.
func (s *Service) verify(ctx context.Context, m *Medium) error {
	info, err := s.blobs.Stat(ctx, m.ObjectKey)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Conflict, "nothing has been uploaded yet: send the file to the upload URL first")
	}
	if err != nil {
		return err
	}
	if info.Size != m.Size {
		return s.refuse(ctx, m, "the file has %d bytes, not %d as declared", info.Size, m.Size)
	}
	rc, err := s.blobs.GetRange(ctx, m.ObjectKey, 0, min(m.Size, sniffBytes))
	if err != nil {
		return err
	}
	head, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	t, _ := typeOf(m.ContentType)
	if ok, found := t.sniff(head); !ok {
		return s.refuse(ctx, m, "the file was declared as %s, but its bytes are %s", m.ContentType, found)
	}
	if err := s.inspect(ctx, m, head); err != nil {
		if errs.Is(err, errs.Invalid) {
			return s.refuse(ctx, m, "%s", messageOf(err))
		}
		return err
	}
	m.Status, m.UpdatedAt = Processing, s.now().UTC()
	if err := s.store.UpdateMedium(ctx, m, Uploading); err != nil {
		return err
	}
	return s.enqueue(ctx, m.ID)
}

// refuse deletes m's bytes, marks it failed and returns the reason as a
// validation error.
func (s *Service) refuse(ctx context.Context, m *Medium, format string, a ...any) error {
	reason := fmt.Sprintf(format, a...)
	s.discard(ctx, m)
	from := m.Status
	m.Status, m.Failure, m.UpdatedAt = Failed, reason, s.now().UTC()
	if err := s.store.UpdateMedium(ctx, m, from); err != nil && !errs.Is(err, errs.Conflict) {
		return err
	}
	return invalid("body", "%s; the file was deleted", reason)
}

// enqueue queues processing of medium id.
func (s *Service) enqueue(ctx context.Context, id string) error {
	if s.queue == nil {
		return errs.E(errs.Unavailable, "media processing is not running")
	}
	return s.queue.Insert(ctx, processArgs{MediaID: id}, &river.InsertOpts{MaxAttempts: maxAttempts})
}

// owned returns medium id if p may change it (its owner or an admin), and
// NotFound otherwise, as if there were none.
func (s *Service) owned(ctx context.Context, p *identity.Principal, id string) (*Medium, error) {
	m, err := s.medium(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Owns(m.OwnerID) {
		return nil, errs.E(errs.NotFound, "no such media")
	}
	return m, nil
}

// bytesText is n bytes for people: "20 MB", "8.2 MB" (whole numbers
// stay whole; others have one decimal, rounded up so that a file just over
// a limit never reads as equal to it).
func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<20:
		return strconv.FormatFloat(math.Ceil(float64(n)*10/(1<<20))/10, 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// medium returns medium id; a malformed id is not found without asking
// the store.
func (s *Service) medium(ctx context.Context, id string) (*Medium, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errs.E(errs.NotFound, "no such media")
	}
	return s.store.MediumByID(ctx, id)
}
