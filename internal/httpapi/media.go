package httpapi

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humachi"

	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media"
)

// MediaBody is a medium and where to fetch its files.
type MediaBody struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind" enum:"image,audio,video,pdf"`
	Filename    string            `json:"filename"`
	ContentType string            `json:"content_type" doc:"What the file's bytes were found to be, once verified."`
	Size        int64             `json:"size" doc:"In bytes."`
	SHA256      string            `json:"sha256,omitempty" doc:"Hex digest of the file, once processed (or as declared)."`
	Status      string            `json:"status" enum:"uploading,processing,ready,failed,unprocessed" doc:"uploading: waiting for the bytes and complete; processing: verified, variants and metadata being made; ready; failed (see failure); unprocessed: served as uploaded because this server cannot read its kind (video without ffprobe)."`
	Failure     string            `json:"failure,omitempty" doc:"Why it failed, for people."`
	Public      bool              `json:"public" doc:"Whether published content uses it, which makes it readable by anyone."`
	Width       int               `json:"width,omitempty" doc:"Images and video, in pixels."`
	Height      int               `json:"height,omitempty"`
	DurationMS  int64             `json:"duration_ms,omitempty" doc:"Audio and video."`
	Bitrate     int               `json:"bitrate,omitempty" doc:"Audio, in bits per second."`
	Pages       int               `json:"pages,omitempty" doc:"PDFs."`
	Peaks       []int             `json:"peaks,omitempty" doc:"Audio waveform for a player: the loudness (0-100) of each of 200 equal slices, when this server could decode the audio."`
	URL         string            `json:"url,omitempty" doc:"The uploaded file. Private media get a signed URL that works for an hour or more; fetch this document again for a fresh one."`
	Variants    []MediaVariant    `json:"variants" doc:"Images: each width (320, 640 and 1280 pixels, none wider than the original) in WebP and JPEG."`
	Srcset      map[string]string `json:"srcset,omitempty" doc:"Images: a srcset attribute per format (webp, jpeg), ready for <img> and <source>."`
	CreatedAt   time.Time         `json:"created_at"`
}

// MediaVariant is a processed version of an image.
type MediaVariant struct {
	Name        string `json:"name" example:"640-3f9a1c2b7d4e.webp"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

func toMediaBody(v *media.View) MediaBody {
	m := v.Medium
	b := MediaBody{ID: m.ID, Kind: string(m.Kind), Filename: m.Filename, ContentType: m.ContentType, Size: m.Size, SHA256: m.SHA256,
		Status: string(m.Status), Failure: m.Failure, Public: v.Public, Width: m.Width, Height: m.Height,
		DurationMS: m.Duration.Milliseconds(), Bitrate: m.Bitrate, Pages: m.Pages, Peaks: m.Peaks, URL: v.URL,
		Variants: []MediaVariant{}, CreatedAt: m.CreatedAt}
	for _, variant := range v.Variants {
		b.Variants = append(b.Variants, MediaVariant{Name: variant.Name, Width: variant.Width, Height: variant.Height,
			ContentType: variant.ContentType, Size: variant.Size, URL: variant.URL})
		format := strings.TrimPrefix(variant.ContentType, "image/")
		if b.Srcset == nil {
			b.Srcset = map[string]string{}
		}
		if b.Srcset[format] != "" {
			b.Srcset[format] += ", "
		}
		b.Srcset[format] += variant.URL + " " + strconv.Itoa(variant.Width) + "w"
	}
	return b
}

type uploadInput struct {
	Body struct {
		Filename    string `json:"filename" maxLength:"255" doc:"The file's name, for people; never a path."`
		ContentType string `json:"content_type" maxLength:"100" doc:"image/jpeg, image/png, image/gif, image/webp; audio/mpeg, audio/mp4 (M4A, AAC), audio/ogg (Opus, Vorbis), audio/wav; video/mp4, video/webm, video/quicktime; application/pdf."`
		Size        int64  `json:"size" minimum:"1" doc:"The file's exact length in bytes. Limits: images 20 MB, audio 500 MB, video 2 GB, PDFs 50 MB (as configured), and a quota per person."`
		SHA256      string `json:"sha256,omitempty" required:"false" maxLength:"64" doc:"Hex SHA-256 of the file, checked once it arrives."`
	}
}

// UploadTarget says where to send an upload's bytes.
type UploadTarget struct {
	Method    string            `json:"method" example:"PUT"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers" doc:"Send these headers exactly as given: the size and content type are part of the signature."`
	ExpiresAt time.Time         `json:"expires_at"`
}

