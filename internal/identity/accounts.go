package identity

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/password"
)

// Client describes where a request comes from, for limits and for naming
// sessions ("Firefox on Linux").
type Client struct {
	IP        string
	UserAgent string
}

// Registration is what a new account starts with.
type Registration struct {
	Email       string
	Password    string
	DisplayName string
	Timezone    string // optional; the browser knows it
	Locale      string // optional
	// InviteCode is the invitation the person brought, needed when
	// registration is by invitation (see Site.Admit); ignored otherwise.
	InviteCode string
}

// Tokens is a signed-in session's credentials.
type Tokens struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	Session      *Session
	User         *User
}

// NormalizeEmail trims, lower-cases and checks an email address. Addresses
// are unique in this form.
func NormalizeEmail(raw string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(raw))
	if e == "" {
		return "", errors.New("is required")
	}
	if len(e) > 254 {
		return "", errors.New("is longer than 254 characters")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", errors.New("is not a valid email address")
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") && domain != "localhost" {
		return "", errors.New("is not a valid email address")
	}
	return e, nil
}

// checkDisplayName trims a display name and checks it.
func checkDisplayName(raw string) (string, error) {
	n := strings.TrimSpace(raw)
	switch {
	case n == "":
		return "", errors.New("is required")
	case utf8.RuneCountInString(n) > 80:
		return "", errors.New("must be at most 80 characters")
	case strings.ContainsFunc(n, unicode.IsControl):
		return "", errors.New("must not contain control characters")
	}
	return n, nil
}

// CheckTimezone accepts IANA time zone names from the tz database, such as
// "Asia/Colombo" or "UTC".
func CheckTimezone(tz string) error {
	if tz == "" || tz == "Local" || len(tz) > 64 {
		return errors.New("must be an IANA time zone such as Asia/Colombo")
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return errors.New("is not a time zone in the tz database (try e.g. Europe/London)")
	}
	return nil
}

// checkLocale accepts BCP 47 language tags and returns them canonical.
func checkLocale(raw string) (string, error) {
	if raw == "" || len(raw) > 35 {
		return "", errors.New("must be a BCP 47 language tag such as en or pt-BR")
	}
	tag, err := language.Parse(raw)
	if err != nil {
		return "", errors.New("is not a BCP 47 language tag (try e.g. en, si or pt-BR)")
	}
	return tag.String(), nil
}

// Register creates an account, signs it in and sends an email to verify
// the address. A taken address is a conflict whose message does not say
// whose, and the password is hashed before looking, so the answer takes as
// long either way. When registration is by invitation, the invitation is
// claimed before the account is made and given back if it is not.
func (s *Service) Register(ctx context.Context, c Client, r Registration) (*Tokens, error) {
	limits := s.limitsNow(ctx)
	if err := s.allow(ctx, "register:ip:"+c.IP, limits.RegisterPerIP); err != nil {
		return nil, err
	}
	u, plain, err := s.newUser(r)
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, "register:account:"+u.Email, limits.RegisterPerEmail); err != nil {
		return nil, err
	}
	admission, err := s.admit(ctx, u.Email, r.InviteCode)
	if err != nil {
		return nil, err
	}
	if u.PasswordHash, err = hashPassword(ctx, plain); err == nil {
		err = s.store.CreateUser(ctx, u)
	}
	if err != nil {
		if rerr := admission.Release(context.WithoutCancel(ctx)); rerr != nil {
			s.logger.ErrorContext(ctx, "giving back an invitation failed", "error", rerr)
		}
		if errs.Is(err, errs.Conflict) {
			return nil, errEmailTaken
		}
		return nil, err
	}
	if err := admission.Confirm(context.WithoutCancel(ctx), u.ID); err != nil {
		s.logger.ErrorContext(ctx, "recording who used an invitation failed", "user_id", u.ID, "error", err)
	}
	s.logger.InfoContext(ctx, "account created", "user_id", u.ID)
	s.enqueueEmail(ctx, accountEmailArgs{Purpose: PurposeVerifyEmail, UserID: u.ID})
	return s.startSession(ctx, c, u, u.CreatedAt)
}

var errEmailTaken = errs.E(errs.Conflict, "this email address cannot be used to sign up; if it is yours, sign in or reset your password")

