package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// The harness measures the server on data it bulk-loads behind the
// service's back, so that data must be what the service itself would
// have written, and every request the load sends must be one the API
// accepts. These tests check both on a small data set; they time nothing.
func TestSeededData(t *testing.T) {
	s := apptest.Start(t, "postgres", apptest.Options{Env: []string{"DHARMAPLANS_DEMO=true"}})
	ctx := context.Background()
	plan, err := importBenchPlan(ctx, s.Main)
	if err != nil {
		t.Fatal(err)
	}
	demos, err := demoIndexes(ctx, s.Main)
	if err != nil {
		t.Fatal(err)
	}
	opts := &Options{Users: 60, Driven: 20, SeedWorkers: 2, SeedBatch: 7}
	seeded, err := seed(ctx, s.DBURL, plan, demos, opts, newProgress(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	if got := seeded.Stats.Rows["users"]; got != 60 {
		t.Fatalf("seeded %d users, want 60", got)
	}
	if len(seeded.Driven) != 20 {
		t.Fatalf("%d driven users, want 20", len(seeded.Driven))
	}

	t.Run("every kept streak is what a rebuild from the history gives", func(t *testing.T) {
		conn, err := pgx.Connect(ctx, s.DBURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, _ := conn.Query(ctx, `SELECT id::text FROM users WHERE email LIKE '%@bench.example.org'`)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		practised := 0
		for _, id := range ids {
			before, after, err := s.Main.Practice().RebuildStreak(ctx, id, false)
			if err != nil {
				t.Fatal(err)
			}
			if !practice.Agree(before, after) {
				t.Errorf("user %s: kept %+v, rebuilt %+v", id, before.Streak, after.Streak)
			}
			if before.DaysPractised > 0 {
				practised++
			}
		}
		if practised == 0 {
			t.Error("nobody has any history")
		}
	})

	if err := issueTokens(ctx, s.DBURL, s.Main, seeded.Driven); err != nil {
		t.Fatal(err)
	}

	t.Run("today's day is the one the seed planned, unfinished", func(t *testing.T) {
		for _, u := range seeded.Driven {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet,
				Path: "/v1/enrollments/" + u.EnrollmentID.String() + "/today", Token: u.Token})
			var body struct {
				Day struct {
					Number int `json:"number"`
				} `json:"day"`
				Finished bool `json:"finished"`
			}
			if err := json.Unmarshal(res.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Day.Number != u.Day || body.Finished {
				t.Errorf("user %d: today is day %d (finished %v), want day %d unfinished", u.Index, body.Day.Number, body.Finished, u.Day)
			}
		}
	})

	t.Run("every request the scenarios send succeeds", func(t *testing.T) {
		day, err := dayContent(ctx, s.URL, seeded.Driven[0])
		if err != nil {
			t.Fatal(err)
		}
		base, err := startBaseline(ctx, s.DBURL, day)
		if err != nil {
			t.Fatal(err)
		}
		defer base.Close()
		cat, err := seedCatalogue(ctx, s.Main, s.DBURL, 40, newProgress(io.Discard))
		if err != nil {
			t.Fatal(err)
		}
		client := newClient(4)
		for name, sc := range scenarios(s.URL, base.URL, seeded.Driven, cat, 4) {
			// Twice round every person: each completion is done and undone.
			for range 2 * len(seeded.Driven) * 4 {
				var tgt vegeta.Target
				if err := sc.Targeter(&tgt); err != nil {
					t.Fatal(err)
				}
				req, err := tgt.Request()
				if err != nil {
					t.Fatal(err)
				}
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var r io.Reader = res.Body
				if res.Header.Get("Content-Encoding") == "gzip" {
					if r, err = gzip.NewReader(res.Body); err != nil {
						t.Fatal(err)
					}
				}
				body, _ := io.ReadAll(r)
				res.Body.Close()
				if res.StatusCode >= 300 {
					t.Fatalf("%s: %s %s: %d %s", name, tgt.Method, tgt.URL, res.StatusCode, body)
				}
				if name == "sync" {
					var out struct {
						Results []struct{ Result, Detail string }
					}
					if err := json.Unmarshal(body, &out); err != nil {
						t.Fatal(err)
					}
					for _, r := range out.Results {
						if r.Result != practice.Applied {
							t.Fatalf("sync: an event was %s: %s", r.Result, r.Detail)
						}
					}
				}
			}
		}
	})
}