type uploadOutput struct {
	Body struct {
		Media  MediaBody    `json:"media"`
		Upload UploadTarget `json:"upload"`
	}
}

type mediaIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type mediaOutput struct {
	Body MediaBody
}

// uploadContentInput is an upload's bytes: the body is read as it
// arrives, never held whole.
type uploadContentInput struct {
	ID          string `path:"id" maxLength:"64"`
	Expires     int64  `query:"expires" doc:"From the upload URL."`
	Token       string `query:"token" maxLength:"100" doc:"From the upload URL."`
	ContentType string `header:"Content-Type"`
	body        io.Reader
}

// Resolve keeps the request body for the handler to stream, and gives
// the request time to arrive and be answered: a large file takes longer
// than the server's read and write timeouts for ordinary requests (both
// deadlines run from the start of the request).
func (in *uploadContentInput) Resolve(ctx huma.Context) []error {
	_, w := humachi.Unwrap(ctx)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(longTransfer))
	_ = rc.SetWriteDeadline(time.Now().Add(longTransfer))
	in.body = ctx.BodyReader()
	return nil
}

// longTransfer bounds sending or receiving one media file.
const longTransfer = 6 * time.Hour

type fileInput struct {
	ID      string `path:"id" maxLength:"64"`
	Name    string `path:"name" maxLength:"100" doc:"original, or a variant's name."`
	Expires int64  `query:"expires" doc:"From a signed file URL."`
	Sig     string `query:"sig" maxLength:"100" doc:"From a signed file URL."`
}

// uploadContentPath is where the local store receives upload bytes; the
// body limit of other requests does not apply to it.
const uploadContentPath = "/v1/media/uploads/{id}/content"

// isUploadContent reports whether r sends an upload's bytes.
func isUploadContent(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/v1/media/uploads/") && strings.HasSuffix(r.URL.Path, "/content")
}

// isMediaFile reports whether r fetches a media file (sent as stored,
// never compressed: ranges are of the file's bytes).
func isMediaFile(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/v1/media/") && strings.Contains(r.URL.Path, "/files/")
}

