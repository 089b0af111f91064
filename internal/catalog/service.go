package catalog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/markdown"
)

// PreviewDays is how many days of a published plan anyone may read before
// enrolling.
const PreviewDays = 2

// CacheTTL bounds how long a public read is kept in the cache. Publishing
// and archiving invalidate at once; the TTL only limits the life of an
// entry written in a race with a publication.
const CacheTTL = 10 * time.Minute

// Reader decides who may read the days of a published plan beyond the
// preview. The practice feature answers it with enrolments.
type Reader interface {
	CanRead(ctx context.Context, p *identity.Principal, plan *Plan) (bool, error)
}

// SignedIn is the Reader used until enrolments exist: anyone signed in
// may read every day.
type SignedIn struct{}

// CanRead implements Reader.
func (SignedIn) CanRead(_ context.Context, p *identity.Principal, _ *Plan) (bool, error) {
	return p != nil, nil
}

// Media checks the media that plans and authors reference (covers,
// recordings, photos); the media feature answers it.
type Media interface {
	// Attachable returns why p may not reference medium id where a medium
	// of kind (image, audio, video, pdf) is wanted, or "" when p may. A nil
	// p is the operator at the command line, who may use any medium.
	Attachable(ctx context.Context, p *identity.Principal, id, kind string) (string, error)
}

// Deps are what the Service uses.
type Deps struct {
	Store Store
	// Media checks media references; nil checks only their form (for a
	// catalogue without media).
	Media Media
	// Cache keeps public reads; nil means a small cache in memory.
	Cache cache.Cache
	// Reader gates days beyond the preview; nil means SignedIn.
	Reader Reader
	// Audit records administrators' decisions on plans and changes to
	// authors; nil: audit.Discard.
	Audit audit.Recorder
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service holds the catalog's rules.
type Service struct {
	store   Store
	cache   cache.Cache
	decoded *otter.Cache[string, any] // recent cache hits, decoded
	reader  Reader
	media   Media
	audit   audit.Recorder
	now     func() time.Time
	logger  *slog.Logger
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Reader == nil {
		d.Reader = SignedIn{}
	}
	if d.Cache == nil {
		d.Cache = cache.NewMemory(10_000)
	}
	if d.Audit == nil {
		d.Audit = audit.Discard
	}
	return &Service{store: d.Store, cache: d.Cache, reader: d.Reader, media: d.Media, audit: d.Audit, now: d.Now, logger: d.Logger,
		decoded: otter.Must(&otter.Options[string, any]{MaximumSize: 10_000, ExpiryCalculator: otter.ExpiryWriting[string, any](CacheTTL)})}
}

// SetReader replaces the gate on days beyond the preview.
func (s *Service) SetReader(r Reader) { s.reader = r }

// SetMedia sets what checks media references.
func (s *Service) SetMedia(m Media) { s.media = m }

// checkMedia reports under field why p may not reference medium id as
// kind. An empty id references nothing; a malformed one is left to the
// form checks.
func (s *Service) checkMedia(ctx context.Context, p *identity.Principal, pr *problems, field, id, kind string) error {
	if s.media == nil || id == "" || pr.has(field) {
		return nil
	}
	why, err := s.media.Attachable(ctx, p, id, kind)
	if err != nil {
		return err
	}
	if why != "" {
		pr.add(field, "%s", why)
	}
	return nil
}

// NewID returns a new identifier: a UUIDv7, which sorts by creation time.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether id could be one of ours, so that a malformed id
// answers not found without a query.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// Slugify derives a slug from a title: lower case, diacritics folded
// ("Mettā" -> "metta"), words joined by hyphens, at most MaxSlug bytes and
// cut between words.
func Slugify(title string) string {
	folded, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), title)
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxSlug {
		// Cut at a word boundary rather than in a word.
		s = s[:MaxSlug+1]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		} else {
			s = s[:MaxSlug]
		}
	}
	if s == "" {
		s = "plan"
	}
	return s
}

// freeSlug returns base if no plan has it, else the first free base-N.
func (s *Service) freeSlug(ctx context.Context, base string) (string, error) {
	taken, err := s.store.SlugsLike(ctx, base)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	if !used[base] {
		return base, nil
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		cand := base
		if len(cand)+len(suffix) > MaxSlug {
			cand = strings.TrimRight(cand[:MaxSlug-len(suffix)], "-")
		}
		cand += suffix
		if !used[cand] {
			return cand, nil
		}
	}
}

// render fills in the HTML of every Markdown field of r.
func render(r *Revision) {
	r.DescriptionHTML = markdown.HTML(r.Description)
	for i := range r.Days {
		renderDay(&r.Days[i])
	}
}

func renderDay(d *Day) {
	d.IntroHTML = markdown.HTML(d.Intro)
	for i := range d.Items {
		d.Items[i].BodyHTML = markdown.HTML(d.Items[i].Body)
		d.Items[i].RootHTML = markdown.HTML(d.Items[i].RootText)
	}
	for i := range d.Tasks {
		d.Tasks[i].PromptHTML = markdown.HTML(d.Tasks[i].Prompt)
	}
}

// genKey holds the generation of the public catalogue in the cache. Every
// cached public read names the generation it was read in; publishing,
// archiving and changing an author start a new generation, so every
// replica stops using older entries at once.
const genKey = "catalog:gen"

// generation returns the current generation, starting one if the cache
// has none.
func (s *Service) generation(ctx context.Context) string {
	if g, ok := s.cache.Get(ctx, genKey); ok && len(g) > 0 {
		return string(g)
	}
	return s.newGeneration(ctx)
}

// newGeneration invalidates every cached public read.
func (s *Service) newGeneration(ctx context.Context) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	g := hex.EncodeToString(b)
	// Longer than any entry lives, so entries never outlive their generation.
	s.cache.Set(context.WithoutCancel(ctx), genKey, []byte(g), 24*time.Hour)
	return g
}

// cacheKey names a public read in the current generation.
func (s *Service) cacheKey(ctx context.Context, parts ...string) string {
	return fmt.Sprintf("catalog:%s:%s", s.generation(ctx), strings.Join(parts, ":"))
}

// allow reports whether p may edit plan, whose editable revision is r:
// admins, the account that created it, and accounts linked to one of its
// authors.
func (s *Service) allow(ctx context.Context, p *identity.Principal, plan *Plan, authorIDs ...[]string) (bool, error) {
	if p == nil {
		return false, nil
	}
	if p.Role == identity.RoleAdmin || plan.CreatedBy == p.UserID {
		return true, nil
	}
	me, err := s.store.AuthorByUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, ids := range authorIDs {
		for _, id := range ids {
			if id == me.ID {
				return true, nil
			}
		}
	}
	return false, nil
}

// notFound is how a plan someone may not see answers: as if absent.
func notFound() error { return errs.E(errs.NotFound, "plan not found") }

// clock is the time now in UTC to the microsecond, the finest both engines
// keep, so what is stored compares equal to what was written.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func isNotFound(err error) bool { return errs.Is(err, errs.NotFound) }
