package mail_test

import (
	"context"
	"io"
	"log/slog"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/mail/mailtest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// discard is the logger of tests that do not read the log.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestOutbox(t *testing.T) {
	t.Parallel()
	mailtest.Run(t, func(t *testing.T) (mail.Mailer, func(t *testing.T, to string) []mail.Message) {
		o := newOutbox(t, t.TempDir(), discard)
		return o, func(t *testing.T, to string) []mail.Message {
			t.Helper()
			msgs, err := o.Messages()
			if err != nil {
				t.Fatalf("Messages: %v", err)
			}
			var mine []mail.Message
			for _, m := range msgs {
				if a, err := netmail.ParseAddress(m.To); err == nil && strings.EqualFold(a.Address, to) {
					mine = append(mine, m)
				}
			}
			return mine
		}
	})
}

func TestOutboxFiles(t *testing.T) {
	t.Parallel()

	t.Run("the directory is created for its owner only and each file is readable by its owner only", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "new", "outbox")
		o := newOutbox(t, dir, discard)
		sendOK(t, o, mail.Message{To: "ada@example.org", Subject: "Hi", Text: "Hello.\n"})
		wantMode(t, dir, 0o700)
		wantMode(t, onlyFile(t, dir), 0o600)
	})

	t.Run("files are named by the UTC time they were written, so their names sort by time", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		o := newOutbox(t, dir, discard)
		before := time.Now().UTC().Truncate(time.Millisecond)
		sendOK(t, o, mail.Message{To: "ada@example.org", Subject: "Hi", Text: "Hello.\n"})
		after := time.Now().UTC()
		name := filepath.Base(onlyFile(t, dir))
		m := regexp.MustCompile(`^(\d{8}T\d{6}\.\d{3}Z)-[A-Z2-7]{10}\.eml$`).FindStringSubmatch(name)
		if m == nil {
			t.Fatalf("file name %q; want <yyyymmddThhmmss.mmmZ>-<random>.eml", name)
		}
		at, err := time.Parse("20060102T150405.000Z", m[1])
		if err != nil {
			t.Fatalf("file name %q: %v", name, err)
		}
		if at.Before(before) || at.After(after) {
			t.Fatalf("file name time %v; want between %v and %v", at, before, after)
		}
	})

	t.Run("a file is a whole RFC 5322 message with an ID and a date", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		o := newOutbox(t, dir, discard)
		sendOK(t, o, mail.Message{To: "ada@example.org", Subject: "Mettā", Text: "Mettā.\n", HTML: "<p>Mettā.</p>"})
		f, err := os.Open(onlyFile(t, dir))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		msg, err := netmail.ReadMessage(f)
		if err != nil {
			t.Fatalf("not an RFC 5322 message: %v", err)
		}
		if id := msg.Header.Get("Message-Id"); !regexp.MustCompile(`^<[^@<>]+@dharmaplans\.test>$`).MatchString(id) {
			t.Errorf("Message-ID = %q; want <random@the sender's domain>", id)
		}
		if d, err := msg.Header.Date(); err != nil || time.Since(d) > time.Minute {
			t.Errorf("Date = %q (%v); want the time it was written", msg.Header.Get("Date"), err)
		}
		if ct := msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
			t.Errorf("Content-Type = %q; want multipart/alternative", ct)
		}
		if ua := msg.Header.Get("User-Agent") + msg.Header.Get("X-Mailer"); ua != "" {
			t.Errorf("User-Agent = %q; want none", ua)
		}
	})

	t.Run("a file being written is not read back", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		o := newOutbox(t, dir, discard)
		sendOK(t, o, mail.Message{To: "ada@example.org", Subject: "Whole", Text: "Hello.\n"})
		for _, name := range []string{".writing-123.tmp", "notes.txt"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		msgs, err := mail.ReadOutbox(dir)
		if err != nil {
			t.Fatalf("ReadOutbox: %v", err)
		}
		if len(msgs) != 1 || msgs[0].Subject != "Whole" {
			t.Fatalf("ReadOutbox = %+v; want only the message sent", msgs)
		}
	})
}

func TestOutboxLogs(t *testing.T) {
	t.Parallel()

	t.Run("each message is logged with its path and subject, never its body or recipient", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		dir := t.TempDir()
		o := newOutbox(t, dir, slog.New(slog.NewTextHandler(&logs, nil)))
		sendOK(t, o, mail.Message{
			To:      "ada@example.org",
			Subject: "Confirm your address",
			Text:    "https://dharmaplans.test/confirm?token=tok-secret-1\n",
			HTML:    "<a href=\"https://dharmaplans.test/confirm?token=tok-secret-2\">confirm</a>",
		})
		line := logs.String()
		for _, want := range []string{"mail written to outbox", onlyFile(t, dir), "Confirm your address"} {
			if !strings.Contains(line, want) {
				t.Errorf("log %q lacks %q", line, want)
			}
		}
		for _, secret := range []string{"tok-secret", "ada@"} {
			if strings.Contains(line, secret) {
				t.Errorf("log %q reveals %q", line, secret)
			}
		}
	})
}

func TestOutboxCounts(t *testing.T) {
	t.Parallel()

	t.Run("each send is counted by its result", func(t *testing.T) {
		t.Parallel()
		o := newOutbox(t, t.TempDir(), discard)
		counter := func(result string) float64 {
			return testutil.ToFloat64(mail.SentTotal.WithLabelValues("outbox", result))
		}
		sent, invalid, canceled := counter("sent"), counter("invalid"), counter("canceled")
		sendOK(t, o, mail.Message{To: "ada@example.org", Subject: "Hi", Text: "Hello.\n"})
		_ = o.Send(t.Context(), mail.Message{To: "not an address", Subject: "Hi", Text: "Hello.\n"})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_ = o.Send(ctx, mail.Message{To: "ada@example.org", Subject: "Hi", Text: "Hello.\n"})
		// Other tests send too, so the counts grow by at least one each.
		if counter("sent") < sent+1 || counter("invalid") < invalid+1 || counter("canceled") < canceled+1 {
			t.Fatalf("sent, invalid, canceled grew from %v, %v, %v to %v, %v, %v; want each to grow",
				sent, invalid, canceled, counter("sent"), counter("invalid"), counter("canceled"))
		}
	})
}

func TestNewOutboxRefuses(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, from, want string
	}{
		{"an empty directory name", "", mailtest.Sender, "directory is empty"},
		{"a directory that is a file", file, mailtest.Sender, "not a directory"},
		{"no sender", t.TempDir(), "", "sender address is empty"},
		{"a sender that is not an address", t.TempDir(), "plans at example.org", "invalid sender address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := mail.NewOutbox(tc.dir, tc.from, discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewOutbox = %v; want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func newOutbox(t *testing.T, dir string, logger *slog.Logger) *mail.Outbox {
	t.Helper()
	o, err := mail.NewOutbox(dir, mailtest.Sender, logger)
	if err != nil {
		t.Fatalf("NewOutbox: %v", err)
	}
	return o
}

func sendOK(t *testing.T, m mail.Mailer, msg mail.Message) {
	t.Helper()
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

// onlyFile returns the path of the one file in dir.
func onlyFile(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%s holds %d entries; want 1", dir, len(entries))
	}
	return filepath.Join(dir, entries[0].Name())
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v; want %v", path, got, want)
	}
}
