package settings

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/pubsub"
)

// Stored is the settings document as the database keeps it.
type Stored struct {
	// Version counts the changes: 1 after the first.
	Version int
	// Document is the settings as JSON (see document).
	Document  string
	UpdatedAt time.Time
	// UpdatedBy is the administrator who made the change; "" once their
	// account is gone.
	UpdatedBy string
}

// Store keeps the settings and the invitations.
type Store interface {
	// Settings returns the stored settings, or NotFound before the first
	// change.
	Settings(ctx context.Context) (*Stored, error)
	// SaveSettings stores st if the stored version is st.Version-1 (or,
	// for version 1, if none is stored); otherwise it is a Conflict.
	SaveSettings(ctx context.Context, st *Stored) error

	// CreateInvite stores a new invitation.
	CreateInvite(ctx context.Context, inv *Invite) error
	// Invite returns an invitation by id, or NotFound.
	Invite(ctx context.Context, id string) (*Invite, error)
	// InviteByCode returns the invitation whose code hashes to codeHash,
	// or NotFound.
	InviteByCode(ctx context.Context, codeHash string) (*Invite, error)
	// ListInvites lists invitations newest first, those with ids before
	// before ("" from the newest), at most limit of them.
	ListInvites(ctx context.Context, before string, limit int) ([]*Invite, error)
	// ClaimInvite marks used, at at, the invitation of codeHash if it is
	// unused, not withdrawn, unexpired at at, and for email or for anyone,
	// and returns it; any other is NotFound. Of two concurrent claims of
	// one invitation, one succeeds.
	ClaimInvite(ctx context.Context, codeHash, email string, at time.Time) (*Invite, error)
	// ConfirmInvite records the account made with a claimed invitation.
	ConfirmInvite(ctx context.Context, id, userID string) error
	// ReleaseInvite makes a claimed invitation without an account unused
	// again.
	ReleaseInvite(ctx context.Context, id string) error
	// RevokeInvite withdraws an unused invitation that is not withdrawn
	// yet; any other is NotFound.
	RevokeInvite(ctx context.Context, id string, at time.Time) error
}

// Deps are what the Service uses.
type Deps struct {
	Store Store
	// Audit records changes to the settings and invitations; nil records
	// nothing.
	Audit audit.Recorder
	// Broker tells the other replicas that the settings changed; nil: this
	// process alone (other processes see a change within RefreshEvery).
	Broker pubsub.Broker
	// BaseURL is the public address of the web app, for invitation links.
	BaseURL string
	// RefreshEvery is how often the settings are re-read however quiet the
	// broker is; zero means DefaultRefreshEvery.
	RefreshEvery time.Duration
	// Now is the clock; nil: time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// DefaultRefreshEvery is the default Deps.RefreshEvery.
const DefaultRefreshEvery = 30 * time.Second

// Snapshot is the settings at one version.
type Snapshot struct {
	Settings Settings
	// Version is 0 while nobody has changed the defaults.
	Version int
	// UpdatedAt and UpdatedBy say when and by whom it was made; zero and ""
	// for the defaults.
	UpdatedAt time.Time
	UpdatedBy string
}

// state is what the Service keeps in memory: a snapshot, never modified
// once installed, and identity's limits under it.
type state struct {
	Snapshot
	limits identity.Limits
}

func newState(snap Snapshot) *state {
	return &state{Snapshot: snap, limits: snap.Settings.identityLimits()}
}

// Service holds the settings and the invitations.
type Service struct {
	store   Store
	audit   audit.Recorder
	broker  pubsub.Broker
	baseURL string
	every   time.Duration
	now     func() time.Time
	logger  *slog.Logger

	cur    atomic.Pointer[state]
	loadMu sync.Mutex // one load at a time, so that an older read never replaces a newer one
	stop   context.CancelFunc
	done   chan struct{}
}

// NewService returns a Service that answers with the defaults until Start
// has read the stored settings.
func NewService(d Deps) *Service {
	if d.Audit == nil {
		d.Audit = audit.Discard
	}
	if d.RefreshEvery <= 0 {
		d.RefreshEvery = DefaultRefreshEvery
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Service{store: d.Store, audit: d.Audit, broker: d.Broker, baseURL: d.BaseURL, every: d.RefreshEvery,
		now: d.Now, logger: d.Logger}
	s.cur.Store(newState(Snapshot{Settings: Defaults()}))
	return s
}

// Start reads the stored settings, then keeps them current: on every
// notice from the broker, and every RefreshEvery. Close stops it.
func (s *Service) Start(ctx context.Context) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	ctx, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	s.done = make(chan struct{})
	if s.broker != nil {
		if err := s.broker.Subscribe(ctx, func(string) { s.reload(ctx) }); err != nil {
			s.stop()
			return err
		}
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.reload(ctx)
			}
		}
	}()
	return nil
}

// Close stops keeping the settings current.
func (s *Service) Close() error {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	return nil
}

