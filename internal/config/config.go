// Package config reads the server's settings from flags and environment
// variables (DHARMAPLANS_*, plus the conventional DATABASE_URL and
// REDIS_URL), validates them, and fills in the embedded defaults: with
// nothing set, SQLite and media files under ./data, an in-process cache, and
// the API on :8080.
//
// Flags win over environment variables, which win over defaults. An invalid
// value or an unknown DHARMAPLANS_ variable is an error naming the variable
// (or flag) and what was expected.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Config is the validated configuration.
type Config struct {
	Addr              string // listen address
	DataDir           string // where the embedded engines keep their files
	DatabaseURL       string // empty: SQLite in DataDir
	RedisURL          string // empty: in-process cache
	CachePrefix       string // prefix of this deployment's Redis keys
	MediaDir          string // local media store; empty: DataDir/media
	S3                S3     // media in an S3-protocol bucket when S3.Bucket is set
	MediaCDNURL       string // where published media are fetched from (S3 only); empty: presigned URLs
	MediaMaxSize      map[string]int64
	MediaQuota        int64         // bytes of media per person; 0: no limit
	LogLevel          slog.Level    //
	LogFormat         string        // auto, json or text
	Migrate           bool          // apply migrations when serve starts
	Demo              bool          // load the demo plans when the catalogue is empty
	DBConnectTimeout  time.Duration // how long to wait for PostgreSQL at start
	CORSOrigins       []string      // origins allowed to call the API from a browser
	MaxBodyBytes      int64         // request body limit
	ShutdownTimeout   time.Duration // how long in-flight requests get on SIGTERM
	CacheEntries      int           // in-process cache bound
	BaseURL           string        // public URL of the web app, for links in emails; empty: derived from Addr
	SMTPURL           string        // empty: mail goes to the outbox folder
	MailFrom          string        // sender of the server's email
	JWTKeyFile        string        // PEM Ed25519 private key that signs access tokens; empty: keys in the database
	JWTVerifyKeyFiles []string      // PEM keys that only verify (retired ones)
	SessionLifetime   time.Duration // absolute session life
	SessionIdle       time.Duration // idle timeout
	RefreshOverlap    time.Duration // reuse window for the previous refresh token
	TrustedProxies    []netip.Prefix
}

// S3 is an S3-protocol bucket for media.
type S3 struct {
	Endpoint, Region, Bucket, AccessKeyID, SecretAccessKey string
	PathStyle                                              bool
}

// PublicURL is BaseURL, or the local address when none is set.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Engine names the database engine the configuration selects.
func (c *Config) Engine() string {
	if c.DatabaseURL == "" || strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		return "sqlite"
	}
	return "postgres"
}

// SQLitePath is the database file when Engine is sqlite.
func (c *Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok {
		return strings.TrimPrefix(p, "//")
	}
	return filepath.Join(c.DataDir, "dharmaplans.db")
}

// Media is the local media folder.
func (c *Config) Media() string {
	if c.MediaDir != "" {
		return c.MediaDir
	}
	return filepath.Join(c.DataDir, "media")
}

// Scope says which commands a setting applies to.
type Scope int

// The scopes.
const (
	Database Scope = 1 << iota // every command that opens the database
	Server                     // serve only
	Cache                      // serve and the commands that change what servers cache (content imports)
	Media                      // serve and the commands that store or read media (plan folders)
)

// Setting is one configuration knob: its flag, its environment variable,
// default and meaning. The table of settings is the one source for parsing,
// --help and the README.
type Setting struct {
	Flag    string
	Env     string
	Default string
	Usage   string
	Scope   Scope
	set     func(c *Config, v string) error
}

