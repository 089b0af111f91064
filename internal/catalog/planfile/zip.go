package planfile

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// A plan folder also travels as a zip archive, over HTTP: the folder at
// the archive's root, or inside its one top folder (as zipping a folder
// makes it). Archives come from anyone with an author's account, so
// OpenZip checks every entry before anything is read: names that would
// climb out of the folder (zip slip), links, encrypted or unknown
// compression, and sizes, against zip bombs: the sizes an archive declares
// are bounded, and archive/zip refuses an entry that inflates to more than
// it declared.

// ZipLimits bound what OpenZip accepts.
type ZipLimits struct {
	MaxEntries    int   // files and folders
	MaxFileBytes  int64 // each file, uncompressed
	MaxTotalBytes int64 // all files together, uncompressed
}

// DefaultZipLimits fit any plan folder: a year of days, each with its
// recordings.
var DefaultZipLimits = ZipLimits{MaxEntries: 2000, MaxFileBytes: 200 << 20, MaxTotalBytes: 400 << 20}

// Archive is a plan folder in a zip archive, checked by OpenZip.
type Archive struct {
	zr   *zip.Reader
	fsys fs.FS
	dir  string // the folder in the archive: "." for its root
}

// OpenZip checks the zip archive of size bytes in r and finds the plan
// folder in it. Problems are *Error values joined, as Read reports them,
// naming entries by their path in the archive (File "" for the archive as
// a whole).
func OpenZip(r io.ReaderAt, size int64, lim ZipLimits) (*Archive, error) {
	// archive/zip reads the whole central directory into memory, entry by
	// entry, when it opens an archive: millions of tiny entries would take
	// gigabytes. Its reads are bounded while it does.
	br := &budgetReader{r: r, left: directoryBudget + int64(lim.MaxEntries)*512}
	zr, err := zip.NewReader(br, size)
	br.left = math.MaxInt64
	switch {
	case errors.Is(err, errOverBudget):
		return nil, &Error{Msg: fmt.Sprintf("too many entries: a plan archive holds at most %d files and folders", lim.MaxEntries)}
	case err != nil && !errors.Is(err, zip.ErrInsecurePath): // insecure paths are refused below, by name
		return nil, &Error{Msg: "not a zip archive, or a damaged one"}
	}
	var probs problems
	if len(zr.File) > lim.MaxEntries {
		probs.add("", 0, "%d entries: a plan archive holds at most %d files and folders", len(zr.File), lim.MaxEntries)
		return nil, probs.err()
	}
	var total int64
	seen := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		name, isDir := strings.CutSuffix(f.Name, "/")
		why := ""
		switch {
		case !utf8.ValidString(f.Name):
			why = "has a name that is not UTF-8"
		case strings.ContainsAny(f.Name, "\\\x00") || !fs.ValidPath(name) || name == "." || isDrive(name):
			why = "has a name that is not a plain relative path (no /, .., \\ or drive at its start): the archive cannot be read safely"
		case hasKey(seen, name):
			why = "appears twice"
		case f.Mode()&fs.ModeSymlink != 0:
			why = "is a symbolic link: a plan folder holds plain files and folders"
		case !isDir && !f.Mode().IsRegular():
			why = "is not a plain file"
		case f.Flags&0x1 != 0:
			why = "is encrypted"
		case !isDir && f.Method != zip.Store && f.Method != zip.Deflate:
			why = fmt.Sprintf("is compressed with method %d: use deflate (the usual) or none", f.Method)
		case !isDir && !readable(f):
			why = "cannot be read: the archive is damaged here"
		case f.UncompressedSize64 > uint64(lim.MaxFileBytes):
			why = fmt.Sprintf("is %s uncompressed: a file of a plan archive has at most %s", sizeText(int64(min(f.UncompressedSize64, 1<<62))), sizeText(lim.MaxFileBytes))
		}
		if why != "" {
			probs.add(printable(f.Name), 0, "%s", why)
			continue
		}
		seen[name] = isDir
		total += int64(f.UncompressedSize64)
	}
	if total > lim.MaxTotalBytes {
		probs.add("", 0, "the files come to %s uncompressed: a plan archive holds at most %s", sizeText(total), sizeText(lim.MaxTotalBytes))
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	a := &Archive{zr: zr, fsys: zipFS{zr}}
	if a.dir = planDir(seen); a.dir == "" {
		return nil, &Error{File: planFile, Msg: "missing: a plan archive holds plan.yaml and a folder days, at its root or inside one top folder"}
	}
	return a, nil
}

