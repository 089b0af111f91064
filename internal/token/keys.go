package token

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Key is one Ed25519 signing key.
type Key struct {
	// ID is the key's kid: base64url of the first 12 bytes of the SHA-256
	// of the public key, so every replica derives the same ID.
	ID string
	// Private signs; nil for a key that only verifies.
	Private ed25519.PrivateKey
	// Public verifies.
	Public ed25519.PublicKey
	// CreatedAt orders keys: the newest key that is not retired signs.
	CreatedAt time.Time
	// RetiredAt, when set, is when the key stopped signing. It keeps
	// verifying for one token lifetime (plus the clock leeway) after that,
	// so the tokens it signed live out their time.
	RetiredAt *time.Time
}

// KeyStore persists signing keys so that every replica of the server shares
// them. The SQL store implements it.
type KeyStore interface {
	// SigningKeys returns every stored key, newest first.
	SigningKeys(ctx context.Context) ([]Key, error)
	// AddSigningKey stores k. A key with the same ID is a conflict.
	AddSigningKey(ctx context.Context, k Key) error
	// RetireSigningKey marks the key retired at at.
	RetireSigningKey(ctx context.Context, id string, at time.Time) error
	// DeleteSigningKey removes the key.
	DeleteSigningKey(ctx context.Context, id string) error
}

// GenerateKey returns a new Ed25519 key created at now (truncated to the
// second).
func GenerateKey(now time.Time) (Key, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("token: generate key: %w", err)
	}
	return Key{ID: keyID(pub), Private: priv, Public: pub, CreatedAt: now.Truncate(time.Second).UTC()}, nil
}

// ParseKeyPEM reads one PEM block: a PKCS#8 Ed25519 private key ("PRIVATE
// KEY") or a PKIX Ed25519 public key ("PUBLIC KEY"). The key's ID derives
// from the public key, so replicas given the same file agree on it;
// CreatedAt is left zero.
func ParseKeyPEM(data []byte) (Key, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return Key{}, errors.New("token: no PEM block found")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return Key{}, errors.New("token: more than one PEM block; give one key per file")
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return Key{}, fmt.Errorf("token: parse private key: %w", err)
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return Key{}, fmt.Errorf("token: private key is %T, want Ed25519", k)
		}
		pub := priv.Public().(ed25519.PublicKey)
		return Key{ID: keyID(pub), Private: priv, Public: pub}, nil
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return Key{}, fmt.Errorf("token: parse public key: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return Key{}, fmt.Errorf("token: public key is %T, want Ed25519", k)
		}
		return Key{ID: keyID(pub), Public: pub}, nil
	default:
		return Key{}, fmt.Errorf("token: PEM block is %q, want \"PRIVATE KEY\" or \"PUBLIC KEY\"", block.Type)
	}
}

// MarshalPrivateKeyPEM encodes k's private key as a PKCS#8 "PRIVATE KEY" PEM
// block, the form ParseKeyPEM reads.
func MarshalPrivateKeyPEM(k Key) ([]byte, error) {
	if len(k.Private) != ed25519.PrivateKeySize {
		return nil, errors.New("token: key has no Ed25519 private key")
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, fmt.Errorf("token: marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// keyID derives a key's kid from its public key.
func keyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// verifiesAt reports whether k still verifies at now: it is not retired, or
// was retired less than grace ago.
func (k Key) verifiesAt(now time.Time, grace time.Duration) bool {
	return k.RetiredAt == nil || now.Before(k.RetiredAt.Add(grace))
}

// canSign reports whether k may sign new tokens.
func (k Key) canSign() bool {
	return k.RetiredAt == nil && len(k.Private) == ed25519.PrivateKeySize
}

// newer orders keys by (CreatedAt, ID), so every replica picks the same one.
func newer(a, b Key) bool {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

// newestSigner returns the newest key that may sign.
func newestSigner(keys []Key) (Key, bool) {
	var best Key
	found := false
	for _, k := range keys {
		if k.canSign() && (!found || newer(k, best)) {
			best, found = k, true
		}
	}
	return best, found
}

// keySet is one immutable snapshot of the keys an Issuer knows. It is
// replaced whole, never changed, so readers need no lock.
type keySet struct {
	signer Key
	byID   map[string]Key
	all    []Key // newest first
}

func newKeySet(keys []Key, signer Key) *keySet {
	s := &keySet{signer: signer, byID: make(map[string]Key, len(keys)+1)}
	for _, k := range keys {
		s.byID[k.ID] = k
	}
	if _, ok := s.byID[signer.ID]; !ok {
		s.byID[signer.ID] = signer
	}
	for _, k := range s.byID {
		s.all = append(s.all, k)
	}
	slices.SortFunc(s.all, func(a, b Key) int {
		switch {
		case newer(a, b):
			return -1
		case newer(b, a):
			return 1
		}
		return 0
	})
	return s
}

// checkConfigKeys validates keys given by configuration, filling in a
// missing public key or ID, and returns them with the key that signs.
func checkConfigKeys(keys []Key) ([]Key, Key, error) {
	out := make([]Key, 0, len(keys))
	seen := make(map[string]bool, len(keys))
	var signer Key
	for n, k := range keys {
		if k.Private != nil {
			if len(k.Private) != ed25519.PrivateKeySize {
				return nil, Key{}, fmt.Errorf("token: config key %d: bad Ed25519 private key", n)
			}
			pub := k.Private.Public().(ed25519.PublicKey)
			if k.Public != nil && !pub.Equal(k.Public) {
				return nil, Key{}, fmt.Errorf("token: config key %d: public key does not match private key", n)
			}
			k.Public = pub
		}
		if len(k.Public) != ed25519.PublicKeySize {
			return nil, Key{}, fmt.Errorf("token: config key %d: no Ed25519 public key", n)
		}
		if k.ID == "" {
			k.ID = keyID(k.Public)
		}
		if seen[k.ID] {
			return nil, Key{}, fmt.Errorf("token: config key %d: duplicate key ID %q", n, k.ID)
		}
		seen[k.ID] = true
		if signer.ID == "" && k.canSign() {
			signer = k
		}
		out = append(out, k)
	}
	if signer.ID == "" {
		return nil, Key{}, errors.New("token: no config key can sign: give at least one private key")
	}
	return out, signer, nil
}
