package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

// featureSwitch reports whether a site feature is switched on.
type featureSwitch func(ctx context.Context, f settings.Feature) bool

// featuresOf is the switch of set; without settings (tests of the bare
// API) every feature is on.
func featuresOf(set *settings.Service) featureSwitch {
	if set == nil {
		return func(context.Context, settings.Feature) bool { return true }
	}
	return set.Enabled
}

// RateBody is a rate limit.
type RateBody struct {
	Rate   int    `json:"rate" minimum:"1" maximum:"10000" doc:"Attempts allowed per period, all at once if need be."`
	Period string `json:"period" enum:"1m,1h,1d" doc:"What they are counted over: a minute, an hour or a day."`
}

// RateLimitsBody are the abuse limits of the sign-in flows.
type RateLimitsBody struct {
	LoginPerIP      RateBody `json:"login_per_ip" doc:"Sign-in attempts from one client address. Default 30 a minute."`
	LoginPerAccount RateBody `json:"login_per_account" doc:"Sign-in attempts for one email address. Default 10 a minute."`
	RegisterPerIP   RateBody `json:"register_per_ip" doc:"Sign-ups from one client address. Default 10 an hour."`
	RefreshPerIP    RateBody `json:"refresh_per_ip" doc:"Access-token refreshes from one client address. Default 300 a minute."`
	ResetPerIP      RateBody `json:"reset_per_ip" doc:"Password-reset requests (and resets) from one client address. Default 10 an hour."`
}

// FeaturesBody are the feature flags: true is on.
type FeaturesBody struct {
	Recommendations   bool `json:"recommendations" doc:"Plans suggested to read next (GET /v1/recommendations); off, the list is empty."`
	SearchSuggestions bool `json:"search_suggestions" doc:"Plans offered while typing in search (GET /v1/search/suggest); off, typeahead offers nothing."`
	Journal           bool `json:"journal" doc:"Writing reflections on the days of a plan; off, saving one is refused with 403 (reading stays)."`
}

// SystemSettingsBody are the system settings.
type SystemSettingsBody struct {
	SiteName            string         `json:"site_name" example:"Dharma Plans" doc:"What the apps and emails call the site (1-100 characters)."`
	Registration        string         `json:"registration" enum:"open,invite_only" doc:"open: anyone may sign up. invite_only: only with an invitation (POST /v1/admin/invites)."`
	DefaultReminderHour int            `json:"default_reminder_hour" minimum:"0" maximum:"23" doc:"Hour of the reader's day (0-23) of the reminder an enrolment gets when the reader chooses none."`
	DefaultGraceDays    int            `json:"default_grace_days" minimum:"0" maximum:"3" doc:"Grace days a week a reader's streak forgives until they choose their own (0-3)."`
	RateLimits          RateLimitsBody `json:"rate_limits"`
	Features            FeaturesBody   `json:"features"`
}

// SystemSettingsAdminBody is the system settings with their version.
type SystemSettingsAdminBody struct {
	Version             int                `json:"version" doc:"Counts the changes; 0 while the defaults were never changed. Send it back as If-Match to change them."`
	UpdatedAt           *time.Time         `json:"updated_at,omitempty" doc:"When they were last changed; absent for the defaults."`
	UpdatedBy           string             `json:"updated_by,omitempty" format:"uuid" doc:"The administrator who last changed them; absent for the defaults or once that account is gone."`
	Settings            SystemSettingsBody `json:"settings"`
	FeatureDescriptions map[string]string  `json:"feature_descriptions" doc:"What each feature flag switches, by flag."`
	Defaults            SystemSettingsBody `json:"defaults" doc:"The settings of a site nobody has configured, to find the way back to."`
}

func toRateBody(r settings.Rate) RateBody { return RateBody{Rate: r.Rate, Period: string(r.Period)} }

func toFeaturesBody(s settings.Settings) FeaturesBody {
	return FeaturesBody{Recommendations: s.Enabled(settings.Recommendations), SearchSuggestions: s.Enabled(settings.SearchSuggestions),
		Journal: s.Enabled(settings.Journal)}
}

