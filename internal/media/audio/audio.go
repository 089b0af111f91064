// Package audio reads what the catalogue needs to know about an uploaded
// recording — its format, length, bitrate, sample rate and channels — and
// draws the waveform a player shows while it plays.
//
// Probe reads container and stream headers in pure Go, so it works on any
// machine: MP3, M4A (AAC in MP4), Ogg Opus, Ogg Vorbis and WAV. Uploads
// are untrusted, so every length read from a file is checked against the
// file's size before it is believed, nothing is allocated in proportion to
// a header field, and a file that is cut short, damaged or not what it
// claims to be is an errs.Invalid error that says what is wrong.
//
// Peaks decodes with ffmpeg when it is installed, and otherwise WAV and
// most MP3 in pure Go.
package audio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// The formats Probe recognises, as Info.Format names them.
const (
	FormatMP3    = "mp3"
	FormatM4A    = "m4a"    // AAC in an MP4 container
	FormatOpus   = "opus"   // Opus in an Ogg container
	FormatVorbis = "vorbis" // Vorbis in an Ogg container
	FormatWAV    = "wav"
)

// Info describes a recording.
type Info struct {
	Format     string // one of the Format constants
	Duration   time.Duration
	Bitrate    int // bits per second, averaged over the whole recording
	SampleRate int // samples per second per channel, as decoded
	Channels   int
}

// ErrNoDecoder is returned by Peaks for a format only ffmpeg decodes here
// (M4A, Opus, Vorbis, MP3 below 32 kHz) when ffmpeg is not installed.
var ErrNoDecoder = errors.New("audio: no decoder for this format: ffmpeg is not installed")

// Probe reads the headers of the recording in r, which holds size bytes,
// and says what it is and how long it plays. Durations come from the
// stream itself: MP3 frame counts (less the encoder's delay and padding
// when a LAME tag gives them), the audio track's mdhd box, the last Ogg
// granule position less Opus's pre-skip, and the size of WAV's data chunk.
//
// A file that is empty, truncated, damaged, inconsistent or in another
// format is an errs.Invalid error whose message says which; failures to
// read r are returned as they are.
func Probe(r io.ReaderAt, size int64) (Info, error) {
	if size <= 0 {
		return Info{}, invalid("the audio file is empty")
	}
	head := make([]byte, min(size, 64))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return Info{}, fmt.Errorf("audio: read header: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("RIFF")) && len(head) >= 12 && string(head[8:12]) == "WAVE":
		return probeWAV(r, size)
	case bytes.HasPrefix(head, []byte("RIFF")):
		return Info{}, invalid("the file is a RIFF container but not WAV audio")
	case bytes.HasPrefix(head, []byte("OggS")):
		return probeOgg(r, size)
	case len(head) >= 8 && string(head[4:8]) == "ftyp":
		return probeM4A(r, size)
	case bytes.HasPrefix(head, []byte("ID3")) || isMP3Sync(head):
		return probeMP3(r, size)
	case looksLikeMarkup(head):
		return Info{}, invalid("the file is an HTML or XML document, not audio")
	}
	return Info{}, invalid("the file is not audio in a supported format (MP3, M4A, Ogg Opus, Ogg Vorbis or WAV)")
}

// invalid is the error for a file that is not what it claims to be.
func invalid(format string, args ...any) error {
	return errs.E(errs.Invalid, format, args...)
}

// readErr turns a failed read of an upload into an error: running out of
// bytes means the file is cut short (Invalid, with the message given);
// anything else is a failure of the reader and is passed on.
func readErr(err error, format string, args ...any) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return invalid(format, args...)
	}
	return fmt.Errorf("audio: read: %w", err)
}

// durationOf returns how long samples last at rate samples per second, and
// false when that is longer than a time.Duration holds (a hostile header).
func durationOf(samples uint64, rate int) (time.Duration, bool) {
	if rate <= 0 {
		return 0, false
	}
	r := uint64(rate)
	whole, frac := samples/r, samples%r
	if whole >= math.MaxInt64/uint64(time.Second)-1 {
		return 0, false
	}
	return time.Duration(whole)*time.Second + time.Duration(frac*uint64(time.Second)/r), true
}

// bitrate is the average bits per second of n bytes lasting d.
func bitrate(n int64, d time.Duration) int {
	if d <= 0 || n <= 0 {
		return 0
	}
	return int(math.Round(float64(n) * 8 / d.Seconds()))
}

// looksLikeMarkup reports whether head starts, after a byte order mark and
// white space, with '<': an HTML error page saved in place of a download
// is the most common impostor.
func looksLikeMarkup(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '<'
}
