package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// sendJSON sends method with body and a bearer token and decodes the answer.
func sendJSON(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer map[string]any
	_ = json.NewDecoder(res.Body).Decode(&answer)
	return res.StatusCode, answer
}

func TestStreaksRebuild(t *testing.T) {
	data := t.TempDir()
	env := []string{"DHARMAPLANS_DATA_DIR=" + data, "DHARMAPLANS_LOG_LEVEL=warn"}
	p := start(t, env, "--demo=true")
	p.waitHealthy(t, 20*time.Second)

	status, body := postJSON(t, p.url+"/v1/auth/register", map[string]any{"email": "sitter@example.org",
		"password": "the mind is luminous, stained by visitors", "display_name": "Sitter"})
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, body)
	}
	token := body["access_token"].(string)
	status, body = sendJSON(t, http.MethodPost, p.url+"/v1/enrollments", token, map[string]any{"plan": "a-week-of-loving-kindness"})
	if status != http.StatusCreated {
		t.Fatalf("enrol: %d %v", status, body)
	}
	id := body["id"].(string)
	_, today := sendJSON(t, http.MethodGet, p.url+"/v1/enrollments/"+id+"/today", token, nil)
	day := today["day"].(map[string]any)
	for _, kind := range []string{"items", "tasks"} {
		for _, x := range day[kind].([]any) {
			x := x.(map[string]any)
			if x["optional"] == true {
				continue
			}
			if status, body := sendJSON(t, http.MethodPut, p.url+"/v1/enrollments/"+id+"/"+kind+"/"+x["id"].(string)+"/completion", token, nil); status != http.StatusOK {
				t.Fatalf("complete: %d %v", status, body)
			}
		}
	}
	if _, stats := sendJSON(t, http.MethodGet, p.url+"/v1/me/stats", token, nil); stats["streak"].(map[string]any)["current"] != float64(1) {
		t.Fatalf("stats: %v", stats)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.exitCode(t, 10*time.Second)

	run := func(wantCode int, args ...string) string {
		t.Helper()
		out, errOut, code := command(t, env, "", args...)
		if code != wantCode {
			t.Fatalf("dharmaplans %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		return out
	}
	if out := run(0, "streaks", "rebuild", "--check"); !strings.Contains(out, "checked 1 people: 1 agree, 0 differ") {
		t.Fatalf("the kept streak agrees with the recount: %q", out)
	}

	// A kept value gone wrong is found, and corrected.
	db, err := sql.Open("sqlite", filepath.Join(data, "dharmaplans.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE practice_profiles SET current_streak = 9, longest_streak = 9`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out := run(1, "streaks", "rebuild", "--check"); !strings.Contains(out, "kept current 9, longest 9, days 1; recounted current 1, longest 1, days 1") {
		t.Fatalf("check names the difference: %q", out)
	}
	if out := run(0, "streaks", "rebuild"); !strings.Contains(out, "1 corrected") {
		t.Fatalf("rebuild corrects it: %q", out)
	}
	run(0, "streaks", "rebuild", "--check")
}
