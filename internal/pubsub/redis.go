package pubsub

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
)

var failures = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "dharmaplans_pubsub_errors_total",
	Help: "Pub/sub operations that failed because the Redis server was down or slow, by operation.",
}, []string{"op"})

// Redis is a Broker on Redis pub/sub: every replica using the same server
// and prefix hears every notice.
type Redis struct {
	conn    *redisclient.Conn
	channel string
	log     *slog.Logger
}

// NewRedis returns a Broker on the Redis server of opts, publishing on the
// channel "<prefix>" + name. It does not contact the server yet.
func NewRedis(opts redisclient.Options, name string) (*Redis, error) {
	conn, err := redisclient.Dial(opts, redisclient.Failures{Counter: failures,
		Warning: "pub/sub operation failed; live updates wait for the next heartbeat"})
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Redis{conn: conn, channel: opts.Prefix + name, log: log}, nil
}

// Publish implements Broker.
func (r *Redis) Publish(ctx context.Context, msg string) {
	op, cancel := r.conn.Op(ctx)
	defer cancel()
	if err := r.conn.Publish(op, r.channel, msg).Err(); err != nil {
		_ = r.conn.Failed(ctx, "publish", err)
	}
}

// Subscribe implements Broker. The subscription survives the server going
// away: go-redis reconnects and subscribes again.
func (r *Redis) Subscribe(ctx context.Context, fn func(string)) error {
	sub := r.conn.Subscribe(ctx, r.channel)
	op, cancel := r.conn.Op(ctx)
	_, err := sub.Receive(op) // the subscription's confirmation
	cancel()
	if err != nil {
		// Carry on: go-redis keeps trying, and heartbeats cover the gap.
		_ = r.conn.Failed(ctx, "subscribe", err)
	}
	ch := sub.Channel(redis.WithChannelHealthCheckInterval(30*time.Second), redis.WithChannelSize(1024))
	go func() {
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				fn(m.Payload)
			}
		}
	}()
	return nil
}

// Close implements Broker.
func (r *Redis) Close() error { return r.conn.Close() }
