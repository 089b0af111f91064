// Package settings keeps the system settings that administrators change in
// the admin panel while the server runs: the site's name, whether anyone may
// sign up or only people with an invitation, the defaults new readers start
// with, the abuse limits of the sign-in flows, and feature flags. It also
// keeps the invitations that invitation-only registration needs.
//
// The settings are one versioned document in the database. Every replica
// keeps a copy in memory, so reading them costs nothing; a change made on
// one replica is announced to the others on the pub/sub and each re-reads
// the document at least every 30 seconds besides, so a lost notice delays a
// change, never loses it. Changes are written with the version they were
// made from (a stale one is a conflict) and recorded in the audit log.
package settings

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
)

// Settings are the system settings.
type Settings struct {
	// SiteName is what the apps and emails call the site: 1-100 characters.
	SiteName string
	// Registration says who may create an account.
	Registration Registration
	// DefaultReminderHour (0-23, the reader's local time) is the reminder
	// an enrolment gets when the reader chooses none.
	DefaultReminderHour int
	// DefaultGraceDays (0 to practice.MaxGracePerWeek) are the grace days a
	// week a reader's streak starts with, until they choose their own.
	DefaultGraceDays int
	// RateLimits are the abuse limits of the sign-in flows.
	RateLimits RateLimits
	// Features switches features on and off; it holds every known flag.
	Features map[Feature]bool
}

// Registration says who may create an account.
type Registration string

// The ways of registration.
const (
	// Open lets anyone sign up.
	Open Registration = "open"
	// InviteOnly lets only people with an invitation sign up.
	InviteOnly Registration = "invite_only"
)

// Valid reports whether r is Open or InviteOnly.
func (r Registration) Valid() bool { return r == Open || r == InviteOnly }

// Feature names a feature that administrators switch on and off.
type Feature string

// The feature flags. Each switches something on the server itself.
const (
	// Recommendations: plans suggested to read next.
	Recommendations Feature = "recommendations"
	// SearchSuggestions: plans offered while typing in search.
	SearchSuggestions Feature = "search_suggestions"
	// Journal: writing reflections on the days of a plan.
	Journal Feature = "journal"
)

// FeatureInfo describes a feature flag for administrators.
type FeatureInfo struct {
	Flag        Feature
	Description string
}

// Features lists the known feature flags, each on by default.
var Features = []FeatureInfo{
	{Recommendations, "Suggest plans to read next (GET /v1/recommendations). Off: the list of suggestions is empty."},
	{SearchSuggestions, "Offer plans while people type in search (GET /v1/search/suggest). Off: typeahead offers nothing; search itself still works."},
	{Journal, "Let readers write a reflection on each day of a plan. Off: new and changed reflections are refused (403), also from offline sync; written ones can still be read and exported."},
}

// Known reports whether f is one of Features.
func (f Feature) Known() bool {
	return slices.ContainsFunc(Features, func(i FeatureInfo) bool { return i.Flag == f })
}

// Period is the time over which a Rate counts.
type Period string

// The periods a rate limit may count over.
const (
	PerMinute Period = "1m"
	PerHour   Period = "1h"
	PerDay    Period = "1d"
)

// Periods lists the periods.
var Periods = []Period{PerMinute, PerHour, PerDay}

// Duration is the period as a duration; zero for an unknown one.
func (p Period) Duration() time.Duration {
	switch p {
	case PerMinute:
		return time.Minute
	case PerHour:
		return time.Hour
	case PerDay:
		return 24 * time.Hour
	}
	return 0
}

// MaxRate bounds a Rate's count: more would not limit anything.
const MaxRate = 10_000

// Rate allows Rate attempts per Period, all at once if need be.
type Rate struct {
	Rate   int    `json:"rate"`
	Period Period `json:"period"`
}

// limit is r for the rate limiter.
func (r Rate) limit() ratelimit.Limit {
	return ratelimit.Limit{Rate: r.Rate, Period: r.Period.Duration()}
}

// RateLimits are the abuse limits of the sign-in flows that administrators
// tune; the others stay as identity.DefaultLimits has them.
type RateLimits struct {
	LoginPerIP      Rate // sign-in attempts per client address
	LoginPerAccount Rate // sign-in attempts per email address
	RegisterPerIP   Rate // sign-ups per client address
	RefreshPerIP    Rate // token refreshes per client address
	ResetPerIP      Rate // password-reset requests per client address
}

// RateLimitNames lists the rate limits by the names the API uses.
var RateLimitNames = []string{"login_per_ip", "login_per_account", "register_per_ip", "refresh_per_ip", "reset_per_ip"}

