package practice

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/pubsub"
)

// EventRetention is how long events stay for devices that reconnect with
// Last-Event-ID.
const EventRetention = 7 * 24 * time.Hour

// Broker is the pub/sub that tells every replica whose progress changed.
type Broker = pubsub.Broker

// NewLocalBroker returns a Broker for a single server.
func NewLocalBroker() Broker { return pubsub.NewMemory() }

// hub keeps the live connections of this replica by person and pokes them
// when the broker says their progress changed, on any replica.
type hub struct {
	broker Broker
	store  Store
	logger *slog.Logger
	stop   context.CancelFunc

	mu   sync.Mutex
	subs map[string]map[*Subscription]struct{}
}

func newHub(b Broker, st Store, logger *slog.Logger) *hub {
	ctx, stop := context.WithCancel(context.Background())
	h := &hub{broker: b, store: st, logger: logger, stop: stop, subs: map[string]map[*Subscription]struct{}{}}
	if err := b.Subscribe(ctx, h.poke); err != nil {
		logger.Warn("live updates: cannot subscribe; devices will see changes at the next heartbeat", "err", err)
	}
	return h
}

func (h *hub) close() error {
	h.stop()
	return nil
}

// publish tells every replica that userID's progress changed.
func (h *hub) publish(ctx context.Context, userID string) {
	h.broker.Publish(context.WithoutCancel(ctx), userID)
}

// poke wakes userID's connections on this replica.
func (h *hub) poke(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs[userID] {
		select {
		case sub.wake <- struct{}{}:
		default: // already awake
		}
	}
}

// Subscription is one live connection of a person: Wake receives when
// there may be news; Events reads it.
type Subscription struct {
	hub    *hub
	userID string
	wake   chan struct{}
	once   sync.Once
}

// Wake is signalled when the person's progress may have changed.
func (s *Subscription) Wake() <-chan struct{} { return s.wake }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.hub.mu.Lock()
		defer s.hub.mu.Unlock()
		delete(s.hub.subs[s.userID], s)
		if len(s.hub.subs[s.userID]) == 0 {
			delete(s.hub.subs, s.userID)
		}
	})
}

// Subscribe opens a live connection for p. after is the last event the
// device saw (Last-Event-ID); 0 means "from now on". It returns where the
// stream starts.
func (s *Service) Subscribe(ctx context.Context, p *identity.Principal, after int64) (*Subscription, int64, error) {
	if err := use(p); err != nil {
		return nil, 0, err
	}
	sub := &Subscription{hub: s.hub, userID: p.UserID, wake: make(chan struct{}, 1)}
	s.hub.mu.Lock()
	if s.hub.subs[p.UserID] == nil {
		s.hub.subs[p.UserID] = map[*Subscription]struct{}{}
	}
	s.hub.subs[p.UserID][sub] = struct{}{}
	s.hub.mu.Unlock()
	if after <= 0 {
		last, err := s.store.LastEventID(ctx, p.UserID)
		if err != nil {
			sub.Close()
			return nil, 0, err
		}
		after = last
	}
	return sub, after, nil
}

// Events lists p's events after id, at most 100.
func (s *Service) Events(ctx context.Context, p *identity.Principal, after int64) ([]Event, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, p.UserID, after, 100)
}

// Listeners counts this replica's open live connections (for tests and
// metrics).
func (s *Service) Listeners() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	n := 0
	for _, subs := range s.hub.subs {
		n += len(subs)
	}
	return n
}

// PruneEvents deletes events older than EventRetention.
func (s *Service) PruneEvents(ctx context.Context) error {
	n, err := s.store.PruneEvents(ctx, s.clock().Add(-EventRetention))
	if err == nil && n > 0 {
		s.logger.InfoContext(ctx, "pruned live update events", "count", n)
	}
	return err
}

// notify records an event outside a progress transaction and publishes it.
func (s *Service) notify(ctx context.Context, userID, kind string, data any, at time.Time) {
	err := s.store.Write(ctx, userID, func(tx Tx) error {
		_, err := tx.AddEvent(kind, jsonOf(data), at)
		return err
	})
	if err != nil {
		s.logger.WarnContext(ctx, "live updates: cannot record an event", "err", err)
		return
	}
	s.hub.publish(ctx, userID)
}