// directoryBudget is what opening an archive may read besides its
// entries' headers (512 bytes each, names and extra fields included): the
// end of the archive, where its comment may take 64 KB.
const directoryBudget = 128 << 10

var errOverBudget = errors.New("planfile: the archive's directory is larger than its entries allow")

// budgetReader reads from r until left bytes have been read, then fails.
type budgetReader struct {
	r    io.ReaderAt
	left int64
}

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	if b.left <= 0 {
		return 0, errOverBudget
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.ReadAt(p, off)
	b.left -= int64(n)
	return n, err
}

// planDir is the folder of the archive holding plan.yaml, given the
// archive's paths (each true for a folder): "." for its root, its one top
// folder, or "" for none. What macOS adds (__MACOSX/, .DS_Store) and other
// hidden entries at the root do not count.
func planDir(paths map[string]bool) string {
	if isDir, ok := paths[planFile]; ok && !isDir {
		return "."
	}
	top := ""
	for p, isDir := range paths {
		first, _, nested := strings.Cut(p, "/")
		switch {
		case first == "__MACOSX" || strings.HasPrefix(first, "."):
		case !nested && !isDir:
			return "" // a file at the root, and no plan.yaml there
		case top != "" && top != first:
			return "" // two top folders
		default:
			top = first
		}
	}
	if isDir, ok := paths[top+"/"+planFile]; top == "" || !ok || isDir {
		return ""
	}
	return top
}

// readable reports whether f's data is where the archive says, inside it.
func readable(f *zip.File) bool {
	_, err := f.DataOffset()
	return err == nil
}

