package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/blob/blobtest"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func TestS3(t *testing.T) {
	srv := testenv.SeaweedFS(t)
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, _ := newS3(t, srv)
		return s
	})
}

// newS3 returns a store on a bucket of t's own, with its objects under the
// prefix "media/", and a plain SDK client to look at the bucket with.
func newS3(t *testing.T, srv *testenv.S3Server) (*blob.S3, *bucket) {
	t.Helper()
	cfg := blob.S3Config{
		Endpoint:        srv.Endpoint,
		Region:          srv.Region,
		Bucket:          srv.Bucket(t),
		AccessKeyID:     srv.AccessKeyID,
		SecretAccessKey: srv.SecretAccessKey,
		PathStyle:       true,
		Prefix:          "media",
	}
	s, err := blob.NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	client := s3.New(s3.Options{
		BaseEndpoint: &srv.Endpoint,
		Region:       srv.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(srv.AccessKeyID, srv.SecretAccessKey, ""),
		UsePathStyle: true,
	})
	return s, &bucket{client: client, name: cfg.Bucket}
}

// bucket is the raw view of a store's bucket, through the SDK.
type bucket struct {
	client *s3.Client
	name   string
}

// keys lists every object key in the bucket.
func (b *bucket) keys(t *testing.T) []string {
	t.Helper()
	out, err := b.client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: &b.name})
	if err != nil {
		t.Fatalf("list %s: %v", b.name, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// uploads counts the multipart uploads started and neither completed nor
// aborted: parts the bucket keeps, and bills, for nothing.
func (b *bucket) uploads(t *testing.T) int {
	t.Helper()
	out, err := b.client.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: &b.name})
	if err != nil {
		t.Fatalf("list uploads in %s: %v", b.name, err)
	}
	return len(out.Uploads)
}

