package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/audio"
	"github.com/dharmaplans/dharmaplans/internal/media/images"
	"github.com/dharmaplans/dharmaplans/internal/media/pdf"
	"github.com/dharmaplans/dharmaplans/internal/media/video"
)

// Processing runs as a River job per medium. A file found to be broken
// fails at once; anything else (the store or a tool failing) is retried
// with River's backoff, and recorded as the failure after the last try.

// maxAttempts is how often processing is tried.
const maxAttempts = 5

// PeakCount is how many slices an audio waveform has.
const PeakCount = 200

// processArgs is the job that processes one medium.
type processArgs struct {
	MediaID string `json:"media_id"`
}

// Kind implements river.JobArgs.
func (processArgs) Kind() string { return "media_process" }

// AddWorkers registers media's background workers.
func (s *Service) AddWorkers(w *river.Workers) {
	river.AddWorker(w, &processWorker{s: s})
}

type processWorker struct {
	river.WorkerDefaults[processArgs]
	s *Service
}

// Timeout bounds one attempt: a 2 GB video is copied and probed.
func (w *processWorker) Timeout(*river.Job[processArgs]) time.Duration { return 30 * time.Minute }

// Work processes the medium, recording the outcome.
func (w *processWorker) Work(ctx context.Context, job *river.Job[processArgs]) error {
	s := w.s
	m, err := s.store.MediumByID(ctx, job.Args.MediaID)
	if errs.Is(err, errs.NotFound) {
		return river.JobCancel(err) // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if m.Status != Processing {
		return nil
	}
	err = s.process(ctx, m)
	var broken *errs.Error
	switch {
	case err == nil:
	case errors.As(err, &broken) && broken.Code == errs.Invalid:
		s.discard(ctx, m)
		s.deleteVariants(ctx, m)
		m.Status, m.Failure = Failed, broken.Message
	case job.Attempt >= maxAttempts:
		s.logger.ErrorContext(ctx, "media processing failed", "media_id", m.ID, "attempts", job.Attempt, "error", err)
		m.Status, m.Failure = Failed, "processing failed after several tries; upload the file again, or ask an admin to look at the server's log"
	default:
		return err // retried with backoff
	}
	m.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateMedium(ctx, m, Processing); err != nil && !errs.Is(err, errs.Conflict) {
		return err
	}
	return nil
}

// process reads m's file and fills in what its kind has: a checksum
// always, variants for images, duration, bitrate and a waveform for
// audio, dimensions and duration for video, a page count for PDFs.
func (s *Service) process(ctx context.Context, m *Medium) error {
	f, done, err := s.localCopy(ctx, m)
	if err != nil {
		return err
	}
	defer done()
	sum := sha256.New()
	if _, err := io.Copy(sum, io.NewSectionReader(f, 0, m.Size)); err != nil {
		return err
	}
	digest := hex.EncodeToString(sum.Sum(nil))
	if m.SHA256 != "" && m.SHA256 != digest {
		return errs.E(errs.Invalid, "the file's SHA-256 is %s, not %s as declared", digest, m.SHA256)
	}
	m.SHA256 = digest
	m.Status = Ready
	switch m.Kind {
	case Image:
		m.Variants, err = s.makeVariants(ctx, m, f)
		if n := len(m.Variants); n > 0 {
			// Complete read the dimensions as stored; the variants are
			// upright (EXIF orientation), and so is what clients see.
			if v := m.Variants[n-1]; (v.Width > v.Height) != (m.Width > m.Height) {
				m.Width, m.Height = m.Height, m.Width
			}
		}
	case Audio:
		var info audio.Info
		info, err = audio.Probe(f, m.Size)
		if err == nil {
			m.Duration, m.Bitrate = info.Duration, info.Bitrate
			m.Peaks, err = audio.Peaks(ctx, f.Name(), info.Format, PeakCount)
			if errors.Is(err, audio.ErrNoDecoder) {
				m.Peaks, err = []int{}, nil // played without a waveform
			}
		}
	case Video:
		var info video.Info
		info, err = video.Probe(ctx, f.Name())
		if errors.Is(err, video.ErrNoProber) {
			m.Status, m.Failure, err = Unprocessed, "this server has no ffprobe to read videos: the video plays as uploaded, without its duration and size", nil
		} else if err == nil {
			m.Duration, m.Width, m.Height = info.Duration, info.Width, info.Height
		}
	case PDF:
		m.Pages, err = pdf.PageCount(io.NewSectionReader(f, 0, m.Size))
	}
	return err
}

