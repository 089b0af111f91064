// Package mediatest makes media files for tests: drawn images and
// synthesised sounds, never downloaded.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
)

// PNG is a width x height PNG, red on the left and blue on the right.
func PNG(width, height int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, image.Rect(0, 0, width/2, height), &image.Uniform{color.RGBA{200, 30, 30, 255}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(width/2, 0, width, height), &image.Uniform{color.RGBA{30, 30, 200, 255}}, image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding to memory fails only on a bad image
	}
	return b.Bytes()
}

// ToneWAV is a mono 16-bit 8 kHz WAV of seconds: a loud 440 Hz tone for
// the first half, then silence.
func ToneWAV(seconds float64) []byte {
	const rate = 8000
	n := int(seconds * rate)
	var pcm bytes.Buffer
	for i := range n {
		v := 0.0
		if i < n/2 {
			v = 0.8 * math.Sin(2*math.Pi*440*float64(i)/rate)
		}
		binary.Write(&pcm, binary.LittleEndian, int16(v*math.MaxInt16))
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+pcm.Len()))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(pcm.Len()))
	b.Write(pcm.Bytes())
	return b.Bytes()
}
