package identity

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/mail"
)

// Queue enqueues background jobs; *jobs.Queue is one.
type Queue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// accountEmailArgs is the job that sends an account email. It carries no
// token: the job makes the token and sends it, so no usable secret ever
// sits in the job table.
type accountEmailArgs struct {
	Purpose Purpose `json:"purpose"`
	UserID  string  `json:"user_id,omitempty"`
	Email   string  `json:"email,omitempty"` // for resets, which start from an address
}

// Kind implements river.JobArgs.
func (accountEmailArgs) Kind() string { return "identity_account_email" }

// AddWorkers registers identity's background workers.
func (s *Service) AddWorkers(w *river.Workers) {
	river.AddWorker(w, &accountEmailWorker{s: s})
}

type accountEmailWorker struct {
	river.WorkerDefaults[accountEmailArgs]
	s *Service
}

// Work sends the email; a failure is retried with backoff by the queue.
func (w *accountEmailWorker) Work(ctx context.Context, job *river.Job[accountEmailArgs]) error {
	return w.s.sendAccountEmail(ctx, job.Args)
}

// Timeout bounds one attempt.
func (w *accountEmailWorker) Timeout(*river.Job[accountEmailArgs]) time.Duration { return time.Minute }

// enqueueEmail queues an account email. Failing to queue is logged, not
// returned: the account change it follows has happened, and the person can
// ask for the email again.
func (s *Service) enqueueEmail(ctx context.Context, args accountEmailArgs) {
	if s.queue == nil {
		s.logger.ErrorContext(ctx, "no job queue: account email not sent", "purpose", string(args.Purpose))
		return
	}
	if err := s.queue.Insert(ctx, args, &river.InsertOpts{MaxAttempts: 8}); err != nil {
		s.logger.ErrorContext(ctx, "queueing account email failed", "purpose", string(args.Purpose), "error", err)
	}
}

// sendAccountEmail makes the single-use token and mails its link.
func (s *Service) sendAccountEmail(ctx context.Context, a accountEmailArgs) error {
	var (
		u   *User
		err error
	)
	switch a.Purpose {
	case PurposeVerifyEmail:
		u, err = s.store.UserByID(ctx, a.UserID)
	case PurposeResetPassword:
		u, err = s.store.UserByEmail(ctx, a.Email)
	default:
		return fmt.Errorf("unknown account email purpose %q", a.Purpose)
	}
	if errs.Is(err, errs.NotFound) {
		return nil // nobody to write to: the reset answer was the same anyway
	}
	if err != nil {
		return err
	}
	if u.DisabledAt != nil || (a.Purpose == PurposeVerifyEmail && u.EmailVerifiedAt != nil) {
		return nil
	}
	ttl, path := VerifyEmailTTL, "/verify-email"
	if a.Purpose == PurposeResetPassword {
		ttl, path = ResetPasswordTTL, "/reset-password"
	}
	secret, hash := newSecret()
	now := s.now().UTC()
	if err := s.store.CreateEmailToken(ctx, &EmailToken{
		Hash: hash, Purpose: a.Purpose, UserID: u.ID, Email: u.Email, CreatedAt: now, ExpiresAt: now.Add(ttl),
	}); err != nil {
		return err
	}
	link := s.link(path, secret)
	site := s.siteName(ctx)
	m := mail.Message{To: u.Email}
	if a.Purpose == PurposeVerifyEmail {
		m.Subject = "Confirm your email for " + site
		m.Text = fmt.Sprintf("Hello %s,\n\nplease confirm that this is your email address by opening this link within 24 hours:\n\n%s\n\nIf you did not sign up for %s, you can ignore this message.\n", u.DisplayName, link, site)
	} else {
		m.Subject = "Reset your " + site + " password"
		m.Text = fmt.Sprintf("Hello %s,\n\nsomeone (we hope you) asked to reset the password of your %s account. Open this link within one hour to choose a new one:\n\n%s\n\nIf it was not you, ignore this message: your password stays as it is.\n", u.DisplayName, site, link)
	}
	return s.mailer.Send(ctx, m)
}

// link is an absolute link into the web app carrying a token.
func (s *Service) link(path, secret string) string {
	return strings.TrimSuffix(s.cfg.BaseURL, "/") + path + "?token=" + url.QueryEscape(secret)
}

// VerifyEmail confirms an address with the token from the email.
func (s *Service) VerifyEmail(ctx context.Context, secret string) error {
	t, err := s.useToken(ctx, secret, PurposeVerifyEmail)
	if err != nil {
		return err
	}
	u, err := s.tokenUser(ctx, t)
	if err != nil {
		return err
	}
	return s.store.SetEmailVerified(ctx, u.ID, s.now().UTC())
}

// tokenUser is the account an emailed token was sent to, as long as its
// address is still the one the token went to.
func (s *Service) tokenUser(ctx context.Context, t *EmailToken) (*User, error) {
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, orBad(err, errBadLink)
	}
	if u.Email != t.Email {
		return nil, errBadLink // the address changed since the email was sent
	}
	return u, nil
}

// ResendVerification sends the verification email again.
func (s *Service) ResendVerification(ctx context.Context, p *Principal) error {
	u, err := s.Me(ctx, p)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt != nil {
		return errs.E(errs.Conflict, "your email address is already verified")
	}
	if err := s.allow(ctx, "verify:user:"+u.ID, s.limitsNow(ctx).VerifyMailPerUser); err != nil {
		return err
	}
	s.enqueueEmail(ctx, accountEmailArgs{Purpose: PurposeVerifyEmail, UserID: u.ID})
	return nil
}

