package app_test

import (
	"crypto/rand"
	"net/http"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// Two replicas share PostgreSQL and Redis. A plan one of them has served
// from the cache shows its new revision on it as soon as the other
// publishes it.
func TestReplicasSeeAPublicationAtOnce(t *testing.T) {
	t.Parallel()
	env := []string{"REDIS_URL=" + testenv.RedisURL(t), "DHARMAPLANS_CACHE_PREFIX=replicas-" + rand.Text()[:10] + ":"}
	db := testenv.PostgresSchemaURL(t)
	one := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	two := apptest.Start(t, "postgres", apptest.Options{DatabaseURL: db, Env: env})
	author := one.CreateUser(t, "replica-author@example.org", identity.RoleAuthor)
	admin := one.CreateUser(t, "replica-admin@example.org", identity.RoleAdmin)

	slug := "replicated"
	p := readyPlan(t, one, author, map[string]any{"title": "Replicated", "slug": slug, "tradition": "theravada"}, 2)
	publish(t, one, author, admin, p.ID)
	title := func() string {
		return two.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans/" + slug}).String(t, "title")
	}
	if got := title(); got != "Replicated" {
		t.Fatalf("the second replica shows %q", got)
	}
	two.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/plans/" + slug + "/days/1"})

	studioDo(t, one, author, http.StatusOK, http.MethodPatch, planPath(p.ID), map[string]any{"title": "Replicated, Revised"})
	if got := title(); got != "Replicated" {
		t.Errorf("before the new revision is published, the second replica shows %q", got)
	}
	publish(t, one, author, admin, p.ID)
	if got := title(); got != "Replicated, Revised" {
		t.Errorf("right after publication on the first replica, the second shows %q", got)
	}
}
