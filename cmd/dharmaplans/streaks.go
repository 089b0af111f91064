package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

const streaksSummary = `Usage: dharmaplans streaks rebuild [--check]

Recounts every person's practice dates from their finished days and logged
sessions, and their current and longest streak, grace days and totals from
those dates, then compares with the values kept on every write. They should
always agree: a difference is reported, and corrected unless --check is
given (then the command exits with status 1 instead).`

func streaks(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rebuild" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, streaksSummary)
			return nil
		}
		fmt.Fprintln(stderr, streaksSummary)
		return errUsage
	}
	var check bool
	cfg, rest, err := config.LoadWith("streaks rebuild", streaksSummary, config.Database|config.Cache, args[1:], environ, stdout, func(fs *flag.FlagSet) {
		fs.BoolVar(&check, "check", false, "only compare; change nothing and exit 1 on a difference")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("streaks rebuild takes no arguments, got %q", rest)
	}
	cat, st, closeDB, err := catalogCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	svc := practice.NewService(practice.Deps{Store: st, Catalog: cat, Logger: newLogger(cfg, stderr)})
	defer svc.Close()

	checked, differed := 0, 0
	after := ""
	for {
		users, err := svc.PracticeUsers(ctx, after, 500)
		if err != nil {
			return err
		}
		for _, id := range users {
			before, rebuilt, err := svc.RebuildStreak(ctx, id, !check)
			if err != nil {
				return fmt.Errorf("user %s: %w", id, err)
			}
			checked++
			if !practice.Agree(before, rebuilt) {
				differed++
				fmt.Fprintf(stdout, "user %s: kept current %d, longest %d, days %d; recounted current %d, longest %d, days %d\n", id,
					before.Streak.Current, before.Streak.Longest, before.DaysPractised,
					rebuilt.Streak.Current, rebuilt.Streak.Longest, rebuilt.DaysPractised)
			}
			if checked%1000 == 0 {
				fmt.Fprintf(stderr, "checked %d people...\n", checked)
			}
		}
		if len(users) < 500 {
			break
		}
		after = users[len(users)-1]
	}
	verb := "corrected"
	if check {
		verb = "differ"
	}
	fmt.Fprintf(stdout, "checked %d people: %d agree, %d %s\n", checked, checked-differed, differed, verb)
	if check && differed > 0 {
		return errors.New("kept streaks differ from the recount")
	}
	return nil
}
