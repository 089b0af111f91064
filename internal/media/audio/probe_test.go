package audio_test

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/audio"
)

func probeBytes(b []byte) (audio.Info, error) {
	return audio.Probe(bytes.NewReader(b), int64(len(b)))
}

func TestProbeReadsEachFormat(t *testing.T) {
	mono16k := wavSpec{rate: 16000, channels: 1, bits: 24, loud: time.Second, quiet: time.Second}
	fromFFmpeg := func(name string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return readFile(t, encoded(t, speech, name)) }
	}
	cases := []struct {
		name       string
		file       func(t *testing.T) []byte
		format     string
		duration   time.Duration
		tolerance  time.Duration
		sampleRate int
		channels   int
		kbps       [2]int // bitrate range: half of each fixture is silence, which VBR codecs squeeze
	}{
		{"a 16-bit stereo WAV plays for exactly its data", func(*testing.T) []byte { return makeWAV(speech) },
			audio.FormatWAV, 3 * time.Second, 0, 44100, 2, [2]int{1411, 1412}},
		{"a 24-bit mono WAV", func(*testing.T) []byte { return makeWAV(mono16k) },
			audio.FormatWAV, 2 * time.Second, 0, 16000, 1, [2]int{384, 384}},
		{"MP3 frames framed by hand", func(*testing.T) []byte { return makeMP3(115) },
			audio.FormatMP3, 3004082 * time.Microsecond, time.Microsecond, 44100, 2, [2]int{127, 128}},
		{"Ogg Opus pages framed by hand", func(*testing.T) []byte { return makeOgg("opus", 44100, 1, 144000, 10) },
			audio.FormatOpus, 3 * time.Second, 0, 48000, 1, [2]int{1, 20}},
		{"Ogg Vorbis pages framed by hand", func(*testing.T) []byte { return makeOgg("vorbis", 32000, 2, 96000, 10) },
			audio.FormatVorbis, 3 * time.Second, 0, 32000, 2, [2]int{1, 20}},
		{"an M4A written by go-mp4", func(t *testing.T) []byte { return makeM4A(t, 44100, 2, 132300) },
			audio.FormatM4A, 3 * time.Second, 0, 44100, 2, [2]int{103, 105}},
		{"an MP3 at 128 kbit/s", fromFFmpeg("mp3"),
			audio.FormatMP3, 3 * time.Second, 30 * time.Millisecond, 44100, 2, [2]int{125, 131}},
		{"a mono MPEG-2 MP3 at 22 kHz", fromFFmpeg("mp3-mono"),
			audio.FormatMP3, 3 * time.Second, 30 * time.Millisecond, 22050, 1, [2]int{31, 33}},
		{"an M4A with AAC", fromFFmpeg("m4a"),
			audio.FormatM4A, 3 * time.Second, 60 * time.Millisecond, 44100, 2, [2]int{20, 110}},
		{"an Ogg Opus file less its pre-skip", fromFFmpeg("opus"),
			audio.FormatOpus, 3 * time.Second, 10 * time.Millisecond, 48000, 2, [2]int{20, 80}},
		{"an Ogg Vorbis file", fromFFmpeg("vorbis"),
			audio.FormatVorbis, 3 * time.Second, 10 * time.Millisecond, 44100, 2, [2]int{5, 200}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.file(t)
			info, err := probeBytes(b)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if info.Format != c.format {
				t.Errorf("Format = %q, want %q", info.Format, c.format)
			}
			if d := info.Duration - c.duration; d < -c.tolerance || d > c.tolerance {
				t.Errorf("Duration = %v, want %v ± %v", info.Duration, c.duration, c.tolerance)
			}
			if info.SampleRate != c.sampleRate {
				t.Errorf("SampleRate = %d, want %d", info.SampleRate, c.sampleRate)
			}
			if info.Channels != c.channels {
				t.Errorf("Channels = %d, want %d", info.Channels, c.channels)
			}
			if kbps := info.Bitrate / 1000; kbps < c.kbps[0] || kbps > c.kbps[1] {
				t.Errorf("Bitrate = %d, want %d to %d kbit/s", info.Bitrate, c.kbps[0], c.kbps[1])
			}
		})
	}
}