func toSystemSettingsBody(s settings.Settings) SystemSettingsBody {
	r := s.RateLimits
	return SystemSettingsBody{SiteName: s.SiteName, Registration: string(s.Registration), DefaultReminderHour: s.DefaultReminderHour,
		DefaultGraceDays: s.DefaultGraceDays, Features: toFeaturesBody(s),
		RateLimits: RateLimitsBody{LoginPerIP: toRateBody(r.LoginPerIP), LoginPerAccount: toRateBody(r.LoginPerAccount),
			RegisterPerIP: toRateBody(r.RegisterPerIP), RefreshPerIP: toRateBody(r.RefreshPerIP), ResetPerIP: toRateBody(r.ResetPerIP)}}
}

func toSystemSettingsAdminBody(snap *settings.Snapshot) *SystemSettingsAdminBody {
	b := &SystemSettingsAdminBody{Version: snap.Version, UpdatedBy: snap.UpdatedBy, FeatureDescriptions: map[string]string{},
		Settings: toSystemSettingsBody(snap.Settings), Defaults: toSystemSettingsBody(settings.Defaults())}
	if !snap.UpdatedAt.IsZero() {
		b.UpdatedAt = &snap.UpdatedAt
	}
	for _, f := range settings.Features {
		b.FeatureDescriptions[string(f.Flag)] = f.Description
	}
	return b
}

// RatePatchBody changes a rate limit: absent fields stay.
type RatePatchBody struct {
	Rate   *int    `json:"rate,omitempty" required:"false" minimum:"1" maximum:"10000"`
	Period *string `json:"period,omitempty" required:"false" enum:"1m,1h,1d"`
}

// RateLimitsPatchBody changes some rate limits.
type RateLimitsPatchBody struct {
	LoginPerIP      *RatePatchBody `json:"login_per_ip,omitempty" required:"false"`
	LoginPerAccount *RatePatchBody `json:"login_per_account,omitempty" required:"false"`
	RegisterPerIP   *RatePatchBody `json:"register_per_ip,omitempty" required:"false"`
	RefreshPerIP    *RatePatchBody `json:"refresh_per_ip,omitempty" required:"false"`
	ResetPerIP      *RatePatchBody `json:"reset_per_ip,omitempty" required:"false"`
}

// FeaturesPatchBody switches some features; an unknown flag is 422.
type FeaturesPatchBody struct {
	Recommendations   *bool `json:"recommendations,omitempty" required:"false"`
	SearchSuggestions *bool `json:"search_suggestions,omitempty" required:"false"`
	Journal           *bool `json:"journal,omitempty" required:"false"`
}

type patchSystemSettingsInput struct {
	IfMatch string `header:"If-Match" required:"true" doc:"The ETag (version) of the settings the change was made from, as GET gave it: if they have changed since, the answer is 409. * changes whatever is stored."`
	Body    struct {
		SiteName            *string              `json:"site_name,omitempty" required:"false" minLength:"1" maxLength:"100"`
		Registration        *string              `json:"registration,omitempty" required:"false" enum:"open,invite_only"`
		DefaultReminderHour *int                 `json:"default_reminder_hour,omitempty" required:"false" minimum:"0" maximum:"23"`
		DefaultGraceDays    *int                 `json:"default_grace_days,omitempty" required:"false" minimum:"0" maximum:"3"`
		RateLimits          *RateLimitsPatchBody `json:"rate_limits,omitempty" required:"false"`
		Features            *FeaturesPatchBody   `json:"features,omitempty" required:"false"`
	}
}

// patch is the service's Patch of the request body.
func (in *patchSystemSettingsInput) patch() settings.Patch {
	b := in.Body
	p := settings.Patch{SiteName: b.SiteName, DefaultReminderHour: b.DefaultReminderHour, DefaultGraceDays: b.DefaultGraceDays}
	if b.Registration != nil {
		r := settings.Registration(*b.Registration)
		p.Registration = &r
	}
	if rl := b.RateLimits; rl != nil {
		p.RateLimits = map[string]settings.RatePatch{}
		for name, rp := range map[string]*RatePatchBody{"login_per_ip": rl.LoginPerIP, "login_per_account": rl.LoginPerAccount,
			"register_per_ip": rl.RegisterPerIP, "refresh_per_ip": rl.RefreshPerIP, "reset_per_ip": rl.ResetPerIP} {
			if rp == nil {
				continue
			}
			ch := settings.RatePatch{Rate: rp.Rate}
			if rp.Period != nil {
				period := settings.Period(*rp.Period)
				ch.Period = &period
			}
			p.RateLimits[name] = ch
		}
	}
	if f := b.Features; f != nil {
		p.Features = map[settings.Feature]bool{}
		for flag, on := range map[settings.Feature]*bool{settings.Recommendations: f.Recommendations,
			settings.SearchSuggestions: f.SearchSuggestions, settings.Journal: f.Journal} {
			if on != nil {
				p.Features[flag] = *on
			}
		}
	}
	return p
}

