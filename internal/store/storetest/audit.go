package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// addEntry stores an audit entry, with a new id unless it has one.
func (b bundle) addEntry(t *testing.T, e audit.Entry) *audit.Entry {
	t.Helper()
	if e.ID == "" {
		e.ID = identity.NewID()
	}
	if err := b.store.CreateAuditEntry(b.ctx, &e); err != nil {
		t.Fatalf("CreateAuditEntry(%s): %v", e.Action, err)
	}
	return &e
}

// auditIDs lists the ids of the entries q selects, in the store's order.
func (b bundle) auditIDs(t *testing.T, q audit.Query) []string {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	list, err := b.store.ListAuditEntries(b.ctx, q)
	if err != nil {
		t.Fatalf("ListAuditEntries(%+v): %v", q, err)
	}
	out := []string{}
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

func testAudit(t *testing.T, open Open) {
	scenario(t, open, "an entry reads back every field, in UTC, its details as JSON", func(t *testing.T, b bundle) {
		admin := b.addUser(t, "abbot@example.org")
		e := b.addEntry(t, audit.Entry{
			At: now.In(colombo), ActorID: admin.ID, ActorLabel: "abbot@example.org", Action: audit.UserRoleChanged,
			TargetType: audit.TargetUser, TargetID: identity.NewID(), TargetLabel: "tara@example.org",
			Details: map[string]any{"role": map[string]any{"from": "user", "to": "author"}, "count": 3, "note": "Mettā ✓"},
		})
		list, err := b.store.ListAuditEntries(b.ctx, audit.Query{Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("ListAuditEntries = %v, %v; want the entry", list, err)
		}
		want := *e
		want.Details = map[string]any{"role": map[string]any{"from": "user", "to": "author"}, "count": float64(3), "note": "Mettā ✓"}
		wantSame(t, "entry", list[0], &want)
	})
	scenario(t, open, "an entry without an actor or details reads back with neither", func(t *testing.T, b bundle) {
		e := b.addEntry(t, audit.Entry{At: now, Action: audit.SettingsChanged, TargetType: audit.TargetSettings, TargetID: "site"})
		list, err := b.store.ListAuditEntries(b.ctx, audit.Query{Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("ListAuditEntries = %v, %v; want the entry", list, err)
		}
		want := *e
		want.Details = map[string]any{}
		wantSame(t, "entry", list[0], &want)
	})
	scenario(t, open, "the log reads newest first, and pages continue where they stopped, ties included", func(t *testing.T, b bundle) {
		var stored []*audit.Entry
		// Stored out of time order, three at one instant.
		for _, ago := range []time.Duration{time.Hour, 3 * time.Hour, 0, 0, 0, 2 * time.Hour, time.Microsecond} {
			stored = append(stored, b.addEntry(t, audit.Entry{At: now.Add(-ago), Action: audit.PlanPublished,
				TargetType: audit.TargetPlan, TargetID: identity.NewID()}))
		}
		slices.SortFunc(stored, func(x, y *audit.Entry) int {
			if c := y.At.Compare(x.At); c != 0 {
				return c
			}
			return strings.Compare(y.ID, x.ID)
		})
		var want []string
		for _, e := range stored {
			want = append(want, e.ID)
		}
		if got := b.auditIDs(t, audit.Query{}); !slices.Equal(got, want) {
			t.Errorf("the log reads %v, want %v (by time, then id, newest first)", got, want)
		}
		var got []string
		q := audit.Query{Limit: 2}
		for pages := 0; pages < 10; pages++ {
			page, err := b.store.ListAuditEntries(b.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				got = append(got, e.ID)
			}
			if len(page) < q.Limit {
				break
			}
			last := page[len(page)-1]
			q.AfterAt, q.AfterID = last.At, last.ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("paging by 2 read %v, want %v", got, want)
		}
	})
	scenario(t, open, "filters select by actor, action or its prefix, target, time and a part of a label", func(t *testing.T, b bundle) {
		abbot, nun := b.addUser(t, "abbot@example.org"), b.addUser(t, "nun@example.org")
		reader, plan := identity.NewID(), identity.NewID()
		role := b.addEntry(t, audit.Entry{At: now.Add(-3 * time.Hour), ActorID: abbot.ID, ActorLabel: "abbot@example.org",
			Action: audit.UserRoleChanged, TargetType: audit.TargetUser, TargetID: reader, TargetLabel: "reader@example.org"})
		disabled := b.addEntry(t, audit.Entry{At: now.Add(-2 * time.Hour), ActorID: nun.ID, ActorLabel: "nun@example.org",
			Action: audit.UserDisabled, TargetType: audit.TargetUser, TargetID: reader, TargetLabel: "reader@example.org"})
		published := b.addEntry(t, audit.Entry{At: now.Add(-time.Hour), ActorID: abbot.ID, ActorLabel: "abbot@example.org",
			Action: audit.PlanPublished, TargetType: audit.TargetPlan, TargetID: plan, TargetLabel: "Mettā for Beginners"})
		settings := b.addEntry(t, audit.Entry{At: now, Action: audit.SettingsChanged, TargetType: audit.TargetSettings,
			TargetID: "site", TargetLabel: "100% of the site"})
		// "_" is a LIKE wildcard: an action prefix with one must match it literally.
		odd := b.addEntry(t, audit.Entry{At: now.Add(-4 * time.Hour), Action: "usxr.thing", TargetType: "usxr", TargetID: "x"})

		for _, tc := range []struct {
			name string
			f    audit.Filter
			want []*audit.Entry
		}{
			{"everything", audit.Filter{}, []*audit.Entry{settings, published, disabled, role, odd}},
			{"an actor", audit.Filter{ActorID: abbot.ID}, []*audit.Entry{published, role}},
			{"an action", audit.Filter{Action: string(audit.UserDisabled)}, []*audit.Entry{disabled}},
			{"an action prefix", audit.Filter{Action: "user."}, []*audit.Entry{disabled, role}},
			{"a prefix is a whole first part", audit.Filter{Action: "use."}, nil},
			{"an underscore in a prefix is literal", audit.Filter{Action: "us_r."}, nil},
			{"a target type", audit.Filter{TargetType: audit.TargetPlan}, []*audit.Entry{published}},
			{"a target", audit.Filter{TargetType: audit.TargetUser, TargetID: reader}, []*audit.Entry{disabled, role}},
			{"a target id alone", audit.Filter{TargetID: plan}, []*audit.Entry{published}},
			{"since is inclusive", audit.Filter{Since: now.Add(-time.Hour)}, []*audit.Entry{settings, published}},
			{"until is exclusive", audit.Filter{Until: now.Add(-time.Hour)}, []*audit.Entry{disabled, role, odd}},
			{"a window", audit.Filter{Since: now.Add(-3 * time.Hour), Until: now.In(colombo)}, []*audit.Entry{published, disabled, role}},
			{"the actor's label in any case", audit.Filter{Q: "ABBOT@"}, []*audit.Entry{published, role}},
			{"the target's label, non-ASCII case folded", audit.Filter{Q: "METTĀ"}, []*audit.Entry{published}},
			{"either label", audit.Filter{Q: "example.org"}, []*audit.Entry{published, disabled, role}},
			{"wildcards are literal", audit.Filter{Q: "100%"}, []*audit.Entry{settings}},
			{"a percent sign alone matches only itself", audit.Filter{Q: "%"}, []*audit.Entry{settings}},
			{"nothing matches", audit.Filter{Q: "nobody"}, nil},
			{"filters combine", audit.Filter{ActorID: abbot.ID, Action: "user.", Q: "reader"}, []*audit.Entry{role}},
		} {
			var want []string
			for _, e := range tc.want {
				want = append(want, e.ID)
			}
			if got := b.auditIDs(t, audit.Query{Filter: tc.f}); !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, want)
			}
		}
	})
	scenario(t, open, "an actor is labelled by their email address; an unknown one is not found", func(t *testing.T, b bundle) {
		u := b.addUser(t, "abbot@example.org")
		if label, err := b.store.AuditActorLabel(b.ctx, u.ID); err != nil || label != "abbot@example.org" {
			t.Errorf("AuditActorLabel = %q, %v", label, err)
		}
		_, err := b.store.AuditActorLabel(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "deleting an account replaces its email address in the log and keeps the ids", func(t *testing.T, b bundle) {
		admin, gone, other := b.addUser(t, "abbot@example.org"), b.addUser(t, "gone@example.org"), b.addUser(t, "stays@example.org")
		byGone := b.addEntry(t, audit.Entry{At: now.Add(-2 * time.Hour), ActorID: gone.ID, ActorLabel: gone.Email,
			Action: audit.AuthorCreated, TargetType: audit.TargetAuthor, TargetID: identity.NewID(), TargetLabel: "Ajahn Chah"})
		toGone := b.addEntry(t, audit.Entry{At: now.Add(-time.Hour), ActorID: admin.ID, ActorLabel: admin.Email,
			Action: audit.UserDisabled, TargetType: audit.TargetUser, TargetID: gone.ID, TargetLabel: gone.Email,
			Details: map[string]any{"count": 2}})
		toOther := b.addEntry(t, audit.Entry{At: now, ActorID: admin.ID, ActorLabel: admin.Email,
			Action: audit.UserEnabled, TargetType: audit.TargetUser, TargetID: other.ID, TargetLabel: other.Email})
		// An author whose id happens to be the account's is another thing.
		sameID := b.addEntry(t, audit.Entry{At: now.Add(-3 * time.Hour), ActorID: admin.ID, ActorLabel: admin.Email,
			Action: audit.AuthorUpdated, TargetType: audit.TargetAuthor, TargetID: gone.ID, TargetLabel: "Ajahn Sumedho"})

		if err := b.store.DeleteUser(b.ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		list, err := b.store.ListAuditEntries(b.ctx, audit.Query{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*audit.Entry{}
		for _, e := range list {
			got[e.ID] = e
		}
		if e := got[byGone.ID]; e == nil || e.ActorID != gone.ID || e.ActorLabel != audit.DeletedAccount || e.TargetLabel != "Ajahn Chah" {
			t.Errorf("the deleted account's own action reads %+v", e)
		}
		if e := got[toGone.ID]; e == nil || e.TargetID != gone.ID || e.TargetLabel != audit.DeletedAccount || e.ActorLabel != admin.Email || e.Details["count"] != float64(2) {
			t.Errorf("the action on the deleted account reads %+v", e)
		}
		if e := got[toOther.ID]; e == nil || e.TargetLabel != other.Email || e.ActorLabel != admin.Email {
			t.Errorf("an action on another account changed: %+v", e)
		}
		if e := got[sameID.ID]; e == nil || e.TargetLabel != "Ajahn Sumedho" {
			t.Errorf("an action on an author with the same id changed: %+v", e)
		}
		if ids := b.auditIDs(t, audit.Query{Filter: audit.Filter{Q: "gone@"}}); len(ids) != 0 {
			t.Errorf("searching for the deleted address still finds %v", ids)
		}
		if ids := b.auditIDs(t, audit.Query{Filter: audit.Filter{Q: "DELETED ACCOUNT"}}); !slices.Equal(ids, []string{toGone.ID, byGone.ID}) {
			t.Errorf("searching for %q finds %v, want %v", audit.DeletedAccount, ids, []string{toGone.ID, byGone.ID})
		}
	})
}
