package token

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errConfigKeys is returned by operations on the store when configuration
// owns the keys.
var errConfigKeys = errors.New("token: signing keys come from configuration; change them there")

// Refresh reloads keys from the store, so a key rotated by another replica
// signs here too. Call it periodically, well within the TTL: a replica that
// goes on signing with a retired key makes tokens that stop verifying when
// the key's grace ends. If the store no longer holds a key that can sign, it
// generates one as NewIssuer does. With ConfigKeys it does nothing.
func (i *Issuer) Refresh(ctx context.Context) error {
	if i.store == nil {
		return nil
	}
	return i.load(ctx, true)
}

// load replaces the key snapshot with the store's keys. With create, it
// generates and stores a key when none can sign; without, it keeps signing
// with the current key.
func (i *Issuer) load(ctx context.Context, create bool) error {
	i.loadMu.Lock()
	defer i.loadMu.Unlock()

	keys, err := i.store.SigningKeys(ctx)
	if err != nil {
		return fmt.Errorf("token: load signing keys: %w", err)
	}
	signer, ok := newestSigner(keys)
	if !ok && create {
		if keys, signer, err = i.createFirstKey(ctx); err != nil {
			return err
		}
		ok = true
	}
	if !ok {
		prev := i.keys.Load()
		if prev == nil {
			return errors.New("token: the store holds no key that can sign")
		}
		i.logger.WarnContext(ctx, "token: the store holds no key that can sign; keeping the current one", "kid", prev.signer.ID)
		signer = prev.signer
	}
	i.keys.Store(newKeySet(keys, signer))
	return nil
}

// createFirstKey generates and stores a key, then reloads: replicas starting
// together may each have stored one, and all must sign with the same, the
// newest by (CreatedAt, ID). A key that lost is retired at once; it never
// signed anything. It returns the reloaded keys and the signer.
func (i *Issuer) createFirstKey(ctx context.Context) ([]Key, Key, error) {
	now := i.now()
	k, err := GenerateKey(now)
	if err != nil {
		return nil, Key{}, err
	}
	if err := i.store.AddSigningKey(ctx, k); err != nil {
		return nil, Key{}, fmt.Errorf("token: store new signing key: %w", err)
	}
	keys, err := i.store.SigningKeys(ctx)
	if err != nil {
		return nil, Key{}, fmt.Errorf("token: load signing keys: %w", err)
	}
	signer, ok := newestSigner(keys)
	if !ok {
		return nil, Key{}, fmt.Errorf("token: signing key %s is missing right after it was stored", k.ID)
	}
	if signer.ID == k.ID {
		i.logger.InfoContext(ctx, "token: generated a signing key", "kid", k.ID)
		return keys, signer, nil
	}
	// Another replica's key is newer: sign with it and retire ours.
	at := now.Truncate(time.Second).UTC()
	if err := i.store.RetireSigningKey(ctx, k.ID, at); err != nil {
		return nil, Key{}, fmt.Errorf("token: retire unused signing key: %w", err)
	}
	for n := range keys {
		if keys[n].ID == k.ID {
			keys[n].RetiredAt = &at
		}
	}
	i.logger.InfoContext(ctx, "token: another replica generated a signing key at the same time; using it",
		"kid", signer.ID, "retired_kid", k.ID)
	return keys, signer, nil
}

// Rotate makes a new key and signs with it from now on. Every older key
// still signing is retired now and keeps verifying for one TTL (plus the
// clock leeway) so its tokens live out their time; keys retired longer ago
// than that are deleted from the store. Run it on one replica (a scheduled
// job); the others pick the new key up on Refresh or on the first token it
// signed. With ConfigKeys it returns an error.
func (i *Issuer) Rotate(ctx context.Context) (Key, error) {
	if i.store == nil {
		return Key{}, errConfigKeys
	}
	i.loadMu.Lock()
	defer i.loadMu.Unlock()

	now := i.now().Truncate(time.Second).UTC()
	keys, err := i.store.SigningKeys(ctx)
	if err != nil {
		return Key{}, fmt.Errorf("token: load signing keys: %w", err)
	}
	k, err := GenerateKey(now)
	if err != nil {
		return Key{}, err
	}
	// Two rotations within a second must still order the new key last.
	for _, old := range keys {
		if !newer(k, old) {
			k.CreatedAt = old.CreatedAt.Add(time.Second)
		}
	}
	if err := i.store.AddSigningKey(ctx, k); err != nil {
		return Key{}, fmt.Errorf("token: store new signing key: %w", err)
	}
	for _, old := range keys {
		switch {
		case old.RetiredAt == nil:
			if err := i.store.RetireSigningKey(ctx, old.ID, now); err != nil {
				return Key{}, fmt.Errorf("token: retire signing key %s: %w", old.ID, err)
			}
		case !old.verifiesAt(now, i.grace):
			if err := i.store.DeleteSigningKey(ctx, old.ID); err != nil {
				return Key{}, fmt.Errorf("token: delete signing key %s: %w", old.ID, err)
			}
		}
	}

	keys, err = i.store.SigningKeys(ctx)
	if err != nil {
		return Key{}, fmt.Errorf("token: load signing keys: %w", err)
	}
	signer, ok := newestSigner(keys)
	if !ok {
		return Key{}, fmt.Errorf("token: signing key %s is missing right after it was stored", k.ID)
	}
	i.keys.Store(newKeySet(keys, signer))
	i.logger.InfoContext(ctx, "token: rotated signing key", "kid", k.ID)
	return k, nil
}
