package identity

import "context"

// DefaultSiteName is what emails call the site when no Site names it.
const DefaultSiteName = "Dharma Plans"

// Site is what identity reads of the site-wide settings that administrators
// change while the server runs (package settings implements it). Identity
// asks on every use, so a change applies to the next request; the
// implementation keeps the answers in memory.
type Site interface {
	// Limits are the abuse limits in force now.
	Limits(ctx context.Context) Limits
	// SiteName is the site's name, for the subjects and text of emails.
	SiteName(ctx context.Context) string
	// Admit decides whether an account for email (normalised) may be
	// created now. When registration is by invitation, inviteCode must be
	// a valid invitation for that address: Admit claims it, so that of two
	// registrations with one code only one is admitted, and refuses
	// anything else with a Forbidden error saying why.
	Admit(ctx context.Context, email, inviteCode string) (Admission, error)
}

// An Admission is the place Admit granted one new account.
type Admission interface {
	// Confirm records the account that was created with it.
	Confirm(ctx context.Context, userID string) error
	// Release gives the place back when no account was created.
	Release(ctx context.Context) error
}

// limitsNow are the abuse limits to apply now: Config.Limits when set
// (tests), else the site's, else DefaultLimits.
func (s *Service) limitsNow(ctx context.Context) Limits {
	switch {
	case s.cfg.Limits != nil:
		return *s.cfg.Limits
	case s.site != nil:
		return s.site.Limits(ctx)
	}
	return DefaultLimits()
}

// siteName is the site's name for emails.
func (s *Service) siteName(ctx context.Context) string {
	if s.site == nil {
		return DefaultSiteName
	}
	if n := s.site.SiteName(ctx); n != "" {
		return n
	}
	return DefaultSiteName
}

// admit asks the site whether an account for email may be created now.
// Without a Site, registration is open.
func (s *Service) admit(ctx context.Context, email, inviteCode string) (Admission, error) {
	if s.site == nil {
		return openAdmission{}, nil
	}
	return s.site.Admit(ctx, email, inviteCode)
}

// openAdmission is the Admission of open registration: nothing to record.
type openAdmission struct{}

func (openAdmission) Confirm(context.Context, string) error { return nil }
func (openAdmission) Release(context.Context) error         { return nil }
