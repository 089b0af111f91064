// Package store keeps the application's data in SQL. One Store, written once
// on database/sql, serves both engines: SQLite (the embedded default) and
// PostgreSQL (production). What differs between them lives in a small
// Dialect and in the engine packages store/sqlite and store/postgres, which
// open and tune the engine and carry its migrations.
//
// SQL here uses $1, $2 placeholders, which both engines accept. Times are
// passed in by callers (the clock belongs to the feature services), stored in
// UTC and returned in UTC.
package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Dialect is what the store needs to know about an engine beyond portable SQL.
type Dialect interface {
	// Name is SQLite or Postgres.
	Name() string
	// Classify turns an engine error into an errs code: unique violations
	// into Conflict, foreign-key and check violations into Invalid, a busy or
	// unreachable server into Unavailable. Other errors come back unchanged.
	Classify(err error) error
}

// DB is an open database of either engine.
type DB struct {
	// Read runs queries that never write. On SQLite it is a pool of
	// read-only connections; on PostgreSQL it is the same pool as Write.
	Read *sql.DB
	// Write runs everything that writes. On SQLite it is a single
	// connection, so writers queue in Go instead of failing with SQLITE_BUSY.
	Write *sql.DB
	// Search runs the search index's statements. On PostgreSQL it is a
	// pool of its own whose sessions never choose a sequential scan (which
	// would read every plan's document: the planner does not count what
	// detoasting them costs) and plan every statement for its own query
	// words (a generic plan would pick the same path for a word in every
	// plan as for a word in three). Elsewhere it is Read.
	Search *sql.DB
	// Dialect describes the engine.
	Dialect Dialect
	// Migrations is the engine's embedded migration folder.
	Migrations fs.FS

	closers []func() error
}

// NewDB assembles a DB; engine packages call it. closers run in order on Close.
func NewDB(read, write *sql.DB, d Dialect, migrations fs.FS, closers ...func() error) *DB {
	return &DB{Read: read, Write: write, Search: read, Dialect: d, Migrations: migrations, closers: closers}
}

// Close closes the pools.
func (db *DB) Close() error {
	var errList []error
	for _, c := range db.closers {
		errList = append(errList, c())
	}
	return errors.Join(errList...)
}

// Ping checks that the database answers, for readiness checks.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.Read.PingContext(ctx); err != nil {
		return err
	}
	if db.Write != db.Read {
		return db.Write.PingContext(ctx)
	}
	return nil
}

// Store implements the storage interfaces of the feature packages.
type Store struct {
	db *DB
	// graceDefault gives the grace days a week of a practice profile not
	// saved yet (see SetGraceDefault).
	graceDefault func(context.Context) int
}

// New returns a Store on db.
func New(db *DB) *Store { return &Store{db: db} }

// DB returns the database the store uses.
func (s *Store) DB() *DB { return s.db }

// fail classifies err for callers: no rows becomes NotFound naming what
// was looked for, engine errors go through the dialect, nil stays nil.
func (s *Store) fail(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		if what == "" {
			what = "record"
		}
		return errs.Wrap(err, errs.NotFound, "%s not found", what)
	}
	var known *errs.Error
	if errors.As(err, &known) {
		return err
	}
	return s.db.Dialect.Classify(err)
}