// ifMatchVersion reads the version an If-Match names: "3", 3 or W/"3", or
// * for any.
func ifMatchVersion(h string) (int, bool) {
	h = strings.TrimSpace(h)
	if h == "*" {
		return settings.AnyVersion, true
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.Atoi(h)
	return v, err == nil && v >= 0
}

type adminSettingsOutput struct {
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *SystemSettingsAdminBody
}

func settingsOut(snap *settings.Snapshot) *adminSettingsOutput {
	return &adminSettingsOutput{ETag: `"` + strconv.Itoa(snap.Version) + `"`, CacheControl: "no-store", Body: toSystemSettingsAdminBody(snap)}
}

// SiteBody is what the apps need to know about the site.
type SiteBody struct {
	SiteName     string       `json:"site_name" example:"Dharma Plans"`
	Registration string       `json:"registration" enum:"open,invite_only" doc:"invite_only: signing up needs an invitation's code (invite_code of POST /v1/auth/register)."`
	Features     FeaturesBody `json:"features"`
}

type siteInput struct {
	Conditional
}

// InviteBody is an invitation as administrators see it (never its code).
type InviteBody struct {
	ID        string     `json:"id" format:"uuid"`
	Email     string     `json:"email,omitempty" doc:"The only address that may sign up with it; absent: anyone with the code."`
	Status    string     `json:"status" enum:"pending,used,revoked,expired"`
	CreatedBy string     `json:"created_by,omitempty" format:"uuid" doc:"The administrator who made it; absent once that account is gone."`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
	UsedBy    string     `json:"used_by,omitempty" format:"uuid" doc:"The account made with it."`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

func toInviteBody(set *settings.Service, inv *settings.Invite) InviteBody {
	return InviteBody{ID: inv.ID, Email: inv.Email, Status: string(set.InviteStatus(inv)), CreatedBy: inv.CreatedBy,
		CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt, UsedAt: inv.UsedAt, UsedBy: inv.UsedBy, RevokedAt: inv.RevokedAt}
}

// NewInviteBody is an invitation just made, with its code: shown this once.
type NewInviteBody struct {
	InviteBody
	Code string `json:"code" doc:"The invitation's code, shown this once: only a hash is kept."`
	Link string `json:"link" format:"uri" doc:"The web app's sign-up page with the code, to send to the person invited."`
}

type createInviteInput struct {
	Body *struct {
		Email         string `json:"email,omitempty" required:"false" maxLength:"254" doc:"Only this address may sign up with it; empty: anyone with the code."`
		ExpiresInDays int    `json:"expires_in_days,omitempty" required:"false" minimum:"1" maximum:"365" doc:"How many days it stays valid; default 14."`
	} `required:"false"`
}

type newInviteOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *NewInviteBody
}

type listInvitesInput struct {
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"50"`
}

// Resolve reports a bad cursor together with any other invalid parameter.
func (in *listInvitesInput) Resolve(huma.Context) []error {
	if !identity.ValidCursor(in.Cursor) {
		return []error{&huma.ErrorDetail{Location: "query.cursor", Message: identity.BadCursor, Value: in.Cursor}}
	}
	return nil
}

type listInvitesOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []InviteBody `json:"items"`
		NextCursor string       `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
	}
}

type inviteIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

