package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

const userSummary = `Usage: dharmaplans user create --email ADDRESS [--role user|author|admin] [--name NAME] [options]

Creates an account. The password is asked for twice on a terminal, or read
as one line from standard input otherwise (e.g. from a secrets manager):

  dharmaplans user create --email you@example.org --role admin
  echo "$PASSWORD" | dharmaplans user create --email you@example.org --role admin`

func user(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprint(stdout, userSummary+"\n")
			return nil
		}
		fmt.Fprint(stderr, userSummary+"\n")
		return errUsage
	}
	var email, role, name string
	cfg, rest, err := config.LoadWith("user create", userSummary, config.Database, args[1:], environ, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "email address of the account (required)")
		fs.StringVar(&role, "role", "user", "user, author or admin")
		fs.StringVar(&name, "name", "", "display name (default: the part of the email before @)")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("user create takes no arguments, got %q", rest)
	}
	if email == "" {
		return errors.New("user create: --email is required")
	}
	if !identity.Role(role).Valid() {
		return fmt.Errorf("user create: --role: want user, author or admin, got %q", role)
	}
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}

	logger := newLogger(cfg, stderr)
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	ids := identity.NewService(identity.Deps{Store: store.New(db.DB), Logger: logger}, identity.Config{})
	u, err := ids.CreateUser(ctx, identity.Registration{Email: email, Password: pw, DisplayName: name}, identity.Role(role))
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			var msgs []string
			for _, f := range e.Fields {
				msgs = append(msgs, f.Message)
			}
			return fmt.Errorf("user create: %s", strings.Join(msgs, "; "))
		}
		if errors.As(err, &e) {
			return fmt.Errorf("user create: %s", e.Message)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}

// readPassword asks twice on a terminal, or reads one line otherwise.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("user create: the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("user create: no password on standard input")
	}
	return line, nil
}
