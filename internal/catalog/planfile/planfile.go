// Package planfile reads and writes a plan as a folder of plain text files,
// so that authors can write plans in their own editor and keep them in git:
// plan.yaml holds the plan's metadata and days/001.md, days/002.md... hold
// one day each, as Markdown with YAML front matter. docs/plan-format.md
// describes the format for authors.
//
// The package checks the structure of the files only (known keys, types,
// day numbering); whether the content is acceptable (a known tradition, a
// title not too long) is for the catalog service to say when it imports
// the plan.
package planfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// Version is the format version that Write writes and Read reads, given by
// the key "format" of plan.yaml.
const Version = 1

// maxFileBytes bounds each file Read reads.
const maxFileBytes = 8 << 20

// maxProblems bounds how many problems one Read reports: enough to fix a
// folder in one pass, not so many that the first ones scroll away.
const maxProblems = 20

// Error is one problem in a plan folder. Read returns every problem it
// found (up to about twenty) joined with errors.Join; errors.As finds the
// first.
type Error struct {
	File string // relative to the folder, with forward slashes: "plan.yaml", "days/003.md"
	Line int    // 1-based line in File; 0 when the problem is not on one line
	Msg  string // what is wrong, naming the key where there is one
}

// Error returns the problem as "days/003.md: line 4: unknown key ...".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Read reads the plan folder at dir and returns its content normalised
// (catalog.Normalize). Problems with the files are reported together, as
// *Error values. Symbolic links in the folder are refused, and the files
// are opened through an os.Root, so that nothing outside dir is read even
// if the folder changes while it is read.
func Read(dir string) (*catalog.PlanContent, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("planfile: %w", err)
	}
	defer root.Close()
	return ReadFS(root.FS(), ".")
}

// ReadFS reads the plan folder at dir inside fsys, as Read does, for plans
// embedded in the binary. Entries that fsys lists as symbolic links are
// refused; beyond that, what fsys serves is trusted.
func ReadFS(fsys fs.FS, dir string) (*catalog.PlanContent, error) {
	f := &folder{fsys: fsys, dir: dir}
	c, err := f.read()
	if err != nil {
		return nil, err
	}
	if err := f.probs.err(); err != nil {
		return nil, err
	}
	catalog.Normalize(c)
	return c, nil
}

// Write writes c as a plan folder in dir, creating dir if needed; an
// existing dir must be empty. It writes c as it is: Read then returns c
// again exactly when c is normalised (catalog.Normalize). Write refuses
// text that is not valid UTF-8 and more than catalog.MaxDays days, which
// Read would refuse; nothing is written then.
func Write(dir string, c *catalog.PlanContent) error {
	if c == nil {
		return errors.New("planfile: no plan to write")
	}
	if len(c.Days) > catalog.MaxDays {
		return fmt.Errorf("planfile: %d days, more than the %d a plan folder holds", len(c.Days), catalog.MaxDays)
	}
	// Encode everything before touching the disk, so that a plan that
	// cannot be written leaves nothing behind.
	plan, err := encodePlan(c)
	if err != nil {
		return err
	}
	days := make([][]byte, len(c.Days))
	for i := range c.Days {
		if days[i], err = encodeDay(dayFile(i+1), &c.Days[i]); err != nil {
			return err
		}
	}

	switch entries, err := os.ReadDir(dir); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("planfile: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("planfile: %s is not empty: write a plan into a new or empty folder", dir)
	}
	if err := os.MkdirAll(filepath.Join(dir, daysDir), 0o755); err != nil {
		return fmt.Errorf("planfile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, planFile), plan, 0o644); err != nil {
		return fmt.Errorf("planfile: %w", err)
	}
	for i, data := range days {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(dayFile(i+1))), data, 0o644); err != nil {
			return fmt.Errorf("planfile: %w", err)
		}
	}
	return nil
}

// The folder's layout.
const (
	planFile = "plan.yaml"
	daysDir  = "days"
)

// dayFile is the name of day n's file relative to the folder.
func dayFile(n int) string { return fmt.Sprintf("%s/%03d.md", daysDir, n) }

// problems collects what is wrong with a folder, up to maxProblems.
type problems struct {
	list []error
	more bool // problems were left out
}

func (p *problems) add(file string, line int, format string, args ...any) {
	if p.full() {
		p.more = true
		return
	}
	p.list = append(p.list, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// full reports whether no more problems will be kept, so that reading can
// stop early.
func (p *problems) full() bool { return len(p.list) >= maxProblems }

func (p *problems) err() error {
	if p.more {
		return errors.Join(append(p.list, fmt.Errorf("(stopped after %d problems: fix these and read the folder again)", len(p.list)))...)
	}
	return errors.Join(p.list...)
}
