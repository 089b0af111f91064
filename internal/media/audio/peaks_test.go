package audio_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/audio"
)

// checkShape asserts the waveform of a speech-shaped fixture: loud (about
// 80, the tone's amplitude) for its first half, silent for its second.
// The bucket at the edge holds both; lossy codecs shift and smear the
// edge a little, so slack buckets either side of it are not judged either.
func checkShape(t *testing.T, peaks []int, buckets, slack int) {
	t.Helper()
	if len(peaks) != buckets {
		t.Fatalf("got %d buckets, want %d", len(peaks), buckets)
	}
	edge := buckets / 2
	for i, v := range peaks {
		switch {
		case i >= slack && i < edge-slack && (v < 70 || v > 90):
			t.Errorf("bucket %d of the tone = %d, want about 80: %v", i, v, peaks)
			return
		case i > edge+slack && v > 2:
			t.Errorf("bucket %d of the silence = %d, want about 0: %v", i, v, peaks)
			return
		}
	}
}

func TestPeaksDrawsLoudThenQuiet(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		path   func(t *testing.T) string
		format string
		slack  int
	}{
		{"a 16-bit stereo WAV", func(t *testing.T) string { return wavFixture(t, speech) }, audio.FormatWAV, 0},
		{"an MP3 through ffmpeg", func(t *testing.T) string { return encoded(t, speech, "mp3") }, audio.FormatMP3, 2},
		{"a mono MPEG-2 MP3 through ffmpeg", func(t *testing.T) string { return encoded(t, speech, "mp3-mono") }, audio.FormatMP3, 2},
		{"an M4A through ffmpeg", func(t *testing.T) string { return encoded(t, speech, "m4a") }, audio.FormatM4A, 2},
		{"an Opus file through ffmpeg", func(t *testing.T) string { return encoded(t, speech, "opus") }, audio.FormatOpus, 2},
		{"a Vorbis file through ffmpeg", func(t *testing.T) string { return encoded(t, speech, "vorbis") }, audio.FormatVorbis, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			peaks, err := audio.Peaks(ctx, c.path(t), c.format, 100)
			if err != nil {
				t.Fatalf("Peaks: %v", err)
			}
			checkShape(t, peaks, 100, c.slack)
		})
	}
}

func TestPeaksReadsEveryWAVSampleFormat(t *testing.T) {
	for _, s := range []wavSpec{
		{rate: 8000, channels: 1, bits: 8},
		{rate: 22050, channels: 2, bits: 16},
		{rate: 48000, channels: 2, bits: 24},
		{rate: 16000, channels: 1, bits: 32},
		{rate: 44100, channels: 2, bits: 32, float: true},
		{rate: 11025, channels: 1, bits: 64, float: true},
	} {
		s.loud, s.quiet = time.Second, time.Second
		peaks, err := audio.Peaks(context.Background(), wavFixture(t, s), audio.FormatWAV, 50)
		if err != nil {
			t.Errorf("%+v: %v", s, err)
			continue
		}
		checkShape(t, peaks, 50, 0)
	}
}

