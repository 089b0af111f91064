package config_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/config"
)

const all = config.Database | config.Server

func load(t *testing.T, args []string, env ...string) (*config.Config, error) {
	t.Helper()
	c, _, err := config.Load("serve", "Serve.", all, args, env, &bytes.Buffer{})
	return c, err
}

func TestNothingSetGivesTheEmbeddedDefaults(t *testing.T) {
	c, err := load(t, nil, "PATH=/usr/bin", "HOME=/root")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.Engine() != "sqlite" || c.SQLitePath() != "data/dharmaplans.db" ||
		c.Media() != "data/media" || c.RedisURL != "" || !c.Migrate || c.LogLevel != slog.LevelInfo ||
		c.DBConnectTimeout != 30*time.Second || c.MaxBodyBytes != 1<<20 {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	c, err := load(t, []string{"--addr", "127.0.0.1:9000"},
		"DHARMAPLANS_ADDR=:7000", "DHARMAPLANS_DATA_DIR=/srv/dp",
		"DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"REDIS_URL=redis://127.0.0.1:6379/0", "DHARMAPLANS_LOG_LEVEL=debug",
		"DHARMAPLANS_CORS_ORIGINS=https://app.example.org, http://localhost:5173/")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a flag wins over the environment", func(t *testing.T) {
		if c.Addr != "127.0.0.1:9000" {
			t.Errorf("addr = %q", c.Addr)
		}
	})
	t.Run("the environment wins over defaults", func(t *testing.T) {
		if c.Engine() != "postgres" || c.RedisURL == "" || c.LogLevel != slog.LevelDebug || c.Media() != "/srv/dp/media" {
			t.Errorf("config = %+v", c)
		}
		if strings.Join(c.CORSOrigins, " ") != "https://app.example.org http://localhost:5173" {
			t.Errorf("cors origins = %q", c.CORSOrigins)
		}
	})
	t.Run("sqlite URLs name a file", func(t *testing.T) {
		c, err := load(t, []string{"--database-url", "sqlite:///var/lib/dp.db"})
		if err != nil || c.Engine() != "sqlite" || c.SQLitePath() != "/var/lib/dp.db" {
			t.Fatalf("got %v, %v", c, err)
		}
	})
}

func TestBadConfigurationIsOneLineNamingTheSetting(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"unsupported database", nil, []string{"DATABASE_URL=mysql://root@localhost/db"}, `DATABASE_URL: unsupported scheme "mysql"`},
		{"postgres without host", nil, []string{"DATABASE_URL=postgres:///nohost"}, "DATABASE_URL: postgres URL has no host"},
		{"unsupported cache", nil, []string{"REDIS_URL=memcached://x:11211"}, `REDIS_URL: unsupported scheme "memcached"`},
		{"bad address", nil, []string{"DHARMAPLANS_ADDR=8080"}, "DHARMAPLANS_ADDR: want host:port"},
		{"bad level", nil, []string{"DHARMAPLANS_LOG_LEVEL=loud"}, "DHARMAPLANS_LOG_LEVEL:"},
		{"bad duration", nil, []string{"DHARMAPLANS_DB_CONNECT_TIMEOUT=soon"}, "DHARMAPLANS_DB_CONNECT_TIMEOUT: want a duration"},
		{"bad origin", nil, []string{"DHARMAPLANS_CORS_ORIGINS=app.example.org"}, "DHARMAPLANS_CORS_ORIGINS: want origins like"},
		{"tiny body limit", nil, []string{"DHARMAPLANS_MAX_BODY_BYTES=10"}, "DHARMAPLANS_MAX_BODY_BYTES:"},
		{"unknown variable with a guess", nil, []string{"DHARMAPLANS_ADR=:1"}, "DHARMAPLANS_ADR: unknown setting (did you mean DHARMAPLANS_ADDR?)"},
		{"bad flag value names the flag", []string{"--addr", "nope"}, nil, "--addr: want host:port"},
		{"unknown flag", []string{"--colour"}, nil, "flag provided but not defined: -colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.args, tc.env...)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q, want one line starting %q", err, tc.want)
			}
		})
	}
}

func TestHelpListsEverySettingWithItsVariable(t *testing.T) {
	var out bytes.Buffer
	_, _, err := config.Load("serve", "Serve the API.", all, []string{"--help"}, nil, &out)
	if !errors.Is(err, config.ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	for _, s := range config.Settings {
		if !strings.Contains(out.String(), "--"+s.Flag+", "+s.Env) {
			t.Errorf("help lacks --%s, %s:\n%s", s.Flag, s.Env, out.String())
		}
	}
}

func TestSettingsOutOfScopeAreIgnored(t *testing.T) {
	// migrate does not listen, so a listen address in the environment is no concern of it.
	_, _, err := config.Load("migrate", "Migrate.", config.Database, nil, []string{"DHARMAPLANS_ADDR=bad"}, &bytes.Buffer{})
	if err != nil {
		t.Fatalf("migrate rejected a server-only setting: %v", err)
	}
}

// The README's configuration table must list every setting with its real
// default, so the docs cannot drift from the code.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| `--") {
			rows++
		}
	}
	if rows != len(config.Settings) {
		t.Errorf("README has %d setting rows, the code %d settings", rows, len(config.Settings))
	}
	for _, s := range config.Settings {
		def := "(none)"
		if s.Default != "" {
			def = "`" + s.Default + "`"
		}
		row := fmt.Sprintf("| `--%s` | `%s` | %s |", s.Flag, s.Env, def)
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}
