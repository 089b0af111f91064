package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// baseline is the least a server can do per request on this machine: a
// net/http handler and a pgx pool (sized as the application's, from the
// same URL), with no routing framework, authentication, validation or
// logging. GET /enrollments/{id} reads one enrolment by primary key; POST
// /scratch/{user} inserts one row into a table of its own.
type baseline struct {
	URL    string
	pool   *pgxpool.Pool
	server *http.Server
	served chan error
}

func startBaseline(ctx context.Context, dbURL string) (*baseline, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_scratch (
		id      uuid PRIMARY KEY,
		user_id uuid NOT NULL,
		at      timestamptz NOT NULL,
		note    text NOT NULL)`); err != nil {
		pool.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pool.Close()
		return nil, err
	}
	b := &baseline{URL: "http://" + ln.Addr().String(), pool: pool, served: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /enrollments/{id}", b.selectOne)
	mux.HandleFunc("POST /scratch/{user}", b.insertOne)
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
