package settings_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/pubsub"
	"github.com/dharmaplans/dharmaplans/internal/settings"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
)

// newStore opens a migrated SQLite database of the test's own.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "settings.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	now := time.Now().UTC()
	if err := st.CreateUser(t.Context(), &identity.User{ID: admin.UserID, Email: "admin@example.org", DisplayName: "Admin",
		Role: identity.RoleAdmin, Timezone: "UTC", Locale: "en", Theme: "system", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return st
}

// start starts a Service on st until the test ends.
func start(t *testing.T, d settings.Deps) *settings.Service {
	t.Helper()
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := settings.NewService(d)
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder keeps the audit entries it is given.
type recorder struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (r *recorder) Record(_ context.Context, e audit.Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, e)
	return nil
}

var admin = &identity.Principal{UserID: "0190f7a4-0000-7000-8000-000000000001", Role: identity.RoleAdmin}

func ptr[T any](v T) *T { return &v }

func TestDefaultsWithoutStoredSettings(t *testing.T) {
	s := start(t, settings.Deps{Store: newStore(t)})
	snap := s.Current(t.Context())
	set := snap.Settings
	if snap.Version != 0 || set.SiteName != "Dharma Plans" || set.Registration != settings.Open || set.DefaultReminderHour != 7 ||
		set.DefaultGraceDays != 1 || set.ReminderTime() != "07:00" {
		t.Errorf("defaults = %+v", snap)
	}
	for _, f := range settings.Features {
		if !set.Enabled(f.Flag) {
			t.Errorf("feature %s is off by default", f.Flag)
		}
	}
	if got, want := s.Limits(t.Context()), identity.DefaultLimits(); got != want {
		t.Errorf("limits = %+v, want identity's defaults %+v", got, want)
	}
}

func TestUpdateChecksEveryFieldAtOnce(t *testing.T) {
	s := start(t, settings.Deps{Store: newStore(t)})
	_, err := s.Update(t.Context(), admin, settings.Patch{
		SiteName:            ptr("  \t "),
		Registration:        ptr(settings.Registration("closed")),
		DefaultReminderHour: ptr(24),
		DefaultGraceDays:    ptr(-1),
		RateLimits: map[string]settings.RatePatch{
			"login_per_ip":   {Rate: ptr(0), Period: ptr(settings.Period("1w"))},
			"login_per_moon": {Rate: ptr(3)},
			"refresh_per_ip": {Rate: ptr(settings.MaxRate + 1)},
		},
		Features: map[settings.Feature]bool{"teleport": true, settings.Journal: false},
	}, settings.AnyVersion)
	var e *errs.Error
	if !errs.Is(err, errs.Invalid) || !asErr(err, &e) {
		t.Fatalf("Update = %v, want invalid fields", err)
	}
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"body.site_name", "body.registration", "body.default_reminder_hour", "body.default_grace_days",
		"body.rate_limits.login_per_ip.rate", "body.rate_limits.login_per_ip.period", "body.rate_limits.login_per_moon",
		"body.rate_limits.refresh_per_ip.rate", "body.features.teleport"} {
		if !got[want] {
			t.Errorf("no error for %s in %v", want, e.Fields)
		}
	}
	if len(e.Fields) != 9 {
		t.Errorf("%d field errors, want 9: %v", len(e.Fields), e.Fields)
	}
	if snap := s.Current(t.Context()); snap.Version != 0 || !snap.Settings.Enabled(settings.Journal) {
		t.Errorf("a refused change changed the settings: %+v", snap)
	}

	_, err = s.Update(t.Context(), admin, settings.Patch{SiteName: ptr("Jeta\nvana")}, settings.AnyVersion)
	if !errs.Is(err, errs.Invalid) {
		t.Errorf("a site name with a line break: %v, want invalid", err)
	}
}

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	*target = e
	return ok
}

