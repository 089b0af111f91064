package audio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/abema/go-mp4"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

var (
	errBoxPastEnd = errors.New("box runs past the end of the file")

	pathTrak     = mp4.BoxPath{mp4.BoxTypeMoov(), mp4.BoxTypeTrak()}
	pathHdlr     = mp4.BoxPath{mp4.BoxTypeMdia(), mp4.BoxTypeHdlr()}
	pathMdhd     = mp4.BoxPath{mp4.BoxTypeMdia(), mp4.BoxTypeMdhd()}
	pathStbl     = mp4.BoxPath{mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl()}
	pathStsz     = append(pathStbl[:3:3], mp4.BoxTypeStsz())
	pathEntry    = append(pathStbl[:3:3], mp4.BoxTypeStsd(), mp4.BoxTypeAny())
	pathMp4a     = append(pathStbl[:3:3], mp4.BoxTypeStsd(), mp4.BoxTypeMp4a())
	handlerAudio = [4]byte{'s', 'o', 'u', 'n'}
)

// probeM4A reads the first audio track of an MP4 file: its duration from
// the mdhd box, its channels and rate from the mp4a sample entry, and its
// bitrate from the sizes of its samples.
func probeM4A(r io.ReaderAt, size int64) (Info, error) {
	src := &readerAtErr{r: r}
	rs := io.NewSectionReader(src, 0, size)
	info, err := probeM4AFrom(rs, size)
	if src.err != nil {
		return Info{}, fmt.Errorf("audio: read: %w", src.err)
	}
	return info, err
}

func probeM4AFrom(rs io.ReadSeeker, size int64) (Info, error) {
	if err := checkTopBoxes(rs, size); err != nil {
		return Info{}, err
	}
	traks, err := mp4.ExtractBox(rs, nil, pathTrak)
	if err != nil {
		return Info{}, mp4Err(err)
	}
	for _, trak := range traks {
		boxes, err := mp4.ExtractBoxesWithPayload(rs, trak, []mp4.BoxPath{pathHdlr, pathMdhd})
		if err != nil {
			return Info{}, mp4Err(err)
		}
		var (
			hdlr *mp4.Hdlr
			mdhd *mp4.Mdhd
		)
		for _, b := range boxes {
			switch p := b.Payload.(type) {
			case *mp4.Hdlr:
				hdlr = p
			case *mp4.Mdhd:
				mdhd = p
			}
		}
		if hdlr == nil || hdlr.HandlerType != handlerAudio {
			continue
		}
		if mdhd == nil {
			return Info{}, invalid("the M4A file's audio track has no media header (mdhd)")
		}
		return probeM4ATrack(rs, trak, mdhd, size)
	}
	if len(traks) == 0 {
		return Info{}, invalid("the MP4 file has no tracks: it may be cut short")
	}
	return Info{}, invalid("the MP4 file has no audio track")
}

func probeM4ATrack(rs io.ReadSeeker, trak *mp4.BoxInfo, mdhd *mp4.Mdhd, size int64) (Info, error) {
	entries, err := mp4.ExtractBox(rs, trak, pathEntry)
	if err != nil {
		return Info{}, mp4Err(err)
	}
	if len(entries) == 0 {
		return Info{}, invalid("the M4A file's audio track does not say how it is encoded")
	}
	if t := entries[0].Type; t != mp4.BoxTypeMp4a() {
		return Info{}, invalid("the MP4 file's audio is encoded as %q, not AAC", t.String())
	}
	boxes, err := mp4.ExtractBoxWithPayload(rs, trak, pathMp4a)
	if err != nil {
		return Info{}, mp4Err(err)
	}
	mp4a, ok := boxes[0].Payload.(*mp4.AudioSampleEntry)
	if !ok {
		return Info{}, invalid("the M4A file's audio sample entry is damaged")
	}

	timescale, length := mdhd.Timescale, mdhd.GetDuration()
	if timescale == 0 {
		return Info{}, invalid("the M4A file's audio track has no time scale")
	}
	if length == 0 || length == math.MaxUint32 || length == math.MaxUint64 {
		return Info{}, invalid("the M4A file does not say how long it is (fragmented MP4 is not supported)")
	}
	d, ok := durationOf(length, int(timescale))
	switch {
	case !ok:
		return Info{}, invalid("the M4A file claims an impossible duration")
	case d <= 0:
		return Info{}, invalid("the M4A file has no audio")
	}

	audioBytes, err := sampleBytes(rs, trak)
	if err != nil {
		return Info{}, err
	}
	if audioBytes > uint64(size) {
		return Info{}, invalid("the M4A file lists more audio than it holds: it is cut short or damaged")
	}

	// The sample entry's 16.16 rate cannot say 96 kHz; the track's time
	// scale is the sample rate in files that leave it out.
	rate := int(mp4a.GetSampleRateInt())
	if rate == 0 {
		rate = int(timescale)
	}
	if mp4a.ChannelCount == 0 {
		return Info{}, invalid("the M4A file's audio has no channels")
	}
	return Info{
		Format:     FormatM4A,
		Duration:   d,
		Bitrate:    bitrate(int64(audioBytes), d),
		SampleRate: rate,
		Channels:   int(mp4a.ChannelCount),
	}, nil
}

