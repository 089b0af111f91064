package images_test

// Fixtures are drawn and encoded here, never downloaded or committed.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/gen2brain/webp"
	"golang.org/x/image/bmp"
)

var (
	red  = color.NRGBA{R: 220, G: 30, B: 30, A: 255}
	blue = color.NRGBA{R: 30, G: 60, B: 200, A: 255}
)

// cameraMake is the EXIF Make written into exifJPEG; no variant may carry it.
const cameraMake = "DharmaTestCam"

// halves draws a w x h image whose left half is left and right half right.
func halves(w, h int, left, right color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, image.Rect(0, 0, w/2, h), image.NewUniform(left), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(w/2, 0, w, h), image.NewUniform(right), image.Point{}, draw.Src)
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("png.Encode: %v", err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("jpeg.Encode: %v", err)
	}
	return buf.Bytes()
}

func encodeWebP(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := webp.Encode(&buf, img, webp.Options{Quality: 90}); err != nil {
		t.Fatalf("webp.Encode: %v", err)
	}
	return buf.Bytes()
}

func encodeBMP(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, img); err != nil {
		t.Fatalf("bmp.Encode: %v", err)
	}
	return buf.Bytes()
}

// animatedGIF has a red first frame and a blue second one.
func animatedGIF(t testing.TB, w, h int) []byte {
	t.Helper()
	anim := &gif.GIF{}
	for _, c := range []color.Color{red, blue} {
		frame := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		draw.Draw(frame, frame.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		anim.Image = append(anim.Image, frame)
		anim.Delay = append(anim.Delay, 50)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, anim); err != nil {
		t.Fatalf("gif.EncodeAll: %v", err)
	}
	return buf.Bytes()
}

// pngChunk returns one PNG chunk with its CRC.
func pngChunk(kind string, data []byte) []byte {
	var c []byte
	c = binary.BigEndian.AppendUint32(c, uint32(len(data)))
	c = append(c, kind...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// declaredPNG is a small, well-formed PNG file whose IHDR declares w x h
// RGBA pixels and whose IDAT holds a little compressed nothing: the shape of
// a decompression bomb.
func declaredPNG(w, h uint32) []byte {
	var ihdr []byte
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace

	var idat bytes.Buffer
	zw := zlib.NewWriter(&idat)
	zw.Write(make([]byte, 64<<10))
	zw.Close()

	file := []byte("\x89PNG\r\n\x1a\n")
	file = append(file, pngChunk("IHDR", ihdr)...)
	file = append(file, pngChunk("IDAT", idat.Bytes())...)
	return append(file, pngChunk("IEND", nil)...)
}

// zeroGIF is a GIF whose logical screen is 0x0 pixels.
func zeroGIF() []byte {
	return []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00;")
}

// exifJPEG encodes img as a JPEG with a hand-written EXIF APP1 segment
// holding the orientation, a camera Make and a GPS position.
func exifJPEG(t testing.TB, img image.Image, orientation uint16) []byte {
	t.Helper()
	be := binary.BigEndian
	entry := func(b []byte, tag, typ uint16, count uint32, value []byte) []byte {
		b = be.AppendUint16(b, tag)
		b = be.AppendUint16(b, typ)
		b = be.AppendUint32(b, count)
		return append(b, append(value, make([]byte, 4-len(value))...)...)
	}
	const (
		asciiType = 2
		shortType = 3
		longType  = 4
		byteType  = 1
	)
	make0 := cameraMake + "\x00"
	// TIFF header, IFD0 (3 entries) at 8, GPS IFD (2 entries) after it, then the Make string.
	ifd0At := uint32(8)
	gpsAt := ifd0At + 2 + 3*12 + 4
	makeAt := gpsAt + 2 + 2*12 + 4

	tiff := []byte("MM\x00\x2a")
	tiff = be.AppendUint32(tiff, ifd0At)
	tiff = be.AppendUint16(tiff, 3)
	tiff = entry(tiff, 0x010f, asciiType, uint32(len(make0)), be.AppendUint32(nil, makeAt)) // Make
	tiff = entry(tiff, 0x0112, shortType, 1, be.AppendUint16(nil, orientation))             // Orientation
	tiff = entry(tiff, 0x8825, longType, 1, be.AppendUint32(nil, gpsAt))                    // GPSInfo IFD
	tiff = be.AppendUint32(tiff, 0)                                                         // no IFD1
	tiff = be.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0000, byteType, 4, []byte{2, 3, 0, 0}) // GPSVersionID
	tiff = entry(tiff, 0x0001, asciiType, 2, []byte("N\x00"))   // GPSLatitudeRef
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, make0...)

	payload := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xff, 0xe1}
	app1 = be.AppendUint16(app1, uint16(2+len(payload)))
	app1 = append(app1, payload...)

	plain := encodeJPEG(t, img)
	// After SOI (FFD8), before everything else.
	return append(append(append([]byte{}, plain[:2]...), app1...), plain[2:]...)
}

// declaredWebP is the start of an extended WebP whose VP8X chunk declares a
// w x h canvas: all Inspect needs to see.
func declaredWebP(w, h int) []byte {
	le := binary.LittleEndian
	b := []byte("RIFF")
	b = le.AppendUint32(b, 4+8+10)
	b = append(b, "WEBPVP8X"...)
	b = le.AppendUint32(b, 10)
	b = append(b, 0, 0, 0, 0) // no alpha, animation or metadata
	w, h = w-1, h-1           // stored less one, in 24 bits
	return append(b, byte(w), byte(w>>8), byte(w>>16), byte(h), byte(h>>8), byte(h>>16))
}
