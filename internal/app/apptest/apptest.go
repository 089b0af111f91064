// Package apptest starts the whole server (the same app.Main the binary
// runs) on a real database for tests that speak HTTP to it, and gives them
// a small client: requests as someone, accounts made in one call, mail read
// back from a real SMTP server.
//
// Engines runs a test once on SQLite and once on PostgreSQL (each in a
// schema of its own), so every feature's HTTP behaviour is checked on both.
package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// Options shape a test server. The zero value is a server with limits
// generous enough for tests that make many accounts.
type Options struct {
	// Limits overrides the abuse limits; nil means Generous.
	Limits *identity.Limits
	// SiteLimits leaves the abuse limits to the system settings, as in
	// production (Limits is then ignored).
	SiteLimits bool
	// Env adds settings (NAME=value), e.g. DHARMAPLANS_REFRESH_OVERLAP=30s.
	Env []string
	// Mail sends email through a Mailpit of the test's own instead of the
	// outbox folder.
	Mail bool
	// DatabaseURL, when set, is used instead of a fresh database: two
	// servers on one URL are two replicas.
	DatabaseURL string
	// StateTTL overrides how long cached session state is trusted.
	StateTTL time.Duration
}

// Generous are abuse limits no ordinary test reaches; the lockout stays as
// in production.
func Generous() *identity.Limits {
	l := identity.DefaultLimits()
	lots := ratelimit.Limit{Rate: 50_000, Period: time.Minute} // the finest rate the limiter takes is one per millisecond
	l.LoginPerIP, l.LoginPerAccount, l.RegisterPerIP, l.RegisterPerEmail = lots, lots, lots, lots
	l.RefreshPerIP, l.RefreshPerSession, l.ResetPerIP, l.ResetPerAccount, l.VerifyMailPerUser = lots, lots, lots, lots, lots
	return &l
}

// Server is a running server for one test.
type Server struct {
	T       testing.TB
	Engine  string
	URL     string // http://127.0.0.1:port
	DBURL   string // the database it uses, for a second replica
	Main    *app.Main
	Mailpit *testenv.MailpitServer // nil unless Options.Mail
	Clock   *Clock
	Notice  *testenv.Buffer // what serve prints for the operator
	Log     *testenv.Buffer // the server's log (JSON lines)
	client  *http.Client
}

// Engines runs fn as a subtest on each storage engine.
func Engines(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, engine)
		})
	}
}

// Start runs a server on engine ("sqlite" or "postgres") until the test ends.
func Start(t testing.TB, engine string, opts Options) *Server {
	t.Helper()
	dir := t.TempDir()
	dbURL := opts.DatabaseURL
	if dbURL == "" {
		if engine == "postgres" {
			dbURL = testenv.PostgresSchemaURL(t)
		} else {
			dbURL = "sqlite:" + dir + "/test.db"
		}
	}
	// A Redis key prefix of the test's own keeps tests that share a Redis
	// server (and earlier runs) apart; Options.Env may name a shared one.
	env := []string{"DATABASE_URL=" + dbURL, "DHARMAPLANS_DATA_DIR=" + dir, "DHARMAPLANS_CACHE_PREFIX=test-" + rand.Text()[:10] + ":"}
	s := &Server{T: t, Engine: engine, DBURL: dbURL, Clock: NewClock(), Notice: &testenv.Buffer{}, Log: &testenv.Buffer{}}
	if opts.Mail {
		s.Mailpit = testenv.Mailpit(t)
		env = append(env, "DHARMAPLANS_SMTP_URL="+s.Mailpit.SMTPURL())
	}
	env = append(env, opts.Env...)
	cfg, _, err := config.Load("serve", "", config.Database|config.Server, []string{"--addr", "127.0.0.1:0"}, env, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	limits := opts.Limits
	if limits == nil {
		limits = Generous()
	}
	if opts.SiteLimits {
		limits = nil
	}
	m := app.NewMain(cfg, slog.New(slog.NewJSONHandler(s.Log, &slog.HandlerOptions{Level: slog.LevelInfo})), "test")
	m.Limits, m.Notice, m.Now, m.StateTTL = limits, s.Notice, s.Clock.Now, opts.StateTTL
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.Close(ctx); err != nil {
			t.Logf("close server: %v", err)
		}
	})
	s.Main, s.URL = m, "http://"+m.Addr()
	s.client = &http.Client{Timeout: 30 * time.Second}
	return s
}

