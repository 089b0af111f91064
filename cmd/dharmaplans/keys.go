package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

const keysSummary = `Usage: dharmaplans keys rotate [options]

Makes a new key to sign access tokens. The old key stops signing at once but
keeps verifying until the tokens it signed have expired (15 minutes); every
running replica picks up the new key within a minute. For keys kept in the
database only: with --jwt-key-file, rotate by changing the file and moving the
old one to --jwt-verify-key-files.`

func keys(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	// The subcommand comes first, as the usage shows, but may follow the
	// options too.
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	cfg, rest, err := config.Load("keys", keysSummary, config.Database, args, environ, stdout)
	if err != nil {
		return err
	}
	if sub == "" && len(rest) > 0 {
		sub, rest = rest[0], rest[1:]
	}
	if sub != "rotate" || len(rest) > 0 {
		fmt.Fprintln(stderr, keysSummary)
		return errUsage
	}
	if cfg.JWTKeyFile != "" {
		return fmt.Errorf("keys rotate: the signing key comes from DHARMAPLANS_JWT_KEY_FILE; replace that file instead")
	}
	logger := newLogger(cfg, stderr)
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	issuer, err := app.NewIssuer(ctx, cfg, store.New(db.DB), time.Now, logger)
	if err != nil {
		return err
	}
	k, err := issuer.Rotate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new signing key %s\n", k.ID)
	return nil
}