func TestPeaksOfARecordingShorterThanItsBuckets(t *testing.T) {
	s := wavSpec{rate: 8000, channels: 1, bits: 16, loud: time.Millisecond, quiet: time.Millisecond} // 16 samples
	peaks, err := audio.Peaks(context.Background(), wavFixture(t, s), audio.FormatWAV, 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(peaks) != 200 || peaks[199] != 0 {
		t.Fatalf("got %d buckets ending %d, want 200 ending in silence", len(peaks), peaks[len(peaks)-1])
	}
}

func TestPeaksWithoutFFmpeg(t *testing.T) {
	var mp3, mp3LSF string // made while ffmpeg, if installed, is still on PATH
	if haveFFmpeg() {
		mp3, mp3LSF = encoded(t, speech, "mp3"), encoded(t, speech, "mp3-mono")
	}
	t.Setenv("PATH", t.TempDir()) // no ffmpeg on it
	ctx := context.Background()

	t.Run("formats only ffmpeg decodes here are ErrNoDecoder", func(t *testing.T) {
		for _, f := range []string{audio.FormatM4A, audio.FormatOpus, audio.FormatVorbis} {
			if _, err := audio.Peaks(ctx, "/nonexistent", f, 100); !errors.Is(err, audio.ErrNoDecoder) {
				t.Errorf("%s: got %v, want ErrNoDecoder", f, err)
			}
		}
	})
	t.Run("an MPEG-2 MP3, which go-mp3 garbles, is ErrNoDecoder", func(t *testing.T) {
		if mp3LSF == "" {
			t.Skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make an MP3")
		}
		if _, err := audio.Peaks(ctx, mp3LSF, audio.FormatMP3, 100); !errors.Is(err, audio.ErrNoDecoder) {
			t.Errorf("got %v, want ErrNoDecoder", err)
		}
	})
	t.Run("WAV decodes in pure Go", func(t *testing.T) {
		peaks, err := audio.Peaks(ctx, wavFixture(t, speech), audio.FormatWAV, 100)
		if err != nil {
			t.Fatal(err)
		}
		checkShape(t, peaks, 100, 0)
	})
	t.Run("a silent MP3 framed by hand decodes to silence through go-mp3", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "silent.mp3")
		if err := os.WriteFile(p, makeMP3(40), 0o600); err != nil {
			t.Fatal(err)
		}
		peaks, err := audio.Peaks(ctx, p, audio.FormatMP3, 20)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Max(peaks) != 0 {
			t.Errorf("got %v, want silence", peaks)
		}
	})
	t.Run("MP3 decodes in pure Go, through go-mp3", func(t *testing.T) {
		if mp3 == "" {
			t.Skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make an MP3")
		}
		peaks, err := audio.Peaks(ctx, mp3, audio.FormatMP3, 100)
		if err != nil {
			t.Fatal(err)
		}
		checkShape(t, peaks, 100, 2)
	})
	t.Run("a file that is not the format named is invalid", func(t *testing.T) {
		html := filepath.Join(t.TempDir(), "page")
		if err := os.WriteFile(html, []byte("<!DOCTYPE html><html><body>404</body></html>"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{audio.FormatWAV, audio.FormatMP3} {
			if _, err := audio.Peaks(ctx, html, f, 100); !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: got %v, want an invalid error", f, err)
			}
		}
	})
}

func TestPeaksRefusesBadRequestsAndFiles(t *testing.T) {
	ctx := context.Background()
	wav := wavFixture(t, speech)
	for _, n := range []int{0, -1, audio.MaxBuckets + 1} {
		if _, err := audio.Peaks(ctx, wav, audio.FormatWAV, n); !errs.Is(err, errs.Invalid) {
			t.Errorf("%d buckets: got %v, want an invalid error", n, err)
		}
	}
	if _, err := audio.Peaks(ctx, wav, "flac", 10); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown format: got %v, want an invalid error", err)
	}

	t.Run("cut short", func(t *testing.T) {
		b := readFile(t, wav)
		cut := filepath.Join(t.TempDir(), "cut.wav")
		if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := audio.Peaks(ctx, cut, audio.FormatWAV, 10); !errs.Is(err, errs.Invalid) {
			t.Errorf("got %v, want an invalid error", err)
		}
	})
	t.Run("a cancelled context stops decoding", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := audio.Peaks(ctx, wav, audio.FormatWAV, 10); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
	t.Run("ffmpeg says when it cannot decode", func(t *testing.T) {
		needFFmpeg(t)
		junk := filepath.Join(t.TempDir(), "junk.m4a")
		if err := os.WriteFile(junk, []byte("\x00\x00\x00\x10ftypM4A junk junk junk"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := audio.Peaks(ctx, junk, audio.FormatM4A, 10); !errs.Is(err, errs.Invalid) {
			t.Errorf("got %v, want an invalid error", err)
		}
	})
}
