// Command dharmaplans is the whole Dharma Plans server in one binary:
// serve the API, migrate the database, and (later) import and administer.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // time zones are checked against the tz database even where the system has none

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

const usage = `dharmaplans: Buddhist reading plans, one day at a time.

Usage:
  dharmaplans serve [options]            start the API server (migrates first unless --migrate=false)
  dharmaplans migrate up|down|status     apply, roll back one, or list database migrations
  dharmaplans user create --email ADDR   create an account (--role admin for an administrator)
  dharmaplans keys rotate                start signing access tokens with a new key
  dharmaplans plan export SLUG DIR       write a plan as a folder of YAML and Markdown
  dharmaplans plan import DIR            read a plan folder back (--publish to publish it)
  dharmaplans import suttacentral ...    build a plan from SuttaCentral's bilara JSON
  dharmaplans demo                       publish the demo plans
  dharmaplans streaks rebuild            recount streaks from history and check the kept ones
  dharmaplans recommend refresh          recount popularity and "went on to" now, not at the next hour
  dharmaplans openapi                    print the API's OpenAPI document (no database needed)
  dharmaplans version                    print the version

Run "dharmaplans <command> --help" for a command's options.
With no configuration, data lives in ./data (SQLite) and the server listens on :8080.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, stop, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, config.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "dharmaplans:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// extraRoutes lets builds for end-to-end tests add routes (see e2e_routes.go).
var extraRoutes []func(api huma.API)

// run dispatches to a command. stop releases the signal handler once a
// shutdown has begun, so a second Ctrl-C ends the process at once.
func run(ctx context.Context, stop func(), args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, stop, rest, environ, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, environ, stdout, stderr)
	case "user":
		return user(ctx, rest, environ, os.Stdin, stdout, stderr)
	case "keys":
		return keys(ctx, rest, environ, stdout, stderr)
	case "plan":
		return plan(ctx, rest, environ, stdout, stderr)
	case "import":
		return importCommand(ctx, rest, environ, stdout, stderr)
	case "demo":
		return demoCommand(ctx, rest, environ, stdout, stderr)
	case "streaks":
		return streaks(ctx, rest, environ, stdout, stderr)
	case "recommend":
		return recommendCommand(ctx, rest, environ, stdout, stderr)
	case "openapi":
		return openAPICommand(ctx, rest, environ, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "dharmaplans", Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "dharmaplans: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// Version is the build's version: the one stamped at link time, else the
// module version or VCS revision Go recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}
