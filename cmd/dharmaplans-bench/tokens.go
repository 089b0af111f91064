package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/token"
)

// issueTokens signs the driven people in without a login each: it stores a
// session for each, as a login would, and has the server's own token
// issuer sign an access token for it. The server authenticates these
// tokens exactly as those a login returns (signature, then the session's
// state). Access tokens live 15 minutes, longer than the load runs.
func issueTokens(ctx context.Context, dbURL string, m *app.Main, driven []*drivenUser) error {
	conn, err := pgx.Connect(ctx, plainConn(dbURL))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	now := time.Now().UTC().Truncate(time.Microsecond)
	rows := make([][]any, len(driven))
	for i, u := range driven {
		u.SessionID = identity.NewID()
		rows[i] = []any{u.SessionID, u.UserID, "dharmaplans-bench", now, now, now.Add(identity.DefaultSessionLifetime), now}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"sessions"},
		[]string{"id", "user_id", "user_agent", "created_at", "last_used_at", "expires_at", "auth_time"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("store sessions: %w", err)
	}
	issuer := m.Identity().Tokens()
	for _, u := range driven {
		u.Token, _, err = issuer.Sign(token.Claims{UserID: u.UserID.String(), SessionID: u.SessionID,
			Role: string(identity.RoleUser), AuthTime: now})
		if err != nil {
			return err
		}
	}
	return nil
}
