package audio_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Fixtures are made by the tests: a WAV synthesised here, and the other
// formats encoded from it by ffmpeg when it is installed. Nothing binary
// is downloaded or committed.

// wavSpec describes a synthetic recording: a 440 Hz sine at 0.8 of full
// scale for loud, then silence for quiet.
type wavSpec struct {
	rate, channels, bits int
	float                bool
	loud, quiet          time.Duration
}

// speech is the recording most tests use: 1.5 s of tone, 1.5 s of silence.
var speech = wavSpec{rate: 44100, channels: 2, bits: 16, loud: 1500 * time.Millisecond, quiet: 1500 * time.Millisecond}

// tiny is a short recording for fuzz seeds, which should be small.
var tiny = wavSpec{rate: 8000, channels: 1, bits: 16, loud: 150 * time.Millisecond, quiet: 100 * time.Millisecond}

const amplitude = 0.8

func (s wavSpec) duration() time.Duration { return s.loud + s.quiet }

// makeWAV encodes s as a canonical WAV file.
func makeWAV(s wavSpec) []byte {
	loud := int(int64(s.rate) * int64(s.loud) / int64(time.Second))
	frames := int(int64(s.rate) * int64(s.duration()) / int64(time.Second))
	width := s.bits / 8
	var data bytes.Buffer
	for i := range frames {
		v := 0.0
		if i < loud {
			v = amplitude * math.Sin(2*math.Pi*440*float64(i)/float64(s.rate))
		}
		for range s.channels {
			data.Write(encodeSample(v, width, s.float))
		}
	}
	tag := uint16(1)
	if s.float {
		tag = 3
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	le32(&b, uint32(4+8+16+8+data.Len()))
	b.WriteString("WAVEfmt ")
	le32(&b, 16)
	le16(&b, tag)
	le16(&b, uint16(s.channels))
	le32(&b, uint32(s.rate))
	le32(&b, uint32(s.rate*s.channels*width))
	le16(&b, uint16(s.channels*width))
	le16(&b, uint16(s.bits))
	b.WriteString("data")
	le32(&b, uint32(data.Len()))
	b.Write(data.Bytes())
	return b.Bytes()
}

func encodeSample(v float64, width int, float bool) []byte {
	out := make([]byte, width)
	switch {
	case float && width == 4:
		binary.LittleEndian.PutUint32(out, math.Float32bits(float32(v)))
	case float:
		binary.LittleEndian.PutUint64(out, math.Float64bits(v))
	case width == 1:
		out[0] = byte(int(math.Round(v*127)) + 128)
	default:
		// Scale to the top bits of a 32-bit sample and keep the high bytes.
		x := uint32(int32(math.Round(v * (1<<31 - 1))))
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], x)
		copy(out, b[4-width:])
	}
	return out
}

func le16(b *bytes.Buffer, v uint16) { _ = binary.Write(b, binary.LittleEndian, v) }
func le32(b *bytes.Buffer, v uint32) { _ = binary.Write(b, binary.LittleEndian, v) }

// An encoding is how ffmpeg makes one fixture from a WAV.
type encoding struct {
	ext  string
	args []string
}

var encodings = map[string]encoding{
	"mp3":      {".mp3", []string{"-c:a", "libmp3lame", "-b:a", "128k"}},
	"mp3-mono": {".mp3", []string{"-c:a", "libmp3lame", "-ac", "1", "-ar", "22050", "-b:a", "32k"}},
	"m4a":      {".m4a", []string{"-c:a", "aac", "-b:a", "96k"}},
	"opus":     {".opus", []string{"-c:a", "libopus", "-b:a", "64k"}},
	"vorbis":   {".ogg", []string{"-c:a", "libvorbis", "-q:a", "3"}},
}

var (
	fixtureDir   string
	fixtureMu    sync.Mutex
	fixturePaths = map[string]string{}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "audio-fixtures-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixtureDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// wavFixture writes the WAV of s to a file shared by the tests.
func wavFixture(t testing.TB, s wavSpec) string {
	t.Helper()
	key := fmt.Sprintf("%+v", s)
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if p, ok := fixturePaths[key]; ok {
		return p
	}
	p := filepath.Join(fixtureDir, fmt.Sprintf("wav-%d.wav", len(fixturePaths)))
	if err := os.WriteFile(p, makeWAV(s), 0o600); err != nil {
		t.Fatal(err)
	}
	fixturePaths[key] = p
	return p
}

// haveFFmpeg reports whether ffmpeg is installed; ffmpeg is optional, in
// CI too, so tests that need it skip without it.
func haveFFmpeg() bool {
	_, err := exec.LookPath("ffmpeg")
	return err == nil
}

func needFFmpeg(t testing.TB) {
	t.Helper()
	if !haveFFmpeg() {
		t.Skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make this fixture")
	}
}

// encoded returns the path of s encoded as name (a key of encodings).
func encoded(t testing.TB, s wavSpec, name string) string {
	t.Helper()
	needFFmpeg(t)
	src := wavFixture(t, s)
	enc, ok := encodings[name]
	if !ok {
		t.Fatalf("no encoding %q", name)
	}
	key := fmt.Sprintf("%+v/%s", s, name)
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if p, ok := fixturePaths[key]; ok {
		return p
	}
	p := filepath.Join(fixtureDir, fmt.Sprintf("enc-%d%s", len(fixturePaths), enc.ext))
	args := append([]string{"-nostdin", "-v", "error", "-i", src}, enc.args...)
	if out, err := exec.Command("ffmpeg", append(args, p)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", name, err, out)
	}
	fixturePaths[key] = p
	return p
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
