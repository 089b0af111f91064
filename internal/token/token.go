// Package token issues and verifies access tokens: short-lived JWTs signed
// with Ed25519 (alg EdDSA) and carrying the key's ID in the kid header.
//
// Signing keys are shared by every replica of the server: they are either
// generated on first start and kept in a KeyStore (the database), or given by
// configuration as PEM files. Their public halves are published as a JSON
// Web Key Set at /.well-known/jwks.json. A rotated key stops signing at once
// but keeps verifying until the tokens it signed have expired.
//
// Verifying a signature is the costly part of a request, so an Issuer keeps
// a bounded cache of tokens it has already verified, each until its expiry.
package token

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/maypok86/otter/v2"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

const (
	// DefaultTTL is how long an access token lives unless Options say otherwise.
	DefaultTTL = 15 * time.Minute
	// DefaultCacheSize is how many verified tokens an Issuer remembers
	// unless Options say otherwise.
	DefaultCacheSize = 10_000

	// leeway absorbs clock skew between replicas for exp, nbf and iat.
	leeway = 5 * time.Second
	// unknownKeyReloadInterval bounds how often a token with an unknown kid
	// (perhaps signed with a key another replica just made) reloads keys
	// from the store, so that forged kids cannot hammer the database.
	unknownKeyReloadInterval = 10 * time.Second
	// reloadTimeout bounds a reload that requests wait for.
	reloadTimeout = 5 * time.Second
	// maxTokenLen rejects absurd input before hashing or decoding it; our
	// tokens are about 400 bytes.
	maxTokenLen = 4096
)

// The only things a client learns about a rejected token.
const (
	msgExpired = "access token expired"
	msgInvalid = "access token is not valid"
)

// Claims is what an access token says about its bearer.
type Claims struct {
	UserID    string    // sub
	SessionID string    // sid: the signed-in session (refresh token family)
	Role      string    // role
	AuthTime  time.Time // auth_time: when the user last entered their password; zero if unknown
	IssuedAt  time.Time // iat
	ExpiresAt time.Time // exp
	ID        string    // jti
}

// jwtClaims is the token's payload as JSON.
type jwtClaims struct {
	jwt.RegisteredClaims
	SessionID string           `json:"sid,omitempty"`
	Role      string           `json:"role,omitempty"`
	AuthTime  *jwt.NumericDate `json:"auth_time,omitempty"`
}

// Options configure an Issuer.
type Options struct {
	// Issuer is the iss claim: the server's public base URL. Required.
	Issuer string
	// Audience is the aud claim tokens are issued for and must carry. Required.
	Audience string
	// TTL is how long a token lives; zero means DefaultTTL.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// KeyStore holds the keys shared by all replicas. Required unless
	// ConfigKeys are given.
	KeyStore KeyStore
	// ConfigKeys are keys read from PEM files (see ParseKeyPEM). When there
	// are any, the first with a private key signs, the others only verify,
	// and KeyStore is not used at all: configuration owns the keys.
	ConfigKeys []Key
	// Logger records key generation and store failures; nil means
	// slog.Default(). Tokens are never logged.
	Logger *slog.Logger
	// CacheSize bounds the cache of verified tokens; zero means
	// DefaultCacheSize and a negative value turns the cache off.
	CacheSize int
}

// Issuer signs and verifies access tokens. It is safe for concurrent use.
type Issuer struct {
	issuer   string
	audience string
	ttl      time.Duration
	grace    time.Duration // how long a retired key keeps verifying
	now      func() time.Time
	store    KeyStore // nil when keys come from configuration
	logger   *slog.Logger
	parser   *jwt.Parser
	cache    *otter.Cache[[sha256.Size]byte, cachedClaims] // nil when off

	keys atomic.Pointer[keySet]

	loadMu sync.Mutex // serialises loads and rotations so an older snapshot never wins

	reloadMu         sync.Mutex
	lastUnknownKeyAt time.Time // when an unknown kid last reloaded keys
}

// cachedClaims is a verified token's claims with what a cache hit must
// still check.
type cachedClaims struct {
	claims Claims
	kid    string
	ttl    time.Duration
}

