package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// S3Config names a bucket on an S3-protocol server.
type S3Config struct {
	// Endpoint is the server's URL, e.g. "http://127.0.0.1:8333"; empty
	// for AWS.
	Endpoint string
	// Region signs requests; empty takes the SDK's (AWS_REGION, shared
	// config), else "us-east-1", which servers other than AWS accept.
	Region string
	Bucket string
	// AccessKeyID and SecretAccessKey sign requests; when they are empty,
	// the SDK's default chain finds credentials (environment, shared
	// files, the instance's role).
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle puts the bucket in the URL's path instead of its host
	// name, as most servers other than AWS need.
	PathStyle bool
	// Prefix goes before every key, so that one bucket can hold more than
	// the media of one server, e.g. "media/"; a missing trailing slash is
	// added.
	Prefix string
}

// S3 keeps objects in a bucket on an S3-protocol server (AWS S3,
// SeaweedFS, MinIO, R2...), through the AWS SDK. Its objects can be
// presigned for clients to upload and download directly.
type S3 struct {
	client  *s3.Client
	presign *s3.PresignClient
	bucket  string
	prefix  string
}

var (
	_ Store     = (*S3)(nil)
	_ Presigner = (*S3)(nil)
)

// NewS3 returns the store of the bucket cfg names. It does not reach the
// server: a wrong bucket or credentials show on first use.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("S3 media store: no bucket named")
	}
	if (cfg.AccessKeyID == "") != (cfg.SecretAccessKey == "") {
		return nil, errors.New("S3 media store: an access key ID needs its secret access key, and the other way round")
	}
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")))
	}
	// The SDK's default CRC32 checksums, sent in trailers, are not
	// understood by every S3-protocol server; computed only where the
	// protocol requires them, request bodies are signed with their SHA-256
	// instead (they are always seekable here), which the server checks
	// just as well.
	opts = append(opts, config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired))
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("S3 media store: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		// Objects stored without a checksum, and ranges, come back
		// without one; the SDK would log each such read.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: client, presign: s3.NewPresignClient(client), bucket: cfg.Bucket, prefix: prefix}, nil
}

// partSize is how much of an object Put holds in memory: an object that
// fits is sent in one request, a larger one in parts of this size (so at
// most 10,000 × 8 MiB, about 80 GiB).
const partSize = 8 << 20

// maxParts is the most parts S3 takes in one multipart upload.
const maxParts = 10_000

// Put implements Store.
//
// S3 itself stores an object only once its whole body has arrived and
// matches the request, so what Put must not do is send a body before it
// knows the body is right: it reads up to one part ahead and checks the
// size against opts before sending anything. An object that fits in one
// part goes in one PutObject; a larger one goes in a multipart upload,
// which S3 keeps invisible until CompleteMultipartUpload, sent only after
// the last byte was read and checked. Any failure aborts the upload, and
// the object under key stays as it was. An upload that cannot be aborted
// (the process dies) keeps its parts in the bucket until a lifecycle rule
// (AbortIncompleteMultipartUpload) removes them.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	u := &s3Upload{ctx: ctx, s: s, key: s.prefix + key, contentType: opts.ContentType}
	h := sha256.New()
	n, err := copyChecked(ctx, io.MultiWriter(u, h), r, opts)
	if err == nil {
		err = u.finish()
	}
	if err != nil {
		u.abort()
		return Info{}, s.fail(key, err)
	}
	info, err := s.Stat(ctx, key)
	if err != nil {
		return Info{}, err
	}
	info.Size, info.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return info, nil
}

// s3Upload sends what is written to it as one object, in parts of
// partSize once it outgrows one. It sends a full part only when a byte
// beyond it arrives, so that an object of exactly one part still goes in
// one PutObject.
type s3Upload struct {
	ctx         context.Context
	s           *S3
	key         string // the object's key in the bucket, with the prefix
	contentType string
	buf         []byte
	uploadID    string // set once the multipart upload has started
	parts       []types.CompletedPart
}

func (u *s3Upload) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if len(u.buf) == partSize {
			if err := u.sendPart(); err != nil {
				return written, err
			}
		}
		k := min(len(p), partSize-len(u.buf))
		u.buf = append(u.buf, p[:k]...)
		p, written = p[k:], written+k
	}
	return written, nil
}

