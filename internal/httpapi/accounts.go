package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// refreshCookie carries browsers' refresh tokens: HttpOnly (scripts never
// see it), SameSite=Strict, and scoped to /v1/auth so no other request
// sends it.
const refreshCookie = "dp_refresh"

// UserBody is an account as its owner sees it.
type UserBody struct {
	ID            string `json:"id" format:"uuid"`
	Email         string `json:"email" format:"email"`
	EmailVerified bool   `json:"email_verified" doc:"Whether the address was confirmed through the emailed link."`
	DisplayName   string `json:"display_name"`
	Role          string `json:"role" enum:"user,author,admin"`
	Timezone      string `json:"timezone" doc:"IANA time zone, e.g. Asia/Colombo: the person's calendar days (streaks, today's reading) follow it." example:"Asia/Colombo"`
	Locale        string `json:"locale" doc:"BCP 47 language tag." example:"en"`
	DayStartHour  int    `json:"day_start_hour" minimum:"0" maximum:"23" doc:"Hour (0-23, local time) at which the person's day begins; night owls set e.g. 4 so that reading at 1 am still counts for the day before."`
	Theme         string `json:"theme" enum:"system,light,dark"`
	// The onboarding answers.
	PreferredTraditions []string  `json:"preferred_traditions" enum:"theravada,mahayana,zen,vajrayana,pure_land,secular,other" doc:"Traditions the person prefers, most preferred first; empty when not answered."`
	ExperienceLevel     string    `json:"experience_level,omitempty" enum:"beginner,intermediate,advanced" doc:"beginner, intermediate or advanced; absent when not answered."`
	MinutesPerDay       int       `json:"minutes_per_day,omitempty" doc:"Minutes a day the person means to read and practise; absent when not answered."`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func toUserBody(u *identity.User) *UserBody {
	return &UserBody{
		ID: u.ID, Email: u.Email, EmailVerified: u.EmailVerifiedAt != nil, DisplayName: u.DisplayName,
		Role: string(u.Role), Timezone: u.Timezone, Locale: u.Locale, DayStartHour: u.DayStartHour,
		Theme: u.Theme, PreferredTraditions: nonNil(u.Onboarding.Traditions), ExperienceLevel: u.Onboarding.Level,
		MinutesPerDay: u.Onboarding.MinutesPerDay, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

// tokenBody uses the OAuth 2.0 token response field names (RFC 6749 §5.1).
type tokenBody struct {
	AccessToken  string    `json:"access_token" doc:"A JWT (EdDSA) to send as Authorization: Bearer <token>. Keys: /.well-known/jwks.json."`
	TokenType    string    `json:"token_type" enum:"Bearer"`
	ExpiresIn    int       `json:"expires_in" doc:"Seconds until the access token expires (15 minutes)."`
	RefreshToken string    `json:"refresh_token,omitempty" doc:"Opaque token for POST /v1/auth/refresh; it works once and each refresh returns the next one. Browsers (requests with Sec-Fetch-Mode) get it in an HttpOnly cookie instead and it is omitted here."`
	SessionID    string    `json:"session_id" format:"uuid" doc:"The session (signed-in device) these tokens belong to."`
	User         *UserBody `json:"user,omitempty" doc:"The account, on register and login."`
}

type tokenOutput struct {
	SetCookie    string `header:"Set-Cookie" doc:"The refresh token cookie, for browsers."`
	CacheControl string `header:"Cache-Control"`
	Body         tokenBody
}

// tokensOut answers with tokens: the refresh token in the body for API
// clients, in the cookie for browsers.
func tokensOut(ctx context.Context, t *identity.Tokens) *tokenOutput {
	out := &tokenOutput{CacheControl: "no-store"}
	out.Body = tokenBody{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: int(t.ExpiresIn / time.Second), SessionID: t.Session.ID}
	if t.User != nil {
		out.Body.User = toUserBody(t.User)
	}
	c := clientOf(ctx)
	if c.Browser {
		out.SetCookie = (&http.Cookie{
			Name: refreshCookie, Value: t.RefreshToken, Path: "/v1/auth", HttpOnly: true, Secure: c.Secure,
			SameSite: http.SameSiteStrictMode, Expires: t.Session.ExpiresAt,
		}).String()
	} else {
		out.Body.RefreshToken = t.RefreshToken
	}
	return out
}

// clearCookie removes the refresh cookie.
func clearCookie(ctx context.Context) string {
	return (&http.Cookie{Name: refreshCookie, Value: "", Path: "/v1/auth", HttpOnly: true, Secure: clientOf(ctx).Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1}).String()
}

type registerInput struct {
	Body struct {
		Email       string `json:"email" maxLength:"254" example:"ananda@example.org"`
		Password    string `json:"password" maxLength:"1024" doc:"At least 10 characters, not a common password, not containing your name or email."`
		DisplayName string `json:"display_name" maxLength:"200" example:"Ānanda"`
		Timezone    string `json:"timezone,omitempty" required:"false" maxLength:"64" doc:"IANA time zone; UTC when omitted." example:"Asia/Colombo"`
		Locale      string `json:"locale,omitempty" required:"false" maxLength:"35" doc:"BCP 47 language tag; en when omitted."`
		InviteCode  string `json:"invite_code,omitempty" required:"false" maxLength:"100" doc:"The code of an invitation (the invite parameter of its sign-up link). Needed when registration is by invitation (GET /v1/site says so); ignored when it is open."`
	}
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" maxLength:"254"`
		Password string `json:"password" maxLength:"1024"`
	}
}

type refreshInput struct {
	Cookie string `cookie:"dp_refresh" doc:"Browsers send the refresh token in this cookie."`
	Body   *struct {
		RefreshToken string `json:"refresh_token,omitempty" required:"false" maxLength:"128" doc:"API clients send the refresh token here."`
	} `required:"false"`
}

func (in *refreshInput) token() string {
	if in.Body != nil && in.Body.RefreshToken != "" {
		return in.Body.RefreshToken
	}
	return in.Cookie
}

type tokenInput struct {
	Body struct {
		Token string `json:"token" maxLength:"128" doc:"The token from the emailed link."`
	}
}

type resetRequestInput struct {
	Body struct {
		Email string `json:"email" maxLength:"254"`
	}
}

type resetConfirmInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"128" doc:"The token from the emailed link."`
		Password string `json:"password" maxLength:"1024" doc:"The new password."`
	}
}

type setupInput struct {
	Body struct {
		Token       string `json:"token" maxLength:"128" doc:"The one-time token from the link serve printed at first start."`
		Email       string `json:"email" maxLength:"254"`
		Password    string `json:"password" maxLength:"1024"`
		DisplayName string `json:"display_name" maxLength:"200"`
	}
}

type noContent struct {
	SetCookie    string `header:"Set-Cookie"`
	CacheControl string `header:"Cache-Control"`
}

type jwksOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Keys []map[string]string `json:"keys" doc:"JSON Web Keys (RFC 7517): OKP Ed25519 keys with kid, alg EdDSA, use sig."`
	}
}

func registerAccounts(api huma.API, ids *identity.Service, fail func(context.Context, error) error) {
	tags := []string{"Accounts"}
	huma.Register(api, huma.Operation{
		OperationID: "register", Method: http.MethodPost, Path: "/v1/auth/register", Tags: tags,
		Summary:       "Create an account",
		Description:   "Creates an account, signs it in, and emails a link to confirm the address. A taken address gets 409 with a message that does not say whose it is. Rate-limited per IP address. When registration is by invitation, it needs the invite_code of a valid invitation (unused, unexpired, not withdrawn, and for this address if it names one), which it uses up; otherwise 403 saying why.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *registerInput) (*tokenOutput, error) {
		t, err := ids.Register(ctx, clientOf(ctx).Client, identity.Registration{
			Email: in.Body.Email, Password: in.Body.Password, DisplayName: in.Body.DisplayName,
			Timezone: in.Body.Timezone, Locale: in.Body.Locale, InviteCode: in.Body.InviteCode,
		})
		if err != nil {
			return nil, fail(ctx, err)
		}
		return tokensOut(ctx, t), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/v1/auth/login", Tags: tags,
		Summary:     "Sign in",
		Description: "Signs in with email and password and starts a session. Wrong passwords in a row lock password sign-in for a while (429 with Retry-After), up to 15 minutes; a password reset lifts the lock. Rate-limited per IP address and per account.",
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *loginInput) (*tokenOutput, error) {
		t, err := ids.Login(ctx, clientOf(ctx).Client, in.Body.Email, in.Body.Password)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return tokensOut(ctx, t), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "refresh", Method: http.MethodPost, Path: "/v1/auth/refresh", Tags: tags,
		Summary:     "Get new tokens",
		Description: "Exchanges a refresh token (body or cookie) for a new access token and a new refresh token. A refresh token works once: presenting one that was already used ends the whole session (reuse detection), so clients must send refreshes one at a time.",
		Errors:      []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *refreshInput) (*tokenOutput, error) {
		t, err := ids.Refresh(ctx, clientOf(ctx).Client, in.token())
		if err != nil {
			err = fail(ctx, err)
			if clientOf(ctx).Browser && in.Cookie != "" {
				return nil, huma.ErrorWithHeaders(err, http.Header{"Set-Cookie": {clearCookie(ctx)}})
			}
			return nil, err
		}
		return tokensOut(ctx, t), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/v1/auth/logout", Tags: tags,
		Summary:       "Sign out",
		Description:   "Ends the session of the refresh token given (body or cookie) or, without one, of the access token. Ending an ended session succeeds.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *refreshInput) (*noContent, error) {
		if err := ids.Logout(ctx, principal(ctx), in.token()); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{SetCookie: clearCookie(ctx), CacheControl: "no-store"}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "verify-email", Method: http.MethodPost, Path: "/v1/auth/verify-email", Tags: tags,
		Summary:       "Confirm an email address",
		Description:   "Confirms the address with the token from the emailed link (valid 24 hours, once).",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnauthorized},
	}, func(ctx context.Context, in *tokenInput) (*noContent, error) {
		if err := ids.VerifyEmail(ctx, in.Body.Token); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "request-password-reset", Method: http.MethodPost, Path: "/v1/auth/password-reset", Tags: tags,
		Summary:       "Ask for a password reset link",
		Description:   "Emails a link to reset the password (valid one hour, once) if the address has an account. The answer is the same whether or not it does.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *resetRequestInput) (*noContent, error) {
		if err := ids.RequestPasswordReset(ctx, clientOf(ctx).Client, in.Body.Email); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "reset-password", Method: http.MethodPost, Path: "/v1/auth/password-reset/confirm", Tags: tags,
		Summary:       "Set a new password with a reset link",
		Description:   "Sets a new password with the token from the emailed link, signs out every session and lifts any sign-in lock.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *resetConfirmInput) (*noContent, error) {
		if err := ids.ResetPassword(ctx, clientOf(ctx).Client, in.Body.Token, in.Body.Password); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "setup-admin", Method: http.MethodPost, Path: "/v1/setup/admin", Tags: tags,
		Summary:       "Create the first admin",
		Description:   "Creates the first admin account with the one-time token from the link `dharmaplans serve` prints when the database has no accounts (valid 24 hours, once), and signs it in.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusUnauthorized, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *setupInput) (*tokenOutput, error) {
		t, err := ids.SetupAdmin(ctx, clientOf(ctx).Client, in.Body.Token, identity.Registration{
			Email: in.Body.Email, Password: in.Body.Password, DisplayName: in.Body.DisplayName,
		})
		if err != nil {
			return nil, fail(ctx, err)
		}
		return tokensOut(ctx, t), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "jwks", Method: http.MethodGet, Path: "/.well-known/jwks.json", Tags: tags,
		Summary:     "Public keys of access tokens",
		Description: "The JSON Web Key Set that verifies access tokens, for other services. Retired keys stay listed until the tokens they signed have expired.",
	}, func(ctx context.Context, _ *struct{}) (*jwksOutput, error) {
		out := &jwksOutput{CacheControl: "public, max-age=300"}
		if err := json.Unmarshal(ids.Tokens().JWKS(), &out.Body); err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})
}
