package media_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/jobs"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/internal/media/mediatest"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
)

// newService is a media service on a migrated SQLite store and a local
// media folder of the test's own, with a job queue that only enqueues
// (the test runs the jobs).
func newService(t *testing.T) (*media.Service, *store.Store, blob.Store) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "media.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := jobs.MigrateSQLite(t.Context(), db.Write); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewLocal(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	svc := media.NewService(media.Deps{Store: st, Blobs: blobs, BaseURL: "http://localhost"})
	workers := river.NewWorkers()
	svc.AddWorkers(workers)
	q, err := jobs.NewSQLite(db.Write, jobs.Config{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	svc.SetQueue(q)
	return svc, st, blobs
}

// Processing that fails for a reason that may pass (the media store not
// answering) is tried again, and recorded as failed, with a reason for
// people, only after the last try.
func TestProcessingIsRetriedThenRecorded(t *testing.T) {
	ctx := context.Background()
	svc, st, blobs := newService(t)
	data := mediatest.ToneWAV(1)
	status := func(id string) *media.Medium {
		t.Helper()
		m, err := st.MediumByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	// The file goes missing after it was checked, then comes back.
	m, err := svc.Ingest(ctx, nil, "bell.wav", int64(len(data)), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.Delete(ctx, m.ObjectKey); err != nil {
		t.Fatal(err)
	}
	if err := svc.ProcessAttempt(ctx, m.ID, 1); err == nil {
		t.Fatal("the first try succeeded without the file; want an error, so that River tries again")
	}
	if got := status(m.ID); got.Status != media.Processing || got.Failure != "" {
		t.Errorf("after a failed try: %s %q; want still processing", got.Status, got.Failure)
	}
	if _, err := blobs.Put(ctx, m.ObjectKey, bytes.NewReader(data), blob.PutOptions{ContentType: m.ContentType, Size: m.Size}); err != nil {
		t.Fatal(err)
	}
	if err := svc.ProcessAttempt(ctx, m.ID, 2); err != nil {
		t.Fatalf("the second try: %v", err)
	}
	if got := status(m.ID); got.Status != media.Ready || got.Duration.Seconds() != 1 {
		t.Errorf("after the second try: %s, %v; want ready, 1 s", got.Status, got.Duration)
	}

	// The file stays missing: every try fails; the last records why.
	gone, err := svc.Ingest(ctx, nil, "gone.wav", int64(len(data)), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	blobs.Delete(ctx, gone.ObjectKey)
	for attempt := 1; attempt < media.MaxAttempts; attempt++ {
		if err := svc.ProcessAttempt(ctx, gone.ID, attempt); err == nil {
			t.Fatalf("try %d succeeded without the file", attempt)
		}
	}
	if err := svc.ProcessAttempt(ctx, gone.ID, media.MaxAttempts); err != nil {
		t.Errorf("the last try: %v; want the failure recorded, not returned", err)
	}
	if got := status(gone.ID); got.Status != media.Failed || !strings.Contains(got.Failure, "after several tries") {
		t.Errorf("after the last try: %s %q; want failed, saying it was tried several times", got.Status, got.Failure)
	}
}
