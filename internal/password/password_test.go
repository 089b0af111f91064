package password_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/dharmaplans/dharmaplans/internal/password"
)

const passphrase = "quiet mind under the bodhi tree"

func hash(t testing.TB, plain string) string {
	t.Helper()
	encoded, err := password.Hash(t.Context(), plain)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	return encoded
}

func verify(t testing.TB, plain, encoded string) bool {
	t.Helper()
	ok, err := password.Verify(t.Context(), plain, encoded)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return ok
}

func TestHash(t *testing.T) {
	t.Parallel()
	encoded := hash(t, passphrase)

	t.Run("the same password verifies", func(t *testing.T) {
		t.Parallel()
		if !verify(t, passphrase, encoded) {
			t.Error("Verify = false, want true")
		}
	})

	t.Run("a different password does not verify", func(t *testing.T) {
		t.Parallel()
		for _, wrong := range []string{"quiet mind under the bodhi tree ", "Quiet mind under the bodhi tree", ""} {
			if verify(t, wrong, encoded) {
				t.Errorf("Verify(%q) = true, want false", wrong)
			}
		}
	})

	t.Run("two hashes of one password differ by their salt", func(t *testing.T) {
		t.Parallel()
		other := hash(t, passphrase)
		if other == encoded {
			t.Fatal("two hashes are equal")
		}
		if !verify(t, passphrase, other) {
			t.Error("second hash does not verify")
		}
	})

	t.Run("the hash records OWASP's argon2id parameters", func(t *testing.T) {
		t.Parallel()
		const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
		if !strings.HasPrefix(encoded, prefix) {
			t.Fatalf("hash %q does not start with %q", encoded, prefix)
		}
		fields := strings.Split(strings.TrimPrefix(encoded, prefix), "$")
		if len(fields) != 2 {
			t.Fatalf("hash %q: want salt$key after the parameters", encoded)
		}
		for i, want := range []int{16, 32} {
			b, err := base64.RawStdEncoding.DecodeString(fields[i])
			if err != nil || len(b) != want {
				t.Errorf("field %d = %q: %d bytes, %v; want %d bytes", i, fields[i], len(b), err, want)
			}
		}
	})

	t.Run("a fresh hash needs no rehash", func(t *testing.T) {
		t.Parallel()
		if password.NeedsRehash(encoded) {
			t.Error("NeedsRehash = true, want false")
		}
	})
}

func TestVerifyMalformedHash(t *testing.T) {
	t.Parallel()
	const salt, key = "c29tZXNhbHRzb21lc2FsdA", "RdescudvJCsgt3ub+b+dWRWJTmaaJObGRdescudvJCs"
	t.Run("the salt and key below are well formed with sane parameters", func(t *testing.T) {
		t.Parallel()
		if verify(t, passphrase, "$argon2id$v=19$m=19456,t=2,p=1$"+salt+"$"+key) {
			t.Error("Verify = true, want false")
		}
	})
	for name, encoded := range map[string]string{
		"empty":              "",
		"not a PHC string":   "hunter2",
		"bcrypt":             "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":            "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"old version":        "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"no key":             "$argon2id$v=19$m=19456,t=2,p=1$" + salt,
		"empty key":          "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$",
		"empty salt":         "$argon2id$v=19$m=19456,t=2,p=1$$" + key,
		"extra field":        "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "$x",
		"bad base64":         "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$!!!!",
		"zero iterations":    "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"zero lanes":         "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"zero memory":        "$argon2id$v=19$m=0,t=2,p=1$" + salt + "$" + key,
		"4 TiB of memory":    "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,
		"too many lanes":     "$argon2id$v=19$m=19456,t=2,p=255$" + salt + "$" + key,
		"lanes overflow":     "$argon2id$v=19$m=19456,t=2,p=256$" + salt + "$" + key,
		"negative memory":    "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key,
		"parameters garbled": "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ok, err := password.Verify(t.Context(), passphrase, encoded)
			if ok || !errors.Is(err, password.ErrMalformedHash) {
				t.Errorf("Verify = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if !password.NeedsRehash(encoded) {
				t.Error("NeedsRehash = false, want true for a hash that cannot be parsed")
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	for name, params := range map[string]argon2id.Params{
		"less memory":     {Memory: 8192, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"more iterations": {Memory: 19456, Iterations: 3, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"more lanes":      {Memory: 19456, Iterations: 2, Parallelism: 2, SaltLength: 16, KeyLength: 32},
		"shorter salt":    {Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 8, KeyLength: 32},
		"longer key":      {Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 64},
	} {
		t.Run("a hash with "+name+" still verifies but needs a rehash", func(t *testing.T) {
			t.Parallel()
			encoded, err := argon2id.CreateHash(passphrase, &params)
			if err != nil {
				t.Fatal(err)
			}
			if !verify(t, passphrase, encoded) {
				t.Error("Verify = false, want true")
			}
			if !password.NeedsRehash(encoded) {
				t.Error("NeedsRehash = false, want true")
			}
		})
	}
}

func TestVerifyNothing(t *testing.T) {
	t.Parallel()
	// That it takes as long as Verify is by construction (same parameters,
	// same code path); timings are too noisy to assert here.
	t.Run("returns after doing the work", func(t *testing.T) {
		t.Parallel()
		password.VerifyNothing(t.Context())
	})
	t.Run("returns at once when the context has ended", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		password.VerifyNothing(ctx)
	})
}

// TestSlots is not parallel: it holds every hashing slot.
func TestSlots(t *testing.T) {
	encoded := hash(t, passphrase)
	free := sync.OnceFunc(password.TakeAllSlots())
	defer free()

	// waiting returns a context that ends a little after the call under test
	// has started to wait for a slot.
	waiting := func(t *testing.T) context.Context {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(20*time.Millisecond, cancel)
		t.Cleanup(cancel)
		return ctx
	}

	t.Run("Hash waiting for a slot gives up when its context ends", func(t *testing.T) {
		if _, err := password.Hash(waiting(t), passphrase); !errors.Is(err, context.Canceled) {
			t.Errorf("Hash error = %v, want context.Canceled", err)
		}
	})
	t.Run("Verify waiting for a slot gives up when its context ends", func(t *testing.T) {
		ok, err := password.Verify(waiting(t), passphrase, encoded)
		if ok || !errors.Is(err, context.Canceled) {
			t.Errorf("Verify = %v, %v; want false, context.Canceled", ok, err)
		}
	})
	t.Run("VerifyNothing waiting for a slot returns when its context ends", func(t *testing.T) {
		password.VerifyNothing(waiting(t))
	})
	t.Run("a deadline ends the wait with DeadlineExceeded", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if _, err := password.Hash(ctx, passphrase); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Hash error = %v, want context.DeadlineExceeded", err)
		}
	})

	free()
	t.Run("once slots are free, hashing works again", func(t *testing.T) {
		if !verify(t, passphrase, encoded) {
			t.Error("Verify = false, want true")
		}
	})
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		hash(b, passphrase)
	}
}

func BenchmarkVerify(b *testing.B) {
	encoded := hash(b, passphrase)
	for b.Loop() {
		verify(b, passphrase, encoded)
	}
}

func BenchmarkVerifyParallel(b *testing.B) {
	encoded := hash(b, passphrase)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, err := password.Verify(context.Background(), passphrase, encoded); !ok || err != nil {
				b.Errorf("Verify = %v, %v", ok, err)
			}
		}
	})
}