// sendPart uploads the buffer as the next part, starting the multipart
// upload first if need be.
func (u *s3Upload) sendPart() error {
	if u.uploadID == "" {
		out, err := u.s.client.CreateMultipartUpload(u.ctx, &s3.CreateMultipartUploadInput{
			Bucket:      &u.s.bucket,
			Key:         &u.key,
			ContentType: optional(u.contentType),
		})
		if err != nil {
			return err
		}
		u.uploadID = aws.ToString(out.UploadId)
	}
	if len(u.parts) == maxParts {
		return errs.E(errs.TooLarge, "the file is over the limit of %d bytes", int64(maxParts)*partSize)
	}
	number := int32(len(u.parts) + 1)
	out, err := u.s.client.UploadPart(u.ctx, &s3.UploadPartInput{
		Bucket:        &u.s.bucket,
		Key:           &u.key,
		UploadId:      &u.uploadID,
		PartNumber:    &number,
		Body:          bytes.NewReader(u.buf),
		ContentLength: aws.Int64(int64(len(u.buf))),
	})
	if err != nil {
		return err
	}
	u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: &number})
	u.buf = u.buf[:0]
	return nil
}

// finish stores what was written under the key: the moment the object
// changes.
func (u *s3Upload) finish() error {
	if u.uploadID == "" {
		_, err := u.s.client.PutObject(u.ctx, &s3.PutObjectInput{
			Bucket:        &u.s.bucket,
			Key:           &u.key,
			Body:          bytes.NewReader(u.buf),
			ContentLength: aws.Int64(int64(len(u.buf))),
			ContentType:   optional(u.contentType),
		})
		return err
	}
	if len(u.buf) > 0 {
		if err := u.sendPart(); err != nil {
			return err
		}
	}
	_, err := u.s.client.CompleteMultipartUpload(u.ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          &u.s.bucket,
		Key:             &u.key,
		UploadId:        &u.uploadID,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
	})
	return err
}

// abort discards the parts sent so far, if any, even when the put failed
// because its context ended.
func (u *s3Upload) abort() {
	if u.uploadID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(u.ctx), 30*time.Second)
	defer cancel()
	// A failure leaves the parts to the bucket's lifecycle rule; the put
	// has failed already and the key is untouched either way.
	_, _ = u.s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket:   &u.s.bucket,
		Key:      &u.key,
		UploadId: &u.uploadID,
	})
}

// Get implements Store. The reader is the response body: read it to the
// end or close it.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, Info{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: s.key(key)})
	if err != nil {
		return nil, Info{}, s.fail(key, err)
	}
	return out.Body, info(key, out.ContentLength, out.LastModified), nil
}

// GetRange implements Store.
func (s *S3) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, errs.E(errs.Invalid, "offset %d is outside the object", offset)
	}
	if length == 0 {
		// HTTP has no empty range: check that the object and the offset
		// exist, and read nothing.
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, err
		}
		if offset > info.Size {
			return nil, errs.E(errs.Invalid, "offset %d is outside the object's %d bytes", offset, info.Size)
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	rng := fmt.Sprintf("bytes=%d-", offset)
	if length > 0 {
		rng += fmt.Sprint(offset + length - 1)
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: s.key(key), Range: &rng})
	if err != nil {
		var resp *smithyhttp.ResponseError
		if errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusRequestedRangeNotSatisfiable {
			// A range starting at the object's end, or past it: the
			// first reads nothing, as Local does, the second is refused.
			return s.GetRange(ctx, key, offset, 0)
		}
		return nil, s.fail(key, err)
	}
	return out.Body, nil
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: s.key(key)})
	if err != nil {
		return Info{}, s.fail(key, err)
	}
	return info(key, out.ContentLength, out.LastModified), nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: s.key(key)}); err != nil {
		if err := s.fail(key, err); !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

// PresignPut implements Presigner. The SDK signs Content-Length and
// Content-Type as headers (X-Amz-SignedHeaders) rather than query
// parameters, so the server compares them with what the client sends.
func (s *S3) PresignPut(ctx context.Context, key string, opts PresignPutOptions) (Presigned, error) {
	if err := CheckKey(key); err != nil {
		return Presigned{}, err
	}
	if opts.Size < 1 {
		return Presigned{}, errs.E(errs.Invalid, "a presigned upload needs the file's size")
	}
	if opts.ContentType == "" {
		return Presigned{}, errs.E(errs.Invalid, "a presigned upload needs the file's content type")
	}
	expires, err := presignExpiry(opts.Expires)
	if err != nil {
		return Presigned{}, err
	}
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        &s.bucket,
		Key:           s.key(key),
		ContentLength: aws.Int64(opts.Size),
		ContentType:   aws.String(opts.ContentType),
	}, s3.WithPresignExpires(expires))
	if err != nil {
		return Presigned{}, fmt.Errorf("presign upload of %q: %w", key, err)
	}
	return presigned(req, expires)
}

