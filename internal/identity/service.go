package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

// Config holds identity's tunable rules. Zero values take the defaults.
type Config struct {
	// SessionLifetime is the absolute life of a session, however active.
	SessionLifetime time.Duration
	// IdleTimeout ends a session not refreshed for this long.
	IdleTimeout time.Duration
	// RefreshOverlap lets the immediately previous refresh token be
	// presented again within this window (for clients that cannot
	// serialise refreshes); zero turns it off: any reuse revokes the family.
	RefreshOverlap time.Duration
	// BaseURL is the public address of the web app, for links in emails.
	BaseURL string
	// Limits, when set, are the abuse limits, whatever the Site says
	// (tests); nil: the Site's, or DefaultLimits without one.
	Limits *Limits
	// StateTTL bounds how long a replica trusts what it knows about a
	// session and its user: a disabled account or a session revoked on
	// another replica stops working here within this time. Zero means
	// DefaultStateTTL.
	StateTTL time.Duration
	// Onboarding lists the values onboarding answers may take; without
	// them every tradition and level is refused (clearing still works).
	Onboarding OnboardingChoices
}

// Defaults for Config.
const (
	DefaultSessionLifetime = 90 * 24 * time.Hour
	DefaultIdleTimeout     = 30 * 24 * time.Hour
	VerifyEmailTTL         = 24 * time.Hour
	ResetPasswordTTL       = time.Hour
	SetupAdminTTL          = 24 * time.Hour
	// RecentAuth is how recently the password must have been entered for
	// actions that need it (deleting the account) without typing it again.
	RecentAuth = 10 * time.Minute
	// DefaultStateTTL is the default Config.StateTTL: well within the
	// minute the product promises.
	DefaultStateTTL = 30 * time.Second
)

// Deps are the adapters the Service uses.
type Deps struct {
	Store   Store
	Tokens  *token.Issuer
	Mailer  mail.Mailer
	Limiter ratelimit.Limiter
	// Site holds the settings administrators change while the server runs
	// (abuse limits, the site's name, whether registration is by
	// invitation); nil: the defaults, and registration is open.
	Site Site
	// Audit records administrators' changes to accounts; nil: audit.Discard.
	Audit audit.Recorder
	// Queue enqueues background jobs (the account emails); it may be set
	// later with SetQueue, since the queue needs the Service's workers.
	Queue Queue
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service holds identity's rules.
type Service struct {
	store   Store
	tokens  *token.Issuer
	mailer  mail.Mailer
	limiter ratelimit.Limiter
	site    Site
	queue   Queue
	now     func() time.Time
	logger  *slog.Logger
	cfg     Config
	states  *otter.Cache[string, AuthState]
	audit   audit.Recorder
	exports []ExportSection
}

// NewService returns a Service.
func NewService(d Deps, cfg Config) *Service {
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = DefaultSessionLifetime
	}
	if cfg.StateTTL <= 0 {
		cfg.StateTTL = DefaultStateTTL
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Audit == nil {
		d.Audit = audit.Discard
	}
	return &Service{
		store: d.Store, tokens: d.Tokens, mailer: d.Mailer, limiter: d.Limiter, site: d.Site, queue: d.Queue,
		now: d.Now, logger: d.Logger, cfg: cfg,
		audit: d.Audit,
		states: otter.Must(&otter.Options[string, AuthState]{
			MaximumSize:      100_000,
			ExpiryCalculator: otter.ExpiryWriting[string, AuthState](cfg.StateTTL),
		}),
	}
}

// SetQueue gives the Service its job queue once it exists.
func (s *Service) SetQueue(q Queue) { s.queue = q }

// Tokens is the access-token issuer (for the JWKS endpoint).
func (s *Service) Tokens() *token.Issuer { return s.tokens }

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// PruneExpiredSessions deletes sessions that can no longer be used (past
// their absolute lifetime or idle too long) and expired single-use tokens.
// It runs as a periodic background job; keeping dead sessions would only
// keep device names and timestamps nobody needs.
func (s *Service) PruneExpiredSessions(ctx context.Context) error {
	now := s.now()
	n, err := s.store.PruneSessions(ctx, now, now.Add(-s.cfg.IdleTimeout))
	if err != nil {
		return err
	}
	if n > 0 {
		s.logger.InfoContext(ctx, "pruned expired sessions", "count", n)
	}
	return nil
}

// newSecret returns a 256-bit random token, base64url, and its hash.
func newSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

// hashSecret is how refresh and emailed tokens are stored: their SHA-256.
// The secrets are 256-bit random values, so a fast hash is enough.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
