package audio

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"time"

	"github.com/hajimehoshi/go-mp3"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// MaxBuckets is the most buckets Peaks draws.
const MaxBuckets = 10000

const (
	// ffmpegTimeout bounds one ffmpeg run, whatever the caller's context:
	// decoding hours of audio to 16 kHz mono takes seconds.
	ffmpegTimeout = 5 * time.Minute
	// ffmpegRate is the rate ffmpeg resamples to: enough for a waveform,
	// and it bounds the bytes a long recording pipes through.
	ffmpegRate = 16000
	// ffmpegMaxBytes refuses more than 24 hours of audio from ffmpeg.
	ffmpegMaxBytes = 24 * 3600 * ffmpegRate * 2
)

// Peaks draws the waveform of the recording at path, in the format Probe
// named: buckets values from 0 (silence) to 100 (full scale), each the
// loudest sample, of any channel, in its equal slice of the recording.
//
// WAV (8-, 16-, 24- and 32-bit PCM, 32- and 64-bit float) is decoded in
// pure Go. M4A, Opus, Vorbis and MP3 are decoded by ffmpeg when it is on
// PATH. Without it, MP3 at 32 to 48 kHz (MPEG-1, nearly all MP3s) is
// decoded in pure Go by go-mp3, and the other formats, MP3 below 32 kHz
// included, are ErrNoDecoder. A file that does not decode is errs.Invalid;
// one that is cut short may draw what it has, so Probe, which checks, comes
// first.
func Peaks(ctx context.Context, path string, format string, buckets int) ([]int, error) {
	if buckets < 1 || buckets > MaxBuckets {
		return nil, errs.E(errs.Invalid, "a waveform has 1 to %d buckets, not %d", MaxBuckets, buckets)
	}
	var (
		p   *peakScanner
		err error
	)
	switch format {
	case FormatWAV:
		p, err = wavPeaks(ctx, path, buckets)
	case FormatMP3:
		// go-mp3 takes a minute over a half-hour talk that ffmpeg decodes
		// in seconds: it is the fallback.
		if hasFFmpeg() {
			p, err = ffmpegPeaks(ctx, path, buckets)
			break
		}
		p, err = mp3Peaks(ctx, path, buckets)
		if errors.Is(err, errNotForGoMP3) {
			return nil, ErrNoDecoder
		}
	case FormatM4A, FormatOpus, FormatVorbis:
		if !hasFFmpeg() {
			return nil, ErrNoDecoder
		}
		p, err = ffmpegPeaks(ctx, path, buckets)
	default:
		return nil, errs.E(errs.Invalid, "%q is not an audio format Peaks knows", format)
	}
	if err != nil {
		return nil, err
	}
	return p.buckets(buckets), nil
}

// peakScanner keeps the loudest sample of each block of samples. When it
// holds twice the blocks it may keep, neighbours merge and blocks double
// in length, so memory stays bounded however long the recording and its
// length need not be known in advance.
type peakScanner struct {
	blocks    []float32
	maxBlocks int
	blockLen  int // samples per block
	cur       float32
	n         int // samples in cur
}

func newPeakScanner(buckets int) *peakScanner {
	// At least four blocks a bucket keeps slices within a quarter of a
	// bucket of equal.
	return &peakScanner{maxBlocks: max(4096, 8*buckets), blockLen: 1}
}

// add takes one sample frame's loudest magnitude, 0 to 1.
func (p *peakScanner) add(v float32) {
	if v > p.cur {
		p.cur = v
	}
	p.n++
	if p.n < p.blockLen {
		return
	}
	p.blocks = append(p.blocks, p.cur)
	p.cur, p.n = 0, 0
	if len(p.blocks) == p.maxBlocks {
		for i := 0; i < len(p.blocks)/2; i++ {
			p.blocks[i] = max(p.blocks[2*i], p.blocks[2*i+1])
		}
		p.blocks = p.blocks[:len(p.blocks)/2]
		p.blockLen *= 2
	}
}

// buckets spreads the blocks over k buckets, scaled 0 to 100. A
// recording shorter than k samples repeats samples across buckets.
func (p *peakScanner) buckets(k int) []int {
	blocks := p.blocks
	if p.n > 0 {
		blocks = append(blocks, p.cur)
	}
	out := make([]int, k)
	m := len(blocks)
	if m == 0 {
		return out
	}
	for i := range out {
		lo, hi := i*m/k, (i+1)*m/k
		hi = max(hi, lo+1)
		var peak float32
		for _, v := range blocks[lo:hi] {
			peak = max(peak, v)
		}
		out[i] = int(math.Round(float64(min(peak, 1)) * 100))
	}
	return out
}

func wavPeaks(ctx context.Context, path string, buckets int) (*peakScanner, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := readWAV(f, size)
	if err != nil {
		return nil, err
	}
	p := newPeakScanner(buckets)
	frame := w.blockAlign
	width := w.bits / 8
	buf := make([]byte, (64<<10)/frame*frame)
	data := io.NewSectionReader(f, w.dataOff, w.dataLen)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := io.ReadFull(data, buf)
		for off := 0; off+frame <= n; off += frame {
			var loud float32
			for c := off; c < off+frame; c += width {
				loud = max(loud, wavSample(buf[c:c+width], w.float))
			}
			p.add(loud)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("audio: read %s: %w", path, err)
		}
	}
}

