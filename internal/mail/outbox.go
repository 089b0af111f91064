package mail

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// outboxTimeLayout names outbox files by the time they were written, in
// UTC and of fixed width, so that sorting their names sorts them by time.
const outboxTimeLayout = "20060102T150405.000Z"

// Outbox is a Mailer that delivers nothing: it writes each message as an
// RFC 5322 file (.eml) into a directory, where an operator can open it in
// any mail reader, and logs where it went. It is the default when no SMTP
// server is configured, so that a fresh install can still confirm its first
// account: the link is in the newest file.
//
// Files are named <time>-<random>.eml, e.g.
// 20261125T190102.123Z-K4Q2M7XW3B.eml, and readable by their owner only:
// they hold single-use links.
type Outbox struct {
	dir  string
	from *netmail.Address
	log  *slog.Logger
}

var _ Mailer = (*Outbox)(nil)

// NewOutbox returns an Outbox writing into dir, which it creates (mode 0700)
// if need be, with from as the sender of every message that names none. A
// nil logger means slog.Default().
func NewOutbox(dir, from string, logger *slog.Logger) (*Outbox, error) {
	sender, err := parseSender(from)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("mail: outbox directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Outbox{dir: dir, from: sender, log: logger}, nil
}

// Send writes m into the outbox as a new file (mode 0600) and logs its path
// and subject. The file appears whole or not at all: it is written under a
// temporary name first.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	err := o.write(ctx, m)
	count(ctx, "outbox", err)
	return err
}

func (o *Outbox) write(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	now := time.Now()
	msg, err := compose(m, o.from, now)
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600; the dot and suffix keep a file being
	// written out of ReadOutbox's sight.
	tmp, err := os.CreateTemp(o.dir, ".writing-*.tmp")
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("mail: outbox: write message: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	path := filepath.Join(o.dir, now.UTC().Format(outboxTimeLayout)+"-"+rand.Text()[:10]+".eml")
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	o.log.LogAttrs(ctx, slog.LevelInfo, "mail written to outbox",
		slog.String("path", path),
		slog.String("subject", m.Subject),
		slog.String("message_id", msg.GetMessageID()))
	return nil
}

// Messages returns the messages in the outbox, oldest first, as ReadOutbox
// does.
func (o *Outbox) Messages() ([]Message, error) {
	return ReadOutbox(o.dir)
}

// ReadOutbox reads back the messages an Outbox wrote into dir, oldest first:
// their sender, recipient, subject, text and HTML, with line breaks as "\n".
// It reads what Outbox writes (UTF-8, quoted-printable or base64), not every
// message a mail program could produce.
func ReadOutbox(dir string) ([]Message, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("mail: read outbox: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".eml") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	msgs := make([]Message, 0, len(names))
	for _, name := range names {
		m, err := readEML(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("mail: read outbox: %s: %w", name, err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func readEML(path string) (Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return Message{}, err
	}
	defer f.Close()
	raw, err := netmail.ReadMessage(f)
	if err != nil {
		return Message{}, err
	}
	var m Message
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(raw.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	if m.From, err = singleAddress(raw.Header, "From"); err != nil {
		return Message{}, err
	}
	if m.To, err = singleAddress(raw.Header, "To"); err != nil {
		return Message{}, err
	}
	if err := readBody(&m, raw.Header, raw.Body); err != nil {
		return Message{}, err
	}
	return m, nil
}

// singleAddress returns the one address of header field key, bare when it
// has no display name.
func singleAddress(h netmail.Header, key string) (string, error) {
	list, err := h.AddressList(key)
	if err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	if len(list) != 1 {
		return "", fmt.Errorf("%s: %d addresses, want 1", key, len(list))
	}
	if list[0].Name == "" {
		return list[0].Address, nil
	}
	return list[0].String(), nil
}

// partHeader is what readBody needs of a message's or a part's header.
type partHeader interface{ Get(key string) string }

// readBody fills m.Text and m.HTML from a text/plain or text/html body, or
// from the parts of a multipart one.
func readBody(m *Message, h partHeader, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("content type: %w", err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			// Raw: NextPart would decode quoted-printable but not base64,
			// and drop the header that says which it was.
			p, err := r.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", mediaType, err)
			}
			if err := readBody(m, p.Header, p); err != nil {
				return err
			}
		}
	}
	var decoded io.Reader
	switch enc := strings.ToLower(h.Get("Content-Transfer-Encoding")); enc {
	case "quoted-printable":
		decoded = quotedprintable.NewReader(body)
	case "base64":
		decoded = base64.NewDecoder(base64.StdEncoding, body) // skips line breaks
	case "", "7bit", "8bit", "binary":
		decoded = body
	default:
		return fmt.Errorf("unsupported transfer encoding %q", enc)
	}
	b, err := io.ReadAll(decoded)
	if err != nil {
		return fmt.Errorf("%s body: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}
