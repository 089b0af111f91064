package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humachi"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/catalog/planfile"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/media"
)

// maxPlanZip is the most a plan folder zip sent to import may be.
const maxPlanZip = 200 << 20

// PlanZipLimit is how large a plan folder zip sent to import may be: the
// largest media file limits allow, or 200 MB, whichever is smaller.
func PlanZipLimit(l media.Limits) int64 {
	n := int64(0)
	for _, size := range l.MaxSize {
		n = max(n, size)
	}
	return min(n, maxPlanZip)
}

// planZipTransfer bounds sending or receiving a plan folder zip, which may
// take longer than the server's timeouts for ordinary requests.
const planZipTransfer = time.Hour

// planImportPath takes a plan folder zip; the body limit of other
// requests does not apply to it.
const planImportPath = "/v1/studio/plans/import"

// isPlanImport reports whether r sends a plan folder zip to import.
func isPlanImport(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == planImportPath
}

// zipTypes are the content types a plan folder zip may come as (browsers
// on Windows name zips the second way).
var zipTypes = []string{"application/zip", "application/x-zip-compressed"}

// importPlanInput is a plan folder zip: the body is read as it arrives
// into a temporary file, never held whole.
type importPlanInput struct {
	ContentType string `header:"Content-Type"`
	body        io.Reader
	length      int64 // -1: unknown
}

// Resolve keeps the request body for the handler, and gives a large
// archive time to arrive.
func (in *importPlanInput) Resolve(ctx huma.Context) []error {
	r, w := humachi.Unwrap(ctx)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(planZipTransfer))
	_ = rc.SetWriteDeadline(time.Now().Add(planZipTransfer))
	in.body, in.length = ctx.BodyReader(), r.ContentLength
	return nil
}

