package video_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/video"
)

// needTools skips a test that needs ffmpeg to make its fixture and
// ffprobe to read it; both are optional, in CI too.
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install ffmpeg)", tool)
		}
	}
}

// makeVideo has ffmpeg make a 2-second 320×240 H.264 video with a tone.
func makeVideo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "talk.mp4")
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error",
		"-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
		"-f", "lavfi", "-i", "sine=frequency=440:duration=2",
		"-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", p).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	return p
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProbeReadsAVideo(t *testing.T) {
	needTools(t)
	info, err := video.Probe(context.Background(), makeVideo(t))
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if d := info.Duration - 2*time.Second; d < -50*time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("Duration = %v, want 2s ± 50ms", info.Duration)
	}
	if info.Width != 320 || info.Height != 240 || info.Codec != "h264" {
		t.Errorf("got %dx%d %s, want 320x240 h264", info.Width, info.Height, info.Codec)
	}
}

func TestProbeRefusesWhatIsNotAVideo(t *testing.T) {
	needTools(t)
	ctx := context.Background()
	wav := filepath.Join(t.TempDir(), "tone.wav")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", wav).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	png := filepath.Join(t.TempDir(), "still.png")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", png).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	good, err := os.ReadFile(makeVideo(t))
	if err != nil {
		t.Fatal(err)
	}

	cases := map[string]string{
		"audio alone":        wav,
		"a still image":      png,
		"an HTML page":       writeFile(t, "page.mp4", []byte("<!DOCTYPE html><html><body>Not found</body></html>")),
		"random bytes":       writeFile(t, "random.mp4", random),
		"an empty file":      writeFile(t, "empty.mp4", nil),
		"a video cut in two": writeFile(t, "cut.mp4", good[:len(good)/2]),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			info, err := video.Probe(ctx, path)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %+v, %v; want an invalid error", info, err)
			}
		})
	}
	t.Run("a path that would read as an option or a URL stays a file", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		for _, p := range []string{"-version", "http:/127.0.0.1:1/x.mp4"} {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, p), []byte("<html>"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := video.Probe(ctx, p); !errs.Is(err, errs.Invalid) {
				t.Errorf("%q: got %v, want an invalid error for its HTML", p, err)
			}
		}
	})
	t.Run("a missing file is not the upload's fault", func(t *testing.T) {
		_, err := video.Probe(ctx, filepath.Join(t.TempDir(), "gone.mp4"))
		if err == nil || errs.Is(err, errs.Invalid) {
			t.Errorf("got %v, want an internal error", err)
		}
	})
}

func TestProbeWithoutFFprobe(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := video.Probe(context.Background(), "/nonexistent.mp4"); !errors.Is(err, video.ErrNoProber) {
		t.Fatalf("got %v, want ErrNoProber", err)
	}
}

func TestProbeStopsWithItsContext(t *testing.T) {
	needTools(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := video.Probe(ctx, makeVideo(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
