package main

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func TestPlanCommands(t *testing.T) {
	bilara := testenv.SharedData(t, "suttacentral/bilara")
	data := t.TempDir()
	env := []string{"DHARMAPLANS_DATA_DIR=" + data, "DHARMAPLANS_LOG_LEVEL=warn"}
	run := func(t *testing.T, wantCode int, args ...string) (string, string) {
		t.Helper()
		out, errOut, code := command(t, env, "", args...)
		if code != wantCode {
			t.Fatalf("dharmaplans %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		return out, errOut
	}
	exported := filepath.Join(t.TempDir(), "dhammapada")

	// The steps build on each other, so they run in order.
	t.Run("import suttacentral builds and publishes the Dhammapada", func(t *testing.T) {
		out, _ := run(t, 0, "import", "suttacentral", "--bilara", bilara, "--publish")
		if !strings.Contains(out, "imported dhammapada (26 days") || !strings.Contains(out, "published") {
			t.Errorf("output %q", out)
		}
	})
	t.Run("plan export writes plan.yaml and one file per day", func(t *testing.T) {
		run(t, 0, "plan", "export", "dhammapada", exported)
		days, err := os.ReadDir(filepath.Join(exported, "days"))
		if err != nil || len(days) != 26 || days[0].Name() != "001.md" {
			t.Fatalf("days/ = %d files, %v", len(days), err)
		}
		day1, _ := os.ReadFile(filepath.Join(exported, "days", "001.md"))
		if !strings.Contains(string(day1), "citation: Dhp 1–20") {
			t.Errorf("days/001.md does not cite Dhp 1–20:\n%.400s", day1)
		}
	})
	t.Run("importing a taken slug names a free one and imports nothing", func(t *testing.T) {
		_, errOut := run(t, 1, "plan", "import", exported)
		if !strings.Contains(errOut, "dhammapada-2 is free") || !strings.Contains(errOut, "nothing was imported") {
			t.Errorf("stderr %q", errOut)
		}
	})
	t.Run("export then import reproduces the plan", func(t *testing.T) {
		yaml := filepath.Join(exported, "plan.yaml")
		b, _ := os.ReadFile(yaml)
		if err := os.WriteFile(yaml, []byte(strings.Replace(string(b), "slug: dhammapada\n", "slug: dhammapada-copy\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, 0, "plan", "import", "--publish", exported)
		again := filepath.Join(t.TempDir(), "again")
		run(t, 0, "plan", "export", "dhammapada-copy", again)
		for _, f := range []string{"plan.yaml", "days/001.md", "days/013.md", "days/026.md"} {
			a, _ := os.ReadFile(filepath.Join(exported, f))
			b, _ := os.ReadFile(filepath.Join(again, f))
			if string(a) != string(b) {
				t.Errorf("%s differs after export, import and export:\n%s\n---\n%s", f, a, b)
			}
		}
	})
	t.Run("a malformed plan folder names the file and the key", func(t *testing.T) {
		day2 := filepath.Join(exported, "days", "002.md")
		b, _ := os.ReadFile(day2)
		if err := os.WriteFile(day2, []byte(strings.Replace(string(b), "title:", "titel:", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut := run(t, 1, "plan", "import", exported)
		if !strings.Contains(errOut, "days/002.md") || !strings.Contains(errOut, `"titel"`) {
			t.Errorf("stderr %q", errOut)
		}
	})
	t.Run("a missing bilara folder is named", func(t *testing.T) {
		_, errOut := run(t, 1, "import", "suttacentral", "--bilara", filepath.Join(data, "nowhere"))
		if !strings.Contains(errOut, "nowhere") {
			t.Errorf("stderr %q", errOut)
		}
	})
	t.Run("demo publishes the demo plans once", func(t *testing.T) {
		out, _ := run(t, 0, "demo")
		if strings.Count(out, "loaded demo plan") < 4 {
			t.Errorf("first demo run: %q", out)
		}
		out, _ = run(t, 0, "demo")
		if strings.Contains(out, "loaded demo plan") || !strings.Contains(out, "already there") {
			t.Errorf("second demo run: %q", out)
		}
	})
}

// A plan published from the command line shows on a running server at
// once when both use the same Redis: the command starts a new cache
// generation there.
func TestImportShowsOnARunningServerSharingRedis(t *testing.T) {
	bilara := testenv.SharedData(t, "suttacentral/bilara")
	env := []string{"DATABASE_URL=" + testenv.PostgresSchemaURL(t), "REDIS_URL=" + testenv.RedisURL(t),
		"DHARMAPLANS_CACHE_PREFIX=e2e-" + rand.Text()[:10] + ":", "DHARMAPLANS_LOG_LEVEL=warn"}
	p := start(t, env)
	p.waitHealthy(t, 20*time.Second)
	count := func() int {
		status, body := getJSON(t, p.url+"/v1/plans")
		items, _ := body["items"].([]any)
		if status != 200 {
			t.Fatalf("GET /v1/plans = %d %v", status, body)
		}
		return len(items)
	}
	if n := count(); n != 0 {
		t.Fatalf("a new server lists %d plans", n)
	}
	if out, errOut, code := command(t, env, "", "import", "suttacentral", "--bilara", bilara, "--publish"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	if n := count(); n != 1 {
		t.Errorf("right after the import, the server lists %d plans, want 1", n)
	}
}