func registerStudioFiles(api huma.API, cat *catalog.Service, md *media.Service, views mediaViews, maxZip int64, fail func(context.Context, error) error) {
	tags := []string{"Studio"}
	if maxZip <= 0 {
		maxZip = maxPlanZip
	}
	limits := planfile.ZipLimits{MaxEntries: planfile.DefaultZipLimits.MaxEntries,
		MaxFileBytes:  min(planfile.DefaultZipLimits.MaxFileBytes, maxZip),
		MaxTotalBytes: min(planfile.DefaultZipLimits.MaxTotalBytes, 2*maxZip)}

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-import-plan", Method: http.MethodPost, Path: planImportPath, Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Import a plan folder",
		Description: "Imports a plan folder (docs/plan-format.md: plan.yaml, days/001.md..., media/) sent as a zip archive, as a new draft of yours, " +
			"all or nothing. The folder may be at the archive's root or inside its one top folder. Send the archive as the body with " +
			"`Content-Type: application/zip`; it may be at most " + sizeText(maxZip) + ", its files at most " + sizeText(limits.MaxFileBytes) + " each and " +
			sizeText(limits.MaxTotalBytes) + " together uncompressed, " + strconv.Itoa(limits.MaxEntries) + " entries. " +
			"Every problem is reported at once (422): each error's `location` is the file as the archive names it, with `:line` when the problem is on one " +
			"line (`bells/days/003.md:4`), or `body` for the archive as a whole; its `message` names the key. Archives with unsafe names (`../`, absolute " +
			"paths), links, or files larger than they declare are refused. The files of media/ are stored as your media, as uploads are (your quota " +
			"applies). Authors may name only authors this server knows; admins may name new ones, who are added. A slug already taken moves to a free one. " +
			"Answers the new plan as GET /v1/studio/plans/{id} does.",
		RequestBody: &huma.RequestBody{Description: "The plan folder as a zip archive.", Required: true,
			Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
		Errors: []int{http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusConflict, http.StatusUnprocessableEntity},
	}, identity.AuthorPlans), func(ctx context.Context, in *importPlanInput) (*studioPlanOutput, error) {
		if ct, _, _ := mime.ParseMediaType(in.ContentType); !isZipType(ct) {
			return nil, huma.Error415UnsupportedMediaType("send the plan folder as a zip archive, with Content-Type: application/zip")
		}
		if in.length > maxZip {
			return nil, fail(ctx, tooLargeArchive(maxZip))
		}
		f, n, err := spool(in.body, maxZip)
		if f != nil {
			defer func() { f.Close(); os.Remove(f.Name()) }()
		}
		if err != nil {
			return nil, fail(ctx, err)
		}
		a, err := planfile.OpenZip(f, n, limits)
		if err != nil {
			return nil, fail(ctx, archiveProblems(nil, err))
		}
		c, err := a.Read()
		if err != nil {
			return nil, fail(ctx, archiveProblems(a, err))
		}
		p := principal(ctx)
		e, err := cat.ImportDraft(ctx, p, c, &zipMedia{archive: a, svc: md, p: p})
		if err != nil {
			return nil, fail(ctx, archiveProblems(a, err))
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return out, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-export-plan", Method: http.MethodGet, Path: "/v1/studio/plans/{id}/export", Tags: tags,
		Summary: "Export a plan folder",
		Description: "The plan as a plan folder in a zip archive, `<slug>.zip`: the folder `<slug>/` holds plan.yaml, days/001.md... and media/ with the " +
			"files of its cover and recordings, which plan.yaml and the days reference by path. It is the revision the studio shows (the one being " +
			"written or reviewed, or else the published one), and it imports back with POST /v1/studio/plans/import or `dharmaplans plan import`. " +
			"Plans you may not edit are not found.",
		Responses: map[string]*huma.Response{
			"200": {Description: "The zip archive, streamed.", Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
		},
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, identity.AuthorPlans), func(ctx context.Context, in *planIDInput) (*huma.StreamResponse, error) {
		p := principal(ctx)
		c, updated, err := cat.ExportDraft(ctx, p, in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		names, err := mediaNames(ctx, md, c)
		if err != nil {
			return nil, fail(ctx, err)
		}
		z, err := planfile.NewZip(c, c.Slug, names)
		if err != nil {
			return nil, fail(ctx, err)
		}
		z.Modified = updated
		var files planfile.Media // used only for media, which need md
		if md != nil {
			files = md.Files(p)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			_, w := humachi.Unwrap(hctx)
			_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(planZipTransfer))
			hctx.SetHeader("Content-Type", "application/zip")
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.Slug + ".zip"}))
			hctx.SetHeader("Cache-Control", "no-store")
			hctx.SetHeader("X-Content-Type-Options", "nosniff")
			hctx.SetStatus(http.StatusOK)
			if err := z.Write(ctx, hctx.BodyWriter(), files); err != nil {
				// The answer has begun: all that is left is to break it off,
				// so that the client sees a failed download, not a zip cut
				// short. (A client that went away is no failure of ours.)
				if ctx.Err() == nil {
					_ = fail(ctx, fmt.Errorf("exporting plan %s: %w", in.ID, err))
				}
				panic(http.ErrAbortHandler)
			}
		}}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "studio-get-published-revision", Method: http.MethodGet, Path: "/v1/studio/plans/{id}/published", Tags: tags,
		Summary: "The published revision of a plan",
		Description: "The plan as readers see it now, in the same shape as GET /v1/studio/plans/{id}, which shows the revision being written or " +
			"reviewed: compare the two to see what changed since it was published (the review queue's diff). Items and tasks keep their ids " +
			"from one revision to the next. A plan never published has none (404, saying so). Plans you may not edit are not found.",
		Errors: []int{http.StatusNotFound},
	}, identity.AuthorPlans), func(ctx context.Context, in *planIDInput) (*publishedRevisionOutput, error) {
		e, err := cat.PublishedRevision(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out, err := studioOut(ctx, views, e)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &publishedRevisionOutput{CacheControl: "no-store", Body: out.Body}, nil
	})
}

// publishedRevisionOutput is a plan with its published revision: no ETag,
// as it is not the revision a studio write changes.
type publishedRevisionOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *StudioPlanBody
}

func isZipType(ct string) bool {
	for _, t := range zipTypes {
		if ct == t {
			return true
		}
	}
	return false
}

// spool copies body into a temporary file, for the zip reader to read at
// will, refusing more than limit bytes. The caller closes and removes the
// file, which comes back also with an error.
func spool(body io.Reader, limit int64) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "dharmaplans-plan-*.zip")
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(f, io.LimitReader(body, limit+1))
	switch {
	case err != nil:
		return f, n, errs.Wrap(err, errs.Invalid, "the archive did not arrive whole")
	case n > limit:
		return f, n, tooLargeArchive(limit)
	case n == 0:
		return f, n, errs.Validation(errs.FieldError{Field: "body", Message: "send the plan folder as a zip archive"})
	}
	return f, n, nil
}

func tooLargeArchive(limit int64) error {
	return errs.E(errs.TooLarge, "the archive is larger than %s, the most a plan archive may be", sizeText(limit))
}