func TestProbeReadsEveryWAVSampleFormat(t *testing.T) {
	for _, s := range []wavSpec{
		{rate: 8000, channels: 1, bits: 8},
		{rate: 22050, channels: 2, bits: 16},
		{rate: 48000, channels: 2, bits: 24},
		{rate: 96000, channels: 1, bits: 32},
		{rate: 44100, channels: 2, bits: 32, float: true},
		{rate: 44100, channels: 1, bits: 64, float: true},
	} {
		s.loud, s.quiet = 500*time.Millisecond, 250*time.Millisecond
		info, err := probeBytes(makeWAV(s))
		if err != nil {
			t.Errorf("%+v: %v", s, err)
			continue
		}
		// The fixture holds whole frames: within one frame of the length asked.
		off := info.Duration - s.duration()
		if off > 0 || off <= -time.Second/time.Duration(s.rate) || info.SampleRate != s.rate || info.Channels != s.channels {
			t.Errorf("%+v: got %+v", s, info)
		}
	}
}

// cutPoints are where truncation tests cut a file: inside its header,
// early, in the middle, late and one byte short.
func cutPoints(size int) []int {
	return []int{5, 40, size / 10, size / 2, size * 9 / 10, size - 1}
}

func TestProbeRefusesCutShortFiles(t *testing.T) {
	files := map[string]func(t *testing.T) []byte{
		"wav":              func(t *testing.T) []byte { return makeWAV(speech) },
		"synthetic mp3":    func(t *testing.T) []byte { return makeMP3(115) },
		"synthetic opus":   func(t *testing.T) []byte { return makeOgg("opus", 48000, 2, 144000, 10) },
		"synthetic vorbis": func(t *testing.T) []byte { return makeOgg("vorbis", 44100, 2, 132300, 10) },
		"synthetic m4a":    func(t *testing.T) []byte { return makeM4A(t, 44100, 2, 132300) },
		"mp3":              func(t *testing.T) []byte { return readFile(t, encoded(t, speech, "mp3")) },
		"m4a":              func(t *testing.T) []byte { return readFile(t, encoded(t, speech, "m4a")) },
		"opus":             func(t *testing.T) []byte { return readFile(t, encoded(t, speech, "opus")) },
		"vorbis":           func(t *testing.T) []byte { return readFile(t, encoded(t, speech, "vorbis")) },
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			b := file(t)
			for _, n := range cutPoints(len(b)) {
				info, err := probeBytes(b[:n])
				if !errs.Is(err, errs.Invalid) {
					t.Errorf("cut to %d of %d bytes: got %+v, %v; want an invalid error", n, len(b), info, err)
				}
			}
		})
	}
}

