package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// ProblemTypeBase prefixes every problem type URI. The URIs are stable: a
// client may switch on them.
const ProblemTypeBase = "https://dharmaplans.org/problems/"

// Problem is an RFC 9457 problem document, served as application/problem+json.
type Problem struct {
	Type      string              `json:"type" format:"uri" doc:"Stable URI naming the kind of problem; switch on this, not on title or detail." example:"https://dharmaplans.org/problems/not-found"`
	Title     string              `json:"title" doc:"Short summary of the problem type." example:"Not Found"`
	Status    int                 `json:"status" doc:"HTTP status code." example:"404"`
	Detail    string              `json:"detail,omitempty" doc:"What went wrong this time, safe to show to a person." example:"plan not found"`
	Instance  string              `json:"instance,omitempty" doc:"The request path."`
	RequestID string              `json:"request_id,omitempty" doc:"The request's id, also in the X-Request-ID header; quote it when reporting a problem."`
	Errors    []*huma.ErrorDetail `json:"errors,omitempty" doc:"Every invalid field at once, for validation problems."`
}

// Error implements error.
func (p *Problem) Error() string { return p.Detail }

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType implements huma.ContentTypeFilter.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// statusCodes is the one table from error codes to HTTP statuses.
var statusCodes = map[errs.Code]int{
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Forbidden:       http.StatusForbidden,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.TooLarge:        http.StatusRequestEntityTooLarge,
	errs.RateLimited:     http.StatusTooManyRequests,
	errs.Unavailable:     http.StatusServiceUnavailable,
	errs.Internal:        http.StatusInternalServerError,
}

// typeSlugs names problem types for statuses that don't come from an
// errs.Code (huma's own errors: malformed JSON, unsupported media type...).
var typeSlugs = map[int]string{
	http.StatusBadRequest:            "bad-request",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusNotAcceptable:         "not-acceptable",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusRequestEntityTooLarge: string(errs.TooLarge),
	http.StatusUnprocessableEntity:   string(errs.Invalid),
}

func init() {
	for code, status := range statusCodes {
		if _, ok := typeSlugs[status]; !ok {
			typeSlugs[status] = string(code)
		}
	}
	// Every error huma writes (validation, malformed bodies, our own) is a
	// Problem with a stable type and the request id.
	huma.NewError = func(status int, msg string, details ...error) huma.StatusError {
		return newProblem(context.Background(), status, msg, details...)
	}
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, details ...error) huma.StatusError {
		var ctx context.Context = context.Background()
		path := ""
		if hctx != nil {
			ctx = hctx.Context()
			path = hctx.URL().Path
		}
		p := newProblem(ctx, status, msg, details...)
		p.Instance = path
		return p
	}
}

func newProblem(ctx context.Context, status int, msg string, details ...error) *Problem {
	slug, ok := typeSlugs[status]
	typ := "about:blank"
	if ok {
		typ = ProblemTypeBase + slug
	}
	p := &Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: msg, RequestID: RequestID(ctx)}
	for _, d := range details {
		if d == nil {
			continue
		}
		var ed huma.ErrorDetailer
		if errors.As(d, &ed) {
			p.Errors = append(p.Errors, ed.ErrorDetail())
		} else {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Message: d.Error()})
		}
	}
	return p
}

// Fail turns an error from a feature into the problem the client sees.
// Errors with a code keep their message; anything else is logged with the
// request id and shown as a bare internal error.
func Fail(ctx context.Context, logger *slog.Logger, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal {
		logger.ErrorContext(ctx, "internal error", "request_id", RequestID(ctx), "error", err.Error())
		p := newProblem(ctx, http.StatusInternalServerError, "something went wrong on our side; quote the request id if you report it")
		p.Instance = requestPath(ctx)
		return p
	}
	status := statusCodes[e.Code]
	if e.Code == errs.Unavailable {
		logger.WarnContext(ctx, "dependency unavailable", "request_id", RequestID(ctx), "error", err.Error())
	}
	var details []error
	for _, f := range e.Fields {
		details = append(details, &huma.ErrorDetail{Location: f.Field, Message: f.Message})
	}
	p := newProblem(ctx, status, e.Message, details...)
	p.Instance = requestPath(ctx)
	headers := http.Header{}
	if e.RetryAfter > 0 {
		headers.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if status == http.StatusUnauthorized {
		headers.Set("WWW-Authenticate", `Bearer realm="dharmaplans"`)
	}
	if len(headers) > 0 {
		return huma.ErrorWithHeaders(p, headers)
	}
	return p
}

// writeProblem writes a problem outside huma (router fallbacks, middleware).
func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	p := newProblem(r.Context(), status, detail)
	p.Instance = r.URL.Path
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = jsonEncode(w, p)
}