// Settings lists every setting.
var Settings = []Setting{
	{"addr", "DHARMAPLANS_ADDR", ":8080", "address to listen on (host:port)", Server, func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("want host:port such as :8080 or 127.0.0.1:8080, got %q", v)
		}
		c.Addr = v
		return nil
	}},
	{"data-dir", "DHARMAPLANS_DATA_DIR", "./data", "folder for the embedded engines' files (SQLite, media)", Database, func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("want a folder path, got an empty value")
		}
		c.DataDir = v
		return nil
	}},
	{"database-url", "DATABASE_URL", "", "postgres://user:pass@host:5432/db for PostgreSQL; empty or sqlite:PATH for SQLite (default DATA_DIR/dharmaplans.db)", Database, func(c *Config, v string) error {
		if v == "" {
			c.DatabaseURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil {
			return errors.New("not a URL (want postgres://... or sqlite:PATH)")
		}
		switch u.Scheme {
		case "postgres", "postgresql":
			if u.Host == "" && u.Query().Get("host") == "" {
				return errors.New("postgres URL has no host")
			}
		case "sqlite":
			if strings.TrimPrefix(strings.TrimPrefix(v, "sqlite:"), "//") == "" {
				return errors.New("sqlite URL has no path (want sqlite:./data/dharmaplans.db)")
			}
		default:
			return fmt.Errorf("unsupported scheme %q (want postgres:// or sqlite:)", u.Scheme)
		}
		c.DatabaseURL = v
		return nil
	}},
	{"redis-url", "REDIS_URL", "", "redis://host:6379/0 (or rediss://) for a shared Redis-protocol cache; empty for in-process", Server | Cache, func(c *Config, v string) error {
		if v == "" {
			c.RedisURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil {
			return errors.New("not a URL (want redis://host:6379/0)")
		}
		if u.Scheme != "redis" && u.Scheme != "rediss" {
			return fmt.Errorf("unsupported scheme %q (want redis:// or rediss://)", u.Scheme)
		}
		c.RedisURL = v
		return nil
	}},
	{"cache-prefix", "DHARMAPLANS_CACHE_PREFIX", "dp:", "prefix of this deployment's keys in Redis, so deployments sharing one Redis keep apart", Server | Cache, func(c *Config, v string) error {
		if v == "" || len(v) > 64 || strings.ContainsAny(v, " \t\r\n") {
			return fmt.Errorf("want 1 to 64 characters without spaces, got %q", v)
		}
		c.CachePrefix = v
		return nil
	}},
	{"media-dir", "DHARMAPLANS_MEDIA_DIR", "", "folder for media files (default DATA_DIR/media)", Server | Media, func(c *Config, v string) error {
		c.MediaDir = v
		return nil
	}},
	{"s3-bucket", "DHARMAPLANS_S3_BUCKET", "", "S3 bucket for media, shared by replicas; empty: media in MEDIA_DIR", Server | Media, func(c *Config, v string) error {
		c.S3.Bucket = v
		return nil
	}},
	{"s3-endpoint", "DHARMAPLANS_S3_ENDPOINT", "", "S3-protocol endpoint URL (R2, MinIO, SeaweedFS, ...); empty: AWS", Server | Media, func(c *Config, v string) error {
		c.S3.Endpoint = v
		return checkHTTPURL(v)
	}},
	{"s3-region", "DHARMAPLANS_S3_REGION", "us-east-1", "the bucket's region", Server | Media, func(c *Config, v string) error {
		c.S3.Region = v
		return nil
	}},
	{"s3-access-key-id", "DHARMAPLANS_S3_ACCESS_KEY_ID", "", "S3 access key id; empty: the AWS SDK's default credentials (environment, profile, instance role)", Server | Media, func(c *Config, v string) error {
		c.S3.AccessKeyID = v
		return nil
	}},
	{"s3-secret-access-key", "DHARMAPLANS_S3_SECRET_ACCESS_KEY", "", "S3 secret access key, with the access key id", Server | Media, func(c *Config, v string) error {
		c.S3.SecretAccessKey = v
		return nil
	}},
	{"s3-path-style", "DHARMAPLANS_S3_PATH_STYLE", "false", "address the bucket in the path (http://host/bucket/key), as MinIO and SeaweedFS want", Server | Media, func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.S3.PathStyle = b
		return err
	}},
	{"media-cdn-url", "DHARMAPLANS_MEDIA_CDN_URL", "", "base URL of a CDN in front of the S3 bucket, for published media; empty: presigned URLs", Server | Media, func(c *Config, v string) error {
		c.MediaCDNURL = strings.TrimSuffix(v, "/")
		return checkHTTPURL(v)
	}},
	{"media-max-image", "DHARMAPLANS_MEDIA_MAX_IMAGE", "20MB", "largest image upload", Server | Media, mediaSize("image")},
	{"media-max-audio", "DHARMAPLANS_MEDIA_MAX_AUDIO", "500MB", "largest audio upload", Server | Media, mediaSize("audio")},
	{"media-max-video", "DHARMAPLANS_MEDIA_MAX_VIDEO", "2GB", "largest video upload", Server | Media, mediaSize("video")},
	{"media-max-pdf", "DHARMAPLANS_MEDIA_MAX_PDF", "50MB", "largest PDF upload", Server | Media, mediaSize("pdf")},
	{"media-quota", "DHARMAPLANS_MEDIA_QUOTA", "10GB", "media one person may keep (0: no limit)", Server | Media, func(c *Config, v string) error {
		n, err := parseSize(v)
		c.MediaQuota = n
		return err
	}},
	{"log-level", "DHARMAPLANS_LOG_LEVEL", "info", "debug, info, warn or error", Database, func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"log-format", "DHARMAPLANS_LOG_FORMAT", "auto", "json, text, or auto (text on a terminal, JSON otherwise)", Database, func(c *Config, v string) error {
		if !slices.Contains([]string{"auto", "json", "text"}, v) {
			return fmt.Errorf("want auto, json or text, got %q", v)
		}
		c.LogFormat = v
		return nil
	}},
	{"migrate", "DHARMAPLANS_MIGRATE", "true", "apply pending migrations when serve starts", Server, func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", v)
		}
		c.Migrate = b
		return nil
	}},
	{"demo", "DHARMAPLANS_DEMO", "false", "load the demo plans into an empty catalogue when serve starts (make run sets it)", Server, func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", v)
		}
		c.Demo = b
		return nil
	}},
	{"db-connect-timeout", "DHARMAPLANS_DB_CONNECT_TIMEOUT", "30s", "how long to keep retrying an unreachable PostgreSQL at start", Database, durationSetter(func(c *Config) *time.Duration { return &c.DBConnectTimeout })},
	{"cors-origins", "DHARMAPLANS_CORS_ORIGINS", "", "comma-separated origins allowed to call the API from browsers (e.g. https://app.example.org); empty: same origin only", Server, func(c *Config, v string) error {
		c.CORSOrigins = nil
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			if o != "*" {
				u, err := url.Parse(o)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
					return fmt.Errorf("want origins like https://app.example.org, got %q", o)
				}
			}
			c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
		}
		return nil
	}},
	{"max-body-bytes", "DHARMAPLANS_MAX_BODY_BYTES", "1048576", "largest request body accepted, in bytes", Server, func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return fmt.Errorf("want a number of bytes of at least 1024, got %q", v)
		}
		c.MaxBodyBytes = n
		return nil
	}},
	{"shutdown-timeout", "DHARMAPLANS_SHUTDOWN_TIMEOUT", "30s", "how long in-flight requests and jobs may run after SIGTERM", Server, durationSetter(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"cache-entries", "DHARMAPLANS_CACHE_ENTRIES", "10000", "most entries the in-process cache holds", Server, func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("want a positive number, got %q", v)
		}
		c.CacheEntries = n
		return nil
	}},
	{"base-url", "DHARMAPLANS_BASE_URL", "", "public URL of the web app, used in links in emails (default: the address the server listens on, e.g. http://localhost:8080)", Server, func(c *Config, v string) error {
		if v == "" {
			c.BaseURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("want a URL such as https://plans.example.org, got %q", v)
		}
		c.BaseURL = strings.TrimSuffix(v, "/")
		return nil
	}},
	{"smtp-url", "DHARMAPLANS_SMTP_URL", "", "smtp://user:pass@host:587 (STARTTLS) or smtps://...:465 to send email; empty: email is written to DATA_DIR/outbox and logged", Server, func(c *Config, v string) error {
		if v == "" {
			c.SMTPURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return errors.New("want smtp://[user:pass@]host:port, or smtps:// for implicit TLS")
		}
		c.SMTPURL = v
		return nil
	}},
	{"mail-from", "DHARMAPLANS_MAIL_FROM", "Dharma Plans <no-reply@localhost>", "sender of the server's email", Server, func(c *Config, v string) error {
		if _, err := mail.ParseAddress(v); err != nil {
			return fmt.Errorf("want an address such as \"Dharma Plans <plans@example.org>\", got %q", v)
		}
		c.MailFrom = v
		return nil
	}},
	{"jwt-key-file", "DHARMAPLANS_JWT_KEY_FILE", "", "PEM file with the Ed25519 private key that signs access tokens; empty: keys are generated and kept in the database", Database, func(c *Config, v string) error {
		c.JWTKeyFile = v
		return nil
	}},
	{"jwt-verify-key-files", "DHARMAPLANS_JWT_VERIFY_KEY_FILES", "", "comma-separated PEM files of retired keys that still verify tokens until they expire (with --jwt-key-file)", Database, func(c *Config, v string) error {
		c.JWTVerifyKeyFiles = nil
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				c.JWTVerifyKeyFiles = append(c.JWTVerifyKeyFiles, f)
			}
		}
		return nil
	}},
	{"session-lifetime", "DHARMAPLANS_SESSION_LIFETIME", "2160h", "absolute lifetime of a signed-in session (90 days)", Server, positiveDuration(func(c *Config) *time.Duration { return &c.SessionLifetime })},
	{"session-idle-timeout", "DHARMAPLANS_SESSION_IDLE_TIMEOUT", "720h", "a session not refreshed for this long ends (30 days)", Server, positiveDuration(func(c *Config) *time.Duration { return &c.SessionIdle })},
	{"refresh-overlap", "DHARMAPLANS_REFRESH_OVERLAP", "0s", "how long the previous refresh token may be presented again, for clients that cannot serialise refreshes (0: off; any reuse ends the session)", Server, func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 5*time.Minute {
			return fmt.Errorf("want a duration from 0s to 5m, got %q", v)
		}
		c.RefreshOverlap = d
		return nil
	}},
	{"trusted-proxies", "DHARMAPLANS_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of load balancers whose X-Forwarded-For names the client (for rate limits)", Server, func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			p, err := netip.ParsePrefix(f)
			if err != nil {
				a, aerr := netip.ParseAddr(f)
				if aerr != nil {
					return fmt.Errorf("want addresses or CIDRs such as 10.0.0.0/8, got %q", f)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
		return nil
	}},
}