// reload is load in the background: a failure keeps the settings known.
func (s *Service) reload(ctx context.Context) {
	if err := s.load(ctx); err != nil && ctx.Err() == nil {
		s.logger.WarnContext(ctx, "re-reading the system settings failed; the ones known stay in force", "error", err)
	}
}

// load reads the stored settings and installs them unless a newer version
// is installed already.
func (s *Service) load(ctx context.Context) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	st, err := s.store.Settings(ctx)
	if errs.Is(err, errs.NotFound) {
		return nil // the defaults, installed by NewService
	}
	if err != nil {
		return err
	}
	if st.Version <= s.cur.Load().Version {
		return nil
	}
	set, fixed, err := decode(st.Document)
	if err != nil {
		return err
	}
	if len(fixed) > 0 {
		s.logger.WarnContext(ctx, "stored system settings out of range; their defaults apply", "version", st.Version, "fields", fixed)
	}
	s.install(Snapshot{Settings: set, Version: st.Version, UpdatedAt: st.UpdatedAt, UpdatedBy: st.UpdatedBy})
	return nil
}

// install makes snap the settings in force unless a newer one is.
func (s *Service) install(snap Snapshot) {
	next := newState(snap)
	for {
		cur := s.cur.Load()
		if cur.Version >= snap.Version || s.cur.CompareAndSwap(cur, next) {
			return
		}
	}
}

// Get returns the settings in force. It reads memory only.
func (s *Service) Get(context.Context) Settings { return s.cur.Load().Settings.Clone() }

// Current returns the settings in force with their version.
func (s *Service) Current(context.Context) Snapshot {
	snap := s.cur.Load().Snapshot
	snap.Settings = snap.Settings.Clone()
	return snap
}

// Enabled reports whether feature f is on now.
func (s *Service) Enabled(_ context.Context, f Feature) bool {
	return s.cur.Load().Settings.Features[f]
}

// Limits implements identity.Site.
func (s *Service) Limits(context.Context) identity.Limits { return s.cur.Load().limits }

// SiteName implements identity.Site.
func (s *Service) SiteName(context.Context) string { return s.cur.Load().Settings.SiteName }

// Read returns the settings as stored now, for administrators: fresh from
// the database, not as this replica last heard of them.
func (s *Service) Read(ctx context.Context, p *identity.Principal) (*Snapshot, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	snap := s.Current(ctx)
	return &snap, nil
}

// SettingsTarget is the audit log's target id of the system settings.
const SettingsTarget = "system"

// AnyVersion, as the version an Update is made from, changes whatever
// version is stored.
const AnyVersion = -1

// Update changes the settings for an administrator. ifVersion is the
// version the change was made from: if the settings have changed since, it
// is a Conflict (reload and make the change again). Every invalid field is
// reported at once. A change that changes nothing writes nothing.
// Otherwise it is in force on this replica at once and on the others
// within moments, and it is recorded in the audit log with what changed.
func (s *Service) Update(ctx context.Context, p *identity.Principal, patch Patch, ifVersion int) (*Snapshot, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	cur, err := s.Read(ctx, p)
	if err != nil {
		return nil, err
	}
	if ifVersion != AnyVersion && ifVersion != cur.Version {
		return nil, stale(cur.Version, ifVersion)
	}
	next, fields := cur.Settings.apply(patch)
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	diff := changes(cur.Settings, next)
	if len(diff) == 0 {
		return cur, nil
	}
	snap := Snapshot{Settings: next, Version: cur.Version + 1, UpdatedAt: s.now().UTC().Truncate(time.Microsecond), UpdatedBy: p.UserID}
	err = s.store.SaveSettings(ctx, &Stored{Version: snap.Version, Document: encode(next), UpdatedAt: snap.UpdatedAt, UpdatedBy: p.UserID})
	if errs.Is(err, errs.Conflict) {
		// Someone else saved first, after the read above.
		s.reload(ctx)
		return nil, stale(s.cur.Load().Version, ifVersion)
	}
	if err != nil {
		return nil, err
	}
	s.install(snap)
	if s.broker != nil {
		s.broker.Publish(ctx, strconv.Itoa(snap.Version))
	}
	s.logger.InfoContext(ctx, "system settings changed", "by", p.UserID, "version", snap.Version, "fields", slices.Sorted(maps.Keys(diff)))
	s.record(ctx, audit.Entry{ActorID: p.UserID, Action: audit.SettingsChanged, TargetType: audit.TargetSettings,
		TargetID: SettingsTarget, TargetLabel: "System settings, version " + strconv.Itoa(snap.Version), Details: diff})
	return &snap, nil
}

// stale is the error for a change made from an old version.
func stale(now, sent int) error {
	return errs.E(errs.Conflict, "the settings have changed since you read them (they are at version %d, your change was made from version %d); reload them and make your change again", now, sent)
}

// record writes an audit entry. The action it records has happened, so a
// failure is logged, not returned.
func (s *Service) record(ctx context.Context, e audit.Entry) {
	if err := s.audit.Record(context.WithoutCancel(ctx), e); err != nil {
		s.logger.ErrorContext(ctx, "recording an administrative action in the audit log failed", "action", string(e.Action), "error", err)
	}
}