// archiveProblems turns what went wrong with an archive into the problem
// the client sees: problems with its files and catalog validation errors
// become field errors located at the files of archive a (nil before the
// plan folder was found), as the archive names them. Other errors stay as
// they are.
func archiveProblems(a *planfile.Archive, err error) error {
	at := func(file string) string {
		if a != nil {
			return a.Path(file)
		}
		return file
	}
	var fields []errs.FieldError
	if list, ok := planfile.Problems(err); ok {
		for _, p := range list {
			loc := p.File
			switch {
			case loc == "":
				loc = "body"
			case p.Line > 0:
				loc += ":" + strconv.Itoa(p.Line)
			}
			fields = append(fields, errs.FieldError{Field: loc, Message: p.Msg})
		}
		return &errs.Error{Code: errs.Invalid, Message: "the plan archive has problems; nothing was imported", Fields: fields}
	}
	var me *planfile.MediaError
	var e *errs.Error
	switch {
	case errors.As(err, &me):
		msg := me.Err.Error()
		code := errs.Internal
		if errors.As(me.Err, &e) {
			msg, code = e.Message, e.Code
			if len(e.Fields) > 0 {
				var parts []string
				for _, f := range e.Fields {
					parts = append(parts, f.Message)
				}
				msg = strings.Join(parts, "; ")
			}
		}
		switch code {
		case errs.Invalid:
			return &errs.Error{Code: errs.Invalid, Message: "the plan archive has problems; nothing was imported",
				Fields: []errs.FieldError{{Field: me.File, Message: me.Key + ": " + me.Ref + ": " + msg}}}
		case errs.Internal:
			return err
		}
		return &errs.Error{Code: code, Message: me.File + ": " + me.Ref + ": " + msg + "; nothing was imported", RetryAfter: e.RetryAfter, Err: err}
	case errors.As(err, &e) && e.Code == errs.Invalid && len(e.Fields) > 0:
		for _, f := range e.Fields {
			file, key := planfile.FieldFile(f.Field)
			fields = append(fields, errs.FieldError{Field: at(file), Message: key + ": " + f.Message})
		}
		return &errs.Error{Code: errs.Invalid, Message: "the plan archive has problems; nothing was imported", Fields: fields}
	}
	return err
}

// zipMedia stores the media files of a plan archive as p's, and deletes
// them again should the import fail.
type zipMedia struct {
	archive *planfile.Archive
	svc     *media.Service
	p       *identity.Principal
	stored  []string
}

func (z *zipMedia) Attach(ctx context.Context, c *catalog.PlanContent) error {
	if z.svc == nil {
		for _, ref := range append([]string{c.CoverMediaID}, itemMedia(c)...) {
			if planfile.IsMediaFile(ref) {
				return errs.E(errs.Unavailable, "this server keeps no media files")
			}
		}
		return nil
	}
	var err error
	z.stored, err = z.archive.StoreMedia(ctx, c, z.svc.Files(z.p))
	return err
}

func (z *zipMedia) Detach(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	for _, id := range z.stored {
		_ = z.svc.Delete(ctx, z.p, id) // what is left is pruned with abandoned uploads
	}
}

func itemMedia(c *catalog.PlanContent) []string {
	var out []string
	for _, d := range c.Days {
		for _, it := range d.Items {
			out = append(out, it.MediaID)
		}
	}
	return out
}

// mediaNames looks up the names of every medium c references at once, and
// returns them one by one for planfile.NewZip. A medium without a file
// (never finished, or refused) is a conflict: the plan should not
// reference it.
func mediaNames(ctx context.Context, md *media.Service, c *catalog.PlanContent) (func(id string) (string, error), error) {
	var ids []string
	for _, id := range append([]string{c.CoverMediaID}, itemMedia(c)...) {
		if id != "" {
			ids = append(ids, id)
		}
	}
	found := map[string]*media.View{}
	if md != nil && len(ids) > 0 {
		var err error
		if found, err = md.Views(ctx, ids); err != nil {
			return nil, err
		}
	}
	return func(id string) (string, error) {
		v := found[id]
		switch {
		case v == nil:
			return "", errs.E(errs.Conflict, "the plan references media %s, which is gone: replace it, then export again", id)
		case v.Medium.Status == media.Uploading || v.Medium.Status == media.Failed:
			return "", errs.E(errs.Conflict, "the plan references media %s (%s), which has no file (it is %s): replace it, then export again",
				id, v.Medium.Filename, v.Medium.Status)
		}
		return v.Medium.Filename, nil
	}, nil
}

// sizeText is n bytes for people: "200 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GB"
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
