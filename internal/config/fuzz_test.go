package config_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/config"
)

// Whatever an operator puts in the environment, Load either returns a
// usable configuration or a one-line error naming the setting; it never
// panics.
func FuzzLoad(f *testing.F) {
	for _, seed := range [][2]string{
		{"DATABASE_URL", "postgres://u:p@h:5432/db?sslmode=disable"},
		{"DATABASE_URL", "sqlite:./x.db"},
		{"DATABASE_URL", "mysql://x"},
		{"REDIS_URL", "redis://127.0.0.1:6379/0"},
		{"DHARMAPLANS_ADDR", "[::1]:8080"},
		{"DHARMAPLANS_CORS_ORIGINS", "https://a.example, http://b:3000/"},
		{"DHARMAPLANS_SHUTDOWN_TIMEOUT", "-1s"},
		{"DHARMAPLANS_MAX_BODY_BYTES", "99999999999999999999"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if strings.ContainsAny(name, "=\x00") {
			return // not a variable name an environment can hold
		}
		c, _, err := config.Load("serve", "", config.Database|config.Server, nil, []string{name + "=" + value}, &bytes.Buffer{})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		if c.Addr == "" || c.DataDir == "" || c.MaxBodyBytes < 1024 || c.CacheEntries < 1 {
			t.Errorf("accepted %s=%q but the configuration is unusable: %+v", name, value, c)
		}
	})
}
