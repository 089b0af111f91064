package audio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// go-mp3 decodes MP3 for Peaks but keeps frame headers to itself, so
// Probe walks the frames here: it needs each frame's size, sample rate and
// channel mode, and the Xing/LAME tag that says how many frames there
// should be.

// mp3Frame is a parsed MPEG audio Layer III frame header.
type mp3Frame struct {
	version    int // 1 (MPEG-1), 2 (MPEG-2) or 25 (MPEG-2.5)
	sampleRate int
	channels   int
	samples    int // per frame
	size       int // bytes, header included
	crc        bool
}

var (
	mp3Bitrates = [2][16]int{ // kbit/s by bitrate index, Layer III
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}, // MPEG-1
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},     // MPEG-2 and 2.5
	}
	mp3SampleRates = [3]int{44100, 48000, 32000} // MPEG-1; halved for 2, quartered for 2.5
)

func isMP3Sync(b []byte) bool {
	_, ok := parseMP3Frame(b)
	return ok
}

// parseMP3Frame parses the four header bytes at the start of b. Free-format
// streams (bitrate index 0) have no computable frame size and are refused.
func parseMP3Frame(b []byte) (mp3Frame, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Frame{}, false
	}
	var f mp3Frame
	switch (b[1] >> 3) & 3 {
	case 0:
		f.version = 25
	case 2:
		f.version = 2
	case 3:
		f.version = 1
	default:
		return f, false
	}
	if (b[1]>>1)&3 != 1 { // Layer III only
		return f, false
	}
	f.crc = b[1]&1 == 0
	bi, si := b[2]>>4, (b[2]>>2)&3
	if si == 3 || bi == 0 || bi == 15 {
		return f, false
	}
	lsf := 0
	if f.version != 1 {
		lsf = 1
	}
	kbps := mp3Bitrates[lsf][bi]
	f.sampleRate = mp3SampleRates[si]
	switch f.version {
	case 2:
		f.sampleRate /= 2
	case 25:
		f.sampleRate /= 4
	}
	f.samples = 1152 >> lsf
	f.size = f.samples/8*kbps*1000/f.sampleRate + int((b[2]>>1)&1)
	f.channels = 2
	if b[3]>>6 == 3 {
		f.channels = 1
	}
	return f, true
}

// sameStream reports whether g can follow f in one stream: a header that
// changes version or sample rate is a false sync inside other data.
func (f mp3Frame) sameStream(g mp3Frame) bool {
	return f.version == g.version && f.sampleRate == g.sampleRate
}

// sideInfoSize is the size of the Layer III side information that follows
// the header (and its CRC); a Xing tag starts after it.
func (f mp3Frame) sideInfoSize() int {
	switch {
	case f.version == 1 && f.channels == 1:
		return 17
	case f.version == 1:
		return 32
	case f.channels == 1:
		return 9
	}
	return 17
}

// skipID3v2 returns the offset past the ID3v2 tags at off (there may be
// several, or none).
func skipID3v2(r io.ReaderAt, off, size int64) (int64, error) {
	var h [10]byte
	for {
		if _, err := r.ReadAt(h[:], off); err != nil {
			if errors.Is(err, io.EOF) {
				return off, nil // too short for a tag: not one
			}
			return 0, fmt.Errorf("audio: read: %w", err)
		}
		if string(h[:3]) != "ID3" {
			return off, nil
		}
		if h[6]|h[7]|h[8]|h[9] >= 0x80 {
			return 0, invalid("the MP3 file's ID3 tag is damaged")
		}
		n := int64(h[6])<<21 | int64(h[7])<<14 | int64(h[8])<<7 | int64(h[9])
		n += 10
		if h[5]&0x10 != 0 { // a footer repeats the header
			n += 10
		}
		if off+n > size {
			return 0, invalid("the MP3 file's ID3 tag claims more bytes than the file has: the file is cut short or damaged")
		}
		off += n
	}
}

