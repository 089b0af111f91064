// Package password hashes and verifies account passwords and holds the
// password policy.
//
// Hashes are argon2id PHC strings with OWASP's recommended parameters
// (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte key). Each hash or
// verification takes about 19 MiB of memory for tens of milliseconds, so at
// most twice GOMAXPROCS of them run at once; the rest wait, and give up when
// their context ends. Check says why a new password is
// not acceptable: too short, too long, one of the most common passwords, or
// built from the user's own email address or name.
package password

//go:generate go run ./internal/gen -out common-passwords.txt.gz

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"golang.org/x/text/unicode/norm"
	"runtime"
	"strings"

	"github.com/alexedwards/argon2id"
)

// params are the argon2id parameters of new hashes: OWASP's recommendation
// for argon2id (m=19456 KiB, t=2, p=1) with a 16-byte salt and a 32-byte key.
// Hashes made with other parameters still verify; NeedsRehash tells when to
// replace them.
var params = argon2id.Params{
	Memory:      19456,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// ErrMalformedHash is returned by Verify for a stored hash that is not an
// argon2id PHC string with sane parameters. It means corrupt data, not a
// wrong password.
var ErrMalformedHash = errors.New("password: malformed hash")

// Bounds on the parameters Verify accepts from a stored hash. They leave room
// to raise params later while refusing values that would make argon2 panic
// (t=0, p=0) or exhaust memory.
const (
	maxMemory     = 256 * 1024 // KiB
	maxIterations = 64
	maxLanes      = 64
	minSaltLength = 8
	maxSaltLength = 64
	minKeyLength  = 16
	maxKeyLength  = 64
)

// slots bounds the hashes and verifications running at once, so that a burst
// of logins queues instead of allocating 19 MiB per request.
var slots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// acquire takes a slot, or returns ctx's error if ctx ends first.
func acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release() { <-slots }

// Hash returns an argon2id PHC string for plain made with the current
// parameters and a fresh random salt: $argon2id$v=19$m=19456,t=2,p=1$salt$key.
// It waits for a free slot and returns ctx.Err() if ctx ends first. It does
// not apply the policy: call Check first.
func Hash(ctx context.Context, plain string) (string, error) {
	if err := acquire(ctx); err != nil {
		return "", err
	}
	defer release()
	encoded, err := argon2id.CreateHash(normalize(plain), &params)
	if err != nil {
		return "", fmt.Errorf("password: hash: %w", err)
	}
	return encoded, nil
}

// Verify reports whether plain matches encoded, a hash made by Hash (with
// these or any earlier sane parameters). The comparison is constant-time. A
// wrong password is (false, nil); err is ErrMalformedHash for a hash it cannot
// parse, or ctx.Err() if ctx ends while waiting for a slot.
func Verify(ctx context.Context, plain, encoded string) (ok bool, err error) {
	if _, err := decode(encoded); err != nil {
		return false, err
	}
	if err := acquire(ctx); err != nil {
		return false, err
	}
	defer release()
	ok, err = argon2id.ComparePasswordAndHash(normalize(plain), encoded)
	if err != nil {
		// decode accepted it, so this is not expected.
		return false, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return ok, nil
}

// dummyHash has the current parameters and a salt and key that no password
// is known to match. It is built, not computed, so VerifyNothing costs exactly
// one verification from its first call.
var dummyHash = fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
	params.Memory, params.Iterations, params.Parallelism,
	base64.RawStdEncoding.EncodeToString(make([]byte, params.SaltLength)),
	base64.RawStdEncoding.EncodeToString(make([]byte, params.KeyLength)))

// VerifyNothing does the work of one Verify against a hash with the current
// parameters and discards the result. Call it when a login names an account
// that does not exist, so that the response takes as long as for a wrong
// password and does not reveal whether the email is registered. It waits for
// a slot like Verify and returns early, as Verify would, if ctx ends.
func VerifyNothing(ctx context.Context) {
	_, _ = Verify(ctx, "", dummyHash)
}

// NeedsRehash reports whether encoded was made with parameters other than
// the current ones, so the caller should hash the password again after a
// successful Verify and store the new hash. It is also true for a hash it
// cannot parse.
func NeedsRehash(encoded string) bool {
	p, err := decode(encoded)
	return err != nil || *p != params
}

// decode parses encoded and checks its parameters against the bounds, so
// that nothing malformed reaches argon2, which panics on some values.
func decode(encoded string) (*argon2id.Params, error) {
	if !strings.HasPrefix(encoded, "$argon2id$") {
		return nil, ErrMalformedHash
	}
	p, _, _, err := argon2id.DecodeHash(encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	switch {
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemory,
		p.Iterations < 1 || p.Iterations > maxIterations,
		p.Parallelism < 1 || p.Parallelism > maxLanes,
		p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength,
		p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return nil, fmt.Errorf("%w: parameters out of range", ErrMalformedHash)
	}
	return p, nil
}

// normalize puts a password in Unicode NFKC form before hashing (NIST SP
// 800-63B 5.1.1.2), so "Mettā" typed with a combining macron on one device
// and a precomposed ā on another is the same password.
func normalize(plain string) string { return norm.NFKC.String(plain) }
