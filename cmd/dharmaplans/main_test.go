package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
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
	// down rolls back the newest migration, whichever it is.
	files, err := fs.Glob(sqlite.Migrations(), "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v %v", files, err)
	}
	newest := files[len(files)-1]
	version, _, _ := strings.Cut(newest, "_")
	rolledBack := fmt.Sprintf("rolled back %s %s", strings.TrimLeft(version, "0"), newest)
	steps := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"migrate", "status"}, "pending", 0},
		{[]string{"migrate", "up"}, "database is up to date", 0},
		{[]string{"migrate", "status"}, "applied", 0},
		{[]string{"migrate", "down"}, rolledBack, 0},
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
	pgProxy := testenv.NewProxy(t, testenv.HostPort(pgURL, "5432"))
	redisProxy := testenv.NewProxy(t, testenv.HostPort(redisURL, "6379"))

	cfg, _, err := config.Load("serve", "", config.Database|config.Server, []string{"--addr", "127.0.0.1:0"}, []string{
		"DATABASE_URL=" + strings.Replace(pgURL, testenv.HostPort(pgURL, "5432"), pgProxy.Addr(), 1),
		"REDIS_URL=" + strings.Replace(redisURL, testenv.HostPort(redisURL, "6379"), redisProxy.Addr(), 1),
		"DHARMAPLANS_DATA_DIR=" + t.TempDir(),
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := app.NewMain(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), "test")
	m.Notice = io.Discard
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
		pgProxy.Stop()
		eventually(503, "database")
		pgProxy.Start()
		eventually(200, "")
	})
	t.Run("Redis down is 503 naming the cache, then 200 when back", func(t *testing.T) {
		redisProxy.Stop()
		eventually(503, "cache")
		res, err := http.Get("http://" + m.Addr() + "/v1")
		if err != nil || res.StatusCode != 200 {
			t.Errorf("a request failed while the cache was down: %v %v", res, err)
		}
		redisProxy.Start()
		eventually(200, "")
	})
}

// command runs the binary once in a folder of its own with env (plus PATH
// and HOME) and stdin, and returns what it printed on stdout and stderr
// and its exit code.
func command(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("dharmaplans %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// errorLine is the line the command ends with on failure.
func errorLine(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "dharmaplans: ") {
			return line
		}
	}
	return ""
}

// postJSON sends body as JSON with an optional bearer token and decodes
// the answer.
func postJSON(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	return res.StatusCode, answer
}

// getWithToken sends a GET with a bearer token and returns the status.
func getWithToken(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// kidOf is the kid in a JWT's header.
func kidOf(t *testing.T, jwt string) string {
	t.Helper()
	head, _, _ := strings.Cut(jwt, ".")
	data, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatalf("JWT header: %v", err)
	}
	var h struct{ Kid string }
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatalf("JWT header %s: %v", data, err)
	}
	return h.Kid
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	env := []string{"DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "accounts.db")}
	const pw = "be a lamp unto yourself"
	create := func(stdin string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		return command(t, env, stdin, append([]string{"user", "create"}, args...)...)
	}

	t.Run("an admin made with the password on stdin signs in to the server and manages users", func(t *testing.T) {
		out, errOut, code := create(pw+"\n", "--email", "a@example.org", "--role", "admin")
		if code != 0 || !strings.Contains(out, "created admin a@example.org") {
			t.Fatalf("exit %d:\n%s%s", code, out, errOut)
		}
		if strings.Contains(out+errOut, pw) {
			t.Errorf("the password was printed:\n%s%s", out, errOut)
		}
		p := start(t, env)
		p.waitHealthy(t, 10*time.Second)
		status, body := postJSON(t, p.url+"/v1/auth/login", map[string]string{"email": "A@example.org", "password": pw})
		if status != http.StatusOK {
			t.Fatalf("login = %d %v", status, body)
		}
		if user, _ := body["user"].(map[string]any); user["role"] != "admin" || user["email_verified"] != true {
			t.Errorf("user = %v, want a verified admin", body["user"])
		}
		if status := getWithToken(t, p.url+"/v1/admin/users", body["access_token"].(string)); status != http.StatusOK {
			t.Errorf("GET /v1/admin/users as the new admin = %d", status)
		}
		if strings.Contains(p.stderr.String(), "No accounts yet") {
			t.Errorf("serve offers to set up the first admin although one exists:\n%s", p.stderr)
		}
	})

	t.Run("the same address again is refused as existing already", func(t *testing.T) {
		_, errOut, code := create("another fine password\n", "--email", " A@Example.org ", "--role", "user")
		if code != 1 || !strings.Contains(errorLine(errOut), "exists already") {
			t.Errorf("exit %d:\n%s\nwant exit 1 saying the account exists already", code, errOut)
		}
	})

	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		want        []string
	}{
		{"a common password is refused saying why", "password12\n", []string{"--email", "b@example.org"}, 1, []string{"password", "common"}},
		{"a short password is refused saying why", "short\n", []string{"--email", "b@example.org"}, 1, []string{"password", "10 characters"}},
		{"no password on stdin is refused", "", []string{"--email", "b@example.org"}, 1, []string{"no password"}},
		{"an unknown role is refused naming --role", pw + "\n", []string{"--email", "b@example.org", "--role", "owner"}, 1, []string{"--role", "owner"}},
		{"a missing email is refused naming --email", pw + "\n", nil, 1, []string{"--email"}},
		{"a malformed email is refused saying why", pw + "\n", []string{"--email", "not-an-email"}, 1, []string{"email"}},
		{"--help lists the command's options and the database settings", "", []string{"--help"}, 0, []string{"--email", "--role", "--name", "DATABASE_URL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := create(tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s%s", code, tc.code, out, errOut)
			}
			said := out // --help prints on stdout
			if tc.code != 0 {
				said = errorLine(errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(said, w) {
					t.Errorf("%q does not mention %q:\n%s%s", said, w, out, errOut)
				}
			}
		})
	}

	t.Run("refused accounts were not created", func(t *testing.T) {
		out, errOut, code := create(pw+"\n", "--email", "b@example.org")
		if code != 0 || !strings.Contains(out, "created user b@example.org") {
			t.Errorf("exit %d:\n%s%s", code, out, errOut)
		}
	})
}