// RequestPasswordReset emails a reset link if the address has an account.
// The answer, and the work done before answering, are the same whether or
// not it does: the lookup happens in the background job.
func (s *Service) RequestPasswordReset(ctx context.Context, c Client, rawEmail string) error {
	limits := s.limitsNow(ctx)
	if err := s.allow(ctx, "reset:ip:"+c.IP, limits.ResetPerIP); err != nil {
		return err
	}
	email, err := NormalizeEmail(rawEmail)
	if err != nil {
		return errs.Validation(errs.FieldError{Field: "body.email", Message: "email " + err.Error()})
	}
	if err := s.allow(ctx, "reset:account:"+email, limits.ResetPerAccount); err != nil {
		return err
	}
	s.enqueueEmail(ctx, accountEmailArgs{Purpose: PurposeResetPassword, Email: email})
	return nil
}

// ResetPassword sets a new password with the token from the email. It
// signs out every session, lifts a sign-in lock, and counts as proof of
// the address.
func (s *Service) ResetPassword(ctx context.Context, c Client, secret, next string) error {
	if err := s.allow(ctx, "reset:ip:"+c.IP, s.limitsNow(ctx).ResetPerIP); err != nil {
		return err
	}
	if secret == "" {
		return errs.Validation(errs.FieldError{Field: "body.token", Message: "token is required"})
	}
	// Check the password, against the person's name and address too,
	// before spending the token, so a weak one can be corrected with the
	// same link.
	t, err := s.peekToken(ctx, secret, PurposeResetPassword)
	if err != nil {
		return err
	}
	u, err := s.tokenUser(ctx, t)
	if err != nil {
		return err
	}
	local, _, _ := strings.Cut(u.Email, "@")
	if why := passwordProblems(next, "body.password", local, u.DisplayName); len(why) > 0 {
		return errs.Validation(why...)
	}
	if _, err := s.useToken(ctx, secret, PurposeResetPassword); err != nil {
		return err
	}
	if err := s.setPassword(ctx, u, next, "body.password"); err != nil {
		return err
	}
	if u.EmailVerifiedAt == nil {
		if err := s.store.SetEmailVerified(ctx, u.ID, s.now().UTC()); err != nil {
			return err
		}
	}
	n, err := s.revokeAll(ctx, u.ID, "")
	if err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "password reset", "user_id", u.ID, "sessions_revoked", n)
	return nil
}

var errBadLink = errs.E(errs.Unauthenticated, "this link is not valid: it was used already or has expired; ask for a new one")

// peekToken finds a usable single-use token without spending it.
func (s *Service) peekToken(ctx context.Context, secret string, p Purpose) (*EmailToken, error) {
	if secret == "" || len(secret) > 128 {
		return nil, errBadLink
	}
	t, err := s.store.EmailToken(ctx, hashSecret(secret), p, s.now().UTC())
	if err != nil {
		return nil, orBad(err, errBadLink)
	}
	return t, nil
}

// useToken spends a single-use token.
func (s *Service) useToken(ctx context.Context, secret string, p Purpose) (*EmailToken, error) {
	if secret == "" || len(secret) > 128 {
		return nil, errBadLink
	}
	t, err := s.store.UseEmailToken(ctx, hashSecret(secret), p, s.now().UTC())
	if err != nil {
		return nil, orBad(err, errBadLink)
	}
	return t, nil
}

// SetupLink makes a one-time link to create the first admin when there
// are no accounts at all; otherwise it returns "".
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	secret, hash := newSecret()
	now := s.now().UTC()
	if err := s.store.CreateEmailToken(ctx, &EmailToken{
		Hash: hash, Purpose: PurposeSetupAdmin, CreatedAt: now, ExpiresAt: now.Add(SetupAdminTTL),
	}); err != nil {
		return "", err
	}
	return s.link("/setup", secret), nil
}

// SetupAdmin creates the first admin with the one-time setup token.
func (s *Service) SetupAdmin(ctx context.Context, c Client, secret string, r Registration) (*Tokens, error) {
	if err := s.allow(ctx, "register:ip:"+c.IP, s.limitsNow(ctx).RegisterPerIP); err != nil {
		return nil, err
	}
	u, plain, err := s.newUser(r)
	if err != nil {
		return nil, err
	}
	// Everything that can fail is checked before the token is spent, so a
	// mistake can be corrected with the same link.
	if _, err := s.peekToken(ctx, secret, PurposeSetupAdmin); err != nil {
		return nil, err
	}
	if _, err := s.store.UserByEmail(ctx, u.Email); err == nil {
		return nil, errEmailTaken
	} else if !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	u.Role = RoleAdmin
	if u.PasswordHash, err = hashPassword(ctx, plain); err != nil {
		return nil, err
	}
	if _, err := s.useToken(ctx, secret, PurposeSetupAdmin); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, errEmailTaken
		}
		return nil, err
	}
	s.logger.InfoContext(ctx, "first admin created", "user_id", u.ID)
	s.enqueueEmail(ctx, accountEmailArgs{Purpose: PurposeVerifyEmail, UserID: u.ID})
	return s.startSession(ctx, c, u, u.CreatedAt)
}
