package app_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func TestDemoPlansFillOnlyAnEmptyCatalogue(t *testing.T) {
	t.Parallel()
	demo := []string{"DHARMAPLANS_DEMO=true"}
	t.Run("an empty catalogue gets the demo plans, published", func(t *testing.T) {
		s := apptest.Start(t, "sqlite", apptest.Options{Env: demo})
		items := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans"}).JSON(t)["items"].([]any)
		traditions := map[any]bool{}
		for _, it := range items {
			traditions[it.(map[string]any)["tradition"]] = true
		}
		if len(items) < 4 || len(traditions) < 3 {
			t.Errorf("%d demo plans in %d traditions, want at least 4 in 3", len(items), len(traditions))
		}
	})
	t.Run("a catalogue with a plan of its own is left alone", func(t *testing.T) {
		url := "sqlite:" + filepath.Join(t.TempDir(), "own.db")
		s := apptest.Start(t, "sqlite", apptest.Options{DatabaseURL: url})
		author := s.CreateUser(t, "own@example.org", identity.RoleAuthor)
		s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/studio/plans", Token: author.Access,
			Body: map[string]any{"title": "Our Own Retreat", "tradition": "zen"}})
		again := apptest.Start(t, "sqlite", apptest.Options{DatabaseURL: url, Env: demo})
		items := again.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans"}).JSON(t)["items"].([]any)
		if len(items) != 0 {
			t.Errorf("starting with the demo setting added %d plans to a catalogue that had its own", len(items))
		}
	})
}
