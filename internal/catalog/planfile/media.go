package planfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// A plan folder carries its media in a folder media/: plan.yaml's cover
// and an item's media name a file there ("media/cover.jpg") instead of a
// media id. Importing stores each file as a medium of the server and
// references it by id; exporting copies each medium the plan references
// into media/ and references it by path.

// mediaDir is the folder of a plan folder's media files.
const mediaDir = "media"

// IsMediaFile reports whether ref, a cover or item media reference, names
// a file of the plan folder rather than a media id.
func IsMediaFile(ref string) bool { return strings.HasPrefix(ref, mediaDir+"/") }

// Media keeps the media of plans; the media service answers it.
type Media interface {
	// Store keeps the file name (a base name, such as "talk.mp3") of size
	// bytes read from r, and returns its media id.
	Store(ctx context.Context, name string, size int64, r io.Reader) (id string, err error)
	// Open returns the name and content of medium id's file.
	Open(ctx context.Context, id string) (name string, r io.ReadCloser, err error)
}

// mediaRefs lists the places of c that reference media, with where each
// is written in the folder.
func mediaRefs(c *catalog.PlanContent) []mediaRef {
	refs := []mediaRef{{&c.CoverMediaID, planFile, "cover"}}
	for i := range c.Days {
		for j := range c.Days[i].Items {
			refs = append(refs, mediaRef{&c.Days[i].Items[j].MediaID, dayFile(i + 1), fmt.Sprintf("items[%d].media", j)})
		}
	}
	return refs
}

type mediaRef struct {
	ref       *string
	file, key string
}

// checkMediaFile checks a reference to a file of the folder: a plain file
// directly in media/, present in fsys under dir.
func (f *folder) checkMediaFile(r mediaRef) {
	name := strings.TrimPrefix(*r.ref, mediaDir+"/")
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		f.probs.add(r.file, 0, "%s: %q is not a file of the folder %s/: name one file there, such as media/talk.mp3", r.key, *r.ref, mediaDir)
		return
	}
	fi, err := fs.Lstat(f.fsys, path.Join(f.dir, mediaDir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.probs.add(r.file, 0, "%s: %s is not in the folder", r.key, *r.ref)
	case err != nil:
		f.probs.add(r.file, 0, "%s: %s cannot be read: %v", r.key, *r.ref, err)
	case !fi.Mode().IsRegular():
		f.probs.add(r.file, 0, "%s: %s is not a plain file", r.key, *r.ref)
	}
}

// StoreMedia stores each file of the plan folder dir that c (read from
// it) references, and references it by its media id instead. A file
// referenced twice is stored once. Files are opened through an os.Root,
// so that nothing outside dir is read.
func StoreMedia(ctx context.Context, dir string, c *catalog.PlanContent, m Media) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("planfile: %w", err)
	}
	defer root.Close()
	stored := map[string]string{}
	for _, r := range mediaRefs(c) {
		if !IsMediaFile(*r.ref) {
			continue
		}
		if id, ok := stored[*r.ref]; ok {
			*r.ref = id
			continue
		}
		id, err := storeFile(ctx, root, *r.ref, m)
		if err != nil {
			return fmt.Errorf("%s: %s: %s: %w", r.file, r.key, *r.ref, err)
		}
		stored[*r.ref], *r.ref = id, id
	}
	return nil
}

func storeFile(ctx context.Context, root *os.Root, ref string, m Media) (string, error) {
	f, err := root.Open(filepath.FromSlash(ref))
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a plain file", ref)
	}
	return m.Store(ctx, path.Base(ref), fi.Size(), f)
}

// WriteWithMedia writes c as a plan folder in dir as Write does, with
// every medium it references copied into the folder's media/ and
// referenced there by path. c is left as it was. When a medium cannot be
// copied, the folder is removed again.
func WriteWithMedia(ctx context.Context, dir string, c *catalog.PlanContent, m Media) (err error) {
	out := *c
	out.Days = make([]catalog.DayContent, len(c.Days))
	for i, d := range c.Days {
		d.Items = append([]catalog.ItemContent(nil), d.Items...)
		out.Days[i] = d
	}
	type copyJob struct{ id, name string }
	var jobs []copyJob
	names := map[string]string{} // media id -> file name
	taken := map[string]bool{}
	opened := map[string]io.ReadCloser{}
	defer func() {
		for _, rc := range opened {
			rc.Close()
		}
	}()
	for _, r := range mediaRefs(&out) {
		id := *r.ref
		if id == "" || IsMediaFile(id) {
			continue
		}
		if name, ok := names[id]; ok {
			*r.ref = mediaDir + "/" + name
			continue
		}
		name, rc, err := m.Open(ctx, id)
		if err != nil {
			return fmt.Errorf("planfile: the media %s of %s %s: %w", id, r.file, r.key, err)
		}
		opened[id] = rc
		name = freeName(safeName(name, id), taken)
		names[id], taken[name] = name, true
		jobs = append(jobs, copyJob{id, name})
		*r.ref = mediaDir + "/" + name
	}
	if err := Write(dir, &out); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			removeFolder(dir)
		}
	}()
	if len(jobs) == 0 {
		return nil
	}
	if err := os.Mkdir(filepath.Join(dir, mediaDir), 0o755); err != nil {
		return fmt.Errorf("planfile: %w", err)
	}
	for _, j := range jobs {
		if err := copyTo(filepath.Join(dir, mediaDir, j.name), opened[j.id]); err != nil {
			return fmt.Errorf("planfile: copying the media %s: %w", j.id, err)
		}
	}
	return nil
}

// safeName is name as a file name of media/: its base name, or the media
// id when nothing of it is usable.
func safeName(name, id string) string {
	name = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
	if name == "/" || name == "." || name == ".." || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return id
	}
	return name
}

// freeName is name, or name-2, name-3... before its extension, whichever
// is not taken.
func freeName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 2; ; n++ {
		if c := base + "-" + strconv.Itoa(n) + ext; !taken[c] {
			return c
		}
	}
}

func copyTo(name string, r io.Reader) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// removeFolder removes what Write and WriteWithMedia write into dir.
func removeFolder(dir string) {
	for _, name := range []string{planFile, daysDir, mediaDir} {
		os.RemoveAll(filepath.Join(dir, name))
	}
}
