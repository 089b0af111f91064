// Package video reads what the catalogue needs to know about an uploaded
// video (a recorded retreat talk): how long it plays, its frame size and
// its codec. No pure-Go library reads the many containers and codecs a
// video may come in, so this package asks ffprobe, when it is installed,
// and reads its JSON answer.
package video

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Info describes a video.
type Info struct {
	Duration      time.Duration
	Width, Height int    // of the first video stream as shown (after any rotation), in pixels
	Codec         string // ffprobe's codec name, e.g. "h264", "vp9"
}

// ErrNoProber is returned by Probe when ffprobe is not installed.
var ErrNoProber = errors.New("video: ffprobe is not installed")

const (
	// probeTimeout bounds one ffprobe run whatever the caller's context:
	// reading headers takes well under a second.
	probeTimeout = 30 * time.Second
	// maxOutput bounds what is read of ffprobe's answer; a few streams
	// take a few KiB.
	maxOutput = 1 << 20
)

// Probe asks ffprobe about the video at path. A file ffprobe cannot read,
// or that has no moving picture (audio alone, a still image), is an
// errs.Invalid error; without ffprobe on PATH it is ErrNoProber.
func Probe(ctx context.Context, path string) (Info, error) {
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return Info{}, ErrNoProber
	}
	// A missing file is this server's fault, not the upload's: ffprobe
	// would report it like a file it cannot read.
	if _, err := os.Stat(path); err != nil {
		return Info{}, fmt.Errorf("video: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	// "file:" keeps a path from being read as another protocol or option.
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-print_format", "json",
		"-show_format", "-show_streams", "file:"+path)
	stdout := &limitedBuffer{max: maxOutput}
	stderr := &limitedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return Info{}, fmt.Errorf("video: ffprobe: %w", ctx.Err())
	case stdout.over:
		return Info{}, errs.E(errs.Invalid, "the video file describes itself at implausible length")
	case err != nil:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return Info{}, errs.Wrap(fmt.Errorf("ffprobe: %w: %s", err, stderr.b), errs.Invalid,
				"the file is not a video this server can read")
		}
		return Info{}, fmt.Errorf("video: ffprobe: %w", err)
	}
	return parseFFProbe(stdout.b)
}

// ffprobeOutput is the part of ffprobe's JSON that Probe reads. Numbers
// that ffprobe prints as strings stay strings here.
type ffprobeOutput struct {
	Streams []struct {
		CodecType   string `json:"codec_type"`
		CodecName   string `json:"codec_name"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Duration    string `json:"duration"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
			StillImage  int `json:"still_image"`
		} `json:"disposition"`
		// Phones record upright video as landscape frames plus a
		// rotation: newer ffprobe reports it as side data, older as a tag.
		SideData []struct {
			Rotation float64 `json:"rotation"`
		} `json:"side_data_list"`
		Tags struct {
			Rotate string `json:"rotate"`
		} `json:"tags"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
	} `json:"format"`
}

// maxDimension is larger than any real frame (16K is 15360 pixels wide).
const maxDimension = 1 << 16

// parseFFProbe reads the answer of ffprobe -print_format json -show_format
// -show_streams. Its first video stream that is not cover art is the
// video; the duration is the container's, else that stream's.
func parseFFProbe(b []byte) (Info, error) {
	var out ffprobeOutput
	if err := json.Unmarshal(b, &out); err != nil {
		return Info{}, fmt.Errorf("video: ffprobe output: %w", err)
	}
	for _, s := range out.Streams {
		if s.CodecType != "video" || s.Disposition.AttachedPic != 0 || s.Disposition.StillImage != 0 {
			continue
		}
		if s.Width <= 0 || s.Height <= 0 || s.Width > maxDimension || s.Height > maxDimension {
			return Info{}, errs.E(errs.Invalid, "the video has an impossible frame size of %d×%d", s.Width, s.Height)
		}
		d, ok := parseSeconds(out.Format.Duration)
		if !ok {
			d, ok = parseSeconds(s.Duration)
		}
		if !ok || isImage(out.Format.FormatName) {
			return Info{}, errs.E(errs.Invalid, "the file is a still image, not a video")
		}
		w, h := s.Width, s.Height
		rotation, _ := strconv.ParseFloat(s.Tags.Rotate, 64)
		for _, sd := range s.SideData {
			rotation = cmp.Or(sd.Rotation, rotation)
		}
		if r := math.Mod(math.Abs(rotation), 180); r > 45 && r < 135 {
			w, h = h, w // shown on its side: the player's frame is the other way round
		}
		return Info{Duration: d, Width: w, Height: h, Codec: s.CodecName}, nil
	}
	return Info{}, errs.E(errs.Invalid, "the file has no video: ffprobe finds no moving picture in it")
}

// parseSeconds reads a duration ffprobe prints as decimal seconds, such as
// "12.345000"; false for none, zero or nonsense.
func parseSeconds(s string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f > 0) || f >= math.MaxInt64/float64(time.Second) {
		return 0, false
	}
	return time.Duration(math.Round(f * float64(time.Second))), true
}

// isImage reports whether ffprobe read the file with one of its still
// image demuxers ("png_pipe", "image2", ...).
func isImage(formatName string) bool {
	return formatName == "image2" || strings.HasSuffix(formatName, "_pipe")
}

// limitedBuffer keeps up to max bytes and notes whether more came. It
// never fails a write, so ffprobe is not killed by a broken pipe halfway.
type limitedBuffer struct {
	b    []byte
	max  int
	over bool
}

func (w *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := w.max - len(w.b); n > room {
		w.over = true
		p = p[:room]
	}
	w.b = append(w.b, p...)
	return n, nil
}
