package audit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// memStore keeps entries in memory; it lists them in the order given,
// since ordering and filtering are the SQL store's (see storetest).
type memStore struct {
	entries []*audit.Entry
	emails  map[string]string
	queries []audit.Query
	fail    error
}

func (m *memStore) CreateAuditEntry(_ context.Context, e *audit.Entry) error {
	if m.fail != nil {
		return m.fail
	}
	m.entries = append(m.entries, e)
	return nil
}

func (m *memStore) ListAuditEntries(_ context.Context, q audit.Query) ([]*audit.Entry, error) {
	m.queries = append(m.queries, q)
	start := 0
	if q.AfterID != "" {
		for i, e := range m.entries {
			if e.ID == q.AfterID {
				start = i + 1
			}
		}
	}
	end := min(len(m.entries), start+q.Limit)
	return m.entries[start:end], nil
}

func (m *memStore) AuditActorLabel(_ context.Context, id string) (string, error) {
	if e, ok := m.emails[id]; ok {
		return e, nil
	}
	return "", errs.E(errs.NotFound, "user not found")
}

var clock = time.Date(2026, 5, 1, 6, 30, 0, 123456789, time.FixedZone("+0530", 5*3600+1800))

func newService(st *memStore, log *bytes.Buffer) *audit.Service {
	return audit.NewService(audit.Deps{Store: st, Now: func() time.Time { return clock },
		Logger: slog.New(slog.NewTextHandler(log, nil))})
}

func TestRecordFillsWhatTheFeatureLeavesOut(t *testing.T) {
	actor := uuid.NewString()
	st := &memStore{emails: map[string]string{actor: "abbot@example.org"}}
	svc := newService(st, &bytes.Buffer{})
	if err := svc.Record(t.Context(), audit.Entry{ActorID: actor, Action: audit.UserDisabled, TargetType: audit.TargetUser, TargetID: "u1", TargetLabel: "tara@example.org"}); err != nil {
		t.Fatal(err)
	}
	e := st.entries[0]
	if id, err := uuid.Parse(e.ID); err != nil || id.Version() != 7 {
		t.Errorf("id %q is not a UUIDv7", e.ID)
	}
	if want := clock.UTC().Truncate(time.Microsecond); !e.At.Equal(want) || e.At.Location() != time.UTC || e.At.Nanosecond()%1000 != 0 {
		t.Errorf("at %v, want the clock's time in UTC to the microsecond (%v)", e.At, want)
	}
	if e.ActorLabel != "abbot@example.org" || e.Details == nil {
		t.Errorf("actor label %q, details %v; want the actor's email and empty details", e.ActorLabel, e.Details)
	}

	t.Run("an actor who is gone, or none, records without a label", func(t *testing.T) {
		for _, id := range []string{uuid.NewString(), ""} {
			if err := svc.Record(t.Context(), audit.Entry{ActorID: id, Action: audit.SettingsChanged, TargetType: audit.TargetSettings}); err != nil {
				t.Fatal(err)
			}
			if got := st.entries[len(st.entries)-1]; got.ActorLabel != "" || got.ActorID != id {
				t.Errorf("entry %+v", got)
			}
		}
	})

	t.Run("what the feature gave is kept", func(t *testing.T) {
		at := clock.Add(-time.Hour)
		id := uuid.NewString()
		if err := svc.Record(t.Context(), audit.Entry{ID: id, At: at, ActorID: actor, ActorLabel: "given", Action: audit.PlanPublished, TargetType: audit.TargetPlan}); err != nil {
			t.Fatal(err)
		}
		if got := st.entries[len(st.entries)-1]; got.ID != id || !got.At.Equal(at.Truncate(time.Microsecond)) || got.ActorLabel != "given" {
			t.Errorf("entry %+v", got)
		}
	})

	t.Run("a cancelled request still records the action it made", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := svc.Record(ctx, audit.Entry{Action: audit.PlanArchived, TargetType: audit.TargetPlan}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAFailureToRecordIsLoggedWithoutPersonalData(t *testing.T) {
	var log bytes.Buffer
	st := &memStore{fail: errors.New("disk full")}
	svc := newService(st, &log)
	err := svc.Record(t.Context(), audit.Entry{ActorID: "a1", ActorLabel: "abbot@example.org", Action: audit.UserRoleChanged,
		TargetType: audit.TargetUser, TargetID: "u1", TargetLabel: "tara@example.org", Details: map[string]any{"note": "private words"}})
	if err == nil {
		t.Fatal("Record succeeded on a failing store")
	}
	line := log.String()
	for _, want := range []string{"user.role_changed", "a1", "u1", "disk full"} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line lacks %q: %s", want, line)
		}
	}
	for _, secret := range []string{"abbot@", "tara@", "private words"} {
		if strings.Contains(line, secret) {
			t.Errorf("the log line holds %q: %s", secret, line)
		}
	}
}

func TestListValidatesEveryParameterAtOnce(t *testing.T) {
	svc := newService(&memStore{}, &bytes.Buffer{})
	since := clock
	_, err := svc.List(t.Context(), audit.Filter{ActorID: "abbot", Action: "Plan", TargetType: "plan!", TargetID: strings.Repeat("x", 201),
		Since: since, Until: since.Add(-time.Second), Q: strings.Repeat("ā", 201)}, "not-a-cursor", 101)
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		t.Fatalf("error %v, want a validation error", err)
	}
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, f := range []string{"query.actor_id", "query.action", "query.target_type", "query.target_id", "query.until", "query.q", "query.cursor", "query.limit"} {
		if !got[f] {
			t.Errorf("no error for %s in %v", f, e.Fields)
		}
	}

	for _, ok := range []audit.Filter{{}, {Action: "user."}, {Action: "plan.published"}, {Action: "user.sessions_revoked"}, {TargetType: "settings", TargetID: "site"},
		{ActorID: uuid.NewString(), Q: strings.Repeat("ā", 200)}, {Since: since, Until: since.Add(time.Microsecond)}} {
		if fields := audit.CheckFilter(ok, ""); len(fields) != 0 {
			t.Errorf("CheckFilter(%+v) = %v, want no problem", ok, fields)
		}
	}
}