func registerAdminSettings(api huma.API, set *settings.Service, fail func(context.Context, error) error) {
	tags := []string{"Administration"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-get-settings", Method: http.MethodGet, Path: "/v1/admin/settings", Tags: tags,
		Summary: "System settings",
		Description: "The site's name, who may sign up, the defaults new readers start with, the sign-in flows' rate limits and the feature flags, " +
			"with their version (also the ETag) and what each feature flag does. Read fresh from the database.",
	}, identity.ManageSystem), func(ctx context.Context, _ *struct{}) (*adminSettingsOutput, error) {
		snap, err := set.Read(ctx, principal(ctx))
		if err != nil {
			return nil, fail(ctx, err)
		}
		return settingsOut(snap), nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-update-settings", Method: http.MethodPatch, Path: "/v1/admin/settings", Tags: tags,
		Summary: "Change system settings",
		Description: "Changes the fields sent; the others stay. Needs If-Match with the version the change was made from: if someone changed the settings since, " +
			"the answer is 409 (reload and change again). Every invalid field is reported at once (422). The change is in force on every server " +
			"within seconds, without a restart, and recorded in the audit log with what changed from what to what. Sending what is stored already changes nothing.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, identity.ManageSystem), func(ctx context.Context, in *patchSystemSettingsInput) (*adminSettingsOutput, error) {
		version, ok := ifMatchVersion(in.IfMatch)
		if !ok {
			return nil, fail(ctx, errs.Validation(errs.FieldError{Field: "header.If-Match",
				Message: `If-Match must be the ETag GET /v1/admin/settings gave, such as "3" (or * for any version)`}))
		}
		snap, err := set.Update(ctx, principal(ctx), in.patch(), version)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return settingsOut(snap), nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-site", Method: http.MethodGet, Path: "/v1/site", Tags: []string{"Discover"},
		Summary:     "About this site",
		Description: "The site's name, whether signing up needs an invitation, and which features are on, for the apps to show what there is. Public; cacheable for 30 seconds.",
	}, func(ctx context.Context, in *siteInput) (*cached[SiteBody], error) {
		s := set.Get(ctx)
		body := &SiteBody{SiteName: s.SiteName, Registration: string(s.Registration), Features: toFeaturesBody(s)}
		return answer(in.Conditional, "public, max-age=30", body), nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-create-invite", Method: http.MethodPost, Path: "/v1/admin/invites", Tags: tags,
		Summary: "Invite someone to sign up",
		Description: "Makes an invitation, valid for 14 days unless told otherwise, for one email address or for anyone with its code. " +
			"The answer holds the code and the sign-up link, shown this once: send the link to the person. Needed to sign up while registration is invite_only. Recorded in the audit log.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusUnprocessableEntity},
	}, identity.ManageSystem), func(ctx context.Context, in *createInviteInput) (*newInviteOutput, error) {
		var r settings.InviteRequest
		if in.Body != nil {
			r.Email, r.ExpiresIn = in.Body.Email, time.Duration(in.Body.ExpiresInDays)*24*time.Hour
		}
		inv, err := set.CreateInvite(ctx, principal(ctx), r)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &newInviteOutput{CacheControl: "no-store", Body: &NewInviteBody{InviteBody: toInviteBody(set, inv.Invite), Code: inv.Code, Link: inv.Link}}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-list-invites", Method: http.MethodGet, Path: "/v1/admin/invites", Tags: tags,
		Summary:     "Invitations",
		Description: "Invitations, newest first, a page at a time, with where each stands (pending, used, revoked, expired). Their codes are never shown again.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.ManageSystem), func(ctx context.Context, in *listInvitesInput) (*listInvitesOutput, error) {
		page, err := set.ListInvites(ctx, principal(ctx), in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &listInvitesOutput{CacheControl: "no-store"}
		out.Body.Items = make([]InviteBody, len(page.Items))
		for i, inv := range page.Items {
			out.Body.Items[i] = toInviteBody(set, inv)
		}
		out.Body.NextCursor = page.NextCursor
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-revoke-invite", Method: http.MethodDelete, Path: "/v1/admin/invites/{id}", Tags: tags,
		Summary:       "Withdraw an invitation",
		Description:   "Withdraws an unused invitation: its code no longer signs anyone up. Withdrawing it again changes nothing; one that was used already is 409. Recorded in the audit log.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound, http.StatusConflict},
	}, identity.ManageSystem), func(ctx context.Context, in *inviteIDInput) (*noContent, error) {
		if err := set.RevokeInvite(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{CacheControl: "no-store"}, nil
	})
}
