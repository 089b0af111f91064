package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// Machine describes where a run happened.
type Machine struct {
	CPU        string `json:"cpu"`
	CPUs       int    `json:"cpus"`
	MemoryGiB  int    `json:"memory_gib"`
	Go         string `json:"go"`
	PostgreSQL string `json:"postgresql"`
	Redis      string `json:"redis"`
	Date       string `json:"date"`
	// Load is the load average (1, 5 and 15 minutes) when the run began:
	// other work on the machine skews every figure.
	Load string `json:"load_average"`
	// Commit is the code measured: the VCS revision the harness was built
	// from, "+changes" when the tree had uncommitted changes.
	Commit string `json:"commit"`
}

// Summary is the machine on one line.
func (m Machine) Summary() string {
	return fmt.Sprintf("%s, %d CPUs, %d GiB RAM; %s; PostgreSQL %s; Redis %s; load average %s", m.CPU, m.CPUs, m.MemoryGiB, m.Go,
		m.PostgreSQL, m.Redis, m.Load)
}

// describeMachine gathers what it can; what it cannot is "unknown".
func describeMachine(ctx context.Context, opts *Options) Machine {
	m := Machine{CPU: "unknown", CPUs: runtime.NumCPU(), Go: runtime.Version(), PostgreSQL: "unknown", Redis: "unknown",
		Date: time.Now().UTC().Format(time.DateOnly), Load: loadAverage(), Commit: commit()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		var kb int
		fmt.Sscanf(v, "%d", &kb)
		m.MemoryGiB = (kb + 1<<19) >> 20
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, plainConn(opts.ServerURL)); err == nil {
		_ = conn.QueryRow(ctx, `SHOW server_version`).Scan(&m.PostgreSQL)
		conn.Close(ctx)
	}
	if opt, err := redis.ParseURL(opts.RedisURL); err == nil {
		rdb := redis.NewClient(opt)
		if info, err := rdb.Info(ctx, "server").Result(); err == nil {
			for line := range strings.Lines(info) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
					m.Redis = v
				}
			}
		}
		rdb.Close()
	}
	return m
}

// version is set at build time with -ldflags "-X main.version=..." (the
// Makefile passes git describe).
var version = ""

// commit is the revision measured: the version built in, else the one Go
// stamped, else what git says of the current folder, else "unknown".
func commit() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" && dirty {
			return rev + "-dirty"
		}
		if rev != "" {
			return rev
		}
	}
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	return "unknown"
}

// loadAverage is the 1, 5 and 15 minute load average, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// procField returns the first "key: value" of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
