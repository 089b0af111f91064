package images_test

import (
	"bytes"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/media/images"
)

// addSeeds seeds f with the fixtures, good and bad, that are small: the
// fuzzer minimises each new interesting input, which for tens of kilobytes
// takes its whole run.
func addSeeds(f *testing.F) {
	f.Add(encodePNG(f, halves(40, 30, red, blue)))
	f.Add(encodeJPEG(f, halves(40, 30, red, blue)))
	f.Add(exifJPEG(f, halves(40, 30, red, blue), 6))
	f.Add(animatedGIF(f, 40, 30))
	f.Add(encodeWebP(f, halves(40, 30, red, blue)))
	f.Add(declaredPNG(8000, 5000))
	f.Add(zeroGIF())
	for _, c := range refused(f) {
		if len(c.data) <= 4<<10 {
			f.Add(c.data)
		}
	}
}

// FuzzInspect checks that Inspect never panics, refuses only with
// errs.Invalid, and accepts only what it promises.
func FuzzInspect(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := images.Inspect(bytes.NewReader(data))
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Inspect error = %v, want %s", err, errs.Invalid)
			}
			return
		}
		switch info.Format {
		case "jpeg", "png", "gif", "webp":
		default:
			t.Fatalf("Inspect accepted format %q", info.Format)
		}
		if info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > images.MaxPixels {
			t.Fatalf("Inspect accepted %dx%d", info.Width, info.Height)
		}
	})
}

// FuzzVariants checks that whatever Inspect lets through, Variants either
// makes variants of or refuses with errs.Invalid: a bad upload is never an
// internal error or a panic. Images are kept small so that each input is
// quick.
func FuzzVariants(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := images.Inspect(bytes.NewReader(data))
		if err != nil || info.Width*info.Height > 256*256 {
			return
		}
		variants, err := images.Variants(t.Context(), bytes.NewReader(data), []int{16, 48})
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Variants error = %v, want %s", err, errs.Invalid)
			}
			return
		}
		if len(variants) == 0 || len(variants)%2 != 0 {
			t.Fatalf("Variants made %d variants", len(variants))
		}
	})
}
