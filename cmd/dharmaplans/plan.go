package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
	"github.com/dharmaplans/dharmaplans/internal/catalog/suttacentral"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/internal/redisclient"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

const planSummary = `Usage:
  dharmaplans plan export SLUG DIR        write a plan as a folder (plan.yaml, one Markdown file per day, media/)
  dharmaplans plan import DIR [--publish] read a plan folder back as a new draft (or published)

The folder format is described in docs/plan-format.md. Export writes the
revision the studio shows: the one being written or reviewed, or else the
published one, with the files of its cover and recordings in media/. Import
stores the files of media/ in the configured media store (the servers
process them) and is all or nothing.`

const importSummary = `Usage: dharmaplans import suttacentral --bilara DIR [--texts UID,UID...] [--slug SLUG] [--title TITLE] [--publish]

Builds a plan from SuttaCentral's bilara JSON (translation, Pali root text and
HTML templates). Without --texts it builds the Dhammapada, one chapter a day;
with --texts, one text a day (e.g. --texts mn10,mn118,sn56.11).`

const demoSummary = `Usage: dharmaplans demo [options]

Publishes the demo plans (written by this project) that are not in the
catalogue yet.`

// catalogCommand opens the database and the catalog service for a
// command. With REDIS_URL it uses the servers' shared cache, so that what
// it publishes shows on every server at once.
func catalogCommand(ctx context.Context, cfg *config.Config, stderr io.Writer) (*catalog.Service, *store.Store, func(), error) {
	cat, _, st, closeAll, err := contentCommand(ctx, cfg, stderr, false)
	return cat, st, closeAll, err
}

// contentCommand is catalogCommand with, when withMedia, the media
// service, which the catalog then checks media references with.
func contentCommand(ctx context.Context, cfg *config.Config, stderr io.Writer, withMedia bool) (*catalog.Service, *media.Service, *store.Store, func(), error) {
	logger := newLogger(cfg, stderr)
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	closeAll := func() { db.Close() }
	var shared cache.Cache
	if cfg.RedisURL != "" {
		redisclient.RouteLogs(logger)
		c, err := cache.NewRedis(cache.RedisOptions{URL: cfg.RedisURL, Prefix: cfg.CachePrefix, Logger: logger})
		if err != nil {
			db.Close()
			return nil, nil, nil, nil, fmt.Errorf("REDIS_URL: %v", err)
		}
		shared, closeAll = c, func() { c.Close(); db.Close() }
	}
	st := store.New(db.DB)
	cat := catalog.NewService(catalog.Deps{Store: st, Cache: shared, Logger: logger})
	var md *media.Service
	if withMedia {
		if md, err = app.OpenMedia(ctx, cfg, db, logger); err != nil {
			closeAll()
			return nil, nil, nil, nil, err
		}
		cat.SetMedia(md)
	}
	return cat, md, st, closeAll, nil
}

