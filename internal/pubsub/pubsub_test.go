package pubsub_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/pubsub"
	"github.com/dharmaplans/dharmaplans/internal/redisclient"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// The contract every Broker keeps, checked on each implementation.
func TestMemory(t *testing.T) {
	b := pubsub.NewMemory()
	run(t, func(t *testing.T) pubsub.Broker { return b })
}

func TestRedis(t *testing.T) {
	url := testenv.RedisURL(t)
	prefix := "pubsub-" + rand.Text()[:10] + ":"
	run(t, func(t *testing.T) pubsub.Broker {
		b, err := pubsub.NewRedis(redisclient.Options{URL: url, Prefix: prefix, Timeout: 2 * time.Second}, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	})
	t.Run("brokers with another prefix do not hear each other", func(t *testing.T) {
		mine, _ := pubsub.NewRedis(redisclient.Options{URL: url, Prefix: prefix}, "test")
		theirs, _ := pubsub.NewRedis(redisclient.Options{URL: url, Prefix: "other-" + prefix}, "test")
		defer mine.Close()
		defer theirs.Close()
		heard := listen(t, mine)
		theirs.Publish(t.Context(), "not for you")
		mine.Publish(t.Context(), "for you")
		if got := next(t, heard); got != "for you" {
			t.Fatalf("heard %q", got)
		}
	})
}

// run checks the contract on brokers from open; two brokers from open are
// two replicas.
func run(t *testing.T, open func(t *testing.T) pubsub.Broker) {
	t.Run("every subscriber on every replica hears a notice", func(t *testing.T) {
		one, two := open(t), open(t)
		a, b := listen(t, one), listen(t, two)
		one.Publish(t.Context(), "user-1")
		if got := next(t, a); got != "user-1" {
			t.Fatalf("the publishing replica heard %q", got)
		}
		if got := next(t, b); got != "user-1" {
			t.Fatalf("the other replica heard %q", got)
		}
	})
	t.Run("a subscription ends with its context", func(t *testing.T) {
		br := open(t)
		ctx, cancel := context.WithCancel(t.Context())
		heard := make(chan string, 10)
		if err := br.Subscribe(ctx, func(msg string) { heard <- msg }); err != nil {
			t.Fatal(err)
		}
		cancel()
		time.Sleep(100 * time.Millisecond)
		br.Publish(t.Context(), "late")
		select {
		case msg := <-heard:
			t.Fatalf("an ended subscription heard %q", msg)
		case <-time.After(300 * time.Millisecond):
		}
	})
}

func listen(t *testing.T, b pubsub.Broker) <-chan string {
	t.Helper()
	heard := make(chan string, 10)
	if err := b.Subscribe(t.Context(), func(msg string) { heard <- msg }); err != nil {
		t.Fatal(err)
	}
	return heard
}

func next(t *testing.T, heard <-chan string) string {
	t.Helper()
	select {
	case msg := <-heard:
		return msg
	case <-time.After(5 * time.Second):
		t.Fatal("no notice within 5 seconds")
	}
	return ""
}