// byName returns the rate limit called name, or nil.
func (l *RateLimits) byName(name string) *Rate {
	switch name {
	case "login_per_ip":
		return &l.LoginPerIP
	case "login_per_account":
		return &l.LoginPerAccount
	case "register_per_ip":
		return &l.RegisterPerIP
	case "refresh_per_ip":
		return &l.RefreshPerIP
	case "reset_per_ip":
		return &l.ResetPerIP
	}
	return nil
}

// ByName returns the rate limit called name (one of RateLimitNames).
func (l RateLimits) ByName(name string) (Rate, bool) {
	r := l.byName(name)
	if r == nil {
		return Rate{}, false
	}
	return *r, true
}

// Defaults are the settings of a site nobody has configured.
func Defaults() Settings {
	d := identity.DefaultLimits()
	rate := func(l ratelimit.Limit) Rate {
		p := PerMinute
		if l.Period == time.Hour {
			p = PerHour
		}
		return Rate{Rate: l.Rate, Period: p}
	}
	s := Settings{
		SiteName:            identity.DefaultSiteName,
		Registration:        Open,
		DefaultReminderHour: 7,
		DefaultGraceDays:    practice.DefaultGracePerWeek,
		RateLimits: RateLimits{
			LoginPerIP: rate(d.LoginPerIP), LoginPerAccount: rate(d.LoginPerAccount), RegisterPerIP: rate(d.RegisterPerIP),
			RefreshPerIP: rate(d.RefreshPerIP), ResetPerIP: rate(d.ResetPerIP),
		},
		Features: map[Feature]bool{},
	}
	for _, f := range Features {
		s.Features[f.Flag] = true
	}
	return s
}

// Clone returns a copy of s that shares nothing with it.
func (s Settings) Clone() Settings {
	s.Features = maps.Clone(s.Features)
	return s
}

// Enabled reports whether feature f is on.
func (s Settings) Enabled(f Feature) bool { return s.Features[f] }

// ReminderTime is the default reminder as a time of day, "07:00".
func (s Settings) ReminderTime() string { return fmt.Sprintf("%02d:00", s.DefaultReminderHour) }

// identityLimits are identity's abuse limits under s.
func (s Settings) identityLimits() identity.Limits {
	l := identity.DefaultLimits()
	r := s.RateLimits
	l.LoginPerIP, l.LoginPerAccount, l.RegisterPerIP = r.LoginPerIP.limit(), r.LoginPerAccount.limit(), r.RegisterPerIP.limit()
	l.RefreshPerIP, l.ResetPerIP = r.RefreshPerIP.limit(), r.ResetPerIP.limit()
	return l
}

// Patch is a change to the settings: nil and absent fields stay as they are.
type Patch struct {
	SiteName            *string
	Registration        *Registration
	DefaultReminderHour *int
	DefaultGraceDays    *int
	// RateLimits change by name (RateLimitNames).
	RateLimits map[string]RatePatch
	Features   map[Feature]bool
}

// RatePatch changes a Rate: nil fields stay as they are.
type RatePatch struct {
	Rate   *int
	Period *Period
}

