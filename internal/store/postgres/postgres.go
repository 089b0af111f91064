// Package postgres opens the PostgreSQL engine for the store through a pgx/v5
// pool, waiting a bounded time for a server that is still starting.
package postgres

import (
	"context"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the embedded migration folder for PostgreSQL.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// DB is a store.DB on PostgreSQL together with its pgx pool, which the job
// queue uses directly.
type DB struct {
	*store.DB
	Pool *pgxpool.Pool
}

// Options tune Open.
type Options struct {
	// ConnectTimeout bounds how long Open waits for the server to answer,
	// retrying with backoff. Zero means try once.
	ConnectTimeout time.Duration
	// MaxConns is the pool size; zero keeps pgx's default (max(4, CPUs)).
	MaxConns int32
	Logger   *slog.Logger
}

// Open connects to the database at url.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %s", redact(err))
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s", redact(err))
	}
	if err := waitForServer(ctx, pool, opts); err != nil {
		pool.Close()
		return nil, err
	}
	// The search pool's sessions (store.DB.Search) are set when they
	// connect, not through startup parameters, which PgBouncer refuses.
	searchCfg := cfg.Copy()
	searchCfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if cfg.AfterConnect != nil {
			if err := cfg.AfterConnect(ctx, conn); err != nil {
				return err
			}
		}
		_, err := conn.Exec(ctx, `SET enable_seqscan = off; SET plan_cache_mode = force_custom_plan`)
		return err
	}
	searchPool, err := pgxpool.NewWithConfig(ctx, searchCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s", redact(err))
	}
	db, searchDB := stdlib.OpenDBFromPool(pool), stdlib.OpenDBFromPool(searchPool)
	d := store.NewDB(db, db, dialect{}, Migrations(), db.Close, searchDB.Close,
		func() error { pool.Close(); searchPool.Close(); return nil })
	d.Search = searchDB
	return &DB{DB: d, Pool: pool}, nil
}

// waitForServer pings until the server answers or opts.ConnectTimeout has
// passed, backing off from 250 ms to 5 s between attempts.
func waitForServer(ctx context.Context, pool *pgxpool.Pool, opts Options) error {
	deadline := time.Now().Add(opts.ConnectTimeout)
	delay := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := pool.Ping(ctx)
		if err == nil {
			return nil
		}
		if time.Now().Add(delay).After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("postgres: cannot reach %s after %d attempt(s) in %s: %s",
				hostOf(pool), attempt, opts.ConnectTimeout, redact(err))
		}
		if opts.Logger != nil {
			opts.Logger.Warn("waiting for PostgreSQL", "host", hostOf(pool), "attempt", attempt, "retry_in", delay.String(), "error", redact(err))
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
		delay = min(delay*2, 5*time.Second)
	}
}

func hostOf(pool *pgxpool.Pool) string {
	c := pool.Config().ConnConfig
	return net.JoinHostPort(c.Host, fmt.Sprint(c.Port))
}

// redact keeps passwords out of messages: pgx errors can quote the
// connection string.
func redact(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if at := strings.Index(msg[i:], "@"); at >= 0 {
			if colon := strings.Index(msg[i+3:i+at], ":"); colon >= 0 {
				msg = msg[:i+3+colon+1] + "xxxxx" + msg[i+at:]
			}
		}
	}
	return msg
}

type dialect struct{}

func (dialect) Name() string { return store.Postgres }

func (dialect) Classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return errs.Wrap(err, errs.Conflict, "already exists")
		case pe.Code == "23503":
			return errs.Wrap(err, errs.Invalid, "refers to something that does not exist")
		case pe.Code == "23514", pe.Code == "23502", strings.HasPrefix(pe.Code, "22"):
			return errs.Wrap(err, errs.Invalid, "a value is out of range")
		case pe.Code == "40001", pe.Code == "40P01":
			return errs.Wrap(err, errs.Conflict, "a concurrent change got there first; try again")
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"), pe.Code == "53300":
			return errs.Wrap(err, errs.Unavailable, "the database is unavailable")
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	// A connection cut while in use ends in EOF rather than a network error.
	lost := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, net.ErrClosed)
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) || lost {
		return errs.Wrap(err, errs.Unavailable, "the database is unavailable")
	}
	return err
}