func TestS3Objects(t *testing.T) {
	srv := testenv.SeaweedFS(t)
	ctx := context.Background()
	// Over two parts of Put's 8 MiB, so that it goes up as a multipart upload.
	big := make([]byte, 20<<20)
	for i := range big {
		big[i] = byte(i * 7 / 3)
	}

	t.Run("objects live under the prefix, by their own key", func(t *testing.T) {
		t.Parallel()
		s, b := newS3(t, srv)
		if _, err := s.Put(ctx, "covers/plan-1.jpg", strings.NewReader("jpeg"), blob.PutOptions{Size: 4}); err != nil {
			t.Fatal(err)
		}
		if keys := b.keys(t); len(keys) != 1 || keys[0] != "media/covers/plan-1.jpg" {
			t.Errorf("bucket holds %q, want [media/covers/plan-1.jpg]", keys)
		}
	})

	t.Run("an object larger than a part comes back whole, with its type", func(t *testing.T) {
		t.Parallel()
		s, b := newS3(t, srv)
		info, err := s.Put(ctx, "talks/retreat.mp3", bytes.NewReader(big), blob.PutOptions{ContentType: "audio/mpeg", Size: -1})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(big)
		if info.Size != int64(len(big)) || info.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("put: %+v, want %d bytes and sha256 %x", info, len(big), sum)
		}
		rc, _, err := s.Get(ctx, "talks/retreat.mp3")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, big) {
			t.Errorf("get: %d bytes (%v), want the %d put", len(got), err, len(big))
		}
		head, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.name, Key: aws.String("media/talks/retreat.mp3")})
		if err != nil || aws.ToString(head.ContentType) != "audio/mpeg" {
			t.Errorf("stored type: %q (%v), want audio/mpeg", aws.ToString(head.ContentType), err)
		}
		if n := b.uploads(t); n != 0 {
			t.Errorf("%d multipart uploads left open after the put", n)
		}
	})

	t.Run("a large put failing after parts were sent leaves the key as it was and no parts behind", func(t *testing.T) {
		t.Parallel()
		s, b := newS3(t, srv)
		if _, err := s.Put(ctx, "talk.mp3", strings.NewReader("first"), blob.PutOptions{Size: 5}); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			r    io.Reader
			opts blob.PutOptions
		}{
			"the reader fails":    {io.MultiReader(bytes.NewReader(big), failingReader{}), blob.PutOptions{Size: -1}},
			"over the limit":      {bytes.NewReader(big), blob.PutOptions{Size: -1, MaxSize: 17 << 20}},
			"more than declared":  {bytes.NewReader(big), blob.PutOptions{Size: 18 << 20}},
			"fewer than declared": {bytes.NewReader(big), blob.PutOptions{Size: 21 << 20}},
		} {
			if _, err := s.Put(ctx, "talk.mp3", c.r, c.opts); err == nil {
				t.Errorf("%s: the put succeeded", name)
			}
		}
		rc, _, err := s.Get(ctx, "talk.mp3")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != "first" {
			t.Errorf("after the failed puts the key holds %d bytes, want the 5 of before", len(got))
		}
		if n := b.uploads(t); n != 0 {
			t.Errorf("%d multipart uploads left open after failed puts", n)
		}
	})

	t.Run("wrong credentials are refused", func(t *testing.T) {
		t.Parallel()
		s, err := blob.NewS3(ctx, blob.S3Config{
			Endpoint: srv.Endpoint, Region: srv.Region, Bucket: srv.Bucket(t), PathStyle: true,
			AccessKeyID: srv.AccessKeyID, SecretAccessKey: "not-the-secret",
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, "x", strings.NewReader("x"), blob.PutOptions{Size: 1}); err == nil {
			t.Error("a put signed with the wrong secret was stored")
		}
	})

	t.Run("a server that does not answer is unavailable", func(t *testing.T) {
		t.Parallel()
		s, err := blob.NewS3(ctx, blob.S3Config{
			Endpoint: "http://" + testenv.DeadAddr(t), Region: "us-east-1", Bucket: "media", PathStyle: true,
			AccessKeyID: "id", SecretAccessKey: "secret",
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stat(ctx, "x"); !errs.Is(err, errs.Unavailable) {
			t.Errorf("stat: %v, want unavailable", err)
		}
	})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestS3Presign(t *testing.T) {
	srv := testenv.SeaweedFS(t)
	ctx := context.Background()
	body := bytes.Repeat([]byte("anicca dukkha anatta. "), 500) // 11,000 bytes

	// send sends what p describes with body, and returns the response's
	// status and body.
	send := func(t *testing.T, p blob.Presigned, header http.Header, body []byte) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(p.Method, p.URL, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header.Clone()
		// net/http sends Content-Length from the request, not its header.
		req.Header.Del("Content-Length")
		req.ContentLength = int64(len(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b
	}
	presignPut := func(t *testing.T, s *blob.S3, key string, expires time.Duration) blob.Presigned {
		t.Helper()
		p, err := s.PresignPut(ctx, key, blob.PresignPutOptions{ContentType: "audio/mpeg", Size: int64(len(body)), Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	absent := func(t *testing.T, s *blob.S3, key string) {
		t.Helper()
		if _, err := s.Stat(ctx, key); !errs.Is(err, errs.NotFound) {
			t.Errorf("stat %s: %v, want not found: the refused upload was stored", key, err)
		}
	}

	t.Run("a presigned PUT stores the file of the size and type it was signed for", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		before := time.Now().Truncate(time.Second)
		p := presignPut(t, s, "talks/metta.mp3", time.Minute)
		if p.Method != http.MethodPut || p.Header.Get("Content-Type") != "audio/mpeg" || p.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("presigned: %s with headers %v, want PUT with Content-Type audio/mpeg and Content-Length %d", p.Method, p.Header, len(body))
		}
		if p.Expires.Before(before.Add(time.Minute)) || p.Expires.After(time.Now().Add(time.Minute)) {
			t.Errorf("expires %v, want a minute from now", p.Expires)
		}
		if status, b := send(t, p, p.Header, body); status != http.StatusOK {
			t.Fatalf("upload: %d %s", status, b)
		}
		rc, info, err := s.Get(ctx, "talks/metta.mp3")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, body) || info.Size != int64(len(body)) {
			t.Errorf("stored %d bytes, want the %d uploaded", len(got), len(body))
		}
		g, err := s.PresignGet(ctx, "talks/metta.mp3", blob.PresignGetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(g.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "audio/mpeg" {
			t.Errorf("served as %q, want audio/mpeg", ct)
		}
	})

	t.Run("a PUT of another size or type than signed is refused and stores nothing", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		p := presignPut(t, s, "talks/metta.mp3", time.Minute)
		withType := func(ct string) http.Header {
			h := p.Header.Clone()
			if ct == "" {
				h.Del("Content-Type")
			} else {
				h.Set("Content-Type", ct)
			}
			return h
		}
		for name, c := range map[string]struct {
			header http.Header
			body   []byte
		}{
			"one byte more":  {p.Header, append(bytes.Clone(body), '!')},
			"one byte fewer": {p.Header, body[:len(body)-1]},
			"a bigger file":  {p.Header, bytes.Repeat(body, 100)},
			"another type":   {withType("text/html"), body},
			"no type":        {withType(""), body},
		} {
			status, b := send(t, p, c.header, c.body)
			if status < 400 || status > 499 {
				t.Errorf("%s: %d %s, want a 4xx refusal", name, status, b)
			}
		}
		absent(t, s, "talks/metta.mp3")
	})

	t.Run("an expired presigned PUT is refused", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		p := presignPut(t, s, "late.mp3", time.Second)
		time.Sleep(time.Until(p.Expires) + 1100*time.Millisecond)
		if status, b := send(t, p, p.Header, body); status != http.StatusForbidden {
			t.Errorf("upload after expiry: %d %s, want 403", status, b)
		}
		absent(t, s, "late.mp3")
	})

	t.Run("a presigned GET serves the file, its ranges, and the name to save it as", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		if _, err := s.Put(ctx, "talks/metta.mp3", bytes.NewReader(body), blob.PutOptions{ContentType: "audio/mpeg", Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		p, err := s.PresignGet(ctx, "talks/metta.mp3", blob.PresignGetOptions{Expires: time.Minute, Filename: "Mettā talk.mp3"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Method != http.MethodGet {
			t.Errorf("method %s, want GET", p.Method)
		}
		resp, err := http.Get(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
			t.Errorf("get: %d with %d bytes, want 200 with %d", resp.StatusCode, len(got), len(body))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''Mett%C4%81%20talk.mp3") {
			t.Errorf("Content-Disposition %q, want an attachment named Mettā talk.mp3", cd)
		}

		req, err := http.NewRequest(http.MethodGet, p.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Range", "bytes=0-99")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, body[:100]) {
			t.Errorf("range 0-99: %d with %q, want 206 with the first 100 bytes", resp.StatusCode, got)
		}
		if cr := resp.Header.Get("Content-Range"); cr != "bytes 0-99/"+strconv.Itoa(len(body)) {
			t.Errorf("Content-Range %q, want bytes 0-99/%d", cr, len(body))
		}
	})

	t.Run("an expired presigned GET is refused", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		if _, err := s.Put(ctx, "talk.mp3", bytes.NewReader(body), blob.PutOptions{Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		p, err := s.PresignGet(ctx, "talk.mp3", blob.PresignGetOptions{Expires: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(p.Expires) + 1100*time.Millisecond)
		resp, err := http.Get(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || bytes.Contains(got, body[:100]) {
			t.Errorf("get after expiry: %d %s, want 403 without the file", resp.StatusCode, got)
		}
	})

	t.Run("presigning needs a valid key, the size and type, and a lifetime up to 7 days", func(t *testing.T) {
		t.Parallel()
		s, _ := newS3(t, srv)
		for name, opts := range map[string]blob.PresignPutOptions{
			"no size":       {ContentType: "audio/mpeg"},
			"no type":       {Size: 10},
			"8 days":        {ContentType: "audio/mpeg", Size: 10, Expires: 8 * 24 * time.Hour},
			"half a second": {ContentType: "audio/mpeg", Size: 10, Expires: time.Second / 2},
		} {
			if _, err := s.PresignPut(ctx, "a", opts); !errs.Is(err, errs.Invalid) {
				t.Errorf("put, %s: %v, want invalid", name, err)
			}
		}
		if _, err := s.PresignPut(ctx, "../a", blob.PresignPutOptions{ContentType: "audio/mpeg", Size: 10}); !errs.Is(err, errs.Invalid) {
			t.Errorf("put, bad key: %v, want invalid", err)
		}
		if _, err := s.PresignGet(ctx, "a/../../b", blob.PresignGetOptions{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("get, bad key: %v, want invalid", err)
		}
	})
}
