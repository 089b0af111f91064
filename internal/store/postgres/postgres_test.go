package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/postgres"
	"github.com/dharmaplans/dharmaplans/internal/store/storetest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func open(t *testing.T) *store.DB {
	db, err := postgres.Open(t.Context(), testenv.PostgresSchemaURL(t), postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	return db.DB
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestOpenGivesUpOnAnUnreachableServer(t *testing.T) {
	url := "postgres://postgres:s3cret@" + testenv.DeadAddr(t) + "/postgres?sslmode=disable&connect_timeout=1"
	_, err := postgres.Open(t.Context(), url, postgres.Options{ConnectTimeout: 1500 * time.Millisecond})
	if err == nil {
		t.Fatal("Open succeeded against an address where nothing listens")
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach") || !strings.Contains(msg, "attempt") {
		t.Errorf("error %q does not say it retried and gave up", msg)
	}
	if strings.Contains(msg, "s3cret") {
		t.Errorf("error %q leaks the password", msg)
	}
}

func TestOpenRejectsAMalformedURL(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://%zz", postgres.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "DATABASE_URL:") {
		t.Fatalf("error = %v, want one naming DATABASE_URL", err)
	}
}
