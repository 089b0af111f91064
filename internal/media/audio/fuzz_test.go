package audio_test

import (
	"slices"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/audio"
)

// FuzzProbe feeds Probe mutations of small real files: whatever the bytes,
// it returns an Info that makes sense or an Invalid error, and never
// panics or hangs.
func FuzzProbe(f *testing.F) {
	f.Add(makeWAV(tiny))
	f.Add(makeMP3(3))
	f.Add(makeOgg("opus", 48000, 2, 4800, 2))
	f.Add(makeOgg("vorbis", 8000, 1, 800, 2))
	f.Add(makeM4A(f, 8000, 1, 2048))
	f.Add(makeWAV(wavSpec{rate: 8000, channels: 2, bits: 32, float: true, loud: 20e6, quiet: 10e6}))
	if haveFFmpeg() {
		for _, name := range []string{"mp3", "mp3-mono", "m4a", "opus", "vorbis"} {
			f.Add(readFile(f, encoded(f, tiny, name)))
		}
	}
	f.Add([]byte("ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00"))
	f.Add([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead"))
	f.Add([]byte("\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42\x00\x00\x00\x08moov"))

	formats := []string{audio.FormatMP3, audio.FormatM4A, audio.FormatOpus, audio.FormatVorbis, audio.FormatWAV}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := probeBytes(b)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %v, want nil or an invalid error", err)
			}
			return
		}
		if !slices.Contains(formats, info.Format) || info.Duration <= 0 || info.SampleRate <= 0 ||
			info.Channels <= 0 || info.Bitrate < 0 {
			t.Fatalf("accepted with nonsense: %+v", info)
		}
	})
}
