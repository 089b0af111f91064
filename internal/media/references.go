package media

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Plans and authors reference media by id: a plan's cover, an item's
// recording, an author's photo. Only a medium's owner or an admin may
// reference it, because publishing the content makes it public.

// Attachable says whether p may make content reference medium id where a
// medium of kind is wanted: "" when it may, else why not, for people. The
// medium must be p's (any medium, for admins), have arrived whole (not
// uploading or failed) and be of kind. A nil p is the operator at the
// command line, who may reference any medium.
func (s *Service) Attachable(ctx context.Context, p *identity.Principal, id, kind string) (string, error) {
	m, err := s.medium(ctx, id)
	if errs.Is(err, errs.NotFound) || (err == nil && p != nil && !p.Owns(m.OwnerID)) {
		return fmt.Sprintf("there is no media %s among yours", id), nil
	}
	if err != nil {
		return "", err
	}
	switch m.Status {
	case Uploading:
		return fmt.Sprintf("media %s has not arrived yet: complete its upload first", id), nil
	case Failed:
		return fmt.Sprintf("media %s could not be used: %s", id, m.Failure), nil
	}
	if string(m.Kind) != kind {
		return fmt.Sprintf("media %s is %s, not %s", id, article(string(m.Kind)), article(kind)), nil
	}
	return "", nil
}

// article is a kind with its indefinite article: "an image", "a PDF".
func article(kind string) string {
	switch kind {
	case string(Image), string(Audio):
		return "an " + kind
	case string(PDF):
		return "a PDF"
	}
	return "a " + kind
}

// Views returns the media among ids, by id, as clients see them. Who asks
// is not checked: callers pass the media of content the asker may read,
// which only the media's owners or admins could make reference them. Ids
// that name no medium are left out.
func (s *Service) Views(ctx context.Context, ids []string) (map[string]*View, error) {
	var valid []string
	for _, id := range ids {
		if _, err := uuid.Parse(id); err == nil && !slices.Contains(valid, id) {
			valid = append(valid, id)
		}
	}
	out := map[string]*View{}
	if len(valid) == 0 {
		return out, nil
	}
	list, err := s.store.MediaByIDs(ctx, valid)
	if err != nil {
		return nil, err
	}
	published, err := s.store.PublishedMedia(ctx, valid)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		v, err := s.view(ctx, m, servable(m.Status) && slices.Contains(published, m.ID))
		if err != nil {
			return nil, err
		}
		out[m.ID] = v
	}
	return out, nil
}

// Ingest stores a file this server reads itself, such as one of a plan
// folder being imported: the medium is recorded, its bytes stored and
// verified, and its processing queued, as an upload's would be. Its type
// comes from the filename's extension (the bytes must agree). p owns it;
// a nil p (the operator at the command line) leaves it without owner and
// outside any quota.
func (s *Service) Ingest(ctx context.Context, p *identity.Principal, filename string, size int64, r io.Reader) (*Medium, error) {
	t, ok := typeByName(filename)
	if !ok {
		return nil, invalid("filename", "%s: media files end in %s", filename, acceptedExtensions())
	}
	owner := ""
	if p != nil {
		owner = p.UserID
	}
	m, err := s.newMedium(ctx, owner, UploadRequest{Filename: filename, ContentType: t.contentType, Size: size}, "")
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMedium(ctx, m); err != nil {
		return nil, err
	}
	if err := s.receive(ctx, m, r); err != nil {
		s.forget(ctx, m)
		return nil, err
	}
	if err := s.verify(ctx, m); err != nil {
		s.forget(ctx, m)
		return nil, err
	}
	return m, nil
}

// forget deletes m and its bytes after a step of Ingest failed.
func (s *Service) forget(ctx context.Context, m *Medium) {
	s.discard(ctx, m)
	if err := s.store.DeleteMedium(context.WithoutCancel(ctx), m.ID); err != nil {
		s.logger.ErrorContext(ctx, "deleting a refused file's record failed", "media_id", m.ID, "error", err)
	}
}

// Original opens medium id's uploaded file, for this server to copy it
// (a plan folder being exported), with the name it was uploaded as.
func (s *Service) Original(ctx context.Context, id string) (*Medium, io.ReadCloser, error) {
	m, err := s.medium(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !servable(m.Status) {
		return nil, nil, errs.E(errs.NotFound, "media %s has no file (it is %s)", id, m.Status)
	}
	rc, _, err := s.blobs.Get(ctx, m.ObjectKey)
	if err != nil {
		return nil, nil, err
	}
	return m, rc, nil
}

// typeByName returns the accepted type a filename's extension names.
func typeByName(name string) (fileType, bool) {
	ext := strings.ToLower(path.Ext(name))
	if alias, ok := extAliases[ext]; ok {
		ext = alias
	}
	for _, t := range fileTypes {
		if t.ext == ext {
			return t, true
		}
	}
	return fileType{}, false
}

// extAliases are other extensions of the accepted types.
var extAliases = map[string]string{".jpeg": ".jpg", ".opus": ".ogg", ".oga": ".ogg", ".wave": ".wav", ".m4v": ".mp4"}

// acceptedExtensions lists the extensions Ingest knows, for errors.
func acceptedExtensions() string {
	names := make([]string, 0, len(fileTypes)+len(extAliases))
	for _, t := range fileTypes {
		names = append(names, t.ext)
	}
	for ext := range extAliases {
		names = append(names, ext)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// Files stores and opens media files as p (nil: the operator at the
// command line): what a plan folder being imported or exported needs.
func (s *Service) Files(p *identity.Principal) Files { return Files{s: s, p: p} }

// Files stores and opens media files; Service.Files makes one.
type Files struct {
	s *Service
	p *identity.Principal
}

// Store ingests a file and returns its media id.
func (f Files) Store(ctx context.Context, name string, size int64, r io.Reader) (string, error) {
	m, err := f.s.Ingest(ctx, f.p, name, size, r)
	if err != nil {
		return "", err
	}
	return m.ID, nil
}

// Open opens medium id's uploaded file and returns the name it was
// uploaded as.
func (f Files) Open(ctx context.Context, id string) (string, io.ReadCloser, error) {
	m, rc, err := f.s.Original(ctx, id)
	if err != nil {
		return "", nil, err
	}
	return m.Filename, rc, nil
}
