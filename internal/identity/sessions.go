package identity

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

// errBadRefresh is the answer for any refresh token that cannot be used.
var errBadRefresh = errs.E(errs.Unauthenticated, "refresh token is not valid; sign in again")

// startSession creates a session for u after the password was entered.
func (s *Service) startSession(ctx context.Context, c Client, u *User, now time.Time) (*Tokens, error) {
	refresh, hash := newSecret()
	sess := &Session{
		ID: NewID(), UserID: u.ID, UserAgent: truncate(c.UserAgent, 300),
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(s.cfg.SessionLifetime), AuthTime: &now,
	}
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		return nil, err
	}
	return s.issue(u.ID, u.Role, sess, refresh, u)
}

// issue signs an access token for a session.
func (s *Service) issue(userID string, role Role, sess *Session, refresh string, u *User) (*Tokens, error) {
	c := token.Claims{UserID: userID, SessionID: sess.ID, Role: string(role)}
	if sess.AuthTime != nil {
		c.AuthTime = *sess.AuthTime
	}
	access, exp, err := s.tokens.Sign(c)
	if err != nil {
		return nil, err
	}
	return &Tokens{AccessToken: access, ExpiresIn: exp.Sub(s.now()).Round(time.Second), RefreshToken: refresh, Session: sess, User: u}, nil
}

// Refresh exchanges a refresh token for a new access token and a new
// refresh token. Each refresh token works once: presenting one that was
// already exchanged means it was copied, so the whole session is revoked
// and the event is logged. With RefreshOverlap set, the immediately
// previous token is still accepted for that long.
func (s *Service) Refresh(ctx context.Context, c Client, refresh string) (*Tokens, error) {
	limits := s.limitsNow(ctx)
	if err := s.allow(ctx, "refresh:ip:"+c.IP, limits.RefreshPerIP); err != nil {
		return nil, err
	}
	if refresh == "" || len(refresh) > 128 {
		return nil, errBadRefresh
	}
	hash := hashSecret(refresh)
	rt, err := s.store.RefreshTokenByHash(ctx, hash)
	if errs.Is(err, errs.NotFound) {
		return nil, errBadRefresh
	}
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, "refresh:session:"+rt.SessionID, limits.RefreshPerSession); err != nil {
		return nil, err
	}
	sess, err := s.store.SessionByID(ctx, rt.SessionID)
	if err != nil {
		return nil, orBad(err, errBadRefresh)
	}
	now := s.now().UTC()
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastUsedAt) > s.cfg.IdleTimeout {
		return nil, errBadRefresh
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, orBad(err, errBadRefresh)
	}
	if u.DisabledAt != nil {
		return nil, errs.E(errs.Unauthenticated, "this account has been disabled")
	}
	rot := Rotation{OldHash: hash, SessionID: sess.ID, At: now}
	if rt.UsedAt != nil {
		if s.cfg.RefreshOverlap <= 0 || now.Sub(*rt.UsedAt) > s.cfg.RefreshOverlap {
			return nil, s.reuseDetected(ctx, sess)
		}
		since := now.Add(-s.cfg.RefreshOverlap)
		rot.ReusedSince = &since
	}
	next, nextHash := newSecret()
	rot.NewHash = nextHash
	if err := s.store.RotateRefreshToken(ctx, rot); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, s.reuseDetected(ctx, sess)
		}
		return nil, err
	}
	sess.LastUsedAt = now
	return s.issue(u.ID, u.Role, sess, next, nil)
}

// reuseDetected revokes a session whose used refresh token came back.
func (s *Service) reuseDetected(ctx context.Context, sess *Session) error {
	s.logger.WarnContext(ctx, "security: refresh token reuse detected; session revoked",
		"event", "refresh_token_reuse", "user_id", sess.UserID, "session_id", sess.ID)
	if err := s.store.RevokeSession(ctx, sess.ID, s.now().UTC()); err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	s.states.Invalidate(sess.ID)
	return errs.E(errs.Unauthenticated, "this refresh token was already used, so the session has been ended for safety; sign in again")
}