// mp3Scan is what a walk over an MP3 stream's frames found.
type mp3Scan struct {
	first       mp3Frame
	frames      int64 // audio frames (the Xing frame, which holds no audio, excluded)
	audioBytes  int64
	junkBytes   int64 // bytes between frames that were not frames
	tagFrames   int64 // frame count the Xing or VBRI tag gives; 0 if none
	delay, tail int64 // samples the encoder added at the start and end (LAME tag)
}

func probeMP3(r io.ReaderAt, size int64) (Info, error) {
	start, err := skipID3v2(r, 0, size)
	if err != nil {
		return Info{}, err
	}
	s, err := scanMP3(io.NewSectionReader(r, start, size-start))
	if err != nil {
		return Info{}, err
	}
	if s.tagFrames > 0 && s.frames < s.tagFrames {
		return Info{}, invalid("the MP3 file is cut short: it has %d of the %d audio frames its header lists", s.frames, s.tagFrames)
	}
	samples := s.frames * int64(s.first.samples)
	if s.delay+s.tail < samples {
		samples -= s.delay + s.tail
	}
	d, ok := durationOf(uint64(samples), s.first.sampleRate)
	if !ok || d <= 0 {
		return Info{}, invalid("the MP3 file has no audio")
	}
	return Info{
		Format:     FormatMP3,
		Duration:   d,
		Bitrate:    bitrate(s.audioBytes, d),
		SampleRate: s.first.sampleRate,
		Channels:   s.first.channels,
	}, nil
}

// maxLeadingJunk is how far past the tags Probe looks for the first frame:
// some taggers pad with zeros, but a file with no frame that early is not
// an MP3.
const maxLeadingJunk = 64 << 10

// scanMP3 walks every frame of the stream in r. Each step consumes at
// least one byte, so the walk ends.
func scanMP3(r io.Reader) (mp3Scan, error) {
	var s mp3Scan
	br := bufio.NewReaderSize(r, 64<<10)

	first, err := findFirstFrame(br)
	if err != nil {
		return s, err
	}
	s.first = first
	if err := s.readXing(br); err != nil {
		return s, err
	}

	for {
		b, err := br.Peek(4)
		if len(b) == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				return s, fmt.Errorf("audio: read: %w", err)
			}
			break // the end, between frames
		}
		if f, ok := parseMP3Frame(b); ok && f.sameStream(s.first) {
			if _, err := br.Discard(f.size); err != nil {
				return s, readErr(err, "the MP3 file is cut short: it ends inside an audio frame")
			}
			s.frames++
			s.audioBytes += int64(f.size)
			continue
		}
		if err != nil && len(b) < 4 {
			return s, invalid("the MP3 file is cut short: it ends inside an audio frame header")
		}
		if isTrailingTag(br) {
			break
		}
		// Not a frame: damaged data. Skip to the next confirmed frame, or
		// take the rest as trailing junk if there is none.
		for {
			if _, err := br.Discard(1); err != nil {
				break
			}
			s.junkBytes++
			if _, ok, err := peekConfirmedFrame(br, &s.first); err != nil {
				return s, err
			} else if ok {
				break
			}
		}
	}
	if s.frames == 0 {
		return s, invalid("the file has no MP3 audio frames")
	}
	if s.junkBytes > s.audioBytes {
		return s, invalid("the file is mostly not MP3 audio")
	}
	return s, nil
}

// findFirstFrame skips to the first frame of the stream in br and returns
// its header. A frame is a sync word followed, one frame later, by another
// header of the same stream (or by the end): one alone is too easily found
// by chance.
func findFirstFrame(br *bufio.Reader) (mp3Frame, error) {
	for skipped := 0; ; skipped++ {
		f, ok, err := peekConfirmedFrame(br, nil)
		if err != nil {
			return f, err
		}
		if ok {
			return f, nil
		}
		if _, err := br.Discard(1); err != nil || skipped >= maxLeadingJunk {
			return f, invalid("the file has no MP3 audio frames")
		}
	}
}

