package main

import (
	"bufio"
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// counters reads the cumulative statistics of the benchmark database and
// of Redis, so that a scenario's work per request can be told apart from
// its latency. PostgreSQL's come from pg_stat_database and
// pg_stat_user_tables (no extension needed); Redis's from INFO. Both
// include a little background work (the job queue's polling, other users
// of a shared Redis), negligible against thousands of requests.
type counters struct {
	pg    *pgx.Conn
	redis *redis.Client
}

// Counts are cumulative counters at one moment.
type Counts struct {
	Transactions, IndexScans, SeqScans, RowsRead, RowsWritten, BlocksRead, RedisCommands float64
}

// Work is what one request cost on average.
type Work struct {
	Transactions  float64 `json:"pg_transactions"`
	IndexScans    float64 `json:"pg_index_scans"`
	SeqScans      float64 `json:"pg_seq_scans"`
	RowsRead      float64 `json:"pg_rows_read"`
	RowsWritten   float64 `json:"pg_rows_written"`
	BlocksRead    float64 `json:"pg_blocks_read"` // from the OS or disk: not in shared buffers
	RedisCommands float64 `json:"redis_commands"`
}

func openCounters(ctx context.Context, dbURL, redisURL string) (*counters, error) {
	conn, err := pgx.Connect(ctx, plainConn(dbURL))
	if err != nil {
		return nil, err
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return &counters{pg: conn, redis: redis.NewClient(opt)}, nil
}

// Checkpoint asks PostgreSQL to write out dirty pages now rather than in
// the middle of the next scenario. Without the right to, it does nothing.
func (c *counters) Checkpoint(ctx context.Context) {
	_, _ = c.pg.Exec(ctx, `CHECKPOINT`)
}

// Read returns the counters now.
func (c *counters) Read(ctx context.Context) (Counts, error) {
	var n Counts
	if _, err := c.pg.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return n, err
	}
	err := c.pg.QueryRow(ctx, `SELECT (xact_commit + xact_rollback)::float8, (tup_returned + tup_fetched)::float8,
			(tup_inserted + tup_updated + tup_deleted)::float8, blks_read::float8
		FROM pg_stat_database WHERE datname = current_database()`).Scan(&n.Transactions, &n.RowsRead, &n.RowsWritten, &n.BlocksRead)
	if err != nil {
		return n, err
	}
	err = c.pg.QueryRow(ctx, `SELECT coalesce(sum(idx_scan), 0)::float8, coalesce(sum(seq_scan), 0)::float8
		FROM pg_stat_user_tables`).Scan(&n.IndexScans, &n.SeqScans)
	if err != nil {
		return n, err
	}
	info, err := c.redis.Info(ctx, "stats").Result()
	if err != nil {
		return n, err
	}
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "total_commands_processed:"); ok {
			n.RedisCommands, _ = strconv.ParseFloat(v, 64)
		}
	}
	return n, nil
}

// Sub is the counts from b to a.
func (a Counts) Sub(b Counts) Counts {
	return Counts{a.Transactions - b.Transactions, a.IndexScans - b.IndexScans, a.SeqScans - b.SeqScans,
		a.RowsRead - b.RowsRead, a.RowsWritten - b.RowsWritten, a.BlocksRead - b.BlocksRead, a.RedisCommands - b.RedisCommands}
}

// Per divides the counts by a number of requests.
func (a Counts) Per(requests uint64) *Work {
	if requests == 0 {
		return nil
	}
	n := float64(requests)
	return &Work{a.Transactions / n, a.IndexScans / n, a.SeqScans / n, a.RowsRead / n, a.RowsWritten / n, a.BlocksRead / n, a.RedisCommands / n}
}

// Close closes both connections.
func (c *counters) Close() {
	c.pg.Close(context.Background())
	c.redis.Close()
}