// makeVariants encodes m's image in every variant size and format and
// stores each.
func (s *Service) makeVariants(ctx context.Context, m *Medium, f *os.File) ([]Variant, error) {
	made, err := images.Variants(ctx, io.NewSectionReader(f, 0, m.Size), images.Widths)
	if err != nil {
		return nil, err
	}
	out := make([]Variant, 0, len(made))
	for _, v := range made {
		sum := sha256.Sum256(v.Data)
		name := fmt.Sprintf("%d-%s.%s", v.Width, hex.EncodeToString(sum[:6]), v.Format)
		key := variantKey(m.ID, name)
		if _, err := s.blobs.Put(ctx, key, bytes.NewReader(v.Data), blob.PutOptions{ContentType: v.ContentType, Size: int64(len(v.Data))}); err != nil {
			return nil, err
		}
		out = append(out, Variant{Name: name, Key: key, Width: v.Width, Height: v.Height, ContentType: v.ContentType, Size: int64(len(v.Data))})
	}
	return out, nil
}

// deleteVariants removes whatever variants of m were stored.
func (s *Service) deleteVariants(ctx context.Context, m *Medium) {
	for _, v := range m.Variants {
		if err := s.blobs.Delete(ctx, v.Key); err != nil {
			s.logger.ErrorContext(ctx, "deleting a media variant failed", "media_id", m.ID, "error", err)
		}
	}
	m.Variants = []Variant{}
}

// localCopy opens m's file as a local file: the file itself on the local
// store, a temporary copy otherwise (tools such as ffmpeg read files).
func (s *Service) localCopy(ctx context.Context, m *Medium) (*os.File, func(), error) {
	rc, _, err := s.blobs.Get(ctx, m.ObjectKey)
	if err != nil {
		return nil, nil, err
	}
	if f, ok := rc.(*os.File); ok {
		return f, func() { f.Close() }, nil
	}
	defer rc.Close()
	f, err := os.CreateTemp("", "dharmaplans-media-*"+extOf(m.ContentType))
	if err != nil {
		return nil, nil, err
	}
	done := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, io.LimitReader(rc, m.Size+1)); err != nil {
		done()
		return nil, nil, err
	}
	return f, done, nil
}

// extOf is the file extension of an accepted content type.
func extOf(contentType string) string {
	t, _ := typeOf(contentType)
	return t.ext
}

// inspect checks, while the upload is completed, what can be checked
// quickly: an image's dimensions (decompression bombs), an audio stream's
// frames (truncated files), a PDF's pages. Videos are checked by their
// first bytes alone here.
func (s *Service) inspect(ctx context.Context, m *Medium, head []byte) error {
	switch m.Kind {
	case Image:
		info, err := images.Inspect(bytes.NewReader(head))
		if err != nil {
			return err
		}
		m.Width, m.Height = info.Width, info.Height
	case Audio, PDF:
		f, done, err := s.localCopy(ctx, m)
		if err != nil {
			return err
		}
		defer done()
		if m.Kind == Audio {
			info, err := audio.Probe(f, m.Size)
			if err != nil {
				return err
			}
			m.Duration, m.Bitrate = info.Duration, info.Bitrate
		} else {
			pages, err := pdf.PageCount(io.NewSectionReader(f, 0, m.Size))
			if err != nil {
				return err
			}
			m.Pages = pages
		}
	}
	return nil
}

// messageOf is an error's client-safe message.
func messageOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
