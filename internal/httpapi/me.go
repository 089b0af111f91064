package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/identity"
)

type userOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *UserBody
}

type patchMeInput struct {
	Body struct {
		DisplayName  *string `json:"display_name,omitempty" required:"false" maxLength:"200"`
		Timezone     *string `json:"timezone,omitempty" required:"false" maxLength:"64" doc:"IANA time zone from the tz database, e.g. Asia/Colombo."`
		Locale       *string `json:"locale,omitempty" required:"false" maxLength:"35" doc:"BCP 47 language tag."`
		DayStartHour *int    `json:"day_start_hour,omitempty" required:"false" doc:"0-23."`
		Theme        *string `json:"theme,omitempty" required:"false" doc:"system, light or dark."`
		// Onboarding answers; they shape GET /v1/recommendations.
		PreferredTraditions *[]string `json:"preferred_traditions,omitempty" required:"false" maxItems:"7" doc:"Traditions the person prefers, most preferred first: theravada, mahayana, zen, vajrayana, pure_land, secular, other. An empty list clears the answer."`
		ExperienceLevel     *string   `json:"experience_level,omitempty" required:"false" maxLength:"20" doc:"beginner, intermediate or advanced; empty clears the answer."`
		MinutesPerDay       *int      `json:"minutes_per_day,omitempty" required:"false" doc:"How long the person means to read and practise a day, 1-240; 0 clears the answer."`
	}
}

type deleteMeInput struct {
	Body *struct {
		Password string `json:"password,omitempty" required:"false" maxLength:"1024" doc:"Required unless the password was entered in this session in the last 10 minutes."`
	} `required:"false"`
}

type changePasswordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"1024"`
		NewPassword     string `json:"new_password" maxLength:"1024"`
	}
}

type sessionBody struct {
	ID         string    `json:"id" format:"uuid"`
	UserAgent  string    `json:"user_agent" doc:"The device's browser or app, as it introduced itself."`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at" doc:"When the session last refreshed its tokens."`
	ExpiresAt  time.Time `json:"expires_at" doc:"When the session ends however active it is."`
	Current    bool      `json:"current" doc:"Whether this is the session making the request."`
}

type sessionsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items []sessionBody `json:"items"`
	}
}

type sessionIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type exportOutput struct {
	CacheControl       string `header:"Cache-Control"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               struct {
		ExportedAt time.Time      `json:"exported_at"`
		Account    *UserBody      `json:"account"`
		Sessions   []sessionBody  `json:"sessions"`
		Data       map[string]any `json:"data" doc:"Each feature's data about the person, by feature."`
	}
}

func registerMe(api huma.API, ids *identity.Service, fail func(context.Context, error) error) {
	tags := []string{"Me"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/v1/me", Tags: tags,
		Summary: "My account",
	}, identity.UseAccount), func(ctx context.Context, _ *struct{}) (*userOutput, error) {
		u, err := ids.Me(ctx, principal(ctx))
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &userOutput{CacheControl: "no-store", Body: toUserBody(u)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "update-me", Method: http.MethodPatch, Path: "/v1/me", Tags: tags,
		Summary:     "Change my profile",
		Description: "Changes any of display name, time zone, locale, day-start hour and theme, and the onboarding answers (preferred traditions, experience level, minutes per day) that shape recommendations; fields left out stay as they are. Every invalid field is reported at once.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *patchMeInput) (*userOutput, error) {
		u, err := ids.UpdateProfile(ctx, principal(ctx), identity.ProfileChange{
			DisplayName: in.Body.DisplayName, Timezone: in.Body.Timezone, Locale: in.Body.Locale,
			DayStartHour: in.Body.DayStartHour, Theme: in.Body.Theme,
			Onboarding: identity.OnboardingChange{Traditions: in.Body.PreferredTraditions, Level: in.Body.ExperienceLevel,
				MinutesPerDay: in.Body.MinutesPerDay},
		})
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &userOutput{CacheControl: "no-store", Body: toUserBody(u)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "delete-me", Method: http.MethodDelete, Path: "/v1/me", Tags: tags,
		Summary:       "Delete my account",
		Description:   "Erases the account and all personal data (profile, sessions, reading history as features add it) and signs out everywhere. Needs the password, unless it was entered in this session in the last 10 minutes. Only anonymous aggregate counts remain.",
		DefaultStatus: http.StatusNoContent,
	}, identity.UseAccount), func(ctx context.Context, in *deleteMeInput) (*noContent, error) {
		pw := ""
		if in.Body != nil {
			pw = in.Body.Password
		}
		if err := ids.DeleteAccount(ctx, principal(ctx), pw); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{SetCookie: clearCookie(ctx), CacheControl: "no-store"}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: "/v1/me/password", Tags: tags,
		Summary:       "Change my password",
		Description:   "Changes the password after checking the current one, and signs out every other session.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *changePasswordInput) (*noContent, error) {
		if err := ids.ChangePassword(ctx, principal(ctx), in.Body.CurrentPassword, in.Body.NewPassword); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "resend-verification", Method: http.MethodPost, Path: "/v1/me/verify-email", Tags: tags,
		Summary:       "Send the confirmation email again",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusConflict, http.StatusTooManyRequests},
	}, identity.UseAccount), func(ctx context.Context, _ *struct{}) (*noContent, error) {
		if err := ids.ResendVerification(ctx, principal(ctx)); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "export-me", Method: http.MethodGet, Path: "/v1/me/export", Tags: tags,
		Summary:     "Download my data",
		Description: "Everything the server holds about the signed-in person, as one JSON document.",
	}, identity.UseAccount), func(ctx context.Context, _ *struct{}) (*exportOutput, error) {
		ex, err := ids.Export(ctx, principal(ctx))
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &exportOutput{CacheControl: "no-store", ContentDisposition: `attachment; filename="dharmaplans-export.json"`}
		out.Body.ExportedAt, out.Body.Account, out.Body.Data = ex.ExportedAt, toUserBody(ex.Account), ex.Sections
		out.Body.Sessions = []sessionBody{}
		for _, s := range ex.Sessions {
			out.Body.Sessions = append(out.Body.Sessions, toSessionBody(s, false))
		}
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "list-my-sessions", Method: http.MethodGet, Path: "/v1/me/sessions", Tags: tags,
		Summary:     "My signed-in devices",
		Description: "The sessions still signed in, most recently used first; the one making the request has current: true.",
	}, identity.UseAccount), func(ctx context.Context, _ *struct{}) (*sessionsOutput, error) {
		list, err := ids.Sessions(ctx, principal(ctx))
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &sessionsOutput{CacheControl: "no-store"}
		out.Body.Items = []sessionBody{}
		for _, s := range list {
			out.Body.Items = append(out.Body.Items, toSessionBody(&s.Session, s.Current))
		}
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "revoke-my-session", Method: http.MethodDelete, Path: "/v1/me/sessions/{id}", Tags: tags,
		Summary:       "Sign a device out",
		Description:   "Ends one of my sessions: its refresh token stops at once and its access token within a minute. Someone else's session id answers 404.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *sessionIDInput) (*noContent, error) {
		if err := ids.RevokeSession(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})
}

func toSessionBody(s *identity.Session, current bool) sessionBody {
	return sessionBody{ID: s.ID, UserAgent: s.UserAgent, CreatedAt: s.CreatedAt, LastUsedAt: s.LastUsedAt, ExpiresAt: s.ExpiresAt, Current: current}
}
