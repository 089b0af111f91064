package app

import (
	"context"
	"fmt"

	"github.com/dharmaplans/dharmaplans/internal/pubsub"
	"github.com/dharmaplans/dharmaplans/internal/redisclient"
	"github.com/dharmaplans/dharmaplans/internal/settings"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

// newSettings starts the system settings: read from the database, kept
// current through the pub/sub when replicas share Redis (and by re-reading
// every 30 seconds in any case), and followed by the store for new practice
// profiles; links is the public address invitation links start with.
func (m *Main) newSettings(ctx context.Context, st *store.Store, links string) (*settings.Service, error) {
	var broker pubsub.Broker
	if m.Config.RedisURL != "" {
		b, err := pubsub.NewRedis(redisclient.Options{URL: m.Config.RedisURL, Prefix: m.Config.CachePrefix, Logger: m.Logger}, "settings")
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %v", err)
		}
		m.settingsBroker, broker = b, b
	}
	set := settings.NewService(settings.Deps{Store: st, Audit: m.audit, Broker: broker, BaseURL: links, Now: m.Now, Logger: m.Logger})
	if err := set.Start(ctx); err != nil {
		return nil, fmt.Errorf("system settings: %w", err)
	}
	st.SetGraceDefault(func(ctx context.Context) int { return set.Get(ctx).DefaultGraceDays })
	return set, nil
}

// practiceSite is what practice follows of the system settings.
type practiceSite struct{ set *settings.Service }

func (p practiceSite) DefaultReminderTime(ctx context.Context) string {
	return p.set.Get(ctx).ReminderTime()
}

func (p practiceSite) JournalOpen(ctx context.Context) bool {
	return p.set.Enabled(ctx, settings.Journal)
}

// Settings is the system settings service (after Run).
func (m *Main) Settings() *settings.Service { return m.settings }
