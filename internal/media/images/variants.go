package images

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"io"
	"slices"

	"github.com/disintegration/imaging"
	"github.com/gen2brain/webp"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Widths are the widths, in pixels, of the variants Variants makes when it
// is given no widths.
var Widths = []int{320, 640, 1280}

// quality is the JPEG and WebP quality of every variant: small files with no
// artefacts a reader notices on a cover.
const quality = 80

// maxSide is the longest side WebP can encode; JPEG allows 65535.
const maxSide = 16383

// Variant is one resized, re-encoded copy of an image, ready to store and
// serve as it is.
type Variant struct {
	Width, Height int
	Format        string // "webp" or "jpeg"
	ContentType   string // "image/webp" or "image/jpeg"
	Data          []byte
}

// Variants reads the image in r and returns its variants, narrowest first
// and, at each width, WebP before JPEG.
//
// The header is checked with Inspect before any pixel is decoded, so what
// Inspect refuses is refused here with the same error. The image is then
// turned upright by its EXIF orientation and resized with Lanczos, keeping
// its aspect ratio, to each of widths (Widths when widths is empty) that is
// no wider than the image; when the image is narrower than the widest of
// them it also gets a variant at its own width, so a small image still gets
// one and none is enlarged. Widths are those of the upright image. A width
// whose variant would have a side over 16383 pixels, the most WebP can
// hold, is left out, and an image left with none (a strip 100x20000 pixels)
// is refused with errs.Invalid. A width that is not positive is an error.
//
// Every variant is re-encoded from pixels, so none carries the original's
// EXIF (GPS position, camera), XMP or ICC profile. An animated GIF or WebP
// gives its first frame. Transparent areas stay transparent in WebP and
// become white in JPEG, which has no transparency.
//
// ctx is checked before decoding and between variants; decoding and each
// encoding run to completion once started.
func Variants(ctx context.Context, r io.Reader, widths []int) ([]Variant, error) {
	if len(widths) == 0 {
		widths = Widths
	}
	for _, w := range widths {
		if w <= 0 {
			return nil, fmt.Errorf("images: variant width %d is not positive", w)
		}
	}

	// Inspect sees only the header; what it reads is kept and replayed to
	// the decoder, so r is read once and only after the header passes.
	src := &sourceReader{r: r}
	var head bytes.Buffer
	info, err := Inspect(io.TeeReader(src, &head))
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img, err := imaging.Decode(io.MultiReader(&head, src), imaging.AutoOrientation(true))
	if src.err != nil {
		return nil, fmt.Errorf("images: reading the upload: %w", src.err)
	}
	if err != nil {
		return nil, errs.Wrap(err, errs.Invalid, "the %s image could not be read: the file is damaged or incomplete", accepted[info.Format])
	}

	size := img.Bounds().Size()
	targets := targetWidths(size, widths)
	if len(targets) == 0 {
		return nil, errs.E(errs.Invalid, "the %s image is %dx%d pixels, too tall and narrow to show; at most %d pixels tall is possible",
			accepted[info.Format], size.X, size.Y, maxSide)
	}

	variants := make([]Variant, 0, 2*len(targets))
	for _, w := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resized := imaging.Resize(img, w, resizedHeight(size, w), imaging.Lanczos)
		b := resized.Bounds()

		var webpData bytes.Buffer
		if err := webp.Encode(&webpData, resized, webp.Options{Quality: quality, Method: webp.DefaultMethod}); err != nil {
			return nil, fmt.Errorf("images: encoding the %dx%d WebP variant: %w", b.Dx(), b.Dy(), err)
		}
		variants = append(variants, Variant{Width: b.Dx(), Height: b.Dy(), Format: "webp", ContentType: "image/webp", Data: webpData.Bytes()})

		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var jpegData bytes.Buffer
		if err := jpeg.Encode(&jpegData, onWhite(resized), &jpeg.Options{Quality: quality}); err != nil {
			return nil, fmt.Errorf("images: encoding the %dx%d JPEG variant: %w", b.Dx(), b.Dy(), err)
		}
		variants = append(variants, Variant{Width: b.Dx(), Height: b.Dy(), Format: "jpeg", ContentType: "image/jpeg", Data: jpegData.Bytes()})
	}
	return variants, nil
}

// targetWidths returns, in order and without repeats, the widths in widths
// no wider than an image of size, plus the image's own width when it is
// narrower than the widest; a width whose variant would have a side over
// maxSide is left out.
func targetWidths(size image.Point, widths []int) []int {
	var targets []int
	widest := slices.Max(widths)
	for _, w := range widths {
		if w <= size.X {
			targets = append(targets, w)
		}
	}
	if size.X < widest {
		targets = append(targets, size.X)
	}
	targets = slices.DeleteFunc(targets, func(w int) bool {
		return w > maxSide || resizedHeight(size, w) > maxSide
	})
	slices.Sort(targets)
	return slices.Compact(targets)
}

// resizedHeight is the height of an image of size resized to width w with
// its aspect ratio kept, and at least 1 pixel.
func resizedHeight(size image.Point, w int) int {
	return max(1, int(float64(w)*float64(size.Y)/float64(size.X)+0.5))
}

// onWhite returns img over a white background, as JPEG has no transparency
// (its encoder would otherwise show transparent pixels as black). The
// result is an *image.RGBA, which the JPEG encoder converts fastest.
func onWhite(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, b, img, b.Min, draw.Over)
	return dst
}
