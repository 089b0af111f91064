package images_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/images"
)

func TestInspect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		data []byte
		want images.Info
	}{
		{"a PNG", encodePNG(t, halves(40, 30, red, blue)), images.Info{Format: "png", Width: 40, Height: 30}},
		{"a JPEG", encodeJPEG(t, halves(40, 30, red, blue)), images.Info{Format: "jpeg", Width: 40, Height: 30}},
		{"an animated GIF", animatedGIF(t, 40, 30), images.Info{Format: "gif", Width: 40, Height: 30}},
		{"a WebP", encodeWebP(t, halves(40, 30, red, blue)), images.Info{Format: "webp", Width: 40, Height: 30}},
		{"an EXIF-rotated JPEG, as stored", exifJPEG(t, halves(40, 30, red, blue), 6), images.Info{Format: "jpeg", Width: 40, Height: 30}},
		{"exactly MaxPixels", declaredPNG(8000, 5000), images.Info{Format: "png", Width: 8000, Height: 5000}},
	}
	for _, c := range cases {
		t.Run(c.name+" is recognised with its size", func(t *testing.T) {
			got, err := images.Inspect(bytes.NewReader(c.data))
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if got != c.want {
				t.Errorf("Inspect = %+v, want %+v", got, c.want)
			}
		})
	}
}