// Clock is a clock a test can move forward; it starts at the real time.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// NewClock returns a clock at the real time.
func NewClock() *Clock { return &Clock{} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// Response is an answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map (or fails the test).
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// String is the value of a top-level string field.
func (r *Response) String(t testing.TB, field string) string {
	t.Helper()
	v, _ := r.JSON(t)[field].(string)
	return v
}

// Request is one request to send.
type Request struct {
	Method string
	Path   string
	Body   any // JSON-encoded unless a string (sent as is) or nil
	Token  string
	Header http.Header
}

// Do sends a request and reads the answer.
func (s *Server) Do(t testing.TB, r Request) *Response {
	t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(r.Method, s.URL+r.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: data}
}

// Expect sends a request and fails the test unless the status is want.
func (s *Server) Expect(t testing.TB, want int, r Request) *Response {
	t.Helper()
	res := s.Do(t, r)
	if res.Status != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Method, r.Path, res.Status, want, res.Body)
	}
	return res
}

// Account is a signed-in account made for a test.
type Account struct {
	ID, Email, Password, Name string
	Access, Refresh, Session  string
}

// Register makes an account through the API and returns it signed in.
func (s *Server) Register(t testing.TB, email string) *Account {
	t.Helper()
	a := &Account{Email: email, Password: "a quiet mind under the bodhi tree " + strings.Repeat("ā", len(email)%5+1), Name: "Reader " + strings.Split(email, "@")[0]}
	res := s.Expect(t, http.StatusCreated, Request{Method: http.MethodPost, Path: "/v1/auth/register",
		Body: map[string]string{"email": a.Email, "password": a.Password, "display_name": a.Name}})
	a.take(t, res)
	a.ID = res.JSON(t)["user"].(map[string]any)["id"].(string)
	return a
}

// Login signs an existing account in again (a new session) and returns it.
func (s *Server) Login(t testing.TB, email, password string) *Account {
	t.Helper()
	res := s.Expect(t, http.StatusOK, Request{Method: http.MethodPost, Path: "/v1/auth/login",
		Body: map[string]string{"email": email, "password": password}})
	a := &Account{Email: email, Password: password}
	a.take(t, res)
	a.ID = res.JSON(t)["user"].(map[string]any)["id"].(string)
	return a
}

// CreateUser makes an account with a role (as the CLI does) and signs it in.
func (s *Server) CreateUser(t testing.TB, email string, role identity.Role) *Account {
	t.Helper()
	pw := "a steady practice by the river"
	if _, err := s.Main.Identity().CreateUser(context.Background(), identity.Registration{
		Email: email, Password: pw, DisplayName: string(role) + " " + strings.Split(email, "@")[0],
	}, role); err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	return s.Login(t, email, pw)
}

func (a *Account) take(t testing.TB, res *Response) {
	t.Helper()
	m := res.JSON(t)
	a.Access, _ = m["access_token"].(string)
	a.Refresh, _ = m["refresh_token"].(string)
	a.Session, _ = m["session_id"].(string)
	if a.Access == "" {
		t.Fatalf("no access token in %s", res.Body)
	}
}

// Refresh exchanges the account's refresh token and keeps the new tokens.
func (s *Server) Refresh(t testing.TB, a *Account) *Response {
	t.Helper()
	res := s.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": a.Refresh}})
	if res.Status == http.StatusOK {
		a.take(t, res)
	}
	return res
}

// Problem checks that res is a problem document with status and a detail
// containing each of want, and returns its field errors by location.
func Problem(t testing.TB, res *Response, status int, want ...string) map[string]string {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d\n%s", res.Status, status, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p struct {
		Type, Detail string
		Errors       []struct{ Location, Message string }
	}
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatal(err)
	}
	all := p.Detail
	fields := map[string]string{}
	for _, e := range p.Errors {
		fields[e.Location] = e.Message
		all += " | " + e.Message
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problem %q does not mention %q", all, w)
		}
	}
	return fields
}

// Eventually retries check until it returns nil or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Errorf is fmt.Errorf, for Eventually checks.
var Errorf = fmt.Errorf