// peekConfirmedFrame reports whether br starts with a frame header (of the
// same stream as like, when given) followed by another or by the end of
// the stream. It does not consume anything.
func peekConfirmedFrame(br *bufio.Reader, like *mp3Frame) (mp3Frame, bool, error) {
	b, err := br.Peek(4)
	if len(b) < 4 {
		if err != nil && !errors.Is(err, io.EOF) {
			return mp3Frame{}, false, fmt.Errorf("audio: read: %w", err)
		}
		return mp3Frame{}, false, nil
	}
	f, ok := parseMP3Frame(b)
	if !ok || (like != nil && !like.sameStream(f)) {
		return f, false, nil
	}
	b, err = br.Peek(f.size + 4)
	switch {
	case len(b) == f.size: // the last frame
		return f, true, nil
	case len(b) < f.size+4:
		if err != nil && !errors.Is(err, io.EOF) {
			return f, false, fmt.Errorf("audio: read: %w", err)
		}
		return f, false, nil
	}
	g, ok := parseMP3Frame(b[f.size:])
	return f, ok && f.sameStream(g), nil
}

// isTrailingTag reports whether br is at a tag that may follow the audio:
// ID3v1, APE or an ID3v2 tag appended at the end.
func isTrailingTag(br *bufio.Reader) bool {
	b, _ := br.Peek(8)
	return bytes.HasPrefix(b, []byte("TAG")) || bytes.HasPrefix(b, []byte("APETAGEX")) ||
		bytes.HasPrefix(b, []byte("ID3")) || bytes.HasPrefix(b, []byte("LYRICS"))
}

// readXing looks in the first frame, which br is at, for the Xing (or
// Info) tag that encoders write in a frame of its own, and for the LAME
// extension after it that gives the encoder's delay and padding. A tag
// frame holds no audio: it is consumed here and not counted. VBRI, the
// Fraunhofer encoder's tag, gives a frame count too.
func (s *mp3Scan) readXing(br *bufio.Reader) error {
	b, _ := br.Peek(s.first.size)
	if len(b) < s.first.size {
		return nil // the scan reports the short frame
	}
	off := 4 + s.first.sideInfoSize()
	if s.first.crc {
		off += 2
	}
	switch {
	case len(b) >= off+8 && (string(b[off:off+4]) == "Xing" || string(b[off:off+4]) == "Info"):
		flags := binary.BigEndian.Uint32(b[off+4:])
		p := off + 8
		if flags&1 != 0 && len(b) >= p+4 {
			s.tagFrames = int64(binary.BigEndian.Uint32(b[p:]))
		}
		for bit, n := range []int{4, 4, 100, 4} { // frames, bytes, TOC, quality
			if flags&(1<<bit) != 0 {
				p += n
			}
		}
		// LAME tag: 9 bytes of encoder name, 12 bytes of settings, then
		// 12 bits of delay and 12 bits of padding.
		if len(b) >= p+24 && isLAMETag(b[p:p+4]) {
			v := b[p+21:]
			s.delay = int64(v[0])<<4 | int64(v[1])>>4
			s.tail = int64(v[1]&0x0F)<<8 | int64(v[2])
		}
	case len(b) >= 4+32+18 && string(b[36:40]) == "VBRI":
		s.tagFrames = int64(binary.BigEndian.Uint32(b[36+14:]))
	default:
		return nil // an ordinary audio frame
	}
	_, err := br.Discard(s.first.size)
	return err
}

// isLAMETag reports whether an encoder name starts the LAME extension of a
// Xing tag: LAME writes its own, and FFmpeg's muxer writes the same layout.
func isLAMETag(name []byte) bool {
	switch string(name) {
	case "LAME", "Lavf", "Lavc", "L3.9":
		return true
	}
	return false
}
