package mail_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/mail/mailtest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// arrival is how long a test waits for Mailpit to show a message: far
// longer than it takes, so a loaded machine fails no test.
const arrival = 10 * time.Second

func TestSMTP(t *testing.T) {
	t.Parallel()
	mp := testenv.Mailpit(t)
	mailtest.Run(t, func(t *testing.T) (mail.Mailer, func(t *testing.T, to string) []mail.Message) {
		s := newSMTP(t, mail.SMTPOptions{URL: mp.SMTPURL()})
		return s, func(t *testing.T, to string) []mail.Message {
			t.Helper()
			var msgs []mail.Message
			for _, m := range mp.WaitFor(t, to, 1, arrival) {
				if len(m.To) != 1 {
					t.Fatalf("message %q went to %q; want one recipient", m.Subject, m.To)
				}
				msgs = append(msgs, mail.Message{To: m.To[0], From: m.From, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
			}
			return msgs
		}
	})
}

func TestSMTPWithMailpit(t *testing.T) {
	t.Parallel()
	mp := testenv.Mailpit(t)
	hostPort := strings.TrimPrefix(mp.SMTPURL(), "smtp://")

	t.Run("a user name and password are sent to a server on loopback without TLS", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: "smtp://" + url.UserPassword("sangha", "p@ss:wörd").String() + "@" + hostPort})
		sendOK(t, s, mail.Message{To: "login@example.org", Subject: "Hi", Text: "Hello.\n"})
		got := mp.WaitFor(t, "login@example.org", 1, arrival)
		if got[0].Username != "sangha" {
			t.Fatalf("Mailpit saw user %q; want sangha", got[0].Username)
		}
	})

	t.Run("starttls=required refuses a server that offers no STARTTLS", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: mp.SMTPURL() + "?starttls=required"})
		err := s.Send(t.Context(), mail.Message{To: "plain@example.org", Subject: "Hi", Text: "Hello.\n"})
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("Send = %v; want an error about STARTTLS", err)
		}
		// Mailpit stores a message before it answers, so none will come.
		if got := mp.Messages(t, "plain@example.org"); len(got) != 0 {
			t.Fatalf("Mailpit received %d messages; want none", len(got))
		}
	})

	t.Run("smtps fails against a server that does not speak TLS", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: "smtps://" + hostPort, Timeout: 5 * time.Second})
		err := s.Send(t.Context(), mail.Message{To: "tls@example.org", Subject: "Hi", Text: "Hello.\n"})
		if err == nil || !strings.Contains(err.Error(), "TLS") {
			t.Fatalf("Send = %v; want a TLS error", err)
		}
	})

	t.Run("each message is logged with its subject, never its body or recipient", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		s := newSMTP(t, mail.SMTPOptions{URL: mp.SMTPURL(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		sendOK(t, s, mail.Message{
			To:      "logged@example.org",
			Subject: "Confirm your address",
			Text:    "https://dharmaplans.test/confirm?token=tok-secret-1\n",
			HTML:    "<a href=\"https://dharmaplans.test/confirm?token=tok-secret-2\">confirm</a>",
		})
		line := logs.String()
		for _, want := range []string{"mail sent", "Confirm your address", "message_id="} {
			if !strings.Contains(line, want) {
				t.Errorf("log %q lacks %q", line, want)
			}
		}
		for _, secret := range []string{"tok-secret", "logged@"} {
			if strings.Contains(line, secret) {
				t.Errorf("log %q reveals %q", line, secret)
			}
		}
	})
}

func TestSMTPUnreachable(t *testing.T) {
	t.Parallel()
	msg := mail.Message{To: "ada@example.org", Subject: "Hi", Text: "token=tok-secret\n"}

	t.Run("a server that is not listening fails the send at once, naming neither body nor password", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: "smtp://user:s3cret@" + testenv.DeadAddr(t), Timeout: 5 * time.Second})
		failed := testutil.ToFloat64(mail.SentTotal.WithLabelValues("smtp", "failed"))
		start := time.Now()
		err := s.Send(t.Context(), msg)
		if err == nil {
			t.Fatal("Send succeeded; want an error")
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Send took %v; want it to fail at once", took)
		}
		if errors.Is(err, mail.ErrInvalidMessage) {
			t.Errorf("Send = %v; want a delivery failure, not an invalid message", err)
		}
		for _, secret := range []string{"s3cret", "tok-secret"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q reveals %q", err, secret)
			}
		}
		if got := testutil.ToFloat64(mail.SentTotal.WithLabelValues("smtp", "failed")); got < failed+1 {
			t.Errorf("failed count = %v, was %v; want it to grow", got, failed)
		}
	})

	t.Run("a server that never answers fails the send after the timeout", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: "smtp://" + testenv.SilentAddr(t), Timeout: 200 * time.Millisecond})
		start := time.Now()
		if err := s.Send(t.Context(), msg); err == nil {
			t.Fatal("Send succeeded; want an error")
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Send took %v; want about the 200ms timeout", took)
		}
	})

	t.Run("a caller that gives up stops the send at once and it counts as cancelled", func(t *testing.T) {
		t.Parallel()
		s := newSMTP(t, mail.SMTPOptions{URL: "smtp://" + testenv.SilentAddr(t), Timeout: time.Minute})
		canceled := testutil.ToFloat64(mail.SentTotal.WithLabelValues("smtp", "canceled"))
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.Send(ctx, msg)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Send = %v; want context.DeadlineExceeded", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Send took %v; want about the caller's 100ms", took)
		}
		if got := testutil.ToFloat64(mail.SentTotal.WithLabelValues("smtp", "canceled")); got < canceled+1 {
			t.Errorf("canceled count = %v, was %v; want it to grow", got, canceled)
		}
	})
}

func TestNewSMTPRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, want string
	}{
		{"an empty URL", "", "empty"},
		{"a scheme other than smtp or smtps", "http://user:s3cret@host", `unsupported scheme "http"`},
		{"no host", "smtp://user:s3cret@:25", "missing host"},
		{"a port that is not a number", "smtp://user:s3cret@host:bad", `invalid port ":bad"`},
		{"a port out of range", "smtp://user:s3cret@host:70000", `port "70000"`},
		{"a path", "smtp://user:s3cret@host:25/inbox", "unexpected path"},
		{"a password without a user name", "smtp://:s3cret@host:25", "password without a user name"},
		{"an unknown parameter", "smtp://user:s3cret@host:25?tls=yes", `unknown parameter "tls"`},
		{"an unknown starttls mode", "smtp://user:s3cret@host:25?starttls=maybe", `starttls="maybe"`},
		{"starttls with smtps", "smtps://user:s3cret@host?starttls=required", "does not apply to smtps"},
		{"a malformed query", "smtp://user:s3cret@host:25?starttls=%zz", "malformed query"},
		{"an unclosed IPv6 host", "smtp://user:s3cret@[::1:25", "missing ']'"},
		{"a malformed user", "smtp://us er:s3cret@host:25", "invalid userinfo"},
	} {
		t.Run("names the problem with "+tc.name+" and never the password", func(t *testing.T) {
			t.Parallel()
			_, err := mail.NewSMTP(mail.SMTPOptions{URL: tc.url, From: mailtest.Sender})
			if err == nil {
				t.Fatalf("NewSMTP(%q) succeeded; want an error", tc.url)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewSMTP(%q) error = %q; want it to mention %q", tc.url, err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q reveals the password", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is more than one line", err)
			}
		})
	}

	t.Run("refuses a sender that is not an address", func(t *testing.T) {
		t.Parallel()
		_, err := mail.NewSMTP(mail.SMTPOptions{URL: "smtp://127.0.0.1:25", From: "plans at example.org"})
		if err == nil || !strings.Contains(err.Error(), "invalid sender address") {
			t.Fatalf("NewSMTP = %v; want an invalid sender error", err)
		}
	})

	t.Run("accepts every documented form", func(t *testing.T) {
		t.Parallel()
		for _, u := range []string{
			"smtp://127.0.0.1:1025",
			"smtp://mail.example.org",
			"smtp://user:p%40ss@mail.example.org:587?starttls=required",
			"smtp://user:pass@[::1]:25?starttls=opportunistic",
			"smtps://user:pass@mail.example.org",
			"smtps://mail.example.org:465/",
		} {
			if _, err := mail.NewSMTP(mail.SMTPOptions{URL: u, From: mailtest.Sender}); err != nil {
				t.Errorf("NewSMTP(%q): %v", u, err)
			}
		}
	})
}

func newSMTP(t *testing.T, opts mail.SMTPOptions) *mail.SMTP {
	t.Helper()
	if opts.From == "" {
		opts.From = mailtest.Sender
	}
	if opts.Logger == nil {
		opts.Logger = discard
	}
	s, err := mail.NewSMTP(opts)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return s
}
