package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/mail"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

// Audience is the aud claim of this server's access tokens.
const Audience = "dharmaplans"

// keyRefreshEvery is how often each replica reloads the signing keys, so
// a key rotated on one replica signs on all of them soon after.
const keyRefreshEvery = time.Minute

// newIdentity assembles the identity service: token keys, mail, limits;
// links is the public address that links in emails start with.
func (m *Main) newIdentity(ctx context.Context, st *store.Store, links string) (*identity.Service, error) {
	cfg := m.Config
	now := m.Now
	if now == nil {
		now = time.Now
	}
	issuer, err := NewIssuer(ctx, cfg, st, now, m.Logger)
	if err != nil {
		return nil, err
	}
	keysCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopKeys = stop
	go func() {
		t := time.NewTicker(keyRefreshEvery)
		defer t.Stop()
		for {
			select {
			case <-keysCtx.Done():
				return
			case <-t.C:
				if err := issuer.Refresh(keysCtx); err != nil && keysCtx.Err() == nil {
					m.Logger.Warn("reloading signing keys failed", "error", err)
				}
			}
		}
	}()

	var mailer mail.Mailer
	if cfg.SMTPURL != "" {
		mailer, err = mail.NewSMTP(mail.SMTPOptions{URL: cfg.SMTPURL, From: cfg.MailFrom, Logger: m.Logger})
		if err != nil {
			return nil, fmt.Errorf("DHARMAPLANS_SMTP_URL: %v", err)
		}
	} else {
		mailer, err = mail.NewOutbox(filepath.Join(cfg.DataDir, "outbox"), cfg.MailFrom, m.Logger)
		if err != nil {
			return nil, fmt.Errorf("DHARMAPLANS_DATA_DIR: %v", err)
		}
	}

	if cfg.RedisURL != "" {
		m.limiter, err = ratelimit.NewRedis(ratelimit.RedisOptions{URL: cfg.RedisURL, Prefix: cfg.CachePrefix + "rl:", Logger: m.Logger})
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %v", err)
		}
	} else {
		m.limiter = ratelimit.NewMemory(100_000)
	}

	return identity.NewService(identity.Deps{
		Store: st, Tokens: issuer, Mailer: mailer, Limiter: m.limiter, Now: now, Logger: m.Logger,
		Site:  m.settings,
		Audit: m.audit,
	}, identity.Config{
		SessionLifetime: cfg.SessionLifetime,
		IdleTimeout:     cfg.SessionIdle,
		RefreshOverlap:  cfg.RefreshOverlap,
		BaseURL:         links,
		Limits:          m.Limits,
		StateTTL:        m.StateTTL,
		Onboarding:      recommend.OnboardingChoices(),
	}), nil
}

// NewIssuer makes the access-token issuer: keys from the configured PEM
// files, or else the keys shared in the database. It logs key events to
// logger.
func NewIssuer(ctx context.Context, cfg *config.Config, st *store.Store, now func() time.Time, logger *slog.Logger) (*token.Issuer, error) {
	opts := token.Options{Issuer: cfg.PublicURL(), Audience: Audience, KeyStore: st, Now: now, Logger: logger}
	if cfg.JWTKeyFile != "" {
		k, err := readKey(cfg.JWTKeyFile)
		if err != nil {
			return nil, fmt.Errorf("DHARMAPLANS_JWT_KEY_FILE: %v", err)
		}
		if k.Private == nil {
			return nil, fmt.Errorf("DHARMAPLANS_JWT_KEY_FILE: %s holds a public key; the signing key must be a private key", cfg.JWTKeyFile)
		}
		opts.ConfigKeys = append(opts.ConfigKeys, k)
		for _, f := range cfg.JWTVerifyKeyFiles {
			k, err := readKey(f)
			if err != nil {
				return nil, fmt.Errorf("DHARMAPLANS_JWT_VERIFY_KEY_FILES: %v", err)
			}
			k.Private = nil // it only verifies
			opts.ConfigKeys = append(opts.ConfigKeys, k)
		}
	} else if len(cfg.JWTVerifyKeyFiles) > 0 {
		return nil, fmt.Errorf("DHARMAPLANS_JWT_VERIFY_KEY_FILES needs DHARMAPLANS_JWT_KEY_FILE too")
	}
	issuer, err := token.NewIssuer(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("access token keys: %w", err)
	}
	return issuer, nil
}

func readKey(path string) (token.Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return token.Key{}, err
	}
	k, err := token.ParseKeyPEM(data)
	if err != nil {
		return token.Key{}, fmt.Errorf("%s: %v", path, err)
	}
	return k, nil
}

// announceSetup prints the one-time link to create the first admin when
// the database has no accounts. It goes to the terminal, not the log: it
// is a secret, good once, for 24 hours.
func (m *Main) announceSetup(ctx context.Context) error {
	link, err := m.identity.SetupLink(ctx)
	if err != nil || link == "" {
		return err
	}
	w := m.Notice
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, "\nNo accounts yet. Create the first admin within 24 hours by opening this one-time link:\n\n    %s\n\nor run: dharmaplans user create --email you@example.org --role admin\n\n", link)
	return nil
}

// Identity is the identity service (for tests).
func (m *Main) Identity() *identity.Service { return m.identity }

// Handler is the HTTP handler the server serves (for in-process benchmarks).
func (m *Main) Handler() http.Handler { return m.server.Handler }