// isDrive reports whether name starts with a Windows drive, "C:".
func isDrive(name string) bool {
	return len(name) >= 2 && name[1] == ':' && (len(name) == 2 || name[2] == '/') &&
		(name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z')
}

func hasKey(m map[string]bool, k string) bool { _, ok := m[k]; return ok }

// Dir is the plan folder's path in the archive: "." for its root.
func (a *Archive) Dir() string { return a.dir }

// Path is the path in the archive of file, named relative to the plan
// folder ("days/003.md").
func (a *Archive) Path(file string) string {
	if file == "" {
		return ""
	}
	return path.Join(a.dir, file)
}

// Read reads the plan folder as ReadFS does. Problems name files by their
// path in the archive.
func (a *Archive) Read() (*catalog.PlanContent, error) {
	c, err := ReadFS(a.fsys, a.dir)
	if err == nil {
		return c, nil
	}
	list, ok := Problems(err)
	if !ok {
		return nil, err
	}
	out := make([]error, len(list))
	for i, p := range list {
		q := *p
		q.File = a.Path(q.File)
		out[i] = &q
	}
	return nil, errors.Join(out...)
}

// StoreMedia stores each file of the plan folder that c (read from it)
// references, as StoreMedia does for a folder on disk, and returns the
// media ids it stored: to delete again should the import fail. A failure
// to store names the file and key that referenced the file, as a
// *MediaError.
func (a *Archive) StoreMedia(ctx context.Context, c *catalog.PlanContent, m Media) ([]string, error) {
	stored := map[string]string{}
	var ids []string
	for _, r := range mediaRefs(c) {
		if !IsMediaFile(*r.ref) {
			continue
		}
		if id, ok := stored[*r.ref]; ok {
			*r.ref = id
			continue
		}
		id, err := a.storeFile(ctx, *r.ref, m)
		if err != nil {
			return ids, &MediaError{File: a.Path(r.file), Key: r.key, Ref: *r.ref, Err: err}
		}
		ids = append(ids, id)
		stored[*r.ref], *r.ref = id, id
	}
	return ids, nil
}

func (a *Archive) storeFile(ctx context.Context, ref string, m Media) (string, error) {
	f, err := a.fsys.Open(path.Join(a.dir, ref))
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

// MediaError is a media file of a plan folder that could not be stored.
type MediaError struct {
	File string // the file that references it, such as "days/003.md"
	Key  string // where in File: "cover", "items[0].media"
	Ref  string // the reference: "media/talk.mp3"
	Err  error
}

func (e *MediaError) Error() string {
	return fmt.Sprintf("%s: %s: %s: %v", e.File, e.Key, e.Ref, e.Err)
}

func (e *MediaError) Unwrap() error { return e.Err }

// Problems returns the problems err (from Read, ReadFS, OpenZip or an
// Archive) reports, and false when err is not about the folder's files
// but a failure to read them (which the person who sent the folder cannot
// fix).
func Problems(err error) ([]*Error, bool) {
	if err == nil {
		return nil, false
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range joined.Unwrap() {
			var p *Error
			if !errors.As(e, &p) {
				p = &Error{Msg: e.Error()} // the note that reading stopped after many problems
			}
			out = append(out, p)
		}
		return out, true
	}
	var p *Error
	if errors.As(err, &p) {
		return []*Error{p}, true
	}
	return nil, false
}

// FieldFile returns the file of a plan folder, and the key in it, of a
// field that catalog.Import names in a validation error: "days[2].title"
// is "title" in days/003.md, "cover_media_id" is "cover" in plan.yaml.
func FieldFile(field string) (file, key string) {
	file, key = planFile, field
	if rest, ok := strings.CutPrefix(field, "days["); ok {
		if i := strings.Index(rest, "]"); i > 0 {
			var n int
			if _, err := fmt.Sscanf(rest[:i], "%d", &n); err == nil && n >= 0 && n < catalog.MaxDays {
				file, key = dayFile(n+1), strings.TrimPrefix(rest[i+1:], ".")
			}
		}
	}
	key = strings.ReplaceAll(key, "media_id", "media")
	if key == "cover_media" {
		key = "cover"
	}
	return file, key
}

// zipFS serves a checked archive's files, turning a damaged entry into a
// problem with that entry rather than a failure to read.
type zipFS struct{ zr *zip.Reader }

func (z zipFS) Open(name string) (fs.File, error) {
	f, err := z.zr.Open(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		return nil, err
	}
	if err != nil {
		return nil, damaged(name, err)
	}
	return zipFile{File: f, name: name}, nil
}

type zipFile struct {
	fs.File
	name string
}

func (f zipFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if err != nil && err != io.EOF {
		err = damaged(f.name, err)
	}
	return n, err
}

func (f zipFile) ReadDir(n int) ([]fs.DirEntry, error) {
	d, ok := f.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: f.name, Err: errors.New("not a folder")}
	}
	return d.ReadDir(n)
}

// damaged makes an error reading an entry a problem with that entry. The
// archive was received whole before it is read (in memory or in a file of
// its own), so what fails to read is the archive's own doing: corrupt
// data, an entry larger than it declared, offsets outside the archive.
func damaged(name string, err error) error {
	return &Error{File: name, Msg: "cannot be read: the archive is damaged here (" + err.Error() + ")"}
}

// printable is name with bytes that are not UTF-8 replaced, for messages.
func printable(name string) string { return strings.ToValidUTF8(name, "\uFFFD") }