func TestProbeRefusesImpostorsAndDamage(t *testing.T) {
	wav := makeWAV(tiny)
	claimsMore := bytes.Clone(wav)
	binary.LittleEndian.PutUint32(claimsMore[40:], 1<<31) // the data chunk's size
	claims4GB := bytes.Clone(wav)
	binary.LittleEndian.PutUint32(claims4GB[16:], 0xFFFFFFFF) // the fmt chunk's size
	noData := bytes.Clone(wav)
	copy(noData[36:], "junk")
	badFmt := bytes.Clone(wav)
	binary.LittleEndian.PutUint16(badFmt[32:], 3) // blockAlign 3 for 1 channel of 16 bits

	cases := []struct {
		name, data, message string
	}{
		{"an empty file", "", "empty"},
		{"a WAV whose data chunk claims more than the file holds", string(claimsMore), "claims"},
		{"a WAV whose fmt chunk claims 4 GB", string(claims4GB), "damaged"},
		{"a WAV without a data chunk", string(noData), "no audio data"},
		{"a WAV whose format contradicts itself", string(badFmt), "contradicts"},
		{"an HTML page saved as audio", "\n<!DOCTYPE html><html><head><title>Not found</title></head></html>", "HTML"},
		{"plain text", "Sādhu sādhu sādhu", "not audio"},
		{"a PDF", "%PDF-1.7\n%âãÏÓ\n", "not audio"},
		{"an AVI, which is RIFF too", "RIFF\x10\x00\x00\x00AVI LIST", "not WAV"},
		{"an ID3 tag and nothing else", "ID3\x04\x00\x00\x00\x00\x00\x00", "no MP3 audio"},
		{"an ID3 tag claiming more than the file", "ID3\x04\x00\x00\x7f\x7f\x7f\x7f", "ID3"},
		{"an Ogg page and garbage", "OggS\x00\x02" + strings.Repeat("\x00", 40), "Ogg"},
		{"an MP4 with no movie box", "\x00\x00\x00\x10ftypM4A \x00\x00\x00\x00", "moov"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := probeBytes([]byte(c.data))
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %+v, %v; want an invalid error", info, err)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not mention %q", err, c.message)
			}
		})
	}

	t.Run("random bytes", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 200 {
			b := make([]byte, 1+rng.IntN(8192))
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
			// Give some of them a format's magic so the parsers, not just
			// the sniffing, meet garbage.
			switch i % 5 {
			case 1:
				copy(b, "RIFF\x00\x00\x00\x00WAVE")
			case 2:
				copy(b, "OggS")
			case 3:
				copy(b, "\x00\x00\x00\x20ftyp")
			case 4:
				copy(b, "\xff\xfb\x90\x00")
			}
			if info, err := probeBytes(b); !errs.Is(err, errs.Invalid) {
				t.Fatalf("random input %d (%d bytes): got %+v, %v; want an invalid error", i, len(b), info, err)
			}
		}
	})
}

func TestProbeRefusesDamagedOggPages(t *testing.T) {
	good := makeOgg("opus", 48000, 2, 144000, 10)
	if _, err := probeBytes(good); err != nil {
		t.Fatalf("the undamaged stream: %v", err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-100] ^= 0x01
	page := len(oggPage(0, 0, 0, make([]byte, 200), make([]byte, 200))) // the size of every audio page
	start := len(good) - 10*page + 3*page                               // the fourth audio page
	missing := append(bytes.Clone(good[:start]), good[start+page:]...)

	for name, c := range map[string]struct {
		b       []byte
		message string
	}{
		"a flipped bit fails the page's checksum": {flipped, "checksum"},
		"a page left out breaks the sequence":     {missing, "missing"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := probeBytes(c.b)
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("got %v, want an invalid error mentioning %q", err, c.message)
			}
		})
	}
}

// A cut that happens to fall between two frames leaves a well-formed
// stream; the frame count in the Xing tag still gives it away.
func TestProbeRefusesAnMP3CutBetweenFrames(t *testing.T) {
	t.Run("synthetic", func(t *testing.T) {
		b := makeMP3(115)
		const id3, frame = 30, 417
		for _, frames := range []int{1, 50, 114} {
			_, err := probeBytes(b[:id3+frame+frames*frame]) // the tag, the Xing frame and some audio frames
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "frames its header lists") {
				t.Errorf("%d of 115 frames: got %v, want an invalid error about the frame count", frames, err)
			}
		}
	})
	t.Run("encoded by ffmpeg", func(t *testing.T) {
		b := readFile(t, encoded(t, speech, "mp3"))
		caught := 0
		for p := len(b) / 2; p < len(b)/2+2000; p++ {
			if b[p] != 0xFF || b[p+1]&0xE0 != 0xE0 {
				continue
			}
			_, err := probeBytes(b[:p])
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("cut to %d of %d bytes at a sync word: got %v, want an invalid error", p, len(b), err)
			}
			if strings.Contains(err.Error(), "frames its header lists") {
				caught++
			}
		}
		if caught == 0 {
			t.Fatal("no cut between frames was caught by the Xing frame count")
		}
	})
}