// wavSample returns the magnitude, 0 to 1, of one little-endian sample of
// len(b) bytes.
func wavSample(b []byte, float bool) float32 {
	var v float64
	switch {
	case float && len(b) == 4:
		v = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	case float:
		v = math.Float64frombits(binary.LittleEndian.Uint64(b))
	case len(b) == 1: // 8-bit WAV is unsigned
		v = (float64(b[0]) - 128) / 128
	case len(b) == 2:
		v = float64(int16(binary.LittleEndian.Uint16(b))) / (1 << 15)
	case len(b) == 3:
		v = float64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)>>8) / (1 << 23)
	default:
		v = float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)
	}
	switch v = math.Abs(v); {
	case math.IsNaN(v):
		return 0
	case v > 1: // float samples may exceed full scale
		return 1
	}
	return float32(v)
}

func mp3Peaks(ctx context.Context, path string, buckets int) (p *peakScanner, err error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// go-mp3 allocates an ID3 tag's claimed size before reading it, so
	// tags are skipped here, where the claim is checked against the file.
	start, err := skipID3v2(f, 0, size)
	if err != nil {
		return nil, err
	}
	// A plain reader, not a seeker: go-mp3 would otherwise read the whole
	// file once first to measure it.
	src := bufio.NewReaderSize(io.NewSectionReader(f, start, size-start), 64<<10)
	first, err := findFirstFrame(src)
	if err != nil {
		return nil, err
	}
	if first.version != 1 {
		return nil, errNotForGoMP3
	}
	// go-mp3 is a decoder of untrusted bytes: a bug in it must fail this
	// file, not the process.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, mp3DecodeErr(fmt.Errorf("panic: %v", r))
		}
	}()
	dec, err := mp3.NewDecoder(src)
	if err != nil {
		return nil, mp3DecodeErr(err)
	}
	p = newPeakScanner(buckets)
	buf := make([]byte, 64<<10) // 16-bit little-endian stereo, whatever the source
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := io.ReadFull(dec, buf)
		for off := 0; off+4 <= n; off += 4 {
			l := wavSample(buf[off:off+2], false)
			r := wavSample(buf[off+2:off+4], false)
			p.add(max(l, r))
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return p, nil
		}
		if err != nil {
			return nil, mp3DecodeErr(err)
		}
	}
}

// errNotForGoMP3 marks MPEG-2 and 2.5 streams (sampled below 32 kHz),
// which go-mp3 v0.3 decodes to noise without an error.
var errNotForGoMP3 = errors.New("go-mp3 decodes only MPEG-1 Layer III")

// mp3DecodeErr is a go-mp3 failure: its reader is a file already opened,
// so what fails is the data.
func mp3DecodeErr(err error) error {
	return errs.Wrap(err, errs.Invalid, "the MP3 file does not decode")
}

func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("audio: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("audio: %w", err)
	}
	return f, st.Size(), nil
}

func hasFFmpeg() bool {
	_, err := exec.LookPath("ffmpeg")
	return err == nil
}

// ffmpegPeaks has ffmpeg decode the first audio stream at path to 16-bit
// mono on a pipe, read as it comes.
func ffmpegPeaks(ctx context.Context, path string, buckets int) (*peakScanner, error) {
	// A missing file is this server's fault, not the upload's: ffmpeg
	// would report it like a file it cannot decode.
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, ffmpegTimeout)
	defer cancel()
	// "file:" keeps a path from being read as another protocol or option.
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-v", "error",
		"-i", "file:"+path, "-map", "0:a:0", "-vn", "-sn", "-dn",
		"-ac", "1", "-ar", fmt.Sprint(ffmpegRate), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1")
	var stderr boundedBuffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("audio: ffmpeg: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("audio: ffmpeg: %w", err)
	}
	p := newPeakScanner(buckets)
	br := bufio.NewReaderSize(io.LimitReader(out, ffmpegMaxBytes+1), 64<<10)
	var total int64
	buf := make([]byte, 64<<10)
	var outErr error
	for {
		n, err := io.ReadFull(br, buf)
		for off := 0; off+2 <= n; off += 2 {
			p.add(wavSample(buf[off:off+2], false))
		}
		total += int64(n)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				outErr = err
			}
			break
		}
	}
	if total > ffmpegMaxBytes {
		cancel()
		_ = cmd.Wait()
		return nil, errs.E(errs.Invalid, "the recording is longer than 24 hours")
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("audio: ffmpeg: %w", ctx.Err())
	case waitErr != nil:
		return nil, errs.Wrap(fmt.Errorf("ffmpeg: %w: %s", waitErr, stderr.String()), errs.Invalid,
			"the audio file does not decode")
	case outErr != nil:
		return nil, fmt.Errorf("audio: ffmpeg output: %w", outErr)
	}
	return p, nil
}

// boundedBuffer keeps the first 4 KiB written to it: enough of ffmpeg's
// complaints to log, however much it writes.
type boundedBuffer struct{ b []byte }

func (w *boundedBuffer) Write(p []byte) (int, error) {
	if room := 4<<10 - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (w *boundedBuffer) String() string { return string(w.b) }
