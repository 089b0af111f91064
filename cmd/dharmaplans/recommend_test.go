package main

import (
	"strings"
	"testing"
)

func TestRecommendRefresh(t *testing.T) {
	env := []string{"DHARMAPLANS_DATA_DIR=" + t.TempDir(), "DHARMAPLANS_LOG_LEVEL=warn"}
	if out, errOut, code := command(t, env, "", "recommend", "refresh"); code != 0 || !strings.Contains(out, "recommendations refreshed") {
		t.Errorf("recommend refresh: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := command(t, env, "", "recommend"); code != 2 || !strings.Contains(errOut, "Usage: dharmaplans recommend refresh") {
		t.Errorf("recommend without a subcommand: exit %d, want 2 and the usage\n%s", code, errOut)
	}
}
