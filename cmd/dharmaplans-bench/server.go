package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
)

// server is the application under test, running in this process with the
// wiring the dharmaplans binary uses.
type server struct {
	Main *app.Main
	URL  string // http://127.0.0.1:port

	dir         string
	logFile     *os.File
	redisURL    string
	cachePrefix string
	keep        bool
}

// startServer runs app.Main on 127.0.0.1:0 against dbURL and Redis, with a
// Redis key prefix of the run's own and the demo plans loaded.
func startServer(ctx context.Context, opts *Options, dbURL string, log *progress) (*server, error) {
	dir, err := os.MkdirTemp("", "dharmaplans-bench-")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	s := &server{dir: dir, redisURL: opts.RedisURL, cachePrefix: "bench-" + hex.EncodeToString(b) + ":", keep: opts.Keep}
	env := []string{
		"DATABASE_URL=" + dbURL,
		"REDIS_URL=" + opts.RedisURL,
		"DHARMAPLANS_CACHE_PREFIX=" + s.cachePrefix,
		"DHARMAPLANS_DATA_DIR=" + dir,
		"DHARMAPLANS_DEMO=true",
	}
	cfg, _, err := config.Load("serve", "", config.Database|config.Server, []string{"--addr", "127.0.0.1:0"}, env, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("server configuration: %w", err)
	}
	// Request logs cost what they cost in production: JSON lines written
	// to a file.
	s.logFile, err = os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewJSONHandler(s.logFile, &slog.HandlerOptions{Level: opts.LogLevel}))
	s.Main = app.NewMain(cfg, logger, "bench")
	s.Main.Notice = io.Discard // the one-time admin link: nobody will use it
	if err := s.Main.Run(ctx); err != nil {
		s.Close(log)
		return nil, fmt.Errorf("start server: %w", err)
	}
	s.URL = "http://" + s.Main.Addr()
	log.Printf("server listening on %s (Redis prefix %s, log %s)", s.URL, s.cachePrefix, s.logFile.Name())
	return s, nil
}

// Close stops the server and, unless the run keeps them, deletes its
// Redis keys and its folder.
func (s *server) Close(log *progress) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.Main != nil {
		if err := s.Main.Close(ctx); err != nil {
			log.Printf("stop server: %v", err)
		}
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	if s.keep {
		log.Printf("kept Redis keys %s* and the folder %s", s.cachePrefix, s.dir)
		return
	}
	if n, err := deleteKeys(ctx, s.redisURL, s.cachePrefix); err != nil {
		log.Printf("delete Redis keys %s*: %v", s.cachePrefix, err)
	} else if n > 0 {
		log.Printf("deleted %d Redis keys %s*", n, s.cachePrefix)
	}
	os.RemoveAll(s.dir)
}

// deleteKeys removes every key starting with prefix.
func deleteKeys(ctx context.Context, redisURL, prefix string) (int, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return 0, err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	n := 0
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
				return n, err
			}
			n, batch = n+len(batch), batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return n, err
	}
	if len(batch) > 0 {
		if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
			return n, err
		}
		n += len(batch)
	}
	return n, nil
}