// sizeText is n bytes for people: "1.5 MB".
func sizeText(n int64) string {
	units := []string{"bytes", "KB", "MB", "GB"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f, i = f/1024, i+1
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0") + " " + units[i]
}

// A Zip is a plan folder ready to be written as a zip archive: its text
// files encoded, and the media it references named, so that problems show
// before the first byte is written.
type Zip struct {
	// Modified is the time the archive's entries carry.
	Modified time.Time
	dir      string
	files    []zipText
	media    []zipMedium
}

type zipText struct {
	name string
	data []byte
}

type zipMedium struct{ id, name string }

// NewZip prepares c as a zip archive of a plan folder in the top folder
// dir (often the plan's slug): plan.yaml, days/ and media/, holding the
// file of each medium c references, referenced there by path. name gives
// a medium's file name (the name it was uploaded as; made safe and unique
// here). c is left as it was.
func NewZip(c *catalog.PlanContent, dir string, name func(id string) (string, error)) (*Zip, error) {
	if c == nil {
		return nil, errors.New("planfile: no plan to write")
	}
	if len(c.Days) > catalog.MaxDays {
		return nil, fmt.Errorf("planfile: %d days, more than the %d a plan folder holds", len(c.Days), catalog.MaxDays)
	}
	if dir = safeName(dir, "plan"); dir == mediaDir || dir == daysDir {
		dir = "plan"
	}
	out := *c
	out.Days = make([]catalog.DayContent, len(c.Days))
	for i, d := range c.Days {
		d.Items = append([]catalog.ItemContent(nil), d.Items...)
		out.Days[i] = d
	}
	z := &Zip{dir: dir}
	names := map[string]string{} // media id -> file name
	taken := map[string]bool{}
	for _, r := range mediaRefs(&out) {
		id := *r.ref
		if id == "" || IsMediaFile(id) {
			continue
		}
		if n, ok := names[id]; ok {
			*r.ref = mediaDir + "/" + n
			continue
		}
		n, err := name(id)
		if err != nil {
			return nil, fmt.Errorf("planfile: the media %s of %s %s: %w", id, r.file, r.key, err)
		}
		n = freeName(safeName(n, id), taken)
		names[id], taken[n] = n, true
		z.media = append(z.media, zipMedium{id, n})
		*r.ref = mediaDir + "/" + n
	}
	plan, err := encodePlan(&out)
	if err != nil {
		return nil, err
	}
	z.files = append(z.files, zipText{planFile, plan})
	for i := range out.Days {
		data, err := encodeDay(dayFile(i+1), &out.Days[i])
		if err != nil {
			return nil, err
		}
		z.files = append(z.files, zipText{dayFile(i + 1), data})
	}
	return z, nil
}

// Dir is the archive's top folder.
func (z *Zip) Dir() string { return z.dir }

// Write writes the archive to w, the text files first, then each medium's
// file copied from m as it goes, one at a time: media are never held in
// memory. An error after the first byte leaves w holding part of an
// archive, which no zip reader accepts.
func (z *Zip) Write(ctx context.Context, w io.Writer, m Media) error {
	zw := zip.NewWriter(w)
	header := func(name string, method uint16) *zip.FileHeader {
		h := &zip.FileHeader{Name: z.dir + "/" + name, Method: method, Modified: z.Modified}
		h.SetMode(0o644)
		return h
	}
	for _, f := range z.files {
		fw, err := zw.CreateHeader(header(f.name, zip.Deflate))
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	for _, md := range z.media {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := z.copyMedium(ctx, zw, header(mediaDir+"/"+md.name, zip.Store), md.id, m); err != nil {
			return fmt.Errorf("planfile: copying the media %s: %w", md.id, err)
		}
	}
	return zw.Close()
}

// copyMedium writes medium id's file as the entry h. Media files are
// stored as they are: most are compressed already.
func (z *Zip) copyMedium(ctx context.Context, zw *zip.Writer, h *zip.FileHeader, id string, m Media) error {
	_, rc, err := m.Open(ctx, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	fw, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(fw, rc)
	return err
}
