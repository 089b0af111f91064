package audit

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Filter selects entries of the log; its zero fields select everything.
type Filter struct {
	// ActorID selects what one account did.
	ActorID string
	// Action is an action, such as "plan.published", or, ending in a dot,
	// every action on a target type, such as "user.".
	Action string
	// TargetType selects what was done to one kind of thing ("plan");
	// TargetID, what was done to one thing, with or without TargetType.
	TargetType string
	TargetID   string
	// Since and Until bound the time of the action: Since <= At < Until.
	// Zero leaves that side open.
	Since, Until time.Time
	// Q is part of the actor's or the target's label, in any case.
	Q string
}

// Query is a Filter and one page's bounds, as the Store takes it.
type Query struct {
	Filter
	// AfterAt and AfterID continue the newest-first order after the entry
	// with that time and id; a zero AfterAt starts with the newest.
	AfterAt time.Time
	AfterID string
	Limit   int
}

// Page is one page of the log, newest first, and the cursor of the next
// page ("" at the end).
type Page struct {
	Items      []*Entry
	NextCursor string
}

// Store is the storage the log needs.
type Store interface {
	// CreateAuditEntry stores e.
	CreateAuditEntry(ctx context.Context, e *Entry) error
	// ListAuditEntries returns up to q.Limit entries matching q, newest
	// first (by At, then by ID), after q's bounds.
	ListAuditEntries(ctx context.Context, q Query) ([]*Entry, error)
	// AuditActorLabel returns how the account userID is known (its email
	// address), or a not-found error.
	AuditActorLabel(ctx context.Context, userID string) (string, error)
}

// Deps are what the Service uses.
type Deps struct {
	Store Store
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service records entries and lists them.
type Service struct {
	store  Store
	now    func() time.Time
	logger *slog.Logger
}

var _ Recorder = (*Service)(nil)

// NewService returns a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{store: d.Store, now: d.Now, logger: d.Logger}
}

// Limits of the list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 100
	// MaxQ bounds Filter.Q and Filter.TargetID, in characters.
	MaxQ = 200
)

// Record implements Recorder: it gives e an id (a UUIDv7) and the time
// now unless it has them, looks up the actor's email address as their
// label unless e has one, and stores it. It records even when ctx is
// cancelled, since the action it records has happened; a failure is
// logged (action and ids only) and returned.
func (s *Service) Record(ctx context.Context, e Entry) error {
	ctx = context.WithoutCancel(ctx)
	err := s.record(ctx, &e)
	if err != nil {
		s.logger.ErrorContext(ctx, "audit: recording an action failed", "action", string(e.Action),
			"actor_id", e.ActorID, "target_type", e.TargetType, "target_id", e.TargetID, "error", err)
	}
	return err
}