// Logout ends the session a refresh token belongs to, or, without one,
// the principal's current session. Ending an ended session is not an
// error.
func (s *Service) Logout(ctx context.Context, p *Principal, refresh string) error {
	var sessionID string
	if refresh != "" && len(refresh) <= 128 {
		if rt, err := s.store.RefreshTokenByHash(ctx, hashSecret(refresh)); err == nil {
			sessionID = rt.SessionID
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	if sessionID == "" && p != nil {
		sessionID = p.SessionID
	}
	if sessionID == "" {
		return nil
	}
	err := s.store.RevokeSession(ctx, sessionID, s.now().UTC())
	s.states.Invalidate(sessionID)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	return err
}

// SessionInfo is a session as its owner sees it.
type SessionInfo struct {
	Session
	Current bool
}

// Sessions lists the principal's live sessions, the current one flagged.
func (s *Service) Sessions(ctx context.Context, p *Principal) ([]SessionInfo, error) {
	if err := Authorize(p, UseAccount); err != nil {
		return nil, err
	}
	list, err := s.store.SessionsByUser(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]SessionInfo, 0, len(list))
	for _, sess := range list {
		if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastUsedAt) > s.cfg.IdleTimeout {
			continue
		}
		out = append(out, SessionInfo{Session: *sess, Current: sess.ID == p.SessionID})
	}
	return out, nil
}

// RevokeSession ends one of the principal's own sessions; anyone else's is
// not found.
func (s *Service) RevokeSession(ctx context.Context, p *Principal, id string) error {
	if err := Authorize(p, UseAccount); err != nil {
		return err
	}
	if _, err := uuid.Parse(id); err != nil {
		return errs.E(errs.NotFound, "session not found")
	}
	sess, err := s.store.SessionByID(ctx, id)
	if err != nil || sess.UserID != p.UserID || sess.RevokedAt != nil {
		return orBad(err, errs.E(errs.NotFound, "session not found"))
	}
	if err := s.store.RevokeSession(ctx, id, s.now().UTC()); err != nil {
		return err
	}
	s.states.Invalidate(id)
	return nil
}

// revokeAll revokes every session of a user but exceptID.
func (s *Service) revokeAll(ctx context.Context, userID, exceptID string) (int, error) {
	ids, err := s.store.RevokeUserSessions(ctx, userID, exceptID, s.now().UTC())
	for _, id := range ids {
		s.states.Invalidate(id)
	}
	return len(ids), err
}

// Authenticate turns a bearer access token into the principal behind it.
// The token's signature and expiry are checked (verified tokens are
// cached), then the session and the user as they are now: a revoked
// session, an expired one or a disabled account stops working within
// Config.StateTTL on every replica, at once on this one. The role is the current
// one, not the one in the token.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*Principal, error) {
	claims, err := s.tokens.Verify(ctx, bearer)
	if err != nil {
		return nil, err
	}
	st, err := s.state(ctx, claims.SessionID)
	if err != nil {
		return nil, err
	}
	switch {
	case st.UserID != claims.UserID, st.SessionRevoked, !s.now().Before(st.SessionExpiresAt):
		return nil, errs.E(errs.Unauthenticated, "this session has ended; sign in again")
	case st.UserDisabled:
		return nil, errs.E(errs.Unauthenticated, "this account has been disabled")
	}
	return &Principal{UserID: st.UserID, SessionID: claims.SessionID, Role: st.Role, AuthTime: claims.AuthTime, ExpiresAt: claims.ExpiresAt}, nil
}

// state returns a session's AuthState, from the cache when fresh.
func (s *Service) state(ctx context.Context, sessionID string) (AuthState, error) {
	if st, ok := s.states.GetIfPresent(sessionID); ok {
		return st, nil
	}
	st, err := s.store.AuthState(ctx, sessionID)
	if errs.Is(err, errs.NotFound) {
		return AuthState{}, errs.E(errs.Unauthenticated, "this session has ended; sign in again")
	}
	if err != nil {
		return AuthState{}, err
	}
	s.states.Set(sessionID, *st)
	return *st, nil
}

// orBad turns not found into bad; other errors stay.
func orBad(err, bad error) error {
	if err == nil || errs.Is(err, errs.NotFound) {
		return bad
	}
	return err
}

func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
