// Package pubsub carries short notices between the replicas of the server:
// "this person's progress changed", so that every replica holding one of
// their live connections looks for news. Notices are hints, never data:
// a lost one delays an update until the next heartbeat, nothing more.
//
// Two implementations share one contract, checked by one test suite:
// Memory, in process, for a single server; and Redis, through Redis
// pub/sub, for replicas sharing a Redis-protocol server.
package pubsub

import (
	"context"
	"sync"
)

// Broker publishes notices on one channel and delivers every notice to
// every subscriber, on this replica and the others.
type Broker interface {
	// Publish sends msg to every subscriber. Failures are the broker's to
	// log; a lost notice is tolerated by design.
	Publish(ctx context.Context, msg string)
	// Subscribe delivers notices to fn, one at a time, until ctx ends.
	// It returns once the subscription is established.
	Subscribe(ctx context.Context, fn func(msg string)) error
	// Close releases the broker's connections.
	Close() error
}

// Memory is a Broker inside one process.
type Memory struct {
	mu   sync.Mutex
	subs map[int]chan string
	next int
}

// NewMemory returns an in-process Broker.
func NewMemory() *Memory { return &Memory{subs: map[int]chan string{}} }

// Publish implements Broker. A subscriber that is far behind misses
// notices rather than blocking the publisher.
func (m *Memory) Publish(_ context.Context, msg string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ch := range m.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

// Subscribe implements Broker.
func (m *Memory) Subscribe(ctx context.Context, fn func(string)) error {
	ch := make(chan string, 1024)
	m.mu.Lock()
	id := m.next
	m.next++
	m.subs[id] = ch
	m.mu.Unlock()
	go func() {
		defer func() {
			m.mu.Lock()
			delete(m.subs, id)
			m.mu.Unlock()
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-ch:
				fn(msg)
			}
		}
	}()
	return nil
}

// Close implements Broker.
func (m *Memory) Close() error { return nil }
