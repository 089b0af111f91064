package audio

import (
	"encoding/binary"
	"io"
)

// WAV format codes (the fmt chunk's wFormatTag).
const (
	wavePCM        = 0x0001
	waveFloat      = 0x0003
	waveExtensible = 0xFFFE
)

// wavStream is what a WAV file's chunks say about its samples.
type wavStream struct {
	float      bool // IEEE float samples, else integer PCM
	channels   int
	sampleRate int
	bits       int   // bits per sample
	blockAlign int   // bytes per sample frame (one sample of every channel)
	dataOff    int64 // where the samples start
	dataLen    int64 // bytes of samples, a whole number of frames
}

func (w wavStream) frames() int64 { return w.dataLen / int64(w.blockAlign) }

func probeWAV(r io.ReaderAt, size int64) (Info, error) {
	w, err := readWAV(r, size)
	if err != nil {
		return Info{}, err
	}
	if w.frames() == 0 {
		return Info{}, invalid("the WAV file has no audio")
	}
	d, ok := durationOf(uint64(w.frames()), w.sampleRate)
	if !ok {
		return Info{}, invalid("the WAV file claims an impossible duration")
	}
	return Info{
		Format:     FormatWAV,
		Duration:   d,
		Bitrate:    w.sampleRate * w.blockAlign * 8,
		SampleRate: w.sampleRate,
		Channels:   w.channels,
	}, nil
}

// readWAV walks the RIFF chunks of a WAV file for its format and data.
// Each step moves past one chunk, whose size is checked against the file,
// so the walk ends however the sizes lie.
func readWAV(r io.ReaderAt, size int64) (wavStream, error) {
	var (
		w                 wavStream
		haveFmt, haveData bool
		hdr               [8]byte
	)
	for off := int64(12); off+8 <= size && !(haveFmt && haveData); {
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return w, readErr(err, "the WAV file is cut short inside a chunk header")
		}
		id, n := string(hdr[:4]), int64(binary.LittleEndian.Uint32(hdr[4:]))
		body := off + 8
		switch id {
		case "fmt ":
			if n < 16 || body+n > size {
				return w, invalid("the WAV format (fmt) chunk is damaged")
			}
			buf := make([]byte, min(n, 40))
			if _, err := r.ReadAt(buf, body); err != nil {
				return w, readErr(err, "the WAV format (fmt) chunk is cut short")
			}
			if err := w.parseFmt(buf); err != nil {
				return w, err
			}
			haveFmt = true
		case "data":
			if body+n > size {
				return w, invalid("the WAV data chunk claims %d bytes but only %d follow it: the file is cut short or damaged", n, size-body)
			}
			w.dataOff, w.dataLen = body, n
			haveData = true
		}
		off = body + n + n&1 // chunks are padded to an even length
	}
	switch {
	case !haveFmt:
		return w, invalid("the WAV file has no format (fmt) chunk")
	case !haveData:
		return w, invalid("the WAV file has no audio data chunk")
	}
	w.dataLen -= w.dataLen % int64(w.blockAlign)
	return w, nil
}

// parseFmt reads a fmt chunk of 16 to 40 bytes and checks that its fields
// agree with each other and with a sample format Peaks can read.
func (w *wavStream) parseFmt(b []byte) error {
	tag := binary.LittleEndian.Uint16(b[0:])
	w.channels = int(binary.LittleEndian.Uint16(b[2:]))
	w.sampleRate = int(binary.LittleEndian.Uint32(b[4:]))
	w.blockAlign = int(binary.LittleEndian.Uint16(b[12:]))
	w.bits = int(binary.LittleEndian.Uint16(b[14:]))
	if tag == waveExtensible {
		if len(b) < 40 {
			return invalid("the WAV format (fmt) chunk is too short for its extensible format")
		}
		tag = binary.LittleEndian.Uint16(b[24:]) // the SubFormat GUID starts with the format code
	}
	switch {
	case tag == wavePCM && (w.bits == 8 || w.bits == 16 || w.bits == 24 || w.bits == 32):
	case tag == waveFloat && (w.bits == 32 || w.bits == 64):
		w.float = true
	case tag == wavePCM || tag == waveFloat:
		return invalid("the WAV file has %d-bit samples, which no player reads", w.bits)
	default:
		return invalid("the WAV file holds compressed audio (format 0x%04x); only PCM and float WAV are supported", tag)
	}
	switch {
	case w.channels < 1:
		return invalid("the WAV file has no channels")
	case w.sampleRate < 1 || w.sampleRate > 1_000_000:
		return invalid("the WAV file has an impossible sample rate of %d Hz", w.sampleRate)
	case w.blockAlign != w.channels*w.bits/8:
		return invalid("the WAV format (fmt) chunk contradicts itself: %d channels of %d bits need %d bytes per frame, not %d",
			w.channels, w.bits, w.channels*w.bits/8, w.blockAlign)
	}
	return nil
}
