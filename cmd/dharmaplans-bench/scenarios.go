package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// scenarioNames are the scenarios in the order they run: each baseline
// just before the scenario compared with it.
var scenarioNames = []string{"bare-select", "floor-today", "today", "bare-insert", "floor-mark", "completion", "sync", "search", "suggest"}

// searchScenarios run on the generated catalogue, seeded only when one of
// them is chosen.
var searchScenarios = []string{"search", "suggest"}

// scenario is one kind of request driven at the server.
type scenario struct {
	Name string
	// Baseline names the bare scenario this one is compared with.
	Baseline string
	// Targeter makes the requests; it keeps its place between the warm-up
	// and the measurement.
	Targeter vegeta.Targeter
	// Connections is how many requests are in flight (0: --connections).
	Connections int
}

// scenarios builds every scenario over the driven people. Completion and
// sync act as different halves of them, so neither inherits the other's
// state.
func scenarios(appURL, baseURL string, driven []*drivenUser, cat *catalogue, searchConns int) map[string]*scenario {
	var even, odd []*drivenUser
	for i, u := range driven {
		if i%2 == 0 {
			even = append(even, u)
		} else {
			odd = append(odd, u)
		}
	}
	if len(odd) == 0 {
		odd = even
	}
	return map[string]*scenario{
		"bare-select": {Name: "bare-select", Targeter: bareSelect(baseURL, driven)},
		"floor-today": {Name: "floor-today", Baseline: "bare-select", Targeter: floorToday(baseURL, driven)},
		"today":       {Name: "today", Baseline: "bare-select", Targeter: today(appURL, driven)},
		"bare-insert": {Name: "bare-insert", Targeter: bareInsert(baseURL, driven)},
		"floor-mark":  {Name: "floor-mark", Baseline: "bare-insert", Targeter: floorMark(baseURL, even)},
		"completion":  {Name: "completion", Baseline: "bare-insert", Targeter: completion(appURL, even)},
		"sync":        {Name: "sync", Baseline: "bare-insert", Targeter: syncBatches(appURL, odd)},
		"search":      {Name: "search", Targeter: anonymous(appURL, cat.Searches), Connections: searchConns},
		"suggest":     {Name: "suggest", Targeter: anonymous(appURL, cat.Suggests), Connections: searchConns},
	}
}

// anonymous reads the paths in turn, signed out, as a browser does
// (gzip accepted). The paths are distinct, so none is answered from the
// cache until they run out and start again.
func anonymous(appURL string, paths []string) vegeta.Targeter {
	var n atomic.Uint64
	return func(t *vegeta.Target) error {
		if len(paths) == 0 {
			return fmt.Errorf("no generated queries: the catalogue was not seeded")
		}
		p := paths[(n.Add(1)-1)%uint64(len(paths))]
		*t = vegeta.Target{Method: http.MethodGet, URL: appURL + p, Header: http.Header{"Accept-Encoding": {"gzip"}}}
		return nil
	}
}

// roundRobin hands out people in turn with how many times each has come
// up before. With far more people than connections, one person never has
// two requests in flight.
type roundRobin struct {
	users []*drivenUser
	n     atomic.Uint64
}

func (r *roundRobin) next() (*drivenUser, int) {
	c := r.n.Add(1) - 1
	n := uint64(len(r.users))
	return r.users[c%n], int(c / n)
}

// bearer are the headers of a request from u's app: the access token, and
// gzip accepted.
func bearer(u *drivenUser) http.Header {
	return http.Header{"Authorization": {"Bearer " + u.Token}, "Accept-Encoding": {"gzip"}}
}

// today reads today's day of each person's plan in turn.
func today(appURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, _ := rr.next()
		*t = vegeta.Target{Method: http.MethodGet, URL: appURL + "/v1/enrollments/" + u.EnrollmentID.String() + "/today", Header: bearer(u)}
		return nil
	}
}

// completion marks the items and tasks of today's day done one by one
// (the last one finishes the day, which updates the practice record and
// the streak), then undoes them in reverse order (the first undo
// unfinishes the day), and again: every request writes.
func completion(appURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, step := rr.next()
		m := len(u.Targets)
		s := step % (2 * m)
		method, tg := http.MethodPut, catalog.Target{}
		if s < m {
			tg = u.Targets[s]
		} else {
			method, tg = http.MethodDelete, u.Targets[2*m-1-s]
		}
		*t = vegeta.Target{Method: method, Header: bearer(u),
			URL: fmt.Sprintf("%s/v1/enrollments/%s/%ss/%s/completion", appURL, u.EnrollmentID, tg.Kind, tg.ID)}
		return nil
	}
}

// syncBatches sends what a phone did offline, five events a batch: up to
// three items and tasks of today's day marked done (undone every other
// batch), the day's reflection, and a meditation session; each event with
// an id of its own, so every one applies.
func syncBatches(appURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, round := rr.next()
		now := time.Now().UTC()
		var events []map[string]any
		add := func(ev map[string]any) {
			ev["client_id"] = fmt.Sprintf("bench-%d-%d-%d", u.Index, round, len(events))
			ev["at"] = now.Add(time.Duration(len(events)-5) * time.Second)
			ev["timezone"] = u.Zone
			events = append(events, ev)
		}
		verb := "complete_"
		if round%2 == 1 {
			verb = "undo_"
		}
		for _, tg := range u.Targets[:min(3, len(u.Targets))] {
			add(map[string]any{"type": verb + tg.Kind, "enrollment_id": u.EnrollmentID.String(), "target_id": tg.ID})
		}
		add(map[string]any{"type": practice.SaveJournal, "enrollment_id": u.EnrollmentID.String(), "day": u.Day,
			"body": fmt.Sprintf("Sat with the breath this morning (%d).", round)})
		for len(events) < 5 {
			add(map[string]any{"type": practice.LogSession, "session": map[string]any{"kind": "meditation", "duration_seconds": 600}})
		}
		body, err := json.Marshal(map[string]any{"events": events})
		if err != nil {
			return err
		}
		h := bearer(u)
		h.Set("Content-Type", "application/json")
		*t = vegeta.Target{Method: http.MethodPost, URL: appURL + "/v1/sync", Body: body, Header: h}
		return nil
	}
}

// bareSelect reads the same enrolments as today, from the bare server.
func bareSelect(baseURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, _ := rr.next()
		*t = vegeta.Target{Method: http.MethodGet, URL: baseURL + "/enrollments/" + u.EnrollmentID.String()}
		return nil
	}
}

// bareInsert writes one row per request to the bare server.
func bareInsert(baseURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, _ := rr.next()
		*t = vegeta.Target{Method: http.MethodPost, URL: baseURL + "/scratch/" + u.UserID.String()}
		return nil
	}
}

// floorToday reads the same days as today, from the bare server's floor
// handler, accepting gzip as the app does.
func floorToday(baseURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, _ := rr.next()
		*t = vegeta.Target{Method: http.MethodGet, URL: fmt.Sprintf("%s/floor/today/%s/%d", baseURL, u.EnrollmentID, u.Day),
			Header: http.Header{"Accept-Encoding": {"gzip"}}}
		return nil
	}
}

// floorMark marks as the same people as completion, on the bare server's
// floor handler.
func floorMark(baseURL string, users []*drivenUser) vegeta.Targeter {
	rr := &roundRobin{users: users}
	return func(t *vegeta.Target) error {
		u, _ := rr.next()
		*t = vegeta.Target{Method: http.MethodPut, URL: fmt.Sprintf("%s/floor/mark/%s/%s", baseURL, u.UserID, u.EnrollmentID)}
		return nil
	}
}