func (s *Service) record(ctx context.Context, e *Entry) error {
	if e.Action == "" || e.TargetType == "" {
		return errors.New("audit: an entry needs an action and a target type")
	}
	if e.ID == "" {
		e.ID = uuid.Must(uuid.NewV7()).String()
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	// Microseconds are the finest both engines keep; a cursor made from
	// what is stored then finds its place again.
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if e.ActorID != "" && e.ActorLabel == "" {
		label, err := s.store.AuditActorLabel(ctx, e.ActorID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		e.ActorLabel = label
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	return s.store.CreateAuditEntry(ctx, e)
}

// List returns the entries matching f, newest first, a page of limit (0:
// DefaultPageSize) at a time; cursor is the previous page's NextCursor.
//
// List does not authorise: audit cannot ask identity, which reports to it.
// Whoever serves the log checks that the caller may see it (the HTTP route
// needs identity.ManageSystem).
func (s *Service) List(ctx context.Context, f Filter, cursor string, limit int) (*Page, error) {
	fields := CheckFilter(f, cursor)
	if limit == 0 {
		limit = DefaultPageSize
	}
	if limit < 1 || limit > MaxPageSize {
		fields = append(fields, errs.FieldError{Field: "query.limit", Message: "limit must be from 1 to 100"})
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	q := Query{Filter: f, Limit: limit + 1}
	q.Q = strings.TrimSpace(q.Q)
	q.Since, q.Until = q.Since.UTC(), q.Until.UTC()
	q.AfterAt, q.AfterID, _ = decodeCursor(cursor)
	list, err := s.store.ListAuditEntries(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &Page{Items: list}
	if len(list) > limit {
		page.Items = list[:limit]
		last := list[limit-1]
		page.NextCursor = encodeCursor(last.At, last.ID)
	}
	return page, nil
}

var (
	actionForm     = regexp.MustCompile(`^[a-z][a-z_]*\.(?:[a-z][a-z_]*)?$`)
	targetTypeForm = regexp.MustCompile(`^[a-z][a-z_]*$`)
)

// BadCursor is the message for a cursor this server did not give out.
const BadCursor = "cursor is not one this server gave out"

// CheckFilter returns what is wrong with a filter and a cursor, every
// problem at once, named by query parameter; nil when they are fine. The
// HTTP layer calls it to report these together with the parameters it
// checks itself.
func CheckFilter(f Filter, cursor string) []errs.FieldError {
	var fields []errs.FieldError
	bad := func(field, msg string) {
		fields = append(fields, errs.FieldError{Field: "query." + field, Message: msg})
	}
	if f.ActorID != "" {
		if _, err := uuid.Parse(f.ActorID); err != nil || len(f.ActorID) != 36 {
			bad("actor_id", "actor_id must be a user id")
		}
	}
	if f.Action != "" && (len(f.Action) > 64 || !actionForm.MatchString(f.Action)) {
		bad("action", `action must be an action such as "plan.published", or its first part and a dot, such as "plan."`)
	}
	if f.TargetType != "" && (len(f.TargetType) > 32 || !targetTypeForm.MatchString(f.TargetType)) {
		bad("target_type", `target_type must be a kind of target such as "user" or "plan"`)
	}
	if !utf8.ValidString(f.TargetID) || utf8.RuneCountInString(f.TargetID) > MaxQ {
		bad("target_id", "target_id must be at most 200 characters")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		bad("until", "until must be later than since")
	}
	if !utf8.ValidString(f.Q) || utf8.RuneCountInString(f.Q) > MaxQ {
		bad("q", "q must be at most 200 characters")
	}
	if _, _, ok := decodeCursor(cursor); !ok {
		bad("cursor", BadCursor)
	}
	return fields
}

// A cursor names the last entry of a page: its time and id.
func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + " " + id))
}

// decodeCursor returns the entry a cursor continues after (zero for the
// empty cursor), and false for anything encodeCursor did not make.
func decodeCursor(cursor string) (time.Time, string, bool) {
	if cursor == "" {
		return time.Time{}, "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", false
	}
	at, id, ok := strings.Cut(string(b), " ")
	if !ok {
		return time.Time{}, "", false
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", false
	}
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return time.Time{}, "", false
	}
	return t.UTC(), u.String(), true
}

// PersonalEntry is an entry about a person, as their export shows it: what
// was done to their account, or what they did as an administrator.
type PersonalEntry struct {
	At          time.Time      `json:"at"`
	Action      Action         `json:"action"`
	ByMe        bool           `json:"by_me"`
	TargetType  string         `json:"target_type"`
	TargetLabel string         `json:"target_label,omitempty"`
	Details     map[string]any `json:"details,omitempty"`
}

// PersonalData is the export section of the log: every entry whose target
// is the account userID (its role changed, its sessions ended) and every
// entry it made as an administrator (when and what only: the labels and
// details of those name other people), newest first.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	out := []PersonalEntry{}
	seen := map[string]bool{}
	for _, f := range []Filter{{TargetType: TargetUser, TargetID: userID}, {ActorID: userID}} {
		cursor := ""
		for {
			page, err := s.List(ctx, f, cursor, MaxPageSize)
			if err != nil {
				return nil, err
			}
			for _, e := range page.Items {
				if seen[e.ID] {
					continue
				}
				seen[e.ID] = true
				pe := PersonalEntry{At: e.At, Action: e.Action, ByMe: e.ActorID == userID, TargetType: e.TargetType}
				// What they did to others names others: only when and what.
				if e.TargetType == TargetUser && e.TargetID == userID {
					pe.TargetLabel, pe.Details = e.TargetLabel, e.Details
				}
				out = append(out, pe)
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
	}
	slices.SortStableFunc(out, func(a, b PersonalEntry) int { return b.At.Compare(a.At) })
	return out, nil
}
