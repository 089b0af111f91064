package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// baseline is the least a server can do per request on this machine: a
// net/http handler and a pgx pool (sized as the application's, from the
// same URL), with no routing framework, authentication, validation or
// logging. GET /enrollments/{id} reads one enrolment by primary key; POST
// /scratch/{user} inserts one row into a table of its own.
//
// Two more handlers are floors: the least the application's requests could
// cost with their rules in Go, written as directly as pgx allows. GET
// /floor/today/{id}/{day} is a day's page: the enrolment with the day's
// completions in one SELECT, and the day's content (kept in memory, as the
// application keeps it) in a gzipped answer. PUT /floor/mark/{user}/{id}
// is a mark: a transaction that locks the person's practice profile (one
// person's writes must take turns), records the event (exactly once needs
// it), stores the state and commits.
type baseline struct {
	URL    string
	pool   *pgxpool.Pool
	server *http.Server
	served chan error
	day    json.RawMessage // the content floor-today sends
}

// startBaseline starts the bare server; day is a day's content as the
// application answers it.
func startBaseline(ctx context.Context, dbURL string, day json.RawMessage) (*baseline, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_scratch (
			id      uuid PRIMARY KEY,
			user_id uuid NOT NULL,
			at      timestamptz NOT NULL,
			note    text NOT NULL);
		CREATE TABLE bench_floor_events (
			id            uuid PRIMARY KEY,
			enrollment_id uuid NOT NULL,
			target        text NOT NULL,
			done          boolean NOT NULL,
			at            timestamptz NOT NULL);
		CREATE TABLE bench_floor_state (
			enrollment_id uuid NOT NULL,
			target        text NOT NULL,
			done          boolean NOT NULL,
			at            timestamptz NOT NULL,
			PRIMARY KEY (enrollment_id, target))`); err != nil {
		pool.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pool.Close()
		return nil, err
	}
	b := &baseline{URL: "http://" + ln.Addr().String(), pool: pool, served: make(chan error, 1), day: day}
	zip, err := gzhttp.NewWrapper(gzhttp.CompressionLevel(gzip.BestSpeed)) // as the application
	if err != nil {
		pool.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /enrollments/{id}", b.selectOne)
	mux.HandleFunc("POST /scratch/{user}", b.insertOne)
	mux.Handle("GET /floor/today/{id}/{day}", zip(http.HandlerFunc(b.floorToday)))
	mux.HandleFunc("PUT /floor/mark/{user}/{id}", b.floorMark)
	b.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { b.served <- b.server.Serve(ln) }()
	return b, nil
}

// selectOne answers one enrolment as JSON: one indexed SELECT.
func (b *baseline) selectOne(w http.ResponseWriter, r *http.Request) {
	var e struct {
		ID        string `json:"id"`
		UserID    string `json:"user_id"`
		PlanID    string `json:"plan_id"`
		Status    string `json:"status"`
		StartDate string `json:"start_date"`
	}
	err := b.pool.QueryRow(r.Context(), `SELECT id::text, user_id::text, plan_id::text, status, start_date
		FROM enrollments WHERE id = $1`, r.PathValue("id")).Scan(&e.ID, &e.UserID, &e.PlanID, &e.Status, &e.StartDate)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		http.Error(w, "not found", http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, e)
	}
}

// insertOne stores one row: one INSERT, committed.
func (b *baseline) insertOne(w http.ResponseWriter, r *http.Request) {
	id := uuid.Must(uuid.NewV7())
	_, err := b.pool.Exec(r.Context(), `INSERT INTO bench_scratch (id, user_id, at, note) VALUES ($1, $2, $3, $4)`,
		id, r.PathValue("user"), time.Now().UTC(), "done")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id.String()})
}

// floorToday answers a day's page: the enrolment and the day's
// completions in one SELECT, the day's content from memory, gzipped.
func (b *baseline) floorToday(w http.ResponseWriter, r *http.Request) {
	type done struct {
		Kind string    `json:"kind"`
		ID   string    `json:"id"`
		At   time.Time `json:"at"`
	}
	var out struct {
		ID        string          `json:"id"`
		Status    string          `json:"status"`
		StartDate string          `json:"start_date"`
		Cycle     int             `json:"cycle"`
		Done      []done          `json:"done"`
		Day       json.RawMessage `json:"day"`
	}
	rows, err := b.pool.Query(r.Context(), `SELECT e.id::text, e.status, e.start_date, e.cycle, c.kind, c.target_id::text, c.at
		FROM enrollments e LEFT JOIN completions c ON c.enrollment_id = e.id AND c.cycle = e.cycle AND c.day_number = $2
		WHERE e.id = $1`, r.PathValue("id"), r.PathValue("day"))
	if err == nil {
		for rows.Next() {
			var kind, target *string
			var at *time.Time
			if err = rows.Scan(&out.ID, &out.Status, &out.StartDate, &out.Cycle, &kind, &target, &at); err != nil {
				break
			}
			if kind != nil {
				out.Done = append(out.Done, done{Kind: *kind, ID: *target, At: *at})
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	case out.ID == "":
		http.Error(w, "not found", http.StatusNotFound)
	default:
		out.Day = b.day
		writeJSON(w, http.StatusOK, out)
	}
}

// floorMark marks something of an enrolment done: in one transaction,
// the person's lock, the event, the state.
func (b *baseline) floorMark(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UTC()
	err := pgx.BeginFunc(r.Context(), b.pool, func(tx pgx.Tx) error {
		var locked string
		if err := tx.QueryRow(r.Context(), `SELECT user_id::text FROM practice_profiles WHERE user_id = $1 FOR UPDATE`,
			r.PathValue("user")).Scan(&locked); err != nil {
			return err
		}
		if _, err := tx.Exec(r.Context(), `INSERT INTO bench_floor_events (id, enrollment_id, target, done, at) VALUES ($1, $2, $3, true, $4)`,
			uuid.Must(uuid.NewV7()), r.PathValue("id"), "item", now); err != nil {
			return err
		}
		_, err := tx.Exec(r.Context(), `INSERT INTO bench_floor_state (enrollment_id, target, done, at) VALUES ($1, $2, true, $3)
			ON CONFLICT (enrollment_id, target) DO UPDATE SET done = excluded.done, at = excluded.at`, r.PathValue("id"), "item", now)
		return err
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"done": true, "at": now})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Close stops the baseline server.
func (b *baseline) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = b.server.Shutdown(ctx)
	<-b.served
	b.pool.Close()
}

// dayContent fetches u's day from the application, for floor-today to
// send: the content as the application answers it.
func dayContent(ctx context.Context, appURL string, u *drivenUser) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, appURL+"/v1/enrollments/"+u.EnrollmentID.String()+"/today", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+u.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var body struct {
		Day json.RawMessage `json:"day"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || len(body.Day) == 0 {
		return nil, fmt.Errorf("today's day for the floor handler: status %d (%v)", res.StatusCode, err)
	}
	return body.Day, nil
}
