package main

import (
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/dharmaplans/dharmaplans/internal/config"
)

// newLogger writes structured logs to w: JSON for machines, text when w is
// a terminal (unless the configuration says otherwise).
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