// sampleBytes adds up the sizes in the track's sample size (stsz) box:
// the bytes of its audio. go-mp4 would decode the table, one reflected
// field per sample, which takes seconds for hours of audio; the layout is
// simple enough to sum in place. Zero if the track has no table.
func sampleBytes(rs io.ReadSeeker, trak *mp4.BoxInfo) (uint64, error) {
	found, err := mp4.ExtractBox(rs, trak, pathStsz)
	if err != nil {
		return 0, mp4Err(err)
	}
	if len(found) == 0 {
		return 0, nil
	}
	bi := found[0]
	if _, err := bi.SeekToPayload(rs); err != nil {
		return 0, mp4Err(err)
	}
	// Version and flags, a size for every sample (or 0), a sample count,
	// then the sizes if they differ.
	var hdr [12]byte
	if bi.Size-bi.HeaderSize < uint64(len(hdr)) {
		return 0, invalid("the M4A file's sample size table is damaged")
	}
	if _, err := io.ReadFull(rs, hdr[:]); err != nil {
		return 0, mp4Err(err)
	}
	each, count := binary.BigEndian.Uint32(hdr[4:]), binary.BigEndian.Uint32(hdr[8:])
	if each != 0 {
		return uint64(each) * uint64(count), nil
	}
	if uint64(count)*4 > bi.Size-bi.HeaderSize-uint64(len(hdr)) {
		return 0, invalid("the M4A file's sample size table lists more samples than it holds")
	}
	br := bufio.NewReaderSize(io.LimitReader(rs, int64(count)*4), 32<<10)
	var sum uint64
	var entry [4]byte
	for range count {
		if _, err := io.ReadFull(br, entry[:]); err != nil {
			return 0, mp4Err(err)
		}
		sum += uint64(binary.BigEndian.Uint32(entry[:]))
	}
	return sum, nil
}

// checkTopBoxes checks that every top-level box ends within the file (a
// cut-short upload loses the end of its last box) and that there is a
// movie (moov) box to read.
func checkTopBoxes(rs io.ReadSeeker, size int64) error {
	var moov bool
	_, err := mp4.ReadBoxStructure(rs, func(h *mp4.ReadHandle) (any, error) {
		bi := h.BoxInfo
		if bi.Size < bi.HeaderSize || bi.Offset+bi.Size > uint64(size) {
			return nil, fmt.Errorf("%q %w", bi.Type.String(), errBoxPastEnd)
		}
		if bi.Type == mp4.BoxTypeMoov() {
			moov = true
		}
		return nil, nil
	})
	if errors.Is(err, errBoxPastEnd) {
		return invalid("the MP4 file is cut short: its last box runs past the end of the file")
	}
	if err != nil {
		return mp4Err(err)
	}
	if !moov {
		return invalid("the MP4 file has no movie (moov) box: it is cut short or damaged")
	}
	return nil
}

// mp4Err classifies an error from go-mp4: running out of data is a short
// file, and anything else it complains of is damage. (Failures of the
// reader itself are caught by readerAtErr before this is believed.)
func mp4Err(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.Wrap(err, errs.Invalid, "the MP4 file is cut short")
	}
	return errs.Wrap(err, errs.Invalid, "the MP4 file is damaged")
}

// readerAtErr remembers the first failure of r other than reading past its
// end, which go-mp4 would otherwise report like any other error.
type readerAtErr struct {
	r   io.ReaderAt
	err error
}

func (e *readerAtErr) ReadAt(p []byte, off int64) (int, error) {
	n, err := e.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}