// NewIssuer returns an Issuer with its keys loaded. With no ConfigKeys and
// no key in the store that can sign, it generates one and stores it. When
// several replicas start together and each stores a key, each reloads and
// signs with the newest by (CreatedAt, ID), so they agree; a replica whose
// key lost retires it.
func NewIssuer(ctx context.Context, opts Options) (*Issuer, error) {
	if opts.Issuer == "" || opts.Audience == "" {
		return nil, errors.New("token: Issuer and Audience are required")
	}
	if opts.TTL < 0 {
		return nil, fmt.Errorf("token: negative TTL %v", opts.TTL)
	}
	if opts.TTL == 0 {
		opts.TTL = DefaultTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	i := &Issuer{
		issuer:   opts.Issuer,
		audience: opts.Audience,
		ttl:      opts.TTL,
		grace:    opts.TTL + leeway,
		now:      opts.Now,
		logger:   opts.Logger,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			jwt.WithIssuer(opts.Issuer),
			jwt.WithAudience(opts.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(leeway),
			jwt.WithTimeFunc(opts.Now),
			// Non-canonical base64 would let one signature appear under
			// many token strings.
			jwt.WithStrictDecoding(),
		),
	}
	switch size := opts.CacheSize; {
	case size == 0:
		i.cache = newCache(DefaultCacheSize)
	case size > 0:
		i.cache = newCache(size)
	}

	if len(opts.ConfigKeys) > 0 {
		keys, signer, err := checkConfigKeys(opts.ConfigKeys)
		if err != nil {
			return nil, err
		}
		i.keys.Store(newKeySet(keys, signer))
		return i, nil
	}
	if opts.KeyStore == nil {
		return nil, errors.New("token: a KeyStore or ConfigKeys is required")
	}
	i.store = opts.KeyStore
	if err := i.load(ctx, true); err != nil {
		return nil, err
	}
	return i, nil
}

func newCache(size int) *otter.Cache[[sha256.Size]byte, cachedClaims] {
	return otter.Must(&otter.Options[[sha256.Size]byte, cachedClaims]{
		MaximumSize: size,
		// Housekeeping only: Verify itself checks exp against its own clock
		// on every hit.
		ExpiryCalculator: otter.ExpiryCreatingFunc(func(e otter.Entry[[sha256.Size]byte, cachedClaims]) time.Duration {
			return e.Value.ttl
		}),
	})
}

// Sign returns a token for c signed with the current key, and its expiry.
// It sets iss, aud, iat and exp (now plus the TTL, to the second) whatever
// c says, and a random jti when c.ID is empty.
func (i *Issuer) Sign(c Claims) (token string, exp time.Time, err error) {
	if c.UserID == "" {
		return "", time.Time{}, errors.New("token: Sign needs a UserID")
	}
	signer := i.keys.Load().signer
	now := i.now().Truncate(time.Second).UTC()
	exp = now.Add(i.ttl)
	if c.ID == "" {
		c.ID = rand.Text()
	}
	jc := jwtClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    i.issuer,
			Subject:   c.UserID,
			Audience:  jwt.ClaimStrings{i.audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        c.ID,
		},
		SessionID: c.SessionID,
		Role:      c.Role,
	}
	if !c.AuthTime.IsZero() {
		jc.AuthTime = jwt.NewNumericDate(c.AuthTime)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jc)
	t.Header["kid"] = signer.ID
	token, err = t.SignedString(signer.Private)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("token: sign: %w", err)
	}
	return token, exp, nil
}