// refused are inputs that no step may accept, with a fragment of the
// message a person sees.
func refused(t testing.TB) []struct {
	name, message string
	data          []byte
} {
	png := encodePNG(t, halves(40, 30, red, blue))
	jpg := encodeJPEG(t, halves(40, 30, red, blue))
	noisyJPEG := encodeJPEG(t, noise(200, 200))
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{1}).Read(random)
	return []struct {
		name, message string
		data          []byte
	}{
		{"a PNG declaring 60000x60000 pixels", "60000x60000", declaredPNG(60000, 60000)},
		{"a PNG one pixel over MaxPixels", "8001x5000", declaredPNG(8001, 5000)},
		{"a WebP declaring 16000x16000 pixels", "16000x16000", declaredWebP(16000, 16000)},
		{"an SVG with a script", "not a JPEG, PNG, GIF or WebP",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`)},
		{"an HTML page", "not a JPEG, PNG, GIF or WebP", []byte("<!doctype html><html><body><img src=x onerror=alert(1)></body></html>")},
		{"a file of random bytes", "not a JPEG, PNG, GIF or WebP", random},
		{"an empty file", "not a JPEG, PNG, GIF or WebP", nil},
		{"a BMP, which imaging could decode", "not a JPEG, PNG, GIF or WebP", encodeBMP(t, halves(40, 30, red, blue))},
		{"a PNG cut inside its header", "PNG image but its header", png[:20]},
		{"a JPEG cut inside its header", "JPEG image but its header", jpg[:40]},
		{"a PNG 0 pixels wide", "PNG image but its header", declaredPNG(0, 30)},
		{"a GIF of 0x0 pixels", "0x0 pixels", zeroGIF()},
		{"a PNG cut inside its pixels", "PNG image could not be read", png[:len(png)-30]},
		{"a JPEG cut inside its pixels", "JPEG image could not be read", noisyJPEG[:len(noisyJPEG)/2]},
		{"a WebP cut inside its pixels", "WebP image could not be read", encodeWebPPrefix(t)},
		{"a PNG 100x20000 pixels, too tall for any variant", "too tall and narrow", encodePNG(t, halves(100, 20000, red, blue))},
	}
}

// encodeWebPPrefix is the first half of a WebP large enough that its header
// survives the cut.
func encodeWebPPrefix(t testing.TB) []byte {
	data := encodeWebP(t, noise(200, 200))
	return data[:len(data)/2]
}

// noise is an image that compresses badly, so cutting its file removes pixels.
func noise(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rand.NewChaCha8([32]byte{2}).Read(img.Pix)
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

func TestBadImagesAreInvalid(t *testing.T) {
	t.Parallel()
	for _, c := range refused(t) {
		t.Run(c.name+" is refused", func(t *testing.T) {
			t.Parallel()
			_, inspectErr := images.Inspect(bytes.NewReader(c.data))
			_, err := images.Variants(t.Context(), bytes.NewReader(c.data), nil)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Variants error = %v, want %s", err, errs.Invalid)
			}
			var e *errs.Error
			errors.As(err, &e)
			if !strings.Contains(e.Message, c.message) {
				t.Errorf("message %q does not mention %q", e.Message, c.message)
			}
			// Inspect refuses what is wrong with the header, and passes the
			// rest for Variants to find.
			if inspectErr != nil && !errs.Is(inspectErr, errs.Invalid) {
				t.Errorf("Inspect error = %v, want %s or nil", inspectErr, errs.Invalid)
			}
			if inspectErr == nil && !strings.Contains(c.message, "could not be read") && !strings.Contains(c.message, "too tall") {
				t.Errorf("Inspect accepted a header it should refuse")
			}
		})
	}
}

func TestBombIsRefusedBeforeDecoding(t *testing.T) {
	// Not parallel: the memory statistics must be this test's alone.
	bomb := declaredPNG(60000, 60000)
	const runs = 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range runs {
		if _, err := images.Inspect(bytes.NewReader(bomb)); !errs.Is(err, errs.Invalid) {
			t.Fatalf("Inspect error = %v, want %s", err, errs.Invalid)
		}
		if _, err := images.Variants(t.Context(), bytes.NewReader(bomb), nil); !errs.Is(err, errs.Invalid) {
			t.Fatalf("Variants error = %v, want %s", err, errs.Invalid)
		}
	}
	elapsed := time.Since(start) / runs
	runtime.ReadMemStats(&after)
	perRun := (after.TotalAlloc - before.TotalAlloc) / runs

	// Decoding 60000x60000 RGBA pixels would need 14 GB; a header needs a
	// read buffer.
	if perRun > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes per run, want under 1 MiB", perRun)
	}
	if elapsed > 100*time.Millisecond {
		t.Errorf("refusing the bomb took %v, want a header read's time", elapsed)
	}
	t.Logf("refusing a 60000x60000 PNG: %v and %d bytes per Inspect+Variants", elapsed, perRun)
}

func TestReadErrorIsNotBlamedOnTheImage(t *testing.T) {
	t.Parallel()
	broken := errors.New("connection reset")
	data := encodePNG(t, noise(300, 200))
	for _, cut := range []int{10, len(data) / 2} {
		r := io.MultiReader(bytes.NewReader(data[:cut]), errReader{broken})
		_, err := images.Variants(t.Context(), r, nil)
		if !errors.Is(err, broken) || errs.Is(err, errs.Invalid) {
			t.Errorf("cut at %d: error = %v, want the read error and not %s", cut, err, errs.Invalid)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestVariants(t *testing.T) {
	t.Parallel()

	t.Run("a 2000x1000 image gives three widths in WebP and JPEG with its colours kept", func(t *testing.T) {
		t.Parallel()
		data := encodePNG(t, halves(2000, 1000, red, blue))
		start := time.Now()
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		t.Logf("Variants of a 2000x1000 PNG took %v", time.Since(start))
		checkSizes(t, variants, [][2]int{{320, 160}, {640, 320}, {1280, 640}})
		for _, v := range variants {
			img := decode(t, v)
			b := img.Bounds()
			checkColour(t, v, img, b.Dx()/4, b.Dy()/2, red)
			checkColour(t, v, img, 3*b.Dx()/4, b.Dy()/2, blue)
		}
	})

	t.Run("an EXIF-rotated JPEG comes out upright without its metadata", func(t *testing.T) {
		t.Parallel()
		// Stored 400x200, left red and right blue; orientation 6 means
		// "rotate 90° clockwise to view", which puts the left side on top.
		data := exifJPEG(t, halves(400, 200, red, blue), 6)
		if !bytes.Contains(data, []byte("Exif\x00\x00")) || !bytes.Contains(data, []byte(cameraMake)) {
			t.Fatal("the fixture has no EXIF to strip")
		}
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{200, 400}})
		for _, v := range variants {
			img := decode(t, v)
			checkColour(t, v, img, 100, 100, red)
			checkColour(t, v, img, 100, 300, blue)
			for _, secret := range []string{"Exif\x00\x00", cameraMake, "XMP", "ICC_PROFILE"} {
				if bytes.Contains(v.Data, []byte(secret)) {
					t.Errorf("%s variant contains %q", v.Format, secret)
				}
			}
		}
	})

	t.Run("a 300 px wide image is not enlarged", func(t *testing.T) {
		t.Parallel()
		data := encodeJPEG(t, halves(300, 450, red, blue))
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{300, 450}})
	})

	t.Run("an image between widths also gets its own width", func(t *testing.T) {
		t.Parallel()
		data := encodePNG(t, halves(1000, 500, red, blue))
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{320, 160}, {640, 320}, {1000, 500}})
	})

	t.Run("given widths are used in order without repeats", func(t *testing.T) {
		t.Parallel()
		data := encodePNG(t, halves(800, 400, red, blue))
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), []int{400, 100, 400})
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{100, 50}, {400, 200}})
	})

	t.Run("transparent areas turn white in JPEG and stay transparent in WebP", func(t *testing.T) {
		t.Parallel()
		data := encodePNG(t, halves(400, 200, color.NRGBA{}, blue))
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{320, 160}, {400, 200}})
		for _, v := range variants {
			img := decode(t, v)
			b := img.Bounds()
			checkColour(t, v, img, 3*b.Dx()/4, b.Dy()/2, blue)
			_, _, _, a := img.At(b.Dx()/4, b.Dy()/2).RGBA()
			switch v.Format {
			case "jpeg":
				checkColour(t, v, img, b.Dx()/4, b.Dy()/2, color.White)
			case "webp":
				if a != 0 {
					t.Errorf("webp %dx%d: left half has alpha %d, want transparent", v.Width, v.Height, a>>8)
				}
			}
		}
	})

	t.Run("an animated GIF gives its first frame", func(t *testing.T) {
		t.Parallel()
		variants, err := images.Variants(t.Context(), bytes.NewReader(animatedGIF(t, 400, 200)), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{320, 160}, {400, 200}})
		for _, v := range variants {
			checkColour(t, v, decode(t, v), 10, 10, red)
		}
	})

	t.Run("a WebP upload is resized like any other", func(t *testing.T) {
		t.Parallel()
		data := encodeWebP(t, halves(700, 350, red, blue))
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), nil)
		if err != nil {
			t.Fatalf("Variants: %v", err)
		}
		checkSizes(t, variants, [][2]int{{320, 160}, {640, 320}, {700, 350}})
		for _, v := range variants {
			img := decode(t, v)
			checkColour(t, v, img, img.Bounds().Dx()/4, img.Bounds().Dy()/2, red)
		}
	})

	t.Run("a cancelled context stops the work", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := images.Variants(ctx, bytes.NewReader(encodePNG(t, halves(400, 200, red, blue))), nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	})

	t.Run("a width that is not positive is a programming error", func(t *testing.T) {
		t.Parallel()
		_, err := images.Variants(t.Context(), bytes.NewReader(encodePNG(t, halves(40, 20, red, blue))), []int{320, 0})
		if err == nil || errs.Is(err, errs.Invalid) {
			t.Errorf("error = %v, want an internal error", err)
		}
	})
}

// checkSizes checks that variants hold, in order, a WebP and a JPEG of each
// size.
func checkSizes(t *testing.T, variants []images.Variant, sizes [][2]int) {
	t.Helper()
	var want, got []string
	for _, s := range sizes {
		for _, f := range []string{"webp image/webp", "jpeg image/jpeg"} {
			want = append(want, fmt.Sprintf("%s %dx%d", f, s[0], s[1]))
		}
	}
	for _, v := range variants {
		got = append(got, fmt.Sprintf("%s %s %dx%d", v.Format, v.ContentType, v.Width, v.Height))
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("variants:\n got  %v\n want %v", got, want)
	}
}

// decode decodes a variant and checks it is what it says it is.
func decode(t *testing.T, v images.Variant) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("%s %dx%d does not decode: %v", v.Format, v.Width, v.Height, err)
	}
	if format != v.Format {
		t.Errorf("%s %dx%d decodes as %s", v.Format, v.Width, v.Height, format)
	}
	if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Errorf("%s %dx%d decodes as %dx%d", v.Format, v.Width, v.Height, b.Dx(), b.Dy())
	}
	return img
}

// checkColour checks that the pixel at x, y is want, within what lossy
// encoding changes.
func checkColour(t *testing.T, v images.Variant, img image.Image, x, y int, want color.Color) {
	t.Helper()
	const tolerance = 40
	g := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	w := color.NRGBAModel.Convert(want).(color.NRGBA)
	for _, d := range [][2]uint8{{g.R, w.R}, {g.G, w.G}, {g.B, w.B}} {
		if diff := int(d[0]) - int(d[1]); diff > tolerance || diff < -tolerance {
			t.Errorf("%s %dx%d at (%d,%d) = %v, want about %v", v.Format, v.Width, v.Height, x, y, g, w)
			return
		}
	}
}