// PresignGet implements Presigner.
func (s *S3) PresignGet(ctx context.Context, key string, opts PresignGetOptions) (Presigned, error) {
	if err := CheckKey(key); err != nil {
		return Presigned{}, err
	}
	expires, err := presignExpiry(opts.Expires)
	if err != nil {
		return Presigned{}, err
	}
	in := &s3.GetObjectInput{Bucket: &s.bucket, Key: s.key(key)}
	if opts.Filename != "" {
		// FormatMediaType quotes the name, and encodes one outside ASCII
		// as filename* (RFC 2231).
		disposition := mime.FormatMediaType("attachment", map[string]string{"filename": opts.Filename})
		if disposition == "" {
			return Presigned{}, errs.E(errs.Invalid, "%q cannot be a file name", opts.Filename)
		}
		in.ResponseContentDisposition = &disposition
	}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(expires))
	if err != nil {
		return Presigned{}, fmt.Errorf("presign download of %q: %w", key, err)
	}
	return presigned(req, expires)
}

// presignExpiry returns how long a presigned URL works, in the whole
// seconds that X-Amz-Expires counts.
func presignExpiry(d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return DefaultPresignExpiry, nil
	case d < time.Second || d > MaxPresignExpiry:
		return 0, errs.E(errs.Invalid, "a presigned URL lasts from 1s to %v, not %v", MaxPresignExpiry, d)
	}
	return d.Truncate(time.Second), nil
}

// presigned turns the SDK's presigned request into a Presigned. Expires
// counts from the signing time written in the URL (X-Amz-Date), which is
// what the server counts from.
func presigned(req *v4.PresignedHTTPRequest, expires time.Duration) (Presigned, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return Presigned{}, fmt.Errorf("presigned URL: %w", err)
	}
	signedAt, err := time.Parse("20060102T150405Z", u.Query().Get("X-Amz-Date"))
	if err != nil {
		return Presigned{}, fmt.Errorf("presigned URL: signing time: %w", err)
	}
	header := http.Header{}
	for name, values := range req.SignedHeader {
		// Clients send Host from the URL on their own.
		if !strings.EqualFold(name, "Host") {
			header[http.CanonicalHeaderKey(name)] = values
		}
	}
	return Presigned{Method: req.Method, URL: req.URL, Header: header, Expires: signedAt.Add(expires)}, nil
}

// key returns the object key in the bucket of the store's key.
func (s *S3) key(key string) *string {
	k := s.prefix + key
	return &k
}

// fail turns the SDK's errors into the store's: a missing object is
// NotFound, a server that cannot be reached or fails is Unavailable.
func (s *S3) fail(key string, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound") {
		return notFound(key, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var send *smithyhttp.RequestSendError
	var resp *smithyhttp.ResponseError
	if errors.As(err, &send) || errors.As(err, &resp) && resp.HTTPStatusCode() >= 500 {
		return errs.Wrap(err, errs.Unavailable, "the media store is unavailable")
	}
	return err
}

// info describes the object under key from a response's headers.
func info(key string, size *int64, modTime *time.Time) Info {
	return Info{Key: key, Size: aws.ToInt64(size), ModTime: aws.ToTime(modTime).UTC()}
}

// optional is nil for an empty string, which the SDK leaves out of a
// request.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
