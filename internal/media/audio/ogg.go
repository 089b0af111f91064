package audio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// No lightweight, maintained Go library reads Ogg pages without also
// decoding, so this file does: RFC 3533 pages, checked by their CRC, and
// the identification headers of Opus (RFC 7845) and Vorbis I.

const (
	oggHeaderSize = 27
	oggBOS        = 0x02 // header type flag: the page begins a logical stream
	opusRate      = 48000
)

// oggCRC is the table of Ogg's CRC-32: polynomial 0x04c11db7, not
// reflected, no initial or final XOR (hash/crc32 only does reflected ones).
var oggCRC = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func oggChecksum(crc uint32, b []byte) uint32 {
	for _, x := range b {
		crc = crc<<8 ^ oggCRC[byte(crc>>24)^x]
	}
	return crc
}

// oggPage is one page, its body in a buffer reused for the next page.
type oggPage struct {
	kind    byte
	granule int64
	serial  uint32
	seq     uint32
	lacing  []byte
	body    []byte
	size    int64 // bytes on disk, header included
}

// firstPacket returns the packet that starts the page's body, or false if
// it continues onto the next page.
func (p *oggPage) firstPacket() ([]byte, bool) {
	n := 0
	for _, l := range p.lacing {
		n += int(l)
		if l < 255 {
			return p.body[:n], true
		}
	}
	return nil, false
}

// oggReader reads pages one after another. Memory is bounded by the
// largest possible page (27 + 255 + 255*255 bytes).
type oggReader struct {
	br   *bufio.Reader
	off  int64
	page oggPage
	hdr  [oggHeaderSize + 255]byte
	body [255 * 255]byte
}

// next reads the next page; io.EOF means the stream ended between pages.
func (o *oggReader) next() (*oggPage, error) {
	h := o.hdr[:oggHeaderSize]
	if n, err := io.ReadFull(o.br, h); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, readErr(err, "the Ogg file is cut short: it ends inside a page")
	}
	if string(h[:4]) != "OggS" || h[4] != 0 {
		return nil, invalid("the Ogg file is damaged at byte %d: a page was expected there", o.off)
	}
	nseg := int(h[26])
	lacing := o.hdr[oggHeaderSize : oggHeaderSize+nseg]
	if _, err := io.ReadFull(o.br, lacing); err != nil {
		return nil, readErr(err, "the Ogg file is cut short: it ends inside a page")
	}
	n := 0
	for _, l := range lacing {
		n += int(l)
	}
	body := o.body[:n]
	if _, err := io.ReadFull(o.br, body); err != nil {
		return nil, readErr(err, "the Ogg file is cut short: it ends inside a page")
	}
	want := binary.LittleEndian.Uint32(h[22:])
	clear(h[22:26])
	crc := oggChecksum(oggChecksum(0, o.hdr[:oggHeaderSize+nseg]), body)
	if crc != want {
		return nil, invalid("the Ogg file is damaged: the page at byte %d fails its checksum", o.off)
	}
	o.page = oggPage{
		kind:    h[5],
		granule: int64(binary.LittleEndian.Uint64(h[6:])),
		serial:  binary.LittleEndian.Uint32(h[14:]),
		seq:     binary.LittleEndian.Uint32(h[18:]),
		lacing:  lacing,
		body:    body,
		size:    int64(oggHeaderSize + nseg + n),
	}
	o.off += o.page.size
	return &o.page, nil
}

// oggAudio is the audio stream found in an Ogg file.
type oggAudio struct {
	format     string
	serial     uint32
	channels   int
	sampleRate int   // of the decoded audio
	preSkip    int64 // Opus: samples to drop at the start
}

func probeOgg(r io.ReaderAt, size int64) (Info, error) {
	o := &oggReader{br: bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)}
	var (
		audio    *oggAudio
		started  bool // a page other than a beginning-of-stream one has been read
		lastSeq  uint32
		granule  int64 = -1
		audioIn  int64 // bytes of pages from the first to end an audio packet
		sawPages bool
	)
	for {
		p, err := o.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Info{}, err
		}
		if !sawPages && p.kind&oggBOS == 0 {
			return Info{}, invalid("the Ogg file does not start at the beginning of a stream")
		}
		sawPages = true
		if p.kind&oggBOS != 0 {
			if started {
				return Info{}, invalid("the Ogg file joins several recordings one after another (a chained stream), which is not supported")
			}
			if audio == nil {
				a, err := parseOggID(p)
				if err != nil {
					return Info{}, err
				}
				if a != nil {
					audio = a
					lastSeq = p.seq
				}
			}
			continue
		}
		started = true
		if audio == nil || p.serial != audio.serial {
			continue
		}
		if p.seq != lastSeq+1 {
			return Info{}, invalid("the Ogg file is damaged: pages of its audio are missing")
		}
		lastSeq = p.seq
		if p.granule != -1 { // -1: no packet ends on this page
			granule = p.granule
		}
		// Header pages, which may carry cover art in their comments, end
		// at granule 0; the bitrate is of the audio.
		if granule > 0 {
			audioIn += p.size
		}
	}
	if audio == nil {
		return Info{}, invalid("the Ogg file holds no Opus or Vorbis audio")
	}
	if granule <= audio.preSkip {
		return Info{}, invalid("the Ogg file has no audio")
	}
	d, ok := durationOf(uint64(granule-audio.preSkip), audio.sampleRate)
	if !ok {
		return Info{}, invalid("the Ogg file claims an impossible duration")
	}
	return Info{
		Format:     audio.format,
		Duration:   d,
		Bitrate:    bitrate(audioIn, d),
		SampleRate: audio.sampleRate,
		Channels:   audio.channels,
	}, nil
}

// parseOggID reads the identification header that opens a logical stream
// and returns nil for streams that are not Opus or Vorbis audio (a
// Skeleton index, a video track).
func parseOggID(p *oggPage) (*oggAudio, error) {
	pkt, ok := p.firstPacket()
	if !ok {
		return nil, invalid("the Ogg file's first page is damaged")
	}
	switch {
	case bytes.HasPrefix(pkt, []byte("OpusHead")):
		if len(pkt) < 19 {
			return nil, invalid("the Opus identification header is too short")
		}
		if pkt[8]>>4 != 0 {
			return nil, invalid("the Opus stream has version %d, which is not supported", pkt[8])
		}
		if pkt[9] == 0 {
			return nil, invalid("the Opus stream has no channels")
		}
		return &oggAudio{
			format:     FormatOpus,
			serial:     p.serial,
			channels:   int(pkt[9]),
			sampleRate: opusRate, // Opus always decodes at 48 kHz
			preSkip:    int64(binary.LittleEndian.Uint16(pkt[10:])),
		}, nil
	case bytes.HasPrefix(pkt, []byte("\x01vorbis")):
		if len(pkt) < 30 {
			return nil, invalid("the Vorbis identification header is too short")
		}
		if v := binary.LittleEndian.Uint32(pkt[7:]); v != 0 {
			return nil, invalid("the Vorbis stream has version %d, which is not supported", v)
		}
		a := &oggAudio{
			format:     FormatVorbis,
			serial:     p.serial,
			channels:   int(pkt[11]),
			sampleRate: int(binary.LittleEndian.Uint32(pkt[12:])),
		}
		if a.channels == 0 || a.sampleRate <= 0 || a.sampleRate > 1_000_000 {
			return nil, invalid("the Vorbis identification header is damaged")
		}
		return a, nil
	}
	return nil, nil
}
