package app_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	ID, Event, Data string
}

// stream is a device listening to /v1/me/events.
type stream struct {
	events <-chan sseEvent
	cancel context.CancelFunc
}

// listen opens a's live updates on s, resuming after lastID when set.
func listen(t *testing.T, s *apptest.Server, a *apptest.Account, lastID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/v1/me/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.Access)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	ch := make(chan sseEvent, 100)
	go func() {
		defer res.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[6:]
			}
		}
	}()
	st := &stream{events: ch, cancel: cancel}
	t.Cleanup(cancel)
	return st
}

// next waits for the next event; live updates must arrive well before the
// 15-second heartbeat would bring them.
func (st *stream) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-st.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(3 * time.Second):
		t.Fatal("no event within 3 seconds: updates are not pushed")
	}
	return sseEvent{}
}

func TestPracticeLiveUpdates(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 2)
		e := w.enroll(t, w.reader, nil)
		item := w.today(t, w.reader, e.ID).Day.Items[0].ID
		tablet := listen(t, w.s, w.reader, "")

		w.mark(t, w.reader, http.StatusOK, http.MethodPut, e.ID, "items", item, nil)
		ev := tablet.next(t)
		if ev.Event != "completion" || !strings.Contains(ev.Data, item) || !strings.Contains(ev.Data, `"done":true`) || ev.ID == "" {
			t.Fatalf("the phone's completion reaches the tablet: %+v", ev)
		}

		t.Run("someone else's progress never reaches my devices", func(t *testing.T) {
			other := w.s.Register(t, "other@example.org")
			oe := w.enroll(t, other, nil)
			w.mark(t, other, http.StatusOK, http.MethodPut, oe.ID, "items", item, nil)
			w.s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPut, Path: "/v1/enrollments/" + e.ID + "/days/1/journal",
				Token: w.reader.Access, Body: map[string]any{"body": "mine"}})
			if ev := tablet.next(t); ev.Event != "journal" || strings.Contains(ev.Data, oe.ID) {
				t.Fatalf("the next event is my own journal: %+v", ev)
			}
		})

		t.Run("a device that reconnects gets what it missed", func(t *testing.T) {
			last := ev.ID
			tablet.cancel()
			w.mark(t, w.reader, http.StatusOK, http.MethodDelete, e.ID, "items", item, nil)
			w.s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/practice-sessions", Token: w.reader.Access,
				Body: map[string]any{"duration_seconds": 600}})
			again := listen(t, w.s, w.reader, last)
			var kinds []string
			for range 3 {
				kinds = append(kinds, again.next(t).Event)
			}
			if strings.Join(kinds, ",") != "journal,completion,session" {
				t.Fatalf("missed events in order: %v", kinds)
			}
		})

		t.Run("streams of vanished clients leave nothing behind", func(t *testing.T) {
			pr := w.s.Main.Practice()
			waitFor := func(what string, ok func() bool) {
				t.Helper()
				deadline := time.Now().Add(5 * time.Second)
				for !ok() {
					if time.Now().After(deadline) {
						t.Fatalf("%s", what)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			waitFor("earlier streams closed", func() bool { return pr.Listeners() <= 1 })
			base := runtime.NumGoroutine()
			var streams []*stream
			for range 20 {
				streams = append(streams, listen(t, w.s, w.reader, ""))
			}
			waitFor("20 listeners", func() bool { return pr.Listeners() >= 20 })
			for _, st := range streams {
				st.cancel()
			}
			waitFor("listeners gone", func() bool { return pr.Listeners() <= 1 })
			waitFor("goroutines back", func() bool { return runtime.NumGoroutine() <= base+5 })
		})
	})
}

// With two replicas sharing PostgreSQL and Redis, a change made through one
// reaches a device listening on the other.
func TestPracticeLiveUpdatesAcrossReplicas(t *testing.T) {
	t.Parallel()
	env := []string{"REDIS_URL=" + testenv.RedisURL(t), "DHARMAPLANS_CACHE_PREFIX=live-" + rand.Text()[:10] + ":"}
	db := testenv.PostgresSchemaURL(t)
	one := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	two := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	author := one.CreateUser(t, "live-author@example.org", identity.RoleAuthor)
	admin := one.CreateUser(t, "live-admin@example.org", identity.RoleAdmin)
	reader := one.Register(t, "live-reader@example.org")
	p := publish(t, one, author, admin, readyPlan(t, one, author, map[string]any{"title": "Live", "tradition": "zen"}, 2).ID)
	w := &practiceWorld{s: one, reader: reader, plan: p}
	e := w.enroll(t, reader, nil)
	item := w.today(t, reader, e.ID).Day.Items[0].ID

	onTwo := listen(t, two, reader, "")
	w.mark(t, reader, http.StatusOK, http.MethodPut, e.ID, "items", item, nil)
	if ev := onTwo.next(t); ev.Event != "completion" || !strings.Contains(ev.Data, item) {
		t.Fatalf("the other replica's device hears of it: %+v", ev)
	}
}