func positiveDuration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 720h, got %q", v)
		}
		*field(c) = d
		return nil
	}
}

func durationSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 30s or 2m, got %q", v)
		}
		*field(c) = d
		return nil
	}
}

// ErrHelp is returned by Load when --help was asked for; the usage has been
// written.
var ErrHelp = flag.ErrHelp

// Load parses args (without the command name) and environ (os.Environ
// form) for a command whose settings are in scope. Usage goes to out on
// --help and on a flag error. Positional arguments left after the flags are
// returned.
func Load(command, summary string, scope Scope, args, environ []string, out io.Writer) (*Config, []string, error) {
	return LoadWith(command, summary, scope, args, environ, out, nil)
}

// LoadWith is Load for a command with flags of its own, which extra
// defines on the flag set; --help lists them first.
func LoadWith(command, summary string, scope Scope, args, environ []string, out io.Writer, extra func(fs *flag.FlagSet)) (*Config, []string, error) {
	var c Config
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	own := map[string]bool{}
	if extra != nil {
		extra(fs)
		fs.VisitAll(func(f *flag.Flag) { own[f.Name] = true })
	}
	values := map[string]*string{}
	for _, s := range Settings {
		if s.Scope&scope != 0 {
			values[s.Flag] = fs.String(s.Flag, "", s.Usage)
		}
	}
	fs.Usage = func() {
		if len(own) > 0 {
			fmt.Fprintf(out, "%s\n\nCommand options:\n", summary)
			fs.VisitAll(func(f *flag.Flag) {
				if own[f.Name] {
					fmt.Fprintf(out, "  --%s\n      %s\n", f.Name, f.Usage)
				}
			})
			Usage(out, "", "", scope)
			return
		}
		Usage(out, command, summary, scope)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil, nil, ErrHelp
		}
		return nil, nil, fmt.Errorf("%v (see dharmaplans %s --help)", err, command)
	}
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if err := checkUnknown(env); err != nil {
		return nil, nil, err
	}
	setFlags := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { setFlags[f.Name] = true })
	for _, s := range Settings {
		// Settings outside the scope still get their defaults, so every
		// field has a sensible value whichever command loaded it.
		v, name := s.Default, s.Env
		if ev, ok := env[s.Env]; ok && s.Scope&scope != 0 {
			v = ev
		}
		if setFlags[s.Flag] {
			v, name = *values[s.Flag], "--"+s.Flag
		}
		if err := s.set(&c, v); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
	}
	return &c, fs.Args(), nil
}

