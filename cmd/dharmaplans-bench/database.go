package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchDB is the database the harness made for one run.
type benchDB struct {
	Name      string
	URL       string // the server's URL with this database
	serverURL string
	keep      bool
}

// createDatabase creates a new, empty database on the server serverURL
// names, so that a run never touches anyone's data and leaves nothing
// behind.
func createDatabase(ctx context.Context, serverURL string, keep bool) (*benchDB, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("--database-url: want postgres://user@host:port/db, got %q", serverURL)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dharmaplans_bench_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, plainConn(serverURL))
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL (--database-url): %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	return &benchDB{Name: name, URL: u.String(), serverURL: serverURL, keep: keep}, nil
}

// Drop removes the database unless the run keeps it.
func (d *benchDB) Drop(log *progress) {
	if d.keep {
		log.Printf("kept database %s (drop it with: psql -c 'DROP DATABASE %s')", d.Name, d.Name)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, plainConn(d.serverURL))
	if err != nil {
		log.Printf("drop database %s: %v", d.Name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)"); err != nil {
		log.Printf("drop database %s: %v", d.Name, err)
		return
	}
	log.Printf("database %s dropped", d.Name)
}

// plainConn is url without pgxpool's own settings (pool_max_conns...),
// which a single connection would send to the server as unknown
// parameters.
func plainConn(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