func registerMedia(api huma.API, svc *media.Service, fail func(context.Context, error) error) {
	tags := []string{"Media"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "start-upload", Method: http.MethodPost, Path: "/v1/media/uploads", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Start an upload",
		Description: "Records a file about to be uploaded and answers where to send its bytes: `upload.method` to `upload.url` with `upload.headers`. " +
			"On S3 that is a presigned PUT whose signature binds the exact size and content type; on the local store, this server's upload URL with a token. " +
			"Either works until `upload.expires_at`. Then call complete. A size over the kind's limit or your quota answers 413 before any byte is sent.",
		Errors: []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *uploadInput) (*uploadOutput, error) {
		m, target, err := svc.StartUpload(ctx, principal(ctx), media.UploadRequest{Filename: in.Body.Filename,
			ContentType: in.Body.ContentType, Size: in.Body.Size, SHA256: in.Body.SHA256})
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &uploadOutput{}
		out.Body.Media = toMediaBody(&media.View{Medium: m})
		out.Body.Upload = UploadTarget{Method: target.Method, URL: target.URL, Headers: map[string]string{}, ExpiresAt: target.ExpiresAt}
		for name := range target.Header {
			out.Body.Upload.Headers[name] = target.Header.Get(name)
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "upload-content", Method: http.MethodPut, Path: uploadContentPath, Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary: "Send an upload's bytes (local store)",
		Description: "The upload URL of the local store: the token in the URL is the permission. Send the file as the body, with the declared " +
			"Content-Type and exactly the declared size; anything else is refused and nothing is kept. Not used on S3, where the bytes go to the bucket.",
		RequestBody: &huma.RequestBody{Description: "The file's bytes.", Required: true,
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *uploadContentInput) (*struct{}, error) {
		if err := svc.ReceiveUpload(ctx, in.ID, in.Expires, in.Token, in.ContentType, in.body); err != nil {
			return nil, fail(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "complete-upload", Method: http.MethodPost, Path: "/v1/media/uploads/{id}/complete", Tags: tags, DefaultStatus: http.StatusAccepted,
		Summary: "Finish an upload",
		Description: "Checks what arrived: its size, what its bytes really are (a file whose bytes do not match its declared type is refused and deleted), " +
			"an image's dimensions (at most 40 megapixels), an audio file's stream, a PDF's pages. Then processing starts in the background " +
			"(image variants, audio waveform, video dimensions) and the media's status becomes processing; read it again with GET /v1/media/{id}. " +
			"Completing again answers the media as it is. Someone else's upload is not found.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *mediaIDInput) (*mediaOutput, error) {
		p := principal(ctx)
		if _, err := svc.Complete(ctx, p, in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		v, err := svc.Get(ctx, p, in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &mediaOutput{Body: toMediaBody(v)}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-media", Method: http.MethodGet, Path: "/v1/media/{id}", Tags: tags,
		Summary: "A media file's details and URLs",
		Description: "Its status, metadata (dimensions, duration, waveform, pages) and the URLs of its file and variants. Readable by its owner and admins, " +
			"and by anyone once published content (a plan's cover or item, an author's photo) uses it; otherwise not found. " +
			"Public files come from the CDN when one is configured; private ones get signed URLs that work for a while.",
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *mediaIDInput) (*mediaOutput, error) {
		v, err := svc.Get(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &mediaOutput{Body: toMediaBody(v)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "delete-media", Method: http.MethodDelete, Path: "/v1/media/{id}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary:     "Delete a media file",
		Description: "Deletes your media file and its variants, freeing your quota. Refused (409) while published content uses it.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, identity.AuthorPlans), func(ctx context.Context, in *mediaIDInput) (*struct{}, error) {
		if err := svc.Delete(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-media-file", Method: http.MethodGet, Path: "/v1/media/{id}/files/{name}", Tags: tags,
		Summary: "A media file's bytes (local store)",
		Description: "Streams the file with HTTP ranges (206, multiple ranges, 416 for a range outside the file), If-Range and conditional GETs. " +
			"Use the URLs GET /v1/media/{id} gives: public media need no signature, private ones a signed URL's expires and sig. " +
			"Files never change once written, so they may be cached for a year.",
		Responses: map[string]*huma.Response{
			"200": {Description: "The file", Content: map[string]*huma.MediaType{"application/octet-stream": {}}},
			"206": {Description: "The ranges asked for"},
			"304": {Description: "Not modified"},
			"416": {Description: "The range is outside the file"},
		},
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *fileInput) (*huma.StreamResponse, error) {
		f, err := svc.OpenFile(ctx, in.ID, in.Name, in.Expires, in.Sig)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			defer f.Content.Close()
			r, w := humachi.Unwrap(hctx)
			serveFile(w, r, f)
		}}, nil
	})
}

// serveFile sends f with ranges and conditional requests as RFC 9110
// says (http.ServeContent), streaming from the file.
func serveFile(w http.ResponseWriter, r *http.Request, f *media.File) {
	// Streaming a long talk to a slow connection outlasts the server's
	// write timeout for ordinary answers.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(longTransfer))
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("ETag", f.ETag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if f.Public {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, max-age=3600")
	}
	if r.URL.Query().Has("download") {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	}
	http.ServeContent(w, r, "", f.ModTime, f.Content)
}
