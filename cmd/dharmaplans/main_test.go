package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// binary is the dharmaplans command built once for the end-to-end tests,
// with the e2e tag that adds a slow route.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dharmaplans-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "dharmaplans")
	build := exec.Command("go", "build", "-tags", "e2e", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build dharmaplans:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// process is the binary running in a folder of its own with a clean
// environment: only what the test passes, plus PATH and HOME.
type process struct {
	cmd    *exec.Cmd
	url    string
	dir    string
	stderr *testenv.Buffer
	done   chan struct{} // closed when the process has exited
	err    error         // from Wait, once done is closed
}

func start(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	addr := testenv.DeadAddr(t)
	p := &process{url: "http://" + addr, dir: t.TempDir(), stderr: &testenv.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr}, args...)...)
	p.cmd.Dir = p.dir
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + p.dir}, env...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("server log:\n%s", p.stderr)
		}
	})
	return p
}

// waitHealthy polls /healthz until it answers 200.
func (p *process) waitHealthy(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case <-p.done:
			t.Fatalf("server exited (%v) before answering /healthz", p.err)
		case <-time.After(25 * time.Millisecond):
		}
	}
	t.Fatalf("/healthz did not answer 200 within %s", within)
}

func (p *process) exitCode(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("server still running %s after the signal", within)
		return -1
	}
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res.StatusCode, body
}

func TestServeOnSQLiteWithNoSetUp(t *testing.T) {
	p := start(t, nil)
	p.waitHealthy(t, 10*time.Second) // the promise is 2 s; slow CI with -race gets slack, the log shows started_in

	status, body := getJSON(t, p.url+"/readyz")
	if status != 200 || body["status"] != "ok" {
		t.Fatalf("/readyz = %d %v", status, body)
	}
	for _, path := range []string{"data/dharmaplans.db", "data/media"} {
		if _, err := os.Stat(filepath.Join(p.dir, path)); err != nil {
			t.Errorf("embedded default %s missing: %v", path, err)
		}
	}
	if !strings.Contains(p.stderr.String(), `"engine":"sqlite"`) {
		t.Errorf("start-up log does not name the engine:\n%s", p.stderr)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.exitCode(t, 10*time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
}

func TestSIGTERMLetsAnInFlightRequestFinish(t *testing.T) {
	p := start(t, nil)
	p.waitHealthy(t, 10*time.Second)

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get(p.url + "/v1/e2e/sleep?for=2s")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{status: res.StatusCode, body: string(b), err: err}
	}()
	time.Sleep(500 * time.Millisecond) // the request is in flight
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "2s") {
		t.Fatalf("in-flight request = %d %q %v; want 200 after its 2 s", r.status, r.body, r.err)
	}
	if code := p.exitCode(t, 10*time.Second); code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if _, err := http.Get(p.url + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutting down")
	}
}

func TestBadConfigurationExitsWithOneLine(t *testing.T) {
	for _, tc := range []struct{ env, want string }{
		{"DATABASE_URL=mysql://root@localhost/db", `dharmaplans: DATABASE_URL: unsupported scheme "mysql"`},
		{"REDIS_URL=http://cache", `dharmaplans: REDIS_URL: unsupported scheme "http"`},
		{"DHARMAPLANS_LOG_LEVL=debug", `dharmaplans: DHARMAPLANS_LOG_LEVL: unknown setting (did you mean DHARMAPLANS_LOG_LEVEL?)`},
	} {
		t.Run(tc.env, func(t *testing.T) {
			p := start(t, []string{tc.env})
			if code := p.exitCode(t, 10*time.Second); code == 0 {
				t.Fatal("exit code 0 for a bad configuration")
			}
			out := strings.TrimRight(p.stderr.String(), "\n")
			if strings.Contains(out, "\n") || !strings.HasPrefix(out, tc.want) {
				t.Errorf("stderr = %q, want one line starting %q", out, tc.want)
			}
		})
	}
}

func TestUnreachablePostgresAtStartGivesUpWithAClearMessage(t *testing.T) {
	p := start(t, []string{
		"DATABASE_URL=postgres://postgres:hunter22@" + testenv.DeadAddr(t) + "/postgres?sslmode=disable",
		"DHARMAPLANS_DB_CONNECT_TIMEOUT=2s",
	})
	if code := p.exitCode(t, 20*time.Second); code != 1 {
		t.Fatalf("exit code = %d, want 1", code)
	}
	out := p.stderr.String()
	if !strings.Contains(out, "waiting for PostgreSQL") || !strings.Contains(out, "dharmaplans: postgres: cannot reach") {
		t.Errorf("stderr does not show retries and a final message:\n%s", out)
	}
	if strings.Contains(out, "hunter22") {
		t.Errorf("the password reached the log:\n%s", out)
	}
}

