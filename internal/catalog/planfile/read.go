package planfile

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// folder reads one plan folder, noting problems as it goes.
type folder struct {
	fsys  fs.FS
	dir   string
	probs problems
}

// read reads the folder. Problems with its files go to f.probs; the error
// is for failures to read at all (a missing folder, permissions).
func (f *folder) read() (*catalog.PlanContent, error) {
	entries, err := fs.ReadDir(f.fsys, f.dir)
	if err != nil {
		return nil, fmt.Errorf("planfile: %w", err)
	}
	var plan, days fs.DirEntry
	for _, e := range entries {
		switch e.Name() {
		case planFile:
			plan = e
		case daysDir:
			days = e
		}
	}

	c := &catalog.PlanContent{}
	if plan == nil {
		f.probs.add(planFile, 0, "missing: a plan folder holds plan.yaml and a folder days")
	} else {
		data, err := f.file(planFile, plan)
		if err != nil {
			return nil, err
		}
		if data != nil {
			decodePlan(data, c, &f.probs)
		}
	}
	// Git keeps no empty folders, so a plan without days has no days folder.
	if days != nil {
		if err := f.days(days, c); err != nil {
			return nil, err
		}
	}
	for _, r := range mediaRefs(c) {
		if IsMediaFile(*r.ref) {
			f.checkMediaFile(r)
		}
	}
	return c, nil
}

// dayName is the name of a day's file: its number with three digits.
var dayName = regexp.MustCompile(`^[0-9]{3}\.md$`)

// days reads the days folder, listed as e, into c.Days.
func (f *folder) days(e fs.DirEntry, c *catalog.PlanContent) error {
	const where = daysDir + "/"
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		f.probs.add(where, 0, "is a symbolic link: a plan folder holds plain files and folders")
		return nil
	case !e.IsDir():
		f.probs.add(where, 0, "is a file: days must be a folder of day files")
		return nil
	}
	entries, err := fs.ReadDir(f.fsys, path.Join(f.dir, daysDir))
	if err != nil {
		return fmt.Errorf("planfile: %w", err)
	}

	files := map[int]fs.DirEntry{}
	last := 0
	for _, e := range entries {
		name := where + e.Name()
		switch {
		case strings.HasPrefix(e.Name(), "."):
			// Hidden files are not the author's: .gitkeep, .DS_Store.
		case e.IsDir():
			f.probs.add(name, 0, "is a folder: days holds only day files, 001.md to %03d.md", catalog.MaxDays)
		case !dayName.MatchString(e.Name()):
			f.probs.add(name, 0, "not a day file: day files are named by their number with three digits, 001.md to %03d.md", catalog.MaxDays)
		default:
			n, _ := strconv.Atoi(e.Name()[:3])
			switch {
			case n == 0:
				f.probs.add(name, 0, "not a day file: days are numbered from 001")
			case files[n] != nil:
				f.probs.add(name, 0, "day %03d appears twice", n)
			default:
				files[n] = e
				last = max(last, n)
			}
		}
	}
	if len(files) > catalog.MaxDays {
		f.probs.add(where, 0, "%d days: a plan has at most %d", len(files), catalog.MaxDays)
		return nil
	}
	for n := 1; n <= last; n++ {
		if files[n] != nil {
			continue
		}
		gap := n
		for files[n+1] == nil {
			n++
		}
		if gap == n {
			f.probs.add(dayFile(gap), 0, "missing: days are numbered from 001 without gaps")
		} else {
			f.probs.add(where, 0, "%03d.md to %03d.md are missing: days are numbered from 001 without gaps", gap, n)
		}
	}

	for n := 1; n <= last; n++ {
		e := files[n]
		if e == nil {
			continue
		}
		if f.probs.full() {
			f.probs.more = true
			break
		}
		name := dayFile(n)
		data, err := f.file(name, e)
		if err != nil {
			return err
		}
		if data != nil {
			c.Days = append(c.Days, decodeDay(name, data, &f.probs))
		}
	}
	return nil
}

// file reads the file name, relative to the folder and listed as e. It
// returns nil data when the file is refused, having noted why.
func (f *folder) file(name string, e fs.DirEntry) ([]byte, error) {
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		f.probs.add(name, 0, "is a symbolic link: a plan folder holds plain files")
		return nil, nil
	case e.IsDir():
		f.probs.add(name, 0, "is a folder: want a file")
		return nil, nil
	case !e.Type().IsRegular():
		f.probs.add(name, 0, "is not a plain file")
		return nil, nil
	}
	const tooLarge = "is larger than 8 MiB: a plan's files are at most 8 MiB each"
	if info, err := e.Info(); err == nil && info.Size() > maxFileBytes {
		f.probs.add(name, 0, tooLarge)
		return nil, nil
	}
	file, err := f.fsys.Open(path.Join(f.dir, name))
	if err != nil {
		return nil, fmt.Errorf("planfile: %w", err)
	}
	defer file.Close()
	// The size listed may be stale or unknown: read one byte past the limit
	// to tell.
	data, err := io.ReadAll(io.LimitReader(file, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("planfile: read %s: %w", name, err)
	}
	if len(data) > maxFileBytes {
		f.probs.add(name, 0, tooLarge)
		return nil, nil
	}
	return data, nil
}