func TestUpdateIsAuditedAndVersioned(t *testing.T) {
	log := &recorder{}
	s := start(t, settings.Deps{Store: newStore(t), Audit: log})
	ctx := t.Context()

	snap, err := s.Update(ctx, admin, settings.Patch{SiteName: ptr("  Jetavana  "), DefaultGraceDays: ptr(2),
		RateLimits: map[string]settings.RatePatch{"login_per_ip": {Rate: ptr(5)}},
		Features:   map[settings.Feature]bool{settings.Journal: false, settings.Recommendations: true}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != 1 || snap.Settings.SiteName != "Jetavana" || snap.UpdatedBy != admin.UserID || snap.UpdatedAt.IsZero() {
		t.Errorf("after the change: %+v", snap)
	}
	if l := s.Limits(ctx).LoginPerIP; l.Rate != 5 || l.Period != time.Minute {
		t.Errorf("login per IP in force = %+v, want 5 a minute", l)
	}
	if len(log.entries) != 1 {
		t.Fatalf("%d audit entries, want 1", len(log.entries))
	}
	e := log.entries[0]
	if e.Action != audit.SettingsChanged || e.ActorID != admin.UserID || e.TargetType != audit.TargetSettings {
		t.Errorf("audit entry %+v", e)
	}
	want := map[string]any{
		"site_name":                map[string]any{"from": "Dharma Plans", "to": "Jetavana"},
		"default_grace_days":       map[string]any{"from": 1, "to": 2},
		"rate_limits.login_per_ip": map[string]any{"from": settings.Rate{Rate: 30, Period: "1m"}, "to": settings.Rate{Rate: 5, Period: "1m"}},
		"features.journal":         map[string]any{"from": true, "to": false},
	}
	if len(e.Details) != len(want) {
		t.Errorf("details %v, want only the changed fields %v", e.Details, want)
	}
	for k, w := range want {
		got, _ := e.Details[k].(map[string]any)
		if got == nil || got["from"] != w.(map[string]any)["from"] || got["to"] != w.(map[string]any)["to"] {
			t.Errorf("details[%s] = %v, want %v", k, e.Details[k], w)
		}
	}

	if _, err := s.Update(ctx, admin, settings.Patch{DefaultReminderHour: ptr(6)}, 0); !errs.Is(err, errs.Conflict) {
		t.Errorf("a change from version 0 after version 1: %v, want a conflict", err)
	}
	same, err := s.Update(ctx, admin, settings.Patch{SiteName: ptr("Jetavana")}, 1)
	if err != nil || same.Version != 1 || len(log.entries) != 1 {
		t.Errorf("a change to what is stored: version %v, %v, %d audit entries; want nothing written", same, err, len(log.entries))
	}
	user := &identity.Principal{UserID: admin.UserID, Role: identity.RoleAuthor}
	if _, err := s.Update(ctx, user, settings.Patch{SiteName: ptr("Mine")}, settings.AnyVersion); !errs.Is(err, errs.Forbidden) {
		t.Errorf("an author's change: %v, want forbidden", err)
	}
}

// Replicas without a shared broker see a change when they next re-read;
// with one, at once.
func TestOtherReplicasSeeAChange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		broker pubsub.Broker
		every  time.Duration
	}{
		{"by re-reading", nil, 20 * time.Millisecond},
		{"by notice", pubsub.NewMemory(), time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			one := start(t, settings.Deps{Store: st, Broker: tc.broker, RefreshEvery: tc.every})
			two := start(t, settings.Deps{Store: st, Broker: tc.broker, RefreshEvery: tc.every})
			if _, err := one.Update(t.Context(), admin, settings.Patch{Registration: ptr(settings.InviteOnly)}, 0); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for two.Get(t.Context()).Registration != settings.InviteOnly {
				if time.Now().After(deadline) {
					t.Fatal("the second replica still has open registration")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if v := two.Current(t.Context()).Version; v != 1 {
				t.Errorf("second replica at version %d, want 1", v)
			}
		})
	}
}

func TestStoredSettingsOutOfRangeFallBackToDefaults(t *testing.T) {
	st := newStore(t)
	doc := `{"site_name":"Isipatana","registration":"closed","default_reminder_hour":99,"rate_limits":{"login_per_ip":{"rate":0,"period":"1m"},"reset_per_ip":{"rate":4,"period":"1d"}},"features":{"journal":false,"teleport":true}}`
	if err := st.SaveSettings(t.Context(), &settings.Stored{Version: 1, Document: doc, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	set := start(t, settings.Deps{Store: st}).Get(t.Context())
	if set.SiteName != "Isipatana" || set.Registration != settings.Open || set.DefaultReminderHour != 7 || set.DefaultGraceDays != 1 {
		t.Errorf("settings = %+v", set)
	}
	if set.RateLimits.LoginPerIP.Rate != 30 || set.RateLimits.ResetPerIP != (settings.Rate{Rate: 4, Period: settings.PerDay}) {
		t.Errorf("rate limits = %+v", set.RateLimits)
	}
	if set.Enabled(settings.Journal) || !set.Enabled(settings.Recommendations) || len(set.Features) != len(settings.Features) {
		t.Errorf("features = %v", set.Features)
	}
}
