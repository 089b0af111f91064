package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress writes the harness's running commentary: timestamped lines, and
// a line that rewrites itself in place on a terminal (elsewhere it is
// printed at most every few seconds, so logs stay short).
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	start    time.Time
	open     bool // a self-rewriting line is on screen
	lastLine time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.tty = term.IsTerminal(int(f.Fd()))
	}
	return p
}

// Printf prints one line, stamped with the time since the harness began.
func (p *progress) Printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
	fmt.Fprintf(p.w, "[%7s] %s\n", time.Since(p.start).Round(time.Second), fmt.Sprintf(format, args...))
}

// Status shows a line that the next Status replaces.
func (p *progress) Status(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("[%7s] %s", time.Since(p.start).Round(time.Second), fmt.Sprintf(format, args...))
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.open = true
		return
	}
	if time.Since(p.lastLine) >= 5*time.Second {
		fmt.Fprintln(p.w, line)
		p.lastLine = time.Now()
	}
}