func plan(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, planSummary)
			return nil
		}
		fmt.Fprintln(stderr, planSummary)
		return errUsage
	}
	sub := args[0]
	var publish bool
	cfg, rest, err := config.LoadWith("plan "+sub, planSummary, config.Database|config.Cache|config.Media, flagsFirst(args[1:], "publish"), environ, stdout, func(fs *flag.FlagSet) {
		if sub == "import" {
			fs.BoolVar(&publish, "publish", false, "publish the plan at once instead of leaving it a draft")
		}
	})
	if err != nil {
		return err
	}
	want := map[string]int{"export": 2, "import": 1}[sub]
	if len(rest) != want {
		fmt.Fprintln(stderr, planSummary)
		return errUsage
	}
	cat, md, _, closeDB, err := contentCommand(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	files := md.Files(nil)
	if sub == "export" {
		c, err := cat.Export(ctx, rest[0])
		if err != nil {
			return explain("plan export", err)
		}
		if err := planfile.WriteWithMedia(ctx, rest[1], c, files); err != nil {
			return fmt.Errorf("plan export: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s (%d days) to %s\n", c.Slug, len(c.Days), rest[1])
		return nil
	}
	c, err := planfile.Read(rest[0])
	if err != nil {
		return fmt.Errorf("plan import: %w", err)
	}
	// Files stored before the import fails are pruned by the servers
	// within a day, as nothing references them.
	if err := planfile.StoreMedia(ctx, rest[0], c, files); err != nil {
		return fmt.Errorf("plan import: %s; nothing was imported", plainly(err))
	}
	return importPlan(ctx, cat, c, publish, "plan import", stdout)
}

func importPlan(ctx context.Context, cat *catalog.Service, c *catalog.PlanContent, publish bool, what string, stdout io.Writer) error {
	e, err := cat.Import(ctx, c, catalog.ImportOptions{Publish: publish})
	if err != nil {
		return explain(what, err)
	}
	state := "as a draft"
	if publish {
		state = "and published it"
	}
	fmt.Fprintf(stdout, "imported %s (%d days, id %s) %s\n", e.Plan.Slug, len(e.Revision.Days), e.Plan.ID, state)
	return nil
}

func importCommand(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "suttacentral" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, importSummary)
			return nil
		}
		fmt.Fprintln(stderr, importSummary)
		return errUsage
	}
	var bilara, texts, slug, title string
	var publish bool
	cfg, rest, err := config.LoadWith("import suttacentral", importSummary, config.Database|config.Cache, flagsFirst(args[1:], "publish"), environ, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&bilara, "bilara", "", "the bilara-data folder (holding translation/, root/ and html/) (required)")
		fs.StringVar(&texts, "texts", "", "comma-separated text ids, one per day (default: the Dhammapada, one chapter a day)")
		fs.StringVar(&slug, "slug", "", "the plan's slug (default: derived)")
		fs.StringVar(&title, "title", "", "the plan's title (default: derived)")
		fs.BoolVar(&publish, "publish", false, "publish the plan at once instead of leaving it a draft")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("import suttacentral takes no arguments, got %q", rest)
	}
	if bilara == "" {
		return errors.New("import suttacentral: --bilara is required")
	}
	if fi, err := os.Stat(bilara); err != nil || !fi.IsDir() {
		return fmt.Errorf("import suttacentral: --bilara %s is not a folder (it should hold translation/, root/ and html/)", bilara)
	}
	opts := suttacentral.Options{Collection: "dhp"}
	if texts != "" {
		opts = suttacentral.Options{Texts: strings.Split(texts, ",")}
	}
	c, err := suttacentral.Build(bilara, opts)
	if err != nil {
		return fmt.Errorf("import suttacentral: %w", err)
	}
	if slug != "" {
		c.Slug = slug
	}
	if title != "" {
		c.Title = title
		if slug == "" {
			c.Slug = ""
		}
	}
	cat, _, closeDB, err := catalogCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	return importPlan(ctx, cat, c, publish, "import suttacentral", stdout)
}

func demoCommand(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cfg, rest, err := config.Load("demo", demoSummary, config.Database|config.Cache, args, environ, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("demo takes no arguments, got %q", rest)
	}
	cat, st, closeDB, err := catalogCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := app.LoadDemo(ctx, cat, st, slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: slog.LevelInfo})), false); err != nil {
		return explain("demo", err)
	}
	return nil
}

// explain turns a catalog error into a message naming every bad field.
func explain(what string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", what, err)
	}
	if len(e.Fields) == 0 {
		return fmt.Errorf("%s: %s", what, e.Message)
	}
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = "  " + f.Field + ": " + f.Message
	}
	return fmt.Errorf("%s: the plan has problems; nothing was imported:\n%s", what, strings.Join(msgs, "\n"))
}

// plainly is err's text with what the errs.Error in it says (its fields'
// messages, or else its message) in place of that error's own text, which
// starts with its code.
func plainly(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		msgs := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			msgs[i] = f.Message
		}
		msg = strings.Join(msgs, "; ")
	}
	return strings.Replace(err.Error(), e.Error(), msg, 1)
}

// flagsFirst moves flags before the positional arguments, so that
// "plan import DIR --publish" works as well as "plan import --publish DIR".
// boolFlags name the flags that take no value.
func flagsFirst(args []string, boolFlags ...string) []string {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") || name == "help" || name == "h" {
			continue
		}
		isBool := false
		for _, b := range boolFlags {
			isBool = isBool || b == name
		}
		if !isBool && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, positional...)
}