// CreateUser makes an account with a role, for the command line: no
// session, no rate limit, and the address counts as verified (an operator
// typed it).
func (s *Service) CreateUser(ctx context.Context, r Registration, role Role) (*User, error) {
	if !role.Valid() {
		return nil, errs.Validation(errs.FieldError{Field: "role", Message: "role must be user, author or admin"})
	}
	u, plain, err := s.newUser(r)
	if err != nil {
		return nil, err
	}
	if u.PasswordHash, err = hashPassword(ctx, plain); err != nil {
		return nil, err
	}
	u.Role, u.EmailVerifiedAt = role, &u.CreatedAt
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, errs.E(errs.Conflict, "an account with this email address exists already")
		}
		return nil, err
	}
	s.logger.InfoContext(ctx, "account created", "user_id", u.ID, "role", string(role))
	return u, nil
}

// newUser checks a registration, reporting every problem at once, and
// returns the user to store (without its password hash) and the password.
func (s *Service) newUser(r Registration) (*User, string, error) {
	var fields []errs.FieldError
	email, err := NormalizeEmail(r.Email)
	if err != nil {
		fields = append(fields, errs.FieldError{Field: "body.email", Message: "email " + err.Error()})
	}
	name, err := checkDisplayName(r.DisplayName)
	if err != nil {
		fields = append(fields, errs.FieldError{Field: "body.display_name", Message: "display name " + err.Error()})
	}
	local, _, _ := strings.Cut(email, "@")
	fields = append(fields, passwordProblems(r.Password, "body.password", local, name)...)
	tz, locale := "UTC", "en"
	if r.Timezone != "" {
		if err := CheckTimezone(r.Timezone); err != nil {
			fields = append(fields, errs.FieldError{Field: "body.timezone", Message: "timezone " + err.Error()})
		}
		tz = r.Timezone
	}
	if r.Locale != "" {
		if locale, err = checkLocale(r.Locale); err != nil {
			fields = append(fields, errs.FieldError{Field: "body.locale", Message: "locale " + err.Error()})
		}
	}
	if len(fields) > 0 {
		return nil, "", errs.Validation(fields...)
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	return &User{
		ID: NewID(), Email: email, DisplayName: name, Role: RoleUser,
		Timezone: tz, Locale: locale, Theme: "system", CreatedAt: now, UpdatedAt: now,
	}, r.Password, nil
}

// passwordProblems lists what is wrong with a new password, as field errors.
func passwordProblems(plain, field string, personal ...string) []errs.FieldError {
	var fields []errs.FieldError
	for _, why := range password.Check(plain, personal...) {
		fields = append(fields, errs.FieldError{Field: field, Message: "password " + why})
	}
	return fields
}

func hashPassword(ctx context.Context, plain string) (string, error) {
	return password.Hash(ctx, plain)
}

// errBadCredentials is the one answer for an unknown email and a wrong
// password.
var errBadCredentials = errs.E(errs.Unauthenticated, "email or password is incorrect")

// Login signs in with email and password. Wrong passwords in a row lock
// password sign-in for a while (see Limits); a disabled account is refused
// once the password is right.
func (s *Service) Login(ctx context.Context, c Client, rawEmail, plain string) (*Tokens, error) {
	limits := s.limitsNow(ctx)
	if err := s.allow(ctx, "login:ip:"+c.IP, limits.LoginPerIP); err != nil {
		return nil, err
	}
	email, err := NormalizeEmail(rawEmail)
	if err != nil {
		fields := []errs.FieldError{{Field: "body.email", Message: "email " + err.Error()}}
		if plain == "" {
			fields = append(fields, errs.FieldError{Field: "body.password", Message: "password is required"})
		}
		return nil, errs.Validation(fields...)
	}
	if plain == "" {
		return nil, errs.Validation(errs.FieldError{Field: "body.password", Message: "password is required"})
	}
	if err := s.allow(ctx, "login:account:"+email, limits.LoginPerAccount); err != nil {
		return nil, err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) || (err == nil && u.PasswordHash == "") {
		password.VerifyNothing(ctx)
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		wait := u.LockedUntil.Sub(now)
		return nil, errs.TooMany(wait, "too many wrong passwords; try again in %s or reset your password", roundUp(wait))
	}
	ok, err := password.Verify(ctx, plain, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		n, err := s.store.RecordFailedLogin(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if d := limits.lockFor(n); d > 0 {
			until := now.Add(d)
			if err := s.store.SetLockedUntil(ctx, u.ID, &until); err != nil {
				return nil, err
			}
			s.logger.WarnContext(ctx, "security: password sign-in locked after wrong passwords",
				"user_id", u.ID, "failures", n, "locked_for", d.String())
		}
		return nil, errBadCredentials
	}
	if u.DisabledAt != nil {
		return nil, errs.E(errs.Forbidden, "this account has been disabled")
	}
	if u.FailedLogins > 0 || u.LockedUntil != nil {
		if err := s.store.ClearFailedLogins(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	if password.NeedsRehash(u.PasswordHash) {
		if h, err := password.Hash(ctx, plain); err == nil {
			_ = s.store.SetPassword(ctx, u.ID, h, now)
		}
	}
	return s.startSession(ctx, c, u, now)
}

// Me returns the principal's own account.
func (s *Service) Me(ctx context.Context, p *Principal) (*User, error) {
	if err := Authorize(p, UseAccount); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, p.UserID)
}

// ProfileChange is a partial update of the profile: nil leaves a field as
// it is.
type ProfileChange struct {
	DisplayName  *string
	Timezone     *string
	Locale       *string
	DayStartHour *int
	Theme        *string
	// Onboarding changes the onboarding answers.
	Onboarding OnboardingChange
}

// UpdateProfile changes the principal's profile, checking every field and
// reporting every problem at once.
func (s *Service) UpdateProfile(ctx context.Context, p *Principal, ch ProfileChange) (*User, error) {
	u, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	var fields []errs.FieldError
	bad := func(field, msg string) {
		fields = append(fields, errs.FieldError{Field: "body." + field, Message: msg})
	}
	if ch.DisplayName != nil {
		if n, err := checkDisplayName(*ch.DisplayName); err != nil {
			bad("display_name", "display name "+err.Error())
		} else {
			u.DisplayName = n
		}
	}
	if ch.Timezone != nil {
		if err := CheckTimezone(*ch.Timezone); err != nil {
			bad("timezone", "timezone "+err.Error())
		} else {
			u.Timezone = *ch.Timezone
		}
	}
	if ch.Locale != nil {
		if l, err := checkLocale(*ch.Locale); err != nil {
			bad("locale", "locale "+err.Error())
		} else {
			u.Locale = l
		}
	}
	if ch.DayStartHour != nil {
		if h := *ch.DayStartHour; h < 0 || h > 23 {
			bad("day_start_hour", "day start hour must be from 0 to 23")
		} else {
			u.DayStartHour = h
		}
	}
	if ch.Theme != nil {
		if !contains(Themes, *ch.Theme) {
			bad("theme", "theme must be one of system, light, dark")
		} else {
			u.Theme = *ch.Theme
		}
	}
	fields = append(fields, s.cfg.Onboarding.apply(&u.Onboarding, ch.Onboarding)...)
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	u.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateProfile(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// ChangePassword replaces the password after checking the current one, and
// signs out every other session.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	u, err := s.Me(ctx, p)
	if err != nil {
		return err
	}
	if current == "" {
		return errs.Validation(errs.FieldError{Field: "body.current_password", Message: "current password is required"})
	}
	ok, err := password.Verify(ctx, current, u.PasswordHash)
	if err != nil && !errors.Is(err, password.ErrMalformedHash) {
		return err
	}
	if !ok {
		return errs.E(errs.Unauthenticated, "the current password is incorrect")
	}
	if err := s.setPassword(ctx, u, next, "body.new_password"); err != nil {
		return err
	}
	_, err = s.revokeAll(ctx, u.ID, p.SessionID)
	return err
}

// setPassword checks and stores a new password.
func (s *Service) setPassword(ctx context.Context, u *User, next, field string) error {
	local, _, _ := strings.Cut(u.Email, "@")
	if fields := passwordProblems(next, field, local, u.DisplayName); len(fields) > 0 {
		return errs.Validation(fields...)
	}
	hash, err := password.Hash(ctx, next)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, u.ID, hash, s.now().UTC())
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
