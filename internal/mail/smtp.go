package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultSMTPTimeout bounds one Send when SMTPOptions.Timeout is zero: the
// whole conversation, from dialling to the server's last reply.
const DefaultSMTPTimeout = 10 * time.Second

// SMTPOptions configures NewSMTP.
type SMTPOptions struct {
	// URL locates the server and says how to talk to it:
	//
	//	smtp://[user:password@]host[:port]   STARTTLS when the server offers it
	//	smtp://...?starttls=required         STARTTLS or no mail at all
	//	smtps://[user:password@]host[:port]  TLS from the first byte
	//
	// The port defaults to 587 for smtp and 465 for smtps. Without
	// starttls=required a server that offers no STARTTLS is spoken to in
	// plain text, as Mailpit on loopback is; the password is still never
	// sent in clear text except to a loopback address. User name and
	// password are percent-encoded, as in any URL.
	URL string
	// From is the sender of every message that names none, e.g.
	// "Dharma Plans <plans@example.org>".
	From string
	// Timeout bounds each Send; zero means DefaultSMTPTimeout.
	Timeout time.Duration
	// Logger receives one info line per message sent; nil means
	// slog.Default().
	Logger *slog.Logger
}

// SMTP is a Mailer that hands messages to an SMTP server (a relay such as
// Postfix, a provider's submission port, or Mailpit in tests). Each Send
// opens a connection of its own and closes it, so SMTP is safe for
// concurrent use and a server that dropped an idle connection costs nothing.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps: TLS from the first byte
	starttls gomail.TLSPolicy
	user     string
	password string
	from     *netmail.Address
	timeout  time.Duration
	log      *slog.Logger
}

var _ Mailer = (*SMTP)(nil)

// NewSMTP returns an SMTP mailer for opts. It fails only for a bad URL or
// sender, with an error that never repeats the password; it does not contact
// the server, so the process can start before its mail server does.
func NewSMTP(opts SMTPOptions) (*SMTP, error) {
	s, err := smtpFromURL(opts.URL)
	if err != nil {
		return nil, err
	}
	if s.from, err = parseSender(opts.From); err != nil {
		return nil, err
	}
	s.timeout = opts.Timeout
	if s.timeout <= 0 {
		s.timeout = DefaultSMTPTimeout
	}
	s.log = opts.Logger
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// smtpFromURL checks raw and takes it apart. Its errors say what is wrong
// without repeating the URL, which may hold a password and end up in a log.
func smtpFromURL(raw string) (*SMTP, error) {
	if raw == "" {
		return nil, errors.New("mail: SMTP URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("mail: invalid SMTP URL: %v", err)
	}
	s := &SMTP{host: u.Hostname(), starttls: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		s.port = gomail.DefaultPortTLS
	case "smtps":
		s.port, s.implicit = gomail.DefaultPortSSL, true
	default:
		return nil, fmt.Errorf("mail: invalid SMTP URL: unsupported scheme %q (want smtp or smtps)", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("mail: invalid SMTP URL: missing host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: invalid SMTP URL: port %q is not between 1 and 65535", p)
		}
		s.port = n
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("mail: invalid SMTP URL: unexpected path")
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
		if s.user == "" {
			return nil, errors.New("mail: invalid SMTP URL: password without a user name")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, errors.New("mail: invalid SMTP URL: malformed query")
	}
	for key, values := range q {
		if key != "starttls" {
			return nil, fmt.Errorf("mail: invalid SMTP URL: unknown parameter %q (want starttls)", key)
		}
		switch v := values[len(values)-1]; {
		case s.implicit:
			return nil, errors.New("mail: invalid SMTP URL: starttls does not apply to smtps, which uses TLS from the start")
		case v == "required":
			s.starttls = gomail.TLSMandatory
		case v == "opportunistic":
			s.starttls = gomail.TLSOpportunistic
		default:
			return nil, fmt.Errorf("mail: invalid SMTP URL: starttls=%q (want required or opportunistic)", v)
		}
	}
	return s, nil
}

// Send delivers m to the server within the timeout, or fails. It fails at
// once when ctx is done, and stops talking to the server when ctx ends
// during the conversation.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	err := s.send(ctx, m)
	count(ctx, "smtp", err)
	return err
}

func (s *SMTP) send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	msg, err := compose(m, s.from, time.Now())
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := gomail.NewClient(s.host, s.clientOptions(ctx)...)
	if err != nil {
		// The options were checked in NewSMTP; what is left is go-mail
		// failing to read this machine's host name for EHLO.
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		// go-mail puts the recipient and the server's reply in its errors,
		// never the body; a closed connection says less than why it was
		// closed, so a done ctx comes first.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("mail: send via %s: %w (%v)", s.addr(), ctxErr, err)
		}
		return fmt.Errorf("mail: send via %s: %w", s.addr(), err)
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "mail sent",
		slog.String("transport", "smtp"),
		slog.String("subject", m.Subject),
		slog.String("message_id", msg.GetMessageID()))
	return nil
}

// clientOptions configures a go-mail client for one Send whose context is
// sendCtx.
func (s *SMTP) clientOptions(sendCtx context.Context) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(func(dialCtx context.Context, network, _ string) (net.Conn, error) {
			// go-mail's own address would lack the brackets of an IPv6 host.
			return s.dial(sendCtx, dialCtx, network, s.addr())
		}),
	}
	if s.implicit {
		// With a dial function of its own go-mail leaves TLS to it; this
		// only keeps go-mail from trying STARTTLS inside TLS.
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.starttls))
	}
	if s.user != "" {
		// Listed, not discovered: go-mail's discovery leaves out PLAIN and
		// LOGIN on smtps, whose TLS it did not set up itself. PLAIN and
		// LOGIN still refuse to run unencrypted except to loopback; SCRAM
		// never reveals the password.
		opts = append(opts,
			gomail.WithUsername(s.user),
			gomail.WithPassword(s.password),
			gomail.WithOpportunisticSMTPAuth(
				gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	return opts
}

// dial connects to the server within dialCtx, which go-mail ends once
// connected, and ties the connection to sendCtx, which lasts until the
// message is sent: go-mail bounds each command by a deadline but would not
// notice a cancelled context once connected, so closing the connection is
// what stops a Send whose caller gave up.
func (s *SMTP) dial(sendCtx, dialCtx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(dialCtx, network, addr)
	if err != nil {
		return nil, err
	}
	// Closing after a clean QUIT does no harm, and send's deferred cancel
	// guarantees that the watch ends.
	context.AfterFunc(sendCtx, func() { conn.Close() })
	if !s.implicit {
		return conn, nil
	}
	tc := tls.Client(conn, s.tlsConfig())
	if err := tc.HandshakeContext(dialCtx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("TLS handshake: %w", err)
	}
	return tc, nil
}

// addr is the server's host:port.
func (s *SMTP) addr() string {
	return net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

func (s *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}
