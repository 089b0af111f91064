// Package mail sends the server's e-mail: sign-up confirmations, password
// resets and reminders, one recipient at a time.
//
// Two implementations share one contract, checked by package mailtest: SMTP,
// which hands each message to a mail server, and Outbox, the embedded default
// when no server is configured, which writes each message as an .eml file for
// an operator (or a test) to read.
//
// Messages often hold single-use links, so neither implementation logs a
// body, nor a recipient's address above debug level. Both count what they
// send in dharmaplans_mail_sent_total{transport,result}.
package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail to one recipient.
type Message struct {
	// To is the recipient's address, e.g. "ada@example.org", optionally with
	// a display name: "Ada <ada@example.org>".
	To string
	// From is the sender's address in the same forms as To. Empty means the
	// mailer's own sender, which is what almost every message should use:
	// it is the address the mail server is set up to send as.
	From string
	// Subject is one line of any Unicode text.
	Subject string
	// Text is the plain-text body. It is required: every message has one,
	// for the readers and mail filters that never look at HTML.
	Text string
	// HTML is an optional HTML body, sent as an alternative to Text.
	HTML string
}

// Mailer sends messages.
type Mailer interface {
	// Send delivers m, or hands it to something that will, before it returns.
	// It fails, without sending, when ctx is done or m is invalid (an error
	// matching ErrInvalidMessage, which trying again cannot fix). Errors may
	// name the recipient but never hold the body or a password.
	Send(ctx context.Context, m Message) error
}

// ErrInvalidMessage is matched (errors.Is) by the errors of a Send that
// refused its message: a bad address, a subject of more than one line, no
// text. Sending it again would fail again.
var ErrInvalidMessage = errors.New("invalid message")

// Result labels of the sent counter.
const (
	resultSent     = "sent"     // delivered to the server or written to the outbox
	resultInvalid  = "invalid"  // refused before any attempt: see ErrInvalidMessage
	resultFailed   = "failed"   // the server or the disk failed; worth alerting on
	resultCanceled = "canceled" // the caller gave up first
)

// sentTotal is package-level because the default registry accepts a name
// only once: every mailer in the process shares it, told apart by transport.
var sentTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "dharmaplans_mail_sent_total",
	Help: "Messages sent, by transport (smtp, outbox) and result (sent, invalid, failed, canceled).",
}, []string{"transport", "result"})

// count records the outcome of one Send. ctx is the caller's: if it is done,
// the caller stopped waiting, which says nothing about the transport.
func count(ctx context.Context, transport string, err error) {
	result := resultSent
	switch {
	case err == nil:
	case errors.Is(err, ErrInvalidMessage):
		result = resultInvalid
	case ctx.Err() != nil:
		result = resultCanceled
	default:
		result = resultFailed
	}
	sentTotal.WithLabelValues(transport, result).Inc()
}

// parseSender checks a mailer's default sender once, at construction, so a
// typo in the configuration stops the server rather than every Send.
func parseSender(from string) (*netmail.Address, error) {
	if from == "" {
		return nil, errors.New("mail: sender address is empty")
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid sender address %q: %v", from, err)
	}
	return a, nil
}

// compose checks m and builds the RFC 5322 message both transports send.
// defaultFrom is the mailer's sender, used when m has none.
func compose(m Message, defaultFrom *netmail.Address, now time.Time) (*gomail.Msg, error) {
	from := defaultFrom
	if m.From != "" {
		a, err := netmail.ParseAddress(m.From)
		if err != nil {
			return nil, fmt.Errorf("mail: %w: sender address: %v", ErrInvalidMessage, err)
		}
		from = a
	}
	if m.To == "" {
		return nil, fmt.Errorf("mail: %w: no recipient", ErrInvalidMessage)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail: %w: recipient address: %v", ErrInvalidMessage, err)
	}
	// A line break would end the header early: whatever followed it would
	// become headers or body of the caller's choosing.
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, fmt.Errorf("mail: %w: subject has a line break", ErrInvalidMessage)
	}
	if m.Text == "" {
		return nil, fmt.Errorf("mail: %w: no text", ErrInvalidMessage)
	}

	// No User-Agent: the library and its version are nobody else's business.
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	msg.SetDateWithValue(now)
	// The sender's domain, not go-mail's default of this machine's host
	// name, which would reveal an internal name and may not be a domain.
	msg.SetMessageIDWithValue(rand.Text() + "@" + domainOf(from.Address))
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// domainOf returns the part of a parsed address after its last @.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}
