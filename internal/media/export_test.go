package media

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// MaxAttempts is how often processing is tried.
const MaxAttempts = maxAttempts

// ProcessAttempt runs the processing job of medium id as River runs its
// attempt-th try.
func (s *Service) ProcessAttempt(ctx context.Context, id string, attempt int) error {
	w := &processWorker{s: s}
	return w.Work(ctx, &river.Job[processArgs]{JobRow: &rivertype.JobRow{Attempt: attempt}, Args: processArgs{MediaID: id}})
}
