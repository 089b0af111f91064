package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

const recommendSummary = `Usage: dharmaplans recommend refresh

Recounts what recommendations are made of, now rather than at the next hour:
each plan's popularity (enrolments and completions of the last 90 days,
fading with a half-life of 14 days) and which plans people went on to after
finishing another. The server does the same every hour.`

func recommendCommand(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "refresh" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, recommendSummary)
			return nil
		}
		fmt.Fprintln(stderr, recommendSummary)
		return errUsage
	}
	cfg, rest, err := config.Load("recommend refresh", recommendSummary, config.Database, args[1:], environ, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("recommend refresh takes no arguments, got %q", rest)
	}
	logger := newLogger(cfg, stderr)
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := recommend.NewService(recommend.Deps{Store: store.New(db.DB), Logger: logger})
	if err := svc.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "recommendations refreshed")
	return nil
}
