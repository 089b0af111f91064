// Package media is the rules of plan covers, author photos, talks, guided
// meditations, PDFs and videos: who may upload what and how much, how an
// upload is verified, how files are processed in the background, and
// where clients fetch them from. The bytes live in a blob.Store (a local
// folder or an S3-protocol bucket); the rows in the store's media table.
//
// An upload goes in three steps. StartUpload records the medium and says
// where to send the bytes: a presigned S3 PUT with the size and content
// type bound into its signature, or, on the local store, this server's
// upload URL with a token of the medium's own. Complete checks what
// arrived (its size, what its bytes are, an image's dimensions, an audio
// stream's frames) and queues processing; a file that is not what it
// claims is deleted there and then. Processing makes image variants,
// audio waveforms, page counts and video dimensions.
package media

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/blob"
)

// Kind is what sort of file a medium is.
type Kind string

// The kinds.
const (
	Image Kind = "image"
	Audio Kind = "audio"
	Video Kind = "video"
	PDF   Kind = "pdf"
)

// Kinds lists every kind.
var Kinds = []Kind{Image, Audio, Video, PDF}

// Status is where a medium is in its life.
type Status string

// The statuses.
const (
	// Uploading: recorded, waiting for its bytes and Complete.
	Uploading Status = "uploading"
	// Processing: verified; variants and metadata are being made.
	Processing Status = "processing"
	// Ready: processed; every variant can be fetched.
	Ready Status = "ready"
	// Failed: processing gave up; Failure says why.
	Failed Status = "failed"
	// Unprocessed: verified and served as uploaded, but this server has
	// no tool to read its kind (video without ffprobe).
	Unprocessed Status = "unprocessed"
)

// Medium is an uploaded file and what is known of it.
type Medium struct {
	ID          string
	OwnerID     string // "" once the uploader's account is deleted
	Kind        Kind
	Filename    string
	ContentType string
	Size        int64
	SHA256      string // hex; the client's claim until processing checks it
	Status      Status
	Failure     string // why processing failed, for people
	ObjectKey   string
	Secret      string // keys the upload URL and the signed file URLs
	Width       int    // images and video
	Height      int
	Duration    time.Duration // audio and video
	Bitrate     int           // audio, bits per second
	Pages       int           // PDFs
	Peaks       []int         // audio waveform, 0-100 per slice
	Variants    []Variant     // images
	ExpiresAt   time.Time     // when an unfinished upload is given up
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Variant is a processed version of an image.
type Variant struct {
	Name        string `json:"name"` // "640.webp": unique within the medium
	Key         string `json:"key"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Store keeps media rows.
type Store interface {
	CreateMedium(ctx context.Context, m *Medium) error
	// MediumByID returns the medium, or a NotFound error.
	MediumByID(ctx context.Context, id string) (*Medium, error)
	// UpdateMedium writes m's status, failure, checksum, metadata and
	// variants, and fails with a Conflict error unless its status was
	// from when read.
	UpdateMedium(ctx context.Context, m *Medium, from Status) error
	DeleteMedium(ctx context.Context, id string) error
	// StoredBytes is the size of ownerID's media that are not failed.
	StoredBytes(ctx context.Context, ownerID string) (int64, error)
	// MediumPublished reports whether published content uses the medium:
	// as the cover or an item of a published revision, or the photo of an
	// author of one.
	MediumPublished(ctx context.Context, id string) (bool, error)
	// AbandonedUploads lists media still uploading whose time ran out
	// before, and media without owner (their owner deleted their account,
	// or the command line imported them) created before orphanedBefore
	// that nothing references (MediumReferenced), oldest first.
	AbandonedUploads(ctx context.Context, before, orphanedBefore time.Time, limit int) ([]*Medium, error)
	// MediaByIDs returns the media among ids, in any order.
	MediaByIDs(ctx context.Context, ids []string) ([]*Medium, error)
	// PublishedMedia returns those of ids that published content uses,
	// as MediumPublished says.
	PublishedMedia(ctx context.Context, ids []string) ([]string, error)
	// MediumReferenced reports whether any plan or author references the
	// medium: a plan's revision being written, in review or published, or
	// an author's photo.
	MediumReferenced(ctx context.Context, id string) (bool, error)
	// MediaOf lists ownerID's media.
	MediaOf(ctx context.Context, ownerID string) ([]*Medium, error)
}

// Queue enqueues background jobs; *jobs.Queue is one.
type Queue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// Limits bound uploads.
type Limits struct {
	// MaxSize is the largest file of each kind, in bytes.
	MaxSize map[Kind]int64
	// Quota is how many bytes of media one person may keep (0: no limit).
	Quota int64
	// UploadFor is how long an upload URL works, and how long an upload
	// may take before it is given up.
	UploadFor time.Duration
	// FileURLFor is how long a signed URL of a private file works.
	FileURLFor time.Duration
}

// DefaultLimits are the limits unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{
		MaxSize:    map[Kind]int64{Image: 20 << 20, Audio: 500 << 20, Video: 2 << 30, PDF: 50 << 20},
		Quota:      10 << 30,
		UploadFor:  time.Hour,
		FileURLFor: time.Hour,
	}
}

// Deps are what the Service needs.
type Deps struct {
	Store Store
	Blobs blob.Store
	// Queue runs processing; set later with SetQueue when the queue needs
	// the Service's workers first.
	Queue  Queue
	Limits Limits
	// BaseURL is this API's public URL, for upload and file URLs on the
	// local store.
	BaseURL string
	// CDNBaseURL, when set, is where published media are fetched from:
	// a CDN in front of the S3 bucket, with object keys appended.
	CDNBaseURL string
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service holds the media rules.
type Service struct {
	store  Store
	blobs  blob.Store
	queue  Queue
	limits Limits
	base   string
	cdn    string
	now    func() time.Time
	logger *slog.Logger
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Limits.MaxSize == nil {
		d.Limits = DefaultLimits()
	}
	return &Service{store: d.Store, blobs: d.Blobs, queue: d.Queue, limits: d.Limits, base: d.BaseURL, cdn: d.CDNBaseURL,
		now: d.Now, logger: d.Logger}
}

// SetQueue gives the Service its job queue once it exists.
func (s *Service) SetQueue(q Queue) { s.queue = q }
