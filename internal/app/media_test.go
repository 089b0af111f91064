package app_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media/mediatest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// mediaBody is a media document as a client decodes it.
type mediaBody struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	ContentType string            `json:"content_type"`
	Size        int64             `json:"size"`
	SHA256      string            `json:"sha256"`
	Status      string            `json:"status"`
	Failure     string            `json:"failure"`
	Public      bool              `json:"public"`
	Width       int               `json:"width"`
	Height      int               `json:"height"`
	DurationMS  int64             `json:"duration_ms"`
	Peaks       []int             `json:"peaks"`
	URL         string            `json:"url"`
	Srcset      map[string]string `json:"srcset"`
	Variants    []struct {
		Name        string `json:"name"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		ContentType string `json:"content_type"`
		URL         string `json:"url"`
	} `json:"variants"`
}

type uploadAnswer struct {
	Media  mediaBody `json:"media"`
	Upload struct {
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	} `json:"upload"`
}

// drawnPNG is a width x height PNG, red on the left and blue on the right.
func drawnPNG(_ testing.TB, width, height int) []byte { return mediatest.PNG(width, height) }

// toneWAV is a mono 16-bit WAV: a loud 440 Hz tone, then silence.
func toneWAV(seconds float64) []byte { return mediatest.ToneWAV(seconds) }

// startUpload declares a file and returns the answer.
func startUpload(t testing.TB, s *apptest.Server, a *apptest.Account, filename, contentType string, size int) uploadAnswer {
	t.Helper()
	res := s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/media/uploads", Token: a.Access,
		Body: map[string]any{"filename": filename, "content_type": contentType, "size": size}})
	return decode[uploadAnswer](t, res)
}

// sendBytes sends data where the upload answer says, with its headers.
func sendBytes(t testing.TB, s *apptest.Server, up uploadAnswer, data []byte) *apptest.Response {
	t.Helper()
	h := http.Header{}
	for k, v := range up.Upload.Headers {
		h.Set(k, v)
	}
	return s.Do(t, apptest.Request{Method: up.Upload.Method, Path: strings.TrimPrefix(up.Upload.URL, s.URL), Body: string(data), Header: h})
}

// upload declares, sends and completes a file, and waits until it is
// processed.
func upload(t testing.TB, s *apptest.Server, a *apptest.Account, filename, contentType string, data []byte) mediaBody {
	t.Helper()
	up := startUpload(t, s, a, filename, contentType, len(data))
	if res := sendBytes(t, s, up, data); res.Status != http.StatusNoContent {
		t.Fatalf("sending the bytes: %d %s", res.Status, res.Body)
	}
	return complete(t, s, a, up.Media.ID)
}

// complete completes an upload whose bytes were sent, and waits until it
// is processed.
func complete(t testing.TB, s *apptest.Server, a *apptest.Account, id string) mediaBody {
	t.Helper()
	s.Expect(t, http.StatusAccepted, apptest.Request{Method: http.MethodPost, Path: "/v1/media/uploads/" + id + "/complete", Token: a.Access})
	var m mediaBody
	apptest.Eventually(t, 20*time.Second, func() error {
		m = decode[mediaBody](t, get(t, s, a, http.StatusOK, "/v1/media/"+id))
		if m.Status == "processing" {
			return fmt.Errorf("still processing")
		}
		return nil
	})
	return m
}

func TestMediaImageUploadMakesVariants(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		data := drawnPNG(t, 800, 400)
		m := upload(t, s, author, "cover.png", "image/png", data)
		if m.Status != "ready" || m.Width != 800 || m.Height != 400 || m.Kind != "image" || len(m.SHA256) != 64 {
			t.Fatalf("media %+v, want a ready 800x400 image with its checksum", m)
		}
		// 320 and 640 wide, and 800 (the original's width) rather than
		// 1280, each in WebP and JPEG.
		got := map[string]bool{}
		for _, v := range m.Variants {
			got[fmt.Sprintf("%d %s", v.Width, v.ContentType)] = true
			if v.Height != v.Width/2 {
				t.Errorf("variant %s is %dx%d, want the aspect ratio kept", v.Name, v.Width, v.Height)
			}
		}
		for _, w := range []int{320, 640, 800} {
			for _, ct := range []string{"image/webp", "image/jpeg"} {
				if !got[fmt.Sprintf("%d %s", w, ct)] {
					t.Errorf("no %d px %s variant among %v", w, ct, got)
				}
			}
		}
		if len(m.Variants) != 6 || !strings.Contains(m.Srcset["webp"], " 320w, ") {
			t.Errorf("variants %d, srcset %v", len(m.Variants), m.Srcset)
		}
		// The media is private: its signed URLs work, the bare ones do not,
		// and nobody else sees it.
		res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: strings.TrimPrefix(m.Variants[0].URL, s.URL)})
		if _, format, err := image.DecodeConfig(bytes.NewReader(res.Body)); err != nil || !strings.Contains(m.Variants[0].ContentType, format) {
			t.Errorf("variant %s decodes as %q, %v", m.Variants[0].Name, format, err)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
			t.Errorf("private file served with Cache-Control %q", cc)
		}
		bare, _, _ := strings.Cut(strings.TrimPrefix(m.URL, s.URL), "?")
		s.Expect(t, http.StatusNotFound, apptest.Request{Method: http.MethodGet, Path: bare})
		tampered := strings.Replace(strings.TrimPrefix(m.URL, s.URL), "sig=", "sig=x", 1)
		s.Expect(t, http.StatusForbidden, apptest.Request{Method: http.MethodGet, Path: tampered})
		get(t, s, other, http.StatusNotFound, "/v1/media/"+m.ID)
		get(t, s, nil, http.StatusNotFound, "/v1/media/"+m.ID)
		s.Expect(t, http.StatusNotFound, apptest.Request{Method: http.MethodPost, Path: "/v1/media/uploads/" + m.ID + "/complete", Token: other.Access})
		s.Expect(t, http.StatusNotFound, apptest.Request{Method: http.MethodDelete, Path: "/v1/media/" + m.ID, Token: other.Access})
		// Deleting frees the files.
		s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/media/" + m.ID, Token: author.Access})
		get(t, s, author, http.StatusNotFound, "/v1/media/"+m.ID)
		if files := mediaFiles(t, s); len(files) != 0 {
			t.Errorf("files left after deleting: %v", files)
		}
	})
}

// mediaFiles lists the files in the server's local media folder.
func mediaFiles(t testing.TB, s *apptest.Server) []string {
	t.Helper()
	var out []string
	root := s.Main.Config.Media()
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestMediaAudioStreamsWithRanges(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		data := toneWAV(2)
		m := upload(t, s, author, "Metta talk.wav", "audio/x-wav", data)
		if m.Status != "ready" || m.ContentType != "audio/wav" || m.DurationMS < 1900 || m.DurationMS > 2100 {
			t.Fatalf("media %+v, want a ready 2 s WAV", m)
		}
		if len(m.Peaks) == 0 || m.Peaks[0] < 50 || m.Peaks[len(m.Peaks)-1] > 5 {
			t.Errorf("peaks %v, want loud then silent", m.Peaks)
		}
		path := strings.TrimPrefix(m.URL, s.URL)
		size := len(data)
		fetch := func(h ...string) *apptest.Response {
			header := http.Header{}
			for i := 0; i+1 < len(h); i += 2 {
				header.Set(h[i], h[i+1])
			}
			return s.Do(t, apptest.Request{Method: http.MethodGet, Path: path, Header: header})
		}
		whole := fetch()
		if whole.Status != http.StatusOK || !bytes.Equal(whole.Body, data) || whole.Header.Get("Accept-Ranges") != "bytes" {
			t.Fatalf("whole file: %d, %d bytes, Accept-Ranges %q", whole.Status, len(whole.Body), whole.Header.Get("Accept-Ranges"))
		}
		etag := whole.Header.Get("ETag")
		for _, c := range []struct {
			rng        string
			from, to   int // inclusive
			contentRng string
		}{
			{"bytes=0-99", 0, 99, fmt.Sprintf("bytes 0-99/%d", size)},
			{"bytes=-100", size - 100, size - 1, fmt.Sprintf("bytes %d-%d/%d", size-100, size-1, size)},
			{"bytes=100-", 100, size - 1, fmt.Sprintf("bytes 100-%d/%d", size-1, size)},
		} {
			res := fetch("Range", c.rng)
			if res.Status != http.StatusPartialContent || !bytes.Equal(res.Body, data[c.from:c.to+1]) || res.Header.Get("Content-Range") != c.contentRng {
				t.Errorf("%s: %d, %d bytes, Content-Range %q; want 206 with bytes %d-%d (%s)", c.rng, res.Status, len(res.Body),
					res.Header.Get("Content-Range"), c.from, c.to, c.contentRng)
			}
		}
		multi := fetch("Range", "bytes=0-9,20-29")
		if multi.Status != http.StatusPartialContent || !strings.HasPrefix(multi.Header.Get("Content-Type"), "multipart/byteranges") ||
			!bytes.Contains(multi.Body, data[0:10]) || !bytes.Contains(multi.Body, data[20:30]) {
			t.Errorf("two ranges: %d %q", multi.Status, multi.Header.Get("Content-Type"))
		}
		outside := fetch("Range", fmt.Sprintf("bytes=%d-", size+10))
		if outside.Status != http.StatusRequestedRangeNotSatisfiable || outside.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
			t.Errorf("range outside the file: %d, Content-Range %q; want 416 with bytes */%d", outside.Status, outside.Header.Get("Content-Range"), size)
		}
		if res := fetch("Range", "bytes=0-99", "If-Range", etag); res.Status != http.StatusPartialContent {
			t.Errorf("If-Range with the current ETag: %d, want 206", res.Status)
		}
		if res := fetch("Range", "bytes=0-99", "If-Range", `"old"`); res.Status != http.StatusOK || len(res.Body) != size {
			t.Errorf("If-Range with another ETag: %d, want the whole file", res.Status)
		}
		if res := fetch("If-None-Match", etag); res.Status != http.StatusNotModified {
			t.Errorf("If-None-Match with the ETag: %d, want 304", res.Status)
		}
	})
}

func TestMediaRefusesBadUploads(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: []string{"DHARMAPLANS_MEDIA_MAX_IMAGE=1MB", "DHARMAPLANS_MEDIA_QUOTA=3MB"}})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		reader := s.CreateUser(t, "reader@example.org", identity.RoleUser)
		start := func(token string, body map[string]any) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/media/uploads", Token: token, Body: body})
		}
		png := drawnPNG(t, 64, 32)
		ok := map[string]any{"filename": "cover.png", "content_type": "image/png", "size": len(png)}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for key, val := range ok {
				m[key] = val
			}
			m[k] = v
			return m
		}
		apptest.Problem(t, start(reader.Access, ok), http.StatusForbidden)
		apptest.Problem(t, start("", ok), http.StatusUnauthorized)
		apptest.Problem(t, start(author.Access, with("filename", "../../etc/passwd")), http.StatusUnprocessableEntity, "filename")
		apptest.Problem(t, start(author.Access, with("filename", "bell\a.png")), http.StatusUnprocessableEntity, "filename")
		apptest.Problem(t, start(author.Access, with("content_type", "text/html")), http.StatusUnprocessableEntity, "not a file type media accepts")
		apptest.Problem(t, start(author.Access, with("content_type", "image/svg+xml")), http.StatusUnprocessableEntity, "not a file type media accepts")
		apptest.Problem(t, start(author.Access, with("size", 2<<20)), http.StatusRequestEntityTooLarge)
		for range 3 {
			startUpload(t, s, author, "big.mp3", "audio/mpeg", 1<<20)
		}
		apptest.Problem(t, start(author.Access, with("size", 1000)), http.StatusRequestEntityTooLarge) // quota reached

		other := s.CreateUser(t, "other@example.org", identity.RoleAuthor)
		completeAs := func(a *apptest.Account, id string) *apptest.Response {
			return s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/media/uploads/" + id + "/complete", Token: a.Access})
		}
		// HTML declared as a PNG: refused at complete, and its bytes deleted.
		html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
		up := startUpload(t, s, other, "innocent.png", "image/png", len(html))
		if res := sendBytes(t, s, up, html); res.Status != http.StatusNoContent {
			t.Fatalf("sending: %d %s", res.Status, res.Body)
		}
		apptest.Problem(t, completeAs(other, up.Media.ID), http.StatusUnprocessableEntity, "text/html")
		if m := decode[mediaBody](t, get(t, s, other, http.StatusOK, "/v1/media/"+up.Media.ID)); m.Status != "failed" || m.URL != "" {
			t.Errorf("refused upload: %+v, want failed without a URL", m)
		}
		// SVG with a script declared as a PNG, and a program declared as MP3.
		for _, c := range []struct{ name, contentType, body, found string }{
			{"logo.png", "image/png", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "image/svg+xml"},
			{"talk.mp3", "audio/mpeg", "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 120), "application/x-elf"},
		} {
			bad := startUpload(t, s, other, c.name, c.contentType, len(c.body))
			sendBytes(t, s, bad, []byte(c.body))
			apptest.Problem(t, completeAs(other, bad.Media.ID), http.StatusUnprocessableEntity, c.found)
		}
		// The token works once: the upload is over.
		apptest.Problem(t, sendBytes(t, s, up, png), http.StatusConflict)

		// Fewer or more bytes than declared: nothing kept.
		up = startUpload(t, s, other, "cover.png", "image/png", len(png))
		apptest.Problem(t, sendBytes(t, s, up, png[:len(png)-10]), http.StatusUnprocessableEntity)
		apptest.Problem(t, sendBytes(t, s, up, append(png, 1, 2, 3)), http.StatusRequestEntityTooLarge)
		apptest.Problem(t, completeAs(other, up.Media.ID), http.StatusConflict, "upload")
		// Another Content-Type than declared.
		h := http.Header{"Content-Type": {"image/gif"}}
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPut, Path: strings.TrimPrefix(up.Upload.URL, s.URL), Body: string(png), Header: h}),
			http.StatusUnprocessableEntity, "Content-Type")
		// A forged token, and one that expired.
		forged := strings.Replace(strings.TrimPrefix(up.Upload.URL, s.URL), "token=", "token=A", 1)
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodPut, Path: forged, Body: string(png), Header: http.Header{"Content-Type": {"image/png"}}}),
			http.StatusForbidden)
		s.Clock.Advance(2 * time.Hour)
		apptest.Problem(t, sendBytes(t, s, up, png), http.StatusForbidden, "expired")
		other = s.Login(t, other.Email, other.Password)

		// A decompression bomb: a small PNG whose header says 60000 x 60000.
		bomb := pngHeader(60000, 60000)
		up = startUpload(t, s, other, "bomb.png", "image/png", len(bomb))
		sendBytes(t, s, up, bomb)
		apptest.Problem(t, completeAs(other, up.Media.ID), http.StatusUnprocessableEntity, "60000")

		// A truncated WAV: its data chunk claims more than there is.
		wav := toneWAV(1)
		cut := wav[:len(wav)/2]
		up = startUpload(t, s, other, "talk.wav", "audio/wav", len(cut))
		sendBytes(t, s, up, cut)
		apptest.Problem(t, completeAs(other, up.Media.ID), http.StatusUnprocessableEntity)

		// A PNG whose header is sound but whose pixels are cut off passes
		// complete and fails in processing, which deletes it.
		whole := drawnPNG(t, 300, 200)
		broken := whole[:len(whole)*2/3]
		up = startUpload(t, s, other, "cut.png", "image/png", len(broken))
		sendBytes(t, s, up, broken)
		if m := complete(t, s, other, up.Media.ID); m.Status != "failed" || m.Failure == "" || len(m.Variants) != 0 {
			t.Errorf("media %+v, want failed with a reason", m)
		}

		if files := mediaFiles(t, s); len(files) != 0 {
			t.Errorf("refused uploads left files: %v", files)
		}
		// Malformed and unknown ids are simply not found.
		get(t, s, other, http.StatusNotFound, "/v1/media/not-an-id")
		get(t, s, other, http.StatusNotFound, "/v1/media/0190a8b4-0000-7000-8000-000000000000")
	})
}

// pngHeader is the start of a PNG whose IHDR declares width x height.
func pngHeader(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	b.Write(make([]byte, 64))
	return b.Bytes()
}

// On S3 the bytes go straight to the bucket through a presigned PUT, and
// files come from presigned GETs: the same flow against a real
// S3-protocol server, which checks the signatures.
func TestMediaOnS3(t *testing.T) {
	weed := testenv.SeaweedFS(t)
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{Env: []string{
			"DHARMAPLANS_S3_BUCKET=" + weed.Bucket(t), "DHARMAPLANS_S3_ENDPOINT=" + weed.Endpoint, "DHARMAPLANS_S3_PATH_STYLE=true",
			"DHARMAPLANS_S3_REGION=" + weed.Region, "DHARMAPLANS_S3_ACCESS_KEY_ID=" + weed.AccessKeyID,
			"DHARMAPLANS_S3_SECRET_ACCESS_KEY=" + weed.SecretAccessKey, "DHARMAPLANS_MEDIA_CDN_URL=https://cdn.example.org/"}})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		send := func(up uploadAnswer, data []byte, contentType string) int {
			req, err := http.NewRequest(up.Upload.Method, up.Upload.URL, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range up.Upload.Headers {
				req.Header.Set(k, v)
			}
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		wav := toneWAV(1)
		up := startUpload(t, s, author, "bell.wav", "audio/wav", len(wav))
		if !strings.HasPrefix(up.Upload.URL, weed.Endpoint) || up.Upload.Method != http.MethodPut {
			t.Fatalf("upload target %+v, want a PUT to the bucket", up.Upload)
		}
		// The signature binds the type and the size.
		if status := send(up, wav, "audio/mpeg"); status < 400 {
			t.Errorf("PUT with another Content-Type: %d, want refused", status)
		}
		if status := send(up, wav[:len(wav)-1], ""); status < 400 {
			t.Errorf("PUT with another size: %d, want refused", status)
		}
		if status := send(up, wav, ""); status != http.StatusOK {
			t.Fatalf("presigned PUT: %d", status)
		}
		m := complete(t, s, author, up.Media.ID)
		if m.Status != "ready" || m.DurationMS < 900 || m.DurationMS > 1100 || len(m.Peaks) == 0 || !strings.HasPrefix(m.URL, weed.Endpoint) {
			t.Errorf("media %+v, want a 1 s WAV with peaks and a bucket URL", m)
		}
		req, _ := http.NewRequest(http.MethodGet, m.URL, nil)
		req.Header.Set("Range", "bytes=0-99")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusPartialContent || !bytes.Equal(body, wav[:100]) {
			t.Errorf("ranged presigned GET: %d, %d bytes", res.StatusCode, len(body))
		}

		// Once a published plan uses it, its files come from the CDN.
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		p := readyPlan(t, s, author, map[string]any{"title": "Bells", "tradition": "zen"}, 1)
		studioDo(t, s, author, http.StatusCreated, http.MethodPost, planPath(p.ID, "days", 1, "items"),
			map[string]any{"kind": "audio", "title": "The bell", "media_id": m.ID, "minutes": 1})
		publish(t, s, author, admin, p.ID)
		public := decode[mediaBody](t, get(t, s, nil, http.StatusOK, "/v1/media/"+m.ID))
		if public.URL != "https://cdn.example.org/media/"+m.ID+"/original" {
			t.Errorf("published media URL %q, want the CDN's", public.URL)
		}
	})
}

// A published plan's cover is public: anyone reads it, its files need no
// signature, and browsers and CDNs may keep them for a year.
func TestMediaOfPublishedPlansArePublic(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		cover := upload(t, s, author, "cover.png", "image/png", drawnPNG(t, 700, 350))
		get(t, s, nil, http.StatusNotFound, "/v1/media/"+cover.ID)
		publishedPlan(t, s, author, admin, map[string]any{"title": "Seven Days of Metta", "tradition": "theravada", "cover_media_id": cover.ID}, 1)

		m := decode[mediaBody](t, get(t, s, nil, http.StatusOK, "/v1/media/"+cover.ID))
		if strings.Contains(m.URL, "sig=") || len(m.Variants) != 6 || strings.Contains(m.Variants[0].URL, "sig=") {
			t.Fatalf("public media %+v, want URLs without signatures", m)
		}
		res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: strings.TrimPrefix(m.Variants[0].URL, s.URL)})
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("public file served with Cache-Control %q", cc)
		}
		// Published content keeps it: its owner cannot delete it.
		apptest.Problem(t, s.Do(t, apptest.Request{Method: http.MethodDelete, Path: "/v1/media/" + cover.ID, Token: author.Access}), http.StatusConflict)
	})
}

// needFFmpeg skips a test that encodes fixtures with ffmpeg where it is
// not installed; under CI, which installs it, it fails instead.
func needFFmpeg(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is not installed: .ci/run installs Debian's ffmpeg")
		}
		t.Skip("ffmpeg is not installed (apt-get install ffmpeg): cannot make a video")
	}
}

// A video uploaded through the API is probed for its duration and size,
// and streamed with ranges like any file.
func TestMediaVideoUploadIsProbed(t *testing.T) {
	needFFmpeg(t)
	mp4 := filepath.Join(t.TempDir(), "sitting.mp4")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=2",
		"-c:v", "mpeg4", "-movflags", "+faststart", mp4).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	video, err := os.ReadFile(mp4)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		m := upload(t, s, author, "sitting.mp4", "video/mp4", video)
		if m.Status != "ready" || m.Width != 320 || m.Height != 240 || m.DurationMS < 1900 || m.DurationMS > 2100 {
			t.Fatalf("video %+v, want ready, 320x240, 2 s", m)
		}
		res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: strings.TrimPrefix(m.URL, s.URL), Header: http.Header{"Range": {"bytes=0-99"}}})
		if res.Status != http.StatusPartialContent || !bytes.Equal(res.Body, video[:100]) || res.Header.Get("Content-Type") != "video/mp4" {
			t.Errorf("ranged GET of the video: %d %s, %d bytes", res.Status, res.Header.Get("Content-Type"), len(res.Body))
		}
	})
}