func TestListPagesWithCursorsItGaveOut(t *testing.T) {
	st := &memStore{}
	for i := range 5 {
		st.entries = append(st.entries, &audit.Entry{ID: uuid.NewString(), At: clock.Add(-time.Duration(i) * time.Minute).UTC(),
			Action: audit.PlanPublished, TargetType: audit.TargetPlan})
	}
	svc := newService(st, &bytes.Buffer{})
	page, err := svc.List(t.Context(), audit.Filter{Q: "  mettā  "}, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.NextCursor == "" {
		t.Fatalf("first page %d items, cursor %q", len(page.Items), page.NextCursor)
	}
	if q := st.queries[0]; q.Limit != 3 || q.Q != "mettā" || !q.AfterAt.IsZero() {
		t.Errorf("the store was asked %+v, want one more than the page, q trimmed", q)
	}
	page, err = svc.List(t.Context(), audit.Filter{}, page.NextCursor, 2)
	if err != nil {
		t.Fatal(err)
	}
	if q := st.queries[1]; q.AfterID != st.entries[1].ID || !q.AfterAt.Equal(st.entries[1].At) {
		t.Errorf("the cursor continued after %v %s, want the second entry", q.AfterAt, q.AfterID)
	}
	page, err = svc.List(t.Context(), audit.Filter{}, page.NextCursor, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.NextCursor != "" {
		t.Errorf("last page %d items, cursor %q; want 1 and none", len(page.Items), page.NextCursor)
	}
	if q := st.queries[2]; q.Limit != audit.DefaultPageSize+1 {
		t.Errorf("limit 0 asked the store for %d, want the default page and one", q.Limit)
	}
}
