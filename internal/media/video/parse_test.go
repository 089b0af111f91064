package video

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Answers of ffprobe -v error -print_format json -show_format
// -show_streams, trimmed to the fields that matter and a few that don't.
const (
	probedMP4 = `{
    "streams": [
        {"index": 0, "codec_name": "h264", "codec_type": "video", "width": 320, "height": 240,
         "duration": "2.000000", "disposition": {"default": 1, "attached_pic": 0}},
        {"index": 1, "codec_name": "aac", "codec_type": "audio", "sample_rate": "44100", "channels": 1,
         "duration": "2.000000", "disposition": {"default": 1, "attached_pic": 0}}
    ],
    "format": {"filename": "file:v.mp4", "nb_streams": 2, "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
               "duration": "2.021000", "size": "24567", "bit_rate": "97249"}
}`
	probedPhone = `{
    "streams": [
        {"codec_name": "hevc", "codec_type": "video", "width": 1920, "height": 1080,
         "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}
    ],
    "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "61.5"}
}`
	probedOldPhone = `{
    "streams": [{"codec_name": "h264", "codec_type": "video", "width": 1280, "height": 720, "tags": {"rotate": "270"}}],
    "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "5"}
}`
	probedWebM = `{
    "streams": [{"codec_name": "vp9", "codec_type": "video", "width": 640, "height": 360}],
    "format": {"format_name": "matroska,webm", "duration": "12.345000"}
}`
	probedMP3WithCover = `{
    "streams": [
        {"codec_name": "mp3", "codec_type": "audio", "duration": "3.030204"},
        {"codec_name": "mjpeg", "codec_type": "video", "width": 500, "height": 500,
         "disposition": {"attached_pic": 1}}
    ],
    "format": {"format_name": "mp3", "duration": "3.030204"}
}`
	probedPNG = `{
    "streams": [{"codec_name": "png", "codec_type": "video", "width": 64, "height": 48}],
    "format": {"format_name": "png_pipe"}
}`
)

func TestParseFFProbe(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Info
	}{
		{"an MP4 takes its container's duration", probedMP4, Info{Duration: 2021 * time.Millisecond, Width: 320, Height: 240, Codec: "h264"}},
		{"a phone video filmed upright is taller than wide", probedPhone, Info{Duration: 61500 * time.Millisecond, Width: 1080, Height: 1920, Codec: "hevc"}},
		{"older ffprobe gives the rotation as a tag", probedOldPhone, Info{Duration: 5 * time.Second, Width: 720, Height: 1280, Codec: "h264"}},
		{"a WebM", probedWebM, Info{Duration: 12345 * time.Millisecond, Width: 640, Height: 360, Codec: "vp9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseFFProbe([]byte(c.in))
			if err != nil {
				t.Fatalf("parseFFProbe: %v", err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestParseFFProbeRefusesWhatIsNotAVideo(t *testing.T) {
	cases := []struct {
		name, in, message string
	}{
		{"audio with cover art", probedMP3WithCover, "no video"},
		{"a still image", probedPNG, "still image"},
		{"no streams at all", `{"streams": [], "format": {}}`, "no video"},
		{"an impossible frame size", strings.Replace(probedWebM, `"width": 640`, `"width": -640`, 1), "frame size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseFFProbe([]byte(c.in))
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %+v, %v; want an invalid error", got, err)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not mention %q", err, c.message)
			}
		})
	}
	// ffprobe always writes JSON; anything else is a fault here, not in
	// the upload.
	if _, err := parseFFProbe([]byte("not json")); err == nil || errs.Is(err, errs.Invalid) {
		t.Errorf("malformed output: got %v, want an internal error", err)
	}
}

// FuzzParseFFProbe checks that no answer, however odd, panics the parser
// or yields a video without a positive size and duration.
func FuzzParseFFProbe(f *testing.F) {
	for _, s := range []string{probedMP4, probedPhone, probedOldPhone, probedWebM, probedMP3WithCover, probedPNG, "{\n\n}"} {
		f.Add([]byte(s))
	}
	if b := realAnswer(f); b != nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := parseFFProbe(b)
		if err != nil {
			return
		}
		if info.Duration <= 0 || info.Width <= 0 || info.Height <= 0 {
			t.Fatalf("accepted with nonsense: %+v", info)
		}
	})
}

// realAnswer is ffprobe's whole answer for a small video ffmpeg makes, or
// nil without them.
func realAnswer(t testing.TB) []byte {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return nil
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		return nil
	}
	v := filepath.Join(t.TempDir(), "v.mp4")
	if err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=0.5",
		"-pix_fmt", "yuv420p", v).Run(); err != nil {
		return nil
	}
	b, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", v).Output()
	if err != nil {
		return nil
	}
	return b
}
