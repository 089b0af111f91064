package identity

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
)

// Limits are the abuse limits of the sign-in flows, per client IP address
// and per account (email address or session). Each is a rate with a burst;
// see ratelimit.Limit.
type Limits struct {
	LoginPerIP        ratelimit.Limit
	LoginPerAccount   ratelimit.Limit
	RegisterPerIP     ratelimit.Limit
	RegisterPerEmail  ratelimit.Limit
	RefreshPerIP      ratelimit.Limit
	RefreshPerSession ratelimit.Limit
	ResetPerIP        ratelimit.Limit
	ResetPerAccount   ratelimit.Limit
	VerifyMailPerUser ratelimit.Limit
	// LockAfter wrong passwords in a row lock password sign-in for
	// LockFirst, doubling with each further failure up to LockMax. The lock
	// never grows beyond LockMax, attempts during a lock are refused without
	// counting, and a password reset by email lifts it: an attacker can slow
	// a person down but never shut them out.
	LockAfter int
	LockFirst time.Duration
	LockMax   time.Duration
}

// DefaultLimits are generous for people and tight for scripts.
func DefaultLimits() Limits {
	return Limits{
		LoginPerIP:        ratelimit.Limit{Rate: 30, Period: time.Minute},
		LoginPerAccount:   ratelimit.Limit{Rate: 10, Period: time.Minute},
		RegisterPerIP:     ratelimit.Limit{Rate: 10, Period: time.Hour},
		RegisterPerEmail:  ratelimit.Limit{Rate: 5, Period: time.Hour},
		RefreshPerIP:      ratelimit.Limit{Rate: 300, Period: time.Minute},
		RefreshPerSession: ratelimit.Limit{Rate: 30, Period: time.Minute},
		ResetPerIP:        ratelimit.Limit{Rate: 10, Period: time.Hour},
		ResetPerAccount:   ratelimit.Limit{Rate: 3, Period: time.Hour},
		VerifyMailPerUser: ratelimit.Limit{Rate: 3, Period: time.Hour},
		LockAfter:         5,
		LockFirst:         time.Minute,
		LockMax:           15 * time.Minute,
	}
}

// allow spends one event of key under l; a refusal is a RateLimited error
// with Retry-After. A limiter failure (never a dead cache: that allows) is
// logged and lets the request through.
func (s *Service) allow(ctx context.Context, key string, l ratelimit.Limit) error {
	if s.limiter == nil || l.Rate == 0 {
		return nil
	}
	res, err := s.limiter.Allow(ctx, key, l)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.logger.ErrorContext(ctx, "rate limiter failed", "error", err)
		return nil
	}
	if !res.Allowed {
		return errs.TooMany(res.RetryAfter, "too many attempts; try again in %s", roundUp(res.RetryAfter))
	}
	return nil
}

// lockFor is how long password sign-in locks after failures wrong
// passwords in a row: nothing before LockAfter, then doubling to LockMax.
func (l Limits) lockFor(failures int) time.Duration {
	if l.LockAfter <= 0 || failures < l.LockAfter {
		return 0
	}
	d := l.LockFirst
	for i := l.LockAfter; i < failures && d < l.LockMax; i++ {
		d *= 2
	}
	return min(d, l.LockMax)
}

// roundUp shows a wait in whole seconds, at least one.
func roundUp(d time.Duration) time.Duration {
	s := (d + time.Second - 1) / time.Second * time.Second
	return max(s, time.Second)
}