// checkUnknown rejects DHARMAPLANS_ variables that are not settings: a typo
// silently ignored is a misconfiguration nobody notices.
func checkUnknown(env map[string]string) error {
	known := map[string]bool{}
	for _, s := range Settings {
		known[s.Env] = true
	}
	var unknown []string
	for k := range env {
		if strings.HasPrefix(k, "DHARMAPLANS_") && !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	name := unknown[0]
	if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		name = strconv.Quote(name)
	}
	msg := fmt.Sprintf("%s: unknown setting", name)
	if guess := closest(unknown[0]); guess != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", guess)
	}
	return errors.New(msg)
}

func closest(name string) string {
	best, bestD := "", 4
	for _, s := range Settings {
		if d := distance(name, s.Env); d < bestD {
			best, bestD = s.Env, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Usage writes the help of a command: summary, then every setting in scope
// with its flag, variable and default.
func Usage(w io.Writer, command, summary string, scope Scope) {
	if summary != "" {
		fmt.Fprintf(w, "%s\n\n", summary)
	}
	fmt.Fprintf(w, "Options (flag, environment variable, default):\n")
	for _, s := range Settings {
		if s.Scope&scope == 0 {
			continue
		}
		def := s.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  --%s, %s (default %s)\n      %s\n", s.Flag, s.Env, def, s.Usage)
	}
	fmt.Fprintf(w, "  --help\n      show this help\n")
}

// checkHTTPURL accepts an empty value or an http(s) URL with a host.
func checkHTTPURL(v string) error {
	if v == "" {
		return nil
	}
	if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http:// or https:// URL, got %q", v)
	}
	return nil
}

// mediaSize sets the largest upload of a kind of media.
func mediaSize(kind string) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		n, err := parseSize(v)
		if err == nil && n == 0 {
			err = errors.New("want a size above 0")
		}
		if c.MediaMaxSize == nil {
			c.MediaMaxSize = map[string]int64{}
		}
		c.MediaMaxSize[kind] = n
		return err
	}
}

// parseSize reads a size in bytes, or with a unit: KB, MB, GB (powers of
// 1024).
func parseSize(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/mult {
		return 0, fmt.Errorf("want a size such as 500MB or 2GB, got %q", v)
	}
	return n * mult, nil
}
