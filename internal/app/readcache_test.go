package app_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// A day that has been read once is served from the cache: with the
// database cut off, it still answers, while a day nobody has read yet
// cannot.
func TestWarmDayIsServedWithTheDatabaseCutOff(t *testing.T) {
	t.Parallel()
	base := testenv.PostgresSchemaURL(t)
	pg := testenv.HostPort(base, "5432")
	proxy := testenv.NewProxy(t, pg)
	s := apptest.Start(t, "postgres", apptest.Options{
		DatabaseURL: strings.Replace(base, pg, proxy.Addr(), 1),
		Env:         []string{"DHARMAPLANS_DEMO=true"},
	})
	day := func(n string) apptest.Request {
		return apptest.Request{Method: http.MethodGet, Path: "/v1/plans/a-week-of-loving-kindness/days/" + n}
	}
	warm := s.Expect(t, http.StatusOK, day("1"))
	page := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans"})

	proxy.Stop()
	defer proxy.Start()
	again := s.Expect(t, http.StatusOK, day("1"))
	if !bytes.Equal(warm.Body, again.Body) || warm.Header.Get("ETag") != again.Header.Get("ETag") {
		t.Errorf("the cached day differs from the first answer")
	}
	if list := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans"}); !bytes.Equal(list.Body, page.Body) {
		t.Errorf("the cached catalogue page differs from the first answer")
	}
	// The database really is out of reach: a day not read before fails.
	res := s.Do(t, day("2"))
	apptest.Problem(t, res, http.StatusServiceUnavailable)
}