// apply returns s changed by p, or every problem with p at once, as field
// errors located in the request body ("body.default_reminder_hour").
func (s Settings) apply(p Patch) (Settings, []errs.FieldError) {
	next := s.Clone()
	var fields []errs.FieldError
	bad := func(field, msg string, args ...any) {
		fields = append(fields, errs.FieldError{Field: "body." + field, Message: fmt.Sprintf(msg, args...)})
	}
	if p.SiteName != nil {
		if name, msg := checkSiteName(*p.SiteName); msg != "" {
			bad("site_name", "site_name %s", msg)
		} else {
			next.SiteName = name
		}
	}
	if p.Registration != nil {
		if !p.Registration.Valid() {
			bad("registration", "registration must be open or invite_only")
		} else {
			next.Registration = *p.Registration
		}
	}
	if h := p.DefaultReminderHour; h != nil {
		if msg := checkHour(*h); msg != "" {
			bad("default_reminder_hour", "default_reminder_hour %s", msg)
		} else {
			next.DefaultReminderHour = *h
		}
	}
	if g := p.DefaultGraceDays; g != nil {
		if msg := checkGrace(*g); msg != "" {
			bad("default_grace_days", "default_grace_days %s", msg)
		} else {
			next.DefaultGraceDays = *g
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.RateLimits)) {
		rp := p.RateLimits[name]
		r := next.RateLimits.byName(name)
		if r == nil {
			bad("rate_limits."+name, "%q is not a rate limit; they are %s", name, strings.Join(RateLimitNames, ", "))
			continue
		}
		if rp.Rate != nil {
			if msg := checkRate(*rp.Rate); msg != "" {
				bad("rate_limits."+name+".rate", "rate %s", msg)
			} else {
				r.Rate = *rp.Rate
			}
		}
		if rp.Period != nil {
			if rp.Period.Duration() == 0 {
				bad("rate_limits."+name+".period", "period must be 1m, 1h or 1d")
			} else {
				r.Period = *rp.Period
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(p.Features)) {
		if !f.Known() {
			bad("features."+string(f), "%q is not a feature flag; they are %s", f, featureList())
			continue
		}
		next.Features[f] = p.Features[f]
	}
	return next, fields
}

// repair puts back the default of every field of s that a version of the
// server would refuse (a document edited by hand, or written by a later
// version), and names them.
func (s *Settings) repair() []string {
	d := Defaults()
	var fixed []string
	if name, msg := checkSiteName(s.SiteName); msg != "" {
		s.SiteName, fixed = d.SiteName, append(fixed, "site_name")
	} else {
		s.SiteName = name
	}
	if !s.Registration.Valid() {
		s.Registration, fixed = d.Registration, append(fixed, "registration")
	}
	if checkHour(s.DefaultReminderHour) != "" {
		s.DefaultReminderHour, fixed = d.DefaultReminderHour, append(fixed, "default_reminder_hour")
	}
	if checkGrace(s.DefaultGraceDays) != "" {
		s.DefaultGraceDays, fixed = d.DefaultGraceDays, append(fixed, "default_grace_days")
	}
	for _, name := range RateLimitNames {
		r := s.RateLimits.byName(name)
		if checkRate(r.Rate) != "" || r.Period.Duration() == 0 {
			*r, fixed = *d.RateLimits.byName(name), append(fixed, "rate_limits."+name)
		}
	}
	for f := range s.Features {
		if !f.Known() {
			delete(s.Features, f)
		}
	}
	for f, on := range d.Features {
		if _, ok := s.Features[f]; !ok {
			s.Features[f] = on
		}
	}
	return fixed
}

// MaxSiteName is the longest site name, in characters.
const MaxSiteName = 100

// checkSiteName trims a site name and says what is wrong with it, if
// anything.
func checkSiteName(raw string) (string, string) {
	n := strings.TrimSpace(raw)
	switch {
	case !utf8.ValidString(n):
		return "", "must be UTF-8 text"
	case n == "":
		return "", "must not be empty"
	case utf8.RuneCountInString(n) > MaxSiteName:
		return "", fmt.Sprintf("must be at most %d characters", MaxSiteName)
	case strings.ContainsFunc(n, unicode.IsControl):
		return "", "must not contain control characters such as line breaks"
	}
	return n, ""
}

func checkHour(h int) string {
	if h < 0 || h > 23 {
		return "must be from 0 to 23"
	}
	return ""
}

func checkGrace(g int) string {
	if g < 0 || g > practice.MaxGracePerWeek {
		return fmt.Sprintf("must be from 0 to %d", practice.MaxGracePerWeek)
	}
	return ""
}

func checkRate(n int) string {
	if n < 1 || n > MaxRate {
		return fmt.Sprintf("must be from 1 to %d", MaxRate)
	}
	return ""
}

func featureList() string {
	names := make([]string, len(Features))
	for i, f := range Features {
		names[i] = string(f.Flag)
	}
	return strings.Join(names, ", ")
}

// changes lists what differs from a to b, field by field, as the audit
// log's details: {"site_name": {"from": "...", "to": "..."}}.
func changes(a, b Settings) map[string]any {
	out := map[string]any{}
	note := func(field string, from, to any) {
		if from != to {
			out[field] = map[string]any{"from": from, "to": to}
		}
	}
	note("site_name", a.SiteName, b.SiteName)
	note("registration", string(a.Registration), string(b.Registration))
	note("default_reminder_hour", a.DefaultReminderHour, b.DefaultReminderHour)
	note("default_grace_days", a.DefaultGraceDays, b.DefaultGraceDays)
	for _, name := range RateLimitNames {
		note("rate_limits."+name, *a.RateLimits.byName(name), *b.RateLimits.byName(name))
	}
	for _, f := range Features {
		note("features."+string(f.Flag), a.Features[f.Flag], b.Features[f.Flag])
	}
	return out
}