// Verify checks token and returns its claims. Every failure is an
// Unauthenticated error saying only "access token expired" or "access token
// is not valid"; the cause is kept for logs. A token whose kid is unknown
// makes the Issuer reload keys from the store (another replica may have
// rotated), at most once per 10 seconds, before it fails.
//
// A token verified before is answered from the cache without checking its
// signature again, until its exp or until its key stops verifying.
func (i *Issuer) Verify(ctx context.Context, token string) (*Claims, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, errs.E(errs.Unauthenticated, msgInvalid)
	}
	now := i.now()
	var sum [sha256.Size]byte
	if i.cache != nil {
		sum = sha256.Sum256([]byte(token))
		if e, ok := i.cache.GetIfPresent(sum); ok && now.Before(e.claims.ExpiresAt) && i.verifies(e.kid, now) {
			c := e.claims
			return &c, nil
		}
	}

	var jc jwtClaims
	var kid string
	_, err := i.parser.ParseWithClaims(token, &jc, func(t *jwt.Token) (any, error) {
		kid, _ = t.Header["kid"].(string)
		return i.publicKey(ctx, kid)
	})
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, errs.Wrap(err, errs.Unauthenticated, msgExpired)
	case err != nil:
		return nil, errs.Wrap(err, errs.Unauthenticated, msgInvalid)
	case jc.Subject == "":
		return nil, errs.Wrap(errors.New("token: no sub claim"), errs.Unauthenticated, msgInvalid)
	}

	c := Claims{
		UserID:    jc.Subject,
		SessionID: jc.SessionID,
		Role:      jc.Role,
		ExpiresAt: jc.ExpiresAt.UTC(),
		ID:        jc.ID,
	}
	if jc.IssuedAt != nil {
		c.IssuedAt = jc.IssuedAt.UTC()
	}
	if jc.AuthTime != nil {
		c.AuthTime = jc.AuthTime.UTC()
	}
	if ttl := c.ExpiresAt.Sub(now); i.cache != nil && ttl > 0 {
		i.cache.Set(sum, cachedClaims{claims: c, kid: kid, ttl: ttl})
	}
	return &c, nil
}

// verifies reports whether the key kid is known and still verifies at now.
func (i *Issuer) verifies(kid string, now time.Time) bool {
	k, ok := i.keys.Load().byID[kid]
	return ok && k.verifiesAt(now, i.grace)
}

// publicKey returns the key that verifies tokens with kid, reloading keys
// from the store first if kid is unknown and no such reload ran lately.
func (i *Issuer) publicKey(ctx context.Context, kid string) (any, error) {
	if kid == "" {
		return nil, errors.New("token: no kid header")
	}
	k, ok := i.keys.Load().byID[kid]
	if !ok && i.store != nil {
		i.reloadForUnknownKey(ctx)
		k, ok = i.keys.Load().byID[kid]
	}
	if !ok {
		return nil, errors.New("token: unknown kid")
	}
	if !k.verifiesAt(i.now(), i.grace) {
		return nil, errors.New("token: key retired")
	}
	return k.Public, nil
}

// reloadForUnknownKey reloads keys unless an unknown kid already did so in
// the last unknownKeyReloadInterval. Requests arriving during a reload wait
// for it and then look again.
func (i *Issuer) reloadForUnknownKey(ctx context.Context) {
	i.reloadMu.Lock()
	defer i.reloadMu.Unlock()
	now := i.now()
	if !i.lastUnknownKeyAt.IsZero() && now.Sub(i.lastUnknownKeyAt) < unknownKeyReloadInterval {
		return
	}
	i.lastUnknownKeyAt = now
	// The reload serves every waiting request, so the one that started it
	// must not cut it short by going away.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reloadTimeout)
	defer cancel()
	if err := i.load(ctx, false); err != nil {
		i.logger.WarnContext(ctx, "token: reloading signing keys for an unknown kid failed", "err", err)
	}
}

// jwk is one public key in a JSON Web Key Set (RFC 8037 for OKP keys).
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS returns the JSON Web Key Set of every key that still verifies,
// newest first, for /.well-known/jwks.json.
func (i *Issuer) JWKS() []byte {
	now := i.now()
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	for _, k := range i.keys.Load().all {
		if !k.verifiesAt(now, i.grace) {
			continue
		}
		set.Keys = append(set.Keys, jwk{
			Kty: "OKP",
			Crv: "Ed25519",
			X:   base64.RawURLEncoding.EncodeToString(k.Public),
			Kid: k.ID,
			Alg: jwt.SigningMethodEdDSA.Alg(),
			Use: "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return b
}

// SigningKeyID returns the kid of the key that signs new tokens.
func (i *Issuer) SigningKeyID() string {
	return i.keys.Load().signer.ID
}
