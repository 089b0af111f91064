// Package mailtest is the contract every mail.Mailer implementation keeps,
// written once as tests and run against each of them.
package mailtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/mail"
)

// Sender is the sender every mailer under test must be given: the suite
// checks that messages arrive from it.
const Sender = "Dharma Plans <plans@dharmaplans.test>"

// Run runs the shared tests against the mailers newMailer returns.
// newMailer is called once per subtest, possibly from parallel subtests, and
// returns a mailer whose sender is Sender together with a function that
// reads back what it delivered. read returns every message delivered to the
// address to, oldest first; the suite calls it only once a message should
// have arrived, so it may wait for the first one, and it fails the test if
// none comes. Each subtest sends to an address of its own, so mailers may
// share one server or directory.
func Run(t *testing.T, newMailer func(t *testing.T) (mail.Mailer, func(t *testing.T, to string) []mail.Message)) {
	t.Helper()
	type bundle struct {
		mailer mail.Mailer
		read   func(t *testing.T, to string) []mail.Message
		to     string // an address no other subtest sends to
	}
	setup := func(t *testing.T) bundle {
		t.Helper()
		t.Parallel()
		m, read := newMailer(t)
		return bundle{mailer: m, read: read, to: recipient()}
	}

	t.Run("a message arrives from the sender, to the recipient, with its subject and text", func(t *testing.T) {
		b := setup(t)
		sent := mail.Message{
			To:      b.to,
			Subject: "Mettā, Satipaṭṭhāna: day 1 of 21",
			Text: "Mettā, Satipaṭṭhāna.\n\n" +
				"Today's reading is the Karaṇīya Mettā Sutta (Sn 1.8), which is the first of the readings in this plan and deserves a long line.\n" +
				"Confirm your address: https://dharmaplans.test/confirm?token=ab=cd&x=%20y\n",
		}
		send(t, b.mailer, sent)
		got := only(t, b.read(t, b.to))
		wantAddress(t, "sender", got.From, Sender)
		wantAddress(t, "recipient", got.To, b.to)
		if got.Subject != sent.Subject {
			t.Errorf("subject = %q; want %q", got.Subject, sent.Subject)
		}
		if got.Text != sent.Text {
			t.Errorf("text = %q; want %q", got.Text, sent.Text)
		}
		if got.HTML != "" {
			t.Errorf("HTML = %q; want none for a message without HTML", got.HTML)
		}
	})

	t.Run("an HTML body arrives alongside the text", func(t *testing.T) {
		b := setup(t)
		sent := mail.Message{
			To:      b.to,
			Subject: "Your plan",
			Text:    "Mettā, Satipaṭṭhāna: https://dharmaplans.test/plans/1\n",
			HTML:    "<p>Mettā, <a href=\"https://dharmaplans.test/plans/1?a=1&amp;b=2\">Satipaṭṭhāna</a></p>\n",
		}
		send(t, b.mailer, sent)
		got := only(t, b.read(t, b.to))
		if got.Text != sent.Text {
			t.Errorf("text = %q; want %q", got.Text, sent.Text)
		}
		if got.HTML != sent.HTML {
			t.Errorf("HTML = %q; want %q", got.HTML, sent.HTML)
		}
	})

	t.Run("a message that names its own sender arrives from it", func(t *testing.T) {
		b := setup(t)
		const from = "Saṅgha Reminders <reminders@dharmaplans.test>"
		send(t, b.mailer, mail.Message{To: b.to, From: from, Subject: "Reminder", Text: "Sit today.\n"})
		wantAddress(t, "sender", only(t, b.read(t, b.to)).From, from)
	})

	t.Run("a recipient with a display name receives the message under that name", func(t *testing.T) {
		b := setup(t)
		to := (&netmail.Address{Name: "Ānanda Thera", Address: b.to}).String()
		send(t, b.mailer, mail.Message{To: to, Subject: "Welcome", Text: "Welcome.\n"})
		wantAddress(t, "recipient", only(t, b.read(t, b.to)).To, to)
	})

	t.Run("a send whose context is cancelled fails and delivers nothing", func(t *testing.T) {
		b := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := b.mailer.Send(ctx, mail.Message{To: b.to, Subject: "Cancelled", Text: "Never sent.\n"})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Send with a cancelled context = %v; want context.Canceled", err)
		}
		// Sent after the cancelled one, so it arrives after it if that did.
		send(t, b.mailer, mail.Message{To: b.to, Subject: "Marker", Text: "Sent.\n"})
		if got := only(t, b.read(t, b.to)); got.Subject != "Marker" {
			t.Fatalf("received %q; want only the message sent after the cancelled one", got.Subject)
		}
	})

	t.Run("invalid messages are refused as such and deliver nothing", func(t *testing.T) {
		b := setup(t)
		valid := mail.Message{To: b.to, Subject: "Subject", Text: "Text.\n"}
		for _, tc := range []struct {
			name   string
			change func(m *mail.Message)
		}{
			{"no recipient", func(m *mail.Message) { m.To = "" }},
			{"a recipient that is not an address", func(m *mail.Message) { m.To = "ananda at example.org" }},
			{"two recipients", func(m *mail.Message) { m.To = b.to + ", eve@example.org" }},
			{"a recipient with a header after it", func(m *mail.Message) { m.To = b.to + "\r\nBcc: eve@example.org" }},
			{"a sender that is not an address", func(m *mail.Message) { m.From = "reminders@" }},
			{"a subject with a line break", func(m *mail.Message) { m.Subject = "Hi\r\nBcc: eve@example.org" }},
			{"no text", func(m *mail.Message) { m.Text = "" }},
		} {
			m := valid
			tc.change(&m)
			if err := b.mailer.Send(t.Context(), m); !errors.Is(err, mail.ErrInvalidMessage) {
				t.Errorf("Send with %s = %v; want an error matching ErrInvalidMessage", tc.name, err)
			}
		}
		send(t, b.mailer, mail.Message{To: b.to, Subject: "Marker", Text: "Sent.\n"})
		if got := only(t, b.read(t, b.to)); got.Subject != "Marker" {
			t.Fatalf("received %q; want only the valid message", got.Subject)
		}
	})

	t.Run("concurrent sends each deliver their message", func(t *testing.T) {
		b := setup(t)
		const n = 8
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := b.mailer.Send(t.Context(), mail.Message{To: b.to, Subject: fmt.Sprintf("Day %d", i), Text: "Sit.\n"})
				if err != nil {
					t.Errorf("Send day %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		got := b.read(t, b.to)
		subjects := make(map[string]bool)
		for _, m := range got {
			subjects[m.Subject] = true
		}
		for i := range n {
			if !subjects[fmt.Sprintf("Day %d", i)] {
				t.Errorf("Day %d did not arrive; received %d messages", i, len(got))
			}
		}
		if len(got) != n {
			t.Errorf("received %d messages; want %d", len(got), n)
		}
	})
}

// recipient returns an address that no other test sends to.
func recipient() string {
	return "seeker-" + strings.ToLower(rand.Text()[:12]) + "@example.org"
}

// send sends m and fails the test if that fails.
func send(t *testing.T, m mail.Mailer, msg mail.Message) {
	t.Helper()
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatalf("Send(%q): %v", msg.Subject, err)
	}
}

// only returns the one message in msgs.
func only(t *testing.T, msgs []mail.Message) mail.Message {
	t.Helper()
	if len(msgs) != 1 {
		subjects := make([]string, len(msgs))
		for i, m := range msgs {
			subjects[i] = m.Subject
		}
		t.Fatalf("received %d messages %q; want 1", len(msgs), subjects)
	}
	return msgs[0]
}

// wantAddress checks that got and want are the same address with the same
// display name, however each is written.
func wantAddress(t *testing.T, what, got, want string) {
	t.Helper()
	g, err := netmail.ParseAddress(got)
	if err != nil {
		t.Errorf("%s %q: %v", what, got, err)
		return
	}
	w, err := netmail.ParseAddress(want)
	if err != nil {
		t.Fatalf("%s: bad want %q: %v", what, want, err)
	}
	if !strings.EqualFold(g.Address, w.Address) || g.Name != w.Name {
		t.Errorf("%s = %q; want %q", what, got, want)
	}
}
