package audio_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/abema/go-mp4"
)

// Containers built here byte by byte, so that Probe's pure-Go readers are
// tested where ffmpeg is not installed. Their payloads are not real audio
// (Probe does not decode), only their framing is.

// makeMP3 writes an ID3v2 tag, a Xing "Info" frame listing frames audio
// frames, and those frames: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint
// stereo, 417 bytes each, silent.
func makeMP3(frames int) []byte {
	var b bytes.Buffer
	b.WriteString("ID3\x04\x00\x00\x00\x00\x00\x14") // a 20-byte tag, all padding
	b.Write(make([]byte, 20))
	frame := func() []byte {
		f := make([]byte, 417)
		copy(f, "\xff\xfb\x90\x40")
		return f
	}
	xing := frame()
	copy(xing[36:], "Info\x00\x00\x00\x01") // after the side information: frames are listed
	binary.BigEndian.PutUint32(xing[44:], uint32(frames))
	b.Write(xing)
	for range frames {
		b.Write(frame())
	}
	return b.Bytes()
}

// oggCRC is Ogg's CRC-32 (polynomial 0x04c11db7, not reflected).
func oggCRC(b []byte) uint32 {
	var crc uint32
	for _, x := range b {
		crc ^= uint32(x) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04c11db7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// oggPage frames packets (each under 255*255 bytes) as one page.
func oggPage(kind byte, granule int64, seq uint32, packets ...[]byte) []byte {
	var lacing, body []byte
	for _, p := range packets {
		n := len(p)
		for ; n >= 255; n -= 255 {
			lacing = append(lacing, 255)
		}
		lacing = append(lacing, byte(n))
		body = append(body, p...)
	}
	h := make([]byte, 27, 27+len(lacing)+len(body))
	copy(h, "OggS")
	h[5] = kind
	binary.LittleEndian.PutUint64(h[6:], uint64(granule))
	binary.LittleEndian.PutUint32(h[14:], 0x5eed) // the stream's serial number
	binary.LittleEndian.PutUint32(h[18:], seq)
	h[26] = byte(len(lacing))
	page := append(append(h, lacing...), body...)
	binary.LittleEndian.PutUint32(page[22:], oggCRC(page))
	return page
}

// makeOgg writes an Ogg stream of the codec's headers and pages audio
// pages of 200-byte packets whose last granule position is samples past
// the start (plus Opus's pre-skip).
func makeOgg(codec string, rate, channels int, samples int64, pages int) []byte {
	var id, comments []byte
	var preSkip int64
	switch codec {
	case "opus":
		preSkip = 312
		id = []byte("OpusHead\x01")
		id = append(id, byte(channels))
		id = binary.LittleEndian.AppendUint16(id, uint16(preSkip))
		id = binary.LittleEndian.AppendUint32(id, uint32(rate)) // the input's rate; Opus decodes at 48 kHz
		id = append(id, 0, 0, 0)                                // gain, mapping family
		comments = []byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00")
	case "vorbis":
		id = []byte("\x01vorbis\x00\x00\x00\x00")
		id = append(id, byte(channels))
		id = binary.LittleEndian.AppendUint32(id, uint32(rate))
		id = append(id, make([]byte, 12)...) // bitrates
		id = append(id, 0xb8, 1)             // block sizes, framing
		comments = []byte("\x03vorbis\x00\x00\x00\x00\x00\x00\x00\x00\x01")
	}
	var b bytes.Buffer
	b.Write(oggPage(0x02, 0, 0, id))
	b.Write(oggPage(0x00, 0, 1, comments))
	packet := bytes.Repeat([]byte{0xA5}, 200)
	for i := 1; i <= pages; i++ {
		kind := byte(0)
		if i == pages {
			kind = 0x04 // end of stream
		}
		b.Write(oggPage(kind, preSkip+samples*int64(i)/int64(pages), uint32(i+1), packet, packet))
	}
	return b.Bytes()
}

// makeM4A has go-mp4 write an MP4 whose one track is AAC audio lasting
// samples at rate, in frames of 1024 samples of 300 bytes each.
func makeM4A(t testing.TB, rate, channels int, samples int64) []byte {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "synth.m4a"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := mp4.NewWriter(f)
	box := func(typ mp4.BoxType, payload mp4.IImmutableBox, children func()) {
		if _, err := w.StartBox(&mp4.BoxInfo{Type: typ}); err != nil {
			t.Fatal(err)
		}
		if payload != nil {
			if _, err := mp4.Marshal(w, payload, mp4.Context{}); err != nil {
				t.Fatalf("marshal %s: %v", typ, err)
			}
		}
		if children != nil {
			children()
		}
		if _, err := w.EndBox(); err != nil {
			t.Fatal(err)
		}
	}
	frames := (samples + 1023) / 1024
	sizes := make([]uint32, frames)
	for i := range sizes {
		sizes[i] = 300
	}
	box(mp4.BoxTypeFtyp(), &mp4.Ftyp{MajorBrand: [4]byte{'M', '4', 'A', ' '},
		CompatibleBrands: []mp4.CompatibleBrandElem{{CompatibleBrand: [4]byte{'i', 's', 'o', 'm'}}}}, nil)
	box(mp4.BoxTypeMoov(), nil, func() {
		box(mp4.BoxTypeTrak(), nil, func() {
			box(mp4.BoxTypeMdia(), nil, func() {
				box(mp4.BoxTypeMdhd(), &mp4.Mdhd{Timescale: uint32(rate), DurationV0: uint32(samples)}, nil)
				box(mp4.BoxTypeHdlr(), &mp4.Hdlr{HandlerType: [4]byte{'s', 'o', 'u', 'n'}}, nil)
				box(mp4.BoxTypeMinf(), nil, func() {
					box(mp4.BoxTypeStbl(), nil, func() {
						box(mp4.BoxTypeStsd(), &mp4.Stsd{EntryCount: 1}, func() {
							box(mp4.BoxTypeMp4a(), &mp4.AudioSampleEntry{
								SampleEntry:  mp4.SampleEntry{AnyTypeBox: mp4.AnyTypeBox{Type: mp4.BoxTypeMp4a()}, DataReferenceIndex: 1},
								ChannelCount: uint16(channels), SampleSize: 16, SampleRate: uint32(rate) << 16,
							}, nil)
						})
						box(mp4.BoxTypeStsz(), &mp4.Stsz{SampleCount: uint32(frames), EntrySize: sizes}, nil)
					})
				})
			})
		})
	})
	box(mp4.BoxTypeMdat(), nil, func() {
		if _, err := w.Write(make([]byte, 300*frames)); err != nil {
			t.Fatal(err)
		}
	})
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return readFile(t, f.Name())
}