func TestMigrateCommands(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (string, int) {
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	steps := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"migrate", "status"}, "pending", 0},
		{[]string{"migrate", "up"}, "database is up to date", 0},
		{[]string{"migrate", "status"}, "applied", 0},
		{[]string{"migrate", "down"}, "rolled back 1", 0},
		{[]string{"migrate", "status"}, "pending", 0},
		{[]string{"migrate", "sideways"}, "Usage: dharmaplans migrate", 2},
		{[]string{"migrate", "--help"}, "--database-url, DATABASE_URL", 0},
		{[]string{"version"}, "dharmaplans ", 0},
		{[]string{"serve", "--help"}, "--addr, DHARMAPLANS_ADDR (default :8080)", 0},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`, 2},
	}
	for _, s := range steps {
		out, code := run(s.args...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("dharmaplans %s = exit %d:\n%s\nwant exit %d containing %q", strings.Join(s.args, " "), code, out, s.code, s.want)
		}
	}
}

func TestServeOnPostgresAndRedis(t *testing.T) {
	p := start(t, []string{"DATABASE_URL=" + testenv.PostgresSchemaURL(t), "REDIS_URL=" + testenv.RedisURL(t)})
	p.waitHealthy(t, 20*time.Second)
	status, body := getJSON(t, p.url+"/readyz")
	checks, _ := body["checks"].(map[string]any)
	if status != 200 || len(checks) != 3 {
		t.Fatalf("/readyz = %d %v", status, body)
	}
	for name, c := range checks {
		if c.(map[string]any)["status"] != "ok" {
			t.Errorf("check %s = %v", name, c)
		}
	}
	log := p.stderr.String()
	for _, want := range []string{`"msg":"applied migration"`, `"engine":"postgres"`, `"cache":"redis"`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

// TestReadinessFollowsDependencies runs the server in-process against
// PostgreSQL and Redis reached through proxies the test can cut, as a
// network partition would.
func TestReadinessFollowsDependencies(t *testing.T) {
	pgURL := testenv.PostgresSchemaURL(t)
	redisURL := testenv.RedisURL(t)
	pgProxy := newProxy(t, hostPort(t, pgURL, "5432"))
	redisProxy := newProxy(t, hostPort(t, redisURL, "6379"))

	cfg, _, err := config.Load("serve", "", config.Database|config.Server, []string{"--addr", "127.0.0.1:0"}, []string{
		"DATABASE_URL=" + strings.Replace(pgURL, hostPort(t, pgURL, "5432"), pgProxy.addr, 1),
		"REDIS_URL=" + strings.Replace(redisURL, hostPort(t, redisURL, "6379"), redisProxy.addr, 1),
		"DHARMAPLANS_DATA_DIR=" + t.TempDir(),
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := app.NewMain(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), "test")
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = m.Close(ctx)
	})
	url := "http://" + m.Addr() + "/readyz"

	// eventually polls /readyz until it reports the wanted state.
	eventually := func(wantStatus int, failing string) {
		t.Helper()
		var status int
		var body map[string]any
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			status, body = getJSON(t, url)
			checks, _ := body["checks"].(map[string]any)
			bad := []string{}
			for name, c := range checks {
				if c.(map[string]any)["status"] != "ok" {
					bad = append(bad, name)
				}
			}
			if status == wantStatus && strings.Join(bad, ",") == failing {
				return
			}
		}
		t.Fatalf("/readyz = %d %v; want %d with failing checks %q", status, body, wantStatus, failing)
	}

	eventually(200, "")
	t.Run("PostgreSQL down is 503 naming the database, then 200 when back", func(t *testing.T) {
		pgProxy.stop()
		eventually(503, "database")
		pgProxy.start()
		eventually(200, "")
	})
	t.Run("Redis down is 503 naming the cache, then 200 when back", func(t *testing.T) {
		redisProxy.stop()
		eventually(503, "cache")
		res, err := http.Get("http://" + m.Addr() + "/v1")
		if err != nil || res.StatusCode != 200 {
			t.Errorf("a request failed while the cache was down: %v %v", res, err)
		}
		redisProxy.start()
		eventually(200, "")
	})
}

func hostPort(t *testing.T, rawURL, defaultPort string) string {
	t.Helper()
	rest := rawURL[strings.Index(rawURL, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	end := strings.IndexAny(rest, "/?")
	if end >= 0 {
		rest = rest[:end]
	}
	if !strings.Contains(rest, ":") {
		rest += ":" + defaultPort
	}
	return rest
}

// proxy forwards TCP connections to a real server until stopped; stopping
// closes the listener and every open connection.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, addr: testenv.DeadAddr(t), target: target, conns: map[net.Conn]bool{}}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy listen %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}
