package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

type position struct {
	ItemID     string     `json:"item_id"`
	PositionMS int64      `json:"position_ms"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

func TestListeningPositionFollowsThePersonAcrossDevices(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s := w.s
		e := w.enroll(t, w.reader, nil)
		day := w.today(t, w.reader, e.ID)
		item := day.Day.Items[0].ID
		path := "/v1/enrollments/" + e.ID + "/items/" + item + "/position"
		put := func(a *apptest.Account, body map[string]any) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPut, Path: path, Token: a.Access, Body: body})
		}

		if p := decode[position](t, get(t, s, w.reader, http.StatusOK, path)); p.PositionMS != 0 || p.UpdatedAt != nil {
			t.Errorf("before any save: %+v, want 0 and no time", p)
		}
		res := put(w.reader, map[string]any{"position_ms": 754_300})
		if res.Status != http.StatusOK || decode[position](t, res).PositionMS != 754_300 {
			t.Fatalf("save: %d %s", res.Status, res.Body)
		}
		// Another device (a new session) resumes there.
		phone := s.Login(t, w.reader.Email, w.reader.Password)
		if p := decode[position](t, get(t, s, phone, http.StatusOK, path)); p.PositionMS != 754_300 || p.UpdatedAt == nil {
			t.Errorf("on another device: %+v, want 754300", p)
		}
		// An offline device syncing late does not move it back.
		late := s.Clock.Now().Add(-10 * time.Minute).Format(time.RFC3339)
		if p := decode[position](t, put(phone, map[string]any{"position_ms": 1_000, "at": late})); p.PositionMS != 754_300 {
			t.Errorf("an older save answered %+v, want the newer 754300 kept", p)
		}
		if p := decode[position](t, get(t, s, w.reader, http.StatusOK, path)); p.PositionMS != 754_300 {
			t.Errorf("after an older save: %+v", p)
		}
		s.Clock.Advance(time.Minute)
		if p := decode[position](t, put(phone, map[string]any{"position_ms": 800_000})); p.PositionMS != 800_000 {
			t.Errorf("a newer save answered %+v", p)
		}

		apptest.Problem(t, put(w.reader, map[string]any{"position_ms": -1}), http.StatusUnprocessableEntity)
		apptest.Problem(t, put(w.reader, map[string]any{"position_ms": 100_000_000}), http.StatusUnprocessableEntity)
		apptest.Problem(t, put(w.reader, map[string]any{"position_ms": 5, "at": s.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}),
			http.StatusUnprocessableEntity, "ahead")
		// Someone else's enrolment, an item of no day of the plan, a task,
		// and malformed ids are not found.
		other := s.Register(t, "other@example.org")
		apptest.Problem(t, put(other, map[string]any{"position_ms": 5}), http.StatusNotFound)
		get(t, s, other, http.StatusNotFound, path)
		for _, bad := range []string{"0190a8b4-0000-7000-8000-000000000000", day.Day.Tasks[0].ID, "not-an-id"} {
			apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPut, Path: strings.Replace(path, item, bad, 1), Token: w.reader.Access,
				Body: map[string]any{"position_ms": 5}}), http.StatusNotFound)
		}
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPut, Path: path, Body: map[string]any{"position_ms": 5}}), http.StatusUnauthorized)

		// The export carries it.
		ex := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/me/export", Token: w.reader.Access})
		if !strings.Contains(string(ex.Body), `"listening_positions":[{"enrollment_id":"`+e.ID+`","item_id":"`+item+`","position_ms":800000`) {
			t.Errorf("the export lacks the position:\n%.2000s", ex.Body)
		}
	})
}
