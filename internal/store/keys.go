package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/token"
)

var _ token.KeyStore = (*Store)(nil)

// SigningKeys implements token.KeyStore.
func (s *Store) SigningKeys(ctx context.Context) ([]token.Key, error) {
	rows, err := s.db.Read.QueryContext(ctx,
		`SELECT id, private_key, public_key, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var keys []token.Key
	for rows.Next() {
		var (
			k         token.Key
			priv, pub []byte
			retired   sql.NullTime
		)
		if err := rows.Scan(&k.ID, &priv, &pub, &k.CreatedAt, &retired); err != nil {
			return nil, s.fail(err, "")
		}
		if len(priv) == ed25519.PrivateKeySize {
			k.Private = ed25519.PrivateKey(priv)
		}
		k.Public = ed25519.PublicKey(pub)
		k.CreatedAt = k.CreatedAt.UTC()
		k.RetiredAt = timePtr(retired)
		keys = append(keys, k)
	}
	return keys, s.fail(rows.Err(), "")
}

// AddSigningKey implements token.KeyStore.
func (s *Store) AddSigningKey(ctx context.Context, k token.Key) error {
	var priv []byte
	if k.Private != nil {
		priv = []byte(k.Private)
	}
	_, err := s.db.Write.ExecContext(ctx,
		`INSERT INTO signing_keys (id, private_key, public_key, created_at, retired_at) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, priv, []byte(k.Public), k.CreatedAt.UTC(), utcPtr(k.RetiredAt))
	return s.fail(err, "signing key")
}

// RetireSigningKey implements token.KeyStore.
func (s *Store) RetireSigningKey(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "signing key", `UPDATE signing_keys SET retired_at = COALESCE(retired_at, $2) WHERE id = $1`, id, at.UTC())
}

// DeleteSigningKey implements token.KeyStore.
func (s *Store) DeleteSigningKey(ctx context.Context, id string) error {
	_, err := s.db.Write.ExecContext(ctx, `DELETE FROM signing_keys WHERE id = $1`, id)
	return s.fail(err, "signing key")
}
