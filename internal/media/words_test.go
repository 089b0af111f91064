package media

import "testing"

// Refusals name sizes as people write them.
func TestBytesText(t *testing.T) {
	for n, want := range map[int64]string{
		512:               "512 bytes",
		2048:              "2.0 KB",
		20 << 20:          "20 MB",
		8_624_000:         "8.3 MB", // 8.2245 MB, rounded up: a file over a limit never reads as equal to it
		(2 << 20) + 1:     "2.1 MB",
		3 << 30:           "3 GB",
		(3 << 30) + 1<<20: "3073 MB",
	} {
		if got := bytesText(n); got != want {
			t.Errorf("bytesText(%d) = %q, want %q", n, got, want)
		}
	}
}
