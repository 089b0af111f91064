package httpapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// bearerScheme names the access-token security scheme in the OpenAPI document.
const bearerScheme = "bearer"

// actionKey is the operation metadata naming the policy action an
// operation needs.
const actionKey = "x-dharmaplans-action"

// protect marks op as needing a signed-in principal allowed to do action:
// the authentication middleware checks both through identity.Authorize, and
// the OpenAPI document shows the security scheme and the 401 and 403
// answers.
func protect(op huma.Operation, action identity.Action) huma.Operation {
	if !action.Known() {
		panic("httpapi: operation " + op.OperationID + " names unknown action " + string(action))
	}
	op.Security = []map[string][]string{{bearerScheme: {}}}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[actionKey] = action
	op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
	if action.MinRole() != identity.RoleUser {
		op.Description += "\n\nNeeds the `" + string(action.MinRole()) + "` role or higher."
	}
	return op
}

type principalKey struct{}

// principal returns the request's signed-in principal, or nil.
func principal(ctx context.Context) *identity.Principal {
	p, _ := ctx.Value(principalKey{}).(*identity.Principal)
	return p
}

// authenticate is the huma middleware that checks access tokens. An
// operation marked with protect needs a valid bearer token whose principal
// the policy allows; others pass through, with a principal when a valid
// token came along and without one otherwise.
func authenticate(api huma.API, ids *identity.Service, logger interface {
	ErrorContext(context.Context, string, ...any)
}) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		action, protected := ctx.Operation().Metadata[actionKey].(identity.Action)
		raw := ctx.Header("Authorization")
		if raw == "" && protected {
			deny(api, ctx, errs.E(errs.Unauthenticated, "sign in first: send an access token as Authorization: Bearer <token>"), `Bearer realm="dharmaplans"`)
			return
		}
		scheme, tok, ok := strings.Cut(raw, " ")
		if !protected {
			// A public operation ignores a stale or foreign token rather
			// than refusing: signing in or out must work with an expired
			// access token still attached.
			if ok && strings.EqualFold(scheme, "Bearer") {
				if p, err := ids.Authenticate(ctx.Context(), strings.TrimSpace(tok)); err == nil {
					ctx = huma.WithValue(ctx, principalKey{}, p)
				}
			}
			next(ctx)
			return
		}
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			deny(api, ctx, errs.E(errs.Unauthenticated, "the Authorization header must be Bearer <access token>"), `Bearer realm="dharmaplans", error="invalid_request"`)
			return
		}
		p, err := ids.Authenticate(ctx.Context(), strings.TrimSpace(tok))
		if err != nil {
			if errs.CodeOf(err) != errs.Unauthenticated {
				_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "cannot check the access token right now; try again")
				logger.ErrorContext(ctx.Context(), "authentication failed", "request_id", RequestID(ctx.Context()), "error", err.Error())
				return
			}
			deny(api, ctx, err, `Bearer realm="dharmaplans", error="invalid_token"`)
			return
		}
		if err := identity.Authorize(p, action); err != nil {
			deny(api, ctx, err, "")
			return
		}
		next(huma.WithValue(ctx, principalKey{}, p))
	}
}

// deny answers 401 or 403 with the error's message.
func deny(api huma.API, ctx huma.Context, err error, challenge string) {
	status := statusCodes[errs.CodeOf(err)]
	if status == http.StatusUnauthorized && challenge != "" {
		ctx.SetHeader("WWW-Authenticate", challenge)
	}
	msg := "not allowed"
	var e *errs.Error
	if errors.As(err, &e) {
		msg = e.Message
	}
	ctx.SetHeader("Cache-Control", "no-store")
	_ = huma.WriteErr(api, ctx, status, msg)
}

// clientKey holds what the request says about its client.
type clientKey struct{}

// client is where a request comes from.
type client struct {
	identity.Client
	// Browser is true for requests a browser made with fetch (they carry
	// Sec-Fetch-Mode, which page scripts cannot set): those get the refresh
	// token in an HttpOnly cookie rather than in the body.
	Browser bool
	// Secure is false only on plain HTTP to localhost, where browsers
	// refuse Secure cookies.
	Secure bool
}

func clientOf(ctx context.Context) client {
	c, _ := ctx.Value(clientKey{}).(client)
	return c
}

// withClient records the client's address (from X-Forwarded-For only when
// the direct peer is a trusted proxy), user agent and transport.
func withClient(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := client{
				Client:  identity.Client{IP: clientIP(r, trusted), UserAgent: r.UserAgent()},
				Browser: r.Header.Get("Sec-Fetch-Mode") != "",
				Secure:  r.TLS != nil || !isLocalhost(r.Host) || r.Header.Get("X-Forwarded-Proto") == "https",
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
		})
	}
}

// clientIP is the peer's address, or, when the peer is a trusted proxy,
// the right-most address in X-Forwarded-For that is not a trusted proxy.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a.String()
		}
	}
	return peer.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func isLocalhost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
