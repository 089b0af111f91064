package testenv

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mailpitInstall is how to get the Mailpit the tests are written against;
// `make tools` runs it.
const mailpitInstall = "go install github.com/axllent/mailpit@v1.33.1"

// MailpitServer is a Mailpit of a test's own: an SMTP server on loopback that
// keeps every message it receives, and an HTTP API to read them back.
type MailpitServer struct {
	smtpAddr string
	apiURL   string
	http     *http.Client
}

// MailpitMessage is a message as Mailpit received it. Addresses are bare
// ("ada@example.org") unless they carry a display name
// (`"Ada" <ada@example.org>`), and line breaks in Text and HTML are "\n".
type MailpitMessage struct {
	ID      string
	Subject string
	From    string
	To      []string
	Text    string
	HTML    string
	// Username is the SMTP user name the sender logged in with, if any.
	Username string
}

// Mailpit starts a Mailpit for t, on loopback ports of its own with a
// database in a temporary directory, and stops it when t ends. Starting one
// takes a fraction of a second, so share it among subtests; messages are
// told apart by recipient.
//
// The binary is $MAILPIT, else mailpit on PATH, else mailpit in
// $(go env GOBIN) or $(go env GOPATH)/bin. Without one the test fails under
// CI and is skipped elsewhere, naming the command that installs it.
//
// Mailpit is told to reach nothing outside the machine (no version check,
// no reverse DNS, no remote fonts) and ignores the MP_* variables of the
// environment, so a developer's own Mailpit settings cannot relay test mail.
// It accepts any SMTP user name and password, or none, in plain text.
func Mailpit(t testing.TB) *MailpitServer {
	t.Helper()
	bin := findMailpit(t)
	// A port found free may be taken again before Mailpit binds it; that
	// shows as Mailpit exiting at once, and a second try with other ports
	// avoids the flake.
	var lastErr error
	for range 3 {
		s, err := startMailpit(t, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("start Mailpit: %v", lastErr)
	return nil
}

// findMailpit returns the path of the Mailpit binary or stops the test.
func findMailpit(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("MAILPIT"); p != "" {
		if _, err := os.Stat(p); err != nil {
			Unavailable(t, "MAILPIT=%s: %v; install Mailpit with: %s", p, err, mailpitInstall)
		}
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	where := "$(go env GOPATH)/bin/mailpit"
	if dir := goBinDir(); dir != "" {
		p := filepath.Join(dir, "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		where = p
	}
	Unavailable(t, "mail tests need Mailpit (not in $MAILPIT, on PATH or at %s); install with: %s", where, mailpitInstall)
	return ""
}

// startMailpit runs one Mailpit and waits until both its HTTP API and its
// SMTP port answer. It fails if Mailpit exits or does not answer in time.
func startMailpit(t testing.TB, bin string) (*MailpitServer, error) {
	t.Helper()
	httpAddr, smtpAddr := DeadAddr(t), DeadAddr(t)
	db := filepath.Join(t.TempDir(), "mailpit.db")
	cmd := exec.Command(bin,
		"--listen", httpAddr,
		"--smtp", smtpAddr,
		"--database", db,
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--block-remote-css-and-fonts",
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		"--max", "0", // keep every message: tests count them
	)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "MP_") })
	var output Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}

	s := &MailpitServer{
		smtpAddr: smtpAddr,
		apiURL:   "http://" + httpAddr,
		http:     &http.Client{Timeout: 5 * time.Second},
	}
	deadline := time.Now().Add(15 * time.Second)
	for !s.ready(db) {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("mailpit exited (%v): %s", err, strings.TrimSpace(output.String()))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("mailpit did not answer within 15s: %s", strings.TrimSpace(output.String()))
		}
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() && output.Len() > 0 {
			t.Logf("mailpit output:\n%s", output.String())
		}
	})
	return s, nil
}

// ready reports whether the HTTP API answers with the database given, so
// that it is this Mailpit and not whatever took its port, and the SMTP port
// accepts connections: Mailpit opens them independently.
func (s *MailpitServer) ready(db string) bool {
	var info struct{ Database string }
	if err := s.get("/api/v1/info", &info); err != nil || info.Database != db {
		return false
	}
	c, err := net.DialTimeout("tcp", s.smtpAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// SMTPURL returns the URL of the SMTP server, smtp://127.0.0.1:<port>. It
// offers no STARTTLS.
func (s *MailpitServer) SMTPURL() string {
	return "smtp://" + s.smtpAddr
}

// Messages returns the messages received so far for the address to, oldest
// first; an empty to means every message. Addresses compare without regard
// to case.
func (s *MailpitServer) Messages(t testing.TB, to string) []MailpitMessage {
	t.Helper()
	msgs, err := s.messages(to)
	if err != nil {
		t.Fatalf("read Mailpit messages: %v", err)
	}
	return msgs
}

// WaitFor polls until at least n messages have arrived for to and returns
// them all, oldest first. It fails the test if they have not arrived within
// timeout.
func (s *MailpitServer) WaitFor(t testing.TB, to string, n int, timeout time.Duration) []MailpitMessage {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs, err := s.messages(to)
		if err != nil {
			t.Fatalf("read Mailpit messages: %v", err)
		}
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("Mailpit has %d messages for %q after %v; want %d", len(msgs), to, timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mailpitAddress is an address in Mailpit's JSON.
type mailpitAddress struct {
	Name    string
	Address string
}

func (a mailpitAddress) String() string {
	if a.Name == "" {
		return a.Address
	}
	return (&netmail.Address{Name: a.Name, Address: a.Address}).String()
}

// mailpitSummary is a message in Mailpit's lists.
type mailpitSummary struct {
	ID      string
	To      []mailpitAddress
	Created time.Time
}

func (s *MailpitServer) messages(to string) ([]MailpitMessage, error) {
	// Search narrows by substring; the exact match is made here.
	q := url.Values{"limit": {"10000"}}
	path := "/api/v1/messages"
	if to != "" {
		path = "/api/v1/search"
		q.Set("query", "to:"+strconv.Quote(to))
	}
	var list struct {
		Messages []mailpitSummary `json:"messages"`
	}
	if err := s.get(path+"?"+q.Encode(), &list); err != nil {
		return nil, err
	}
	// Newest first from Mailpit; a stable sort of the reversed list keeps
	// messages stored in the same instant in the order they arrived.
	slices.Reverse(list.Messages)
	slices.SortStableFunc(list.Messages, func(a, b mailpitSummary) int {
		return a.Created.Compare(b.Created)
	})

	var msgs []MailpitMessage
	for _, summary := range list.Messages {
		if to != "" && !slices.ContainsFunc(summary.To, func(a mailpitAddress) bool { return strings.EqualFold(a.Address, to) }) {
			continue
		}
		var full struct {
			ID       string
			Subject  string
			From     *mailpitAddress
			To       []mailpitAddress
			Text     string
			HTML     string
			Username string
		}
		if err := s.get("/api/v1/message/"+url.PathEscape(summary.ID), &full); err != nil {
			return nil, err
		}
		m := MailpitMessage{
			ID:       full.ID,
			Subject:  full.Subject,
			Text:     strings.ReplaceAll(full.Text, "\r\n", "\n"),
			HTML:     strings.ReplaceAll(full.HTML, "\r\n", "\n"),
			Username: full.Username,
		}
		if full.From != nil {
			m.From = full.From.String()
		}
		for _, a := range full.To {
			m.To = append(m.To, a.String())
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// get decodes the JSON answer to GET path into v.
func (s *MailpitServer) get(path string, v any) error {
	resp, err := s.http.Get(s.apiURL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