func TestKeysRotate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "keys.db")
	env := []string{"DATABASE_URL=sqlite:" + db}
	rotate := func(args ...string) string {
		t.Helper()
		out, errOut, code := command(t, env, "", append([]string{"keys", "rotate"}, args...)...)
		kid, ok := strings.CutPrefix(strings.TrimSpace(out), "new signing key ")
		if code != 0 || !ok || len(kid) != 16 {
			t.Fatalf("keys rotate = exit %d:\n%s%s\nwant exit 0 printing only the new key id on stdout", code, out, errOut)
		}
		return kid
	}

	first := rotate()
	second := rotate()
	if first == second {
		t.Fatalf("two rotations printed the same key id %s", first)
	}

	t.Run("the server signs with the newest key and still publishes the one before", func(t *testing.T) {
		if out, errOut, code := command(t, env, "a lamp unto yourself\n", "user", "create", "--email", "k@example.org"); code != 0 {
			t.Fatalf("user create = exit %d:\n%s%s", code, out, errOut)
		}
		p := start(t, env)
		p.waitHealthy(t, 10*time.Second)
		status, body := postJSON(t, p.url+"/v1/auth/login", map[string]string{"email": "k@example.org", "password": "a lamp unto yourself"})
		if status != http.StatusOK {
			t.Fatalf("login = %d %v", status, body)
		}
		if kid := kidOf(t, body["access_token"].(string)); kid != second {
			t.Errorf("tokens carry kid %s, want the rotated key %s", kid, second)
		}
		_, jwks := getJSON(t, p.url+"/.well-known/jwks.json")
		var kids []string
		for _, k := range jwks["keys"].([]any) {
			kids = append(kids, k.(map[string]any)["kid"].(string))
		}
		for _, want := range []string{first, second} {
			if !slices.Contains(kids, want) {
				t.Errorf("JWKS %v lacks %s", kids, want)
			}
		}
	})

	t.Run("options may follow rotate", func(t *testing.T) {
		out, errOut, code := command(t, nil, "", "keys", "rotate", "--database-url", "sqlite:"+db)
		if code != 0 || !strings.HasPrefix(out, "new signing key ") {
			t.Errorf("exit %d:\n%s%s", code, out, errOut)
		}
	})

	t.Run("keys from a file are not rotated here", func(t *testing.T) {
		_, errOut, code := command(t, append(env, "DHARMAPLANS_JWT_KEY_FILE=/etc/dharmaplans/signing.pem"), "", "keys", "rotate")
		if code != 1 || !strings.Contains(errorLine(errOut), "DHARMAPLANS_JWT_KEY_FILE") {
			t.Errorf("exit %d:\n%s\nwant exit 1 naming DHARMAPLANS_JWT_KEY_FILE", code, errOut)
		}
	})

	t.Run("--help explains rotation", func(t *testing.T) {
		out, errOut, code := command(t, nil, "", "keys", "--help")
		if code != 0 || !strings.Contains(out, "keys rotate") || !strings.Contains(out, "DATABASE_URL") {
			t.Errorf("exit %d:\n%s%s", code, out, errOut)
		}
	})
}
