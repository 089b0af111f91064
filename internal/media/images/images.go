// Package images checks the covers and author photos that people upload and
// makes the resized copies the site serves. Inspect reads only an image's
// header, so a file that is not a JPEG, PNG, GIF or WebP image, or that
// declares more pixels than MaxPixels (a decompression bomb), is refused
// before any pixel is decoded. Variants turns an accepted image upright and
// re-encodes it at a few widths as WebP and JPEG; because the pixels are
// re-encoded, no EXIF (GPS position, camera), XMP or ICC metadata survives.
package images

import (
	"fmt"
	"image"
	_ "image/gif" // registers the decoders image.DecodeConfig and image.Decode use
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "github.com/gen2brain/webp"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// MaxPixels is the largest image, in pixels, that is decoded. A small file
// can declare 60000x60000 pixels and would need gigabytes once decoded.
const MaxPixels = 40_000_000

// accepted maps the format names the decoders register to what a person
// calls them. Other registered formats (imaging brings in BMP and TIFF) are
// refused like any unknown file.
var accepted = map[string]string{
	"jpeg": "JPEG",
	"png":  "PNG",
	"gif":  "GIF",
	"webp": "WebP",
}

// Info describes an image from its header.
type Info struct {
	Format        string // "jpeg", "png", "gif" or "webp"
	Width, Height int    // as stored, before any EXIF rotation
}

// Inspect reads the header of the image in r, and at most a 4 KiB read
// buffer past it; no pixel is decoded. It returns an errs.Invalid error, with a message a person
// understands, for anything that is not a JPEG, PNG, GIF or WebP image (SVG,
// HTML, a damaged or truncated header), for an image with no pixels, and for
// one over MaxPixels. A failure to read r itself is returned as it is.
func Inspect(r io.Reader) (Info, error) {
	src := &sourceReader{r: r}
	cfg, format, err := image.DecodeConfig(src)
	if src.err != nil {
		return Info{}, fmt.Errorf("images: reading the upload: %w", src.err)
	}
	name, ok := accepted[format]
	switch {
	case !ok: // image.ErrFormat, or a format not accepted
		return Info{}, errs.Wrap(err, errs.Invalid, "the file is not a JPEG, PNG, GIF or WebP image")
	case err != nil:
		return Info{}, errs.Wrap(err, errs.Invalid, "the file looks like a %s image but its header is damaged or incomplete", name)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height}
	if info.Width <= 0 || info.Height <= 0 {
		return Info{}, errs.E(errs.Invalid, "the %s image is %dx%d pixels: it has no pixels to show", name, info.Width, info.Height)
	}
	if int64(info.Width)*int64(info.Height) > MaxPixels {
		return Info{}, errs.E(errs.Invalid, "the %s image is %dx%d pixels, more than the %d million accepted; please upload a smaller version",
			name, info.Width, info.Height, MaxPixels/1_000_000)
	}
	return info, nil
}

// sourceReader remembers a read error other than io.EOF, so that a broken
// upload stream is not blamed on the image.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}
