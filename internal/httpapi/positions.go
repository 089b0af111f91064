package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

type positionInput struct {
	ID   string `path:"id" maxLength:"64"`
	Item string `path:"item_id" maxLength:"64"`
}

type putPositionInput struct {
	ID   string `path:"id" maxLength:"64"`
	Item string `path:"item_id" maxLength:"64"`
	Body struct {
		PositionMS int64     `json:"position_ms" minimum:"0" maximum:"86400000" doc:"Where playback stopped, in milliseconds from the start."`
		At         time.Time `json:"at,omitempty" required:"false" doc:"When the device was there (its clock); a save older than the stored one is ignored."`
	}
}

// PositionBody is where someone stopped in an audio or video item.
type PositionBody struct {
	ItemID     string     `json:"item_id"`
	PositionMS int64      `json:"position_ms" doc:"0 when nothing was saved."`
	UpdatedAt  *time.Time `json:"updated_at,omitempty" doc:"When it was saved; absent when nothing was."`
}

type positionOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         PositionBody
}

func toPositionOutput(p *practice.Position) *positionOutput {
	out := &positionOutput{CacheControl: "no-store", Body: PositionBody{ItemID: p.ItemID, PositionMS: p.Millis}}
	if !p.UpdatedAt.IsZero() {
		at := p.UpdatedAt
		out.Body.UpdatedAt = &at
	}
	return out
}

func registerPositions(api huma.API, pr *practice.Service, fail func(context.Context, error) error) {
	tags := []string{"Practice"}
	const path = "/v1/enrollments/{id}/items/{item_id}/position"
	huma.Register(api, protect(huma.Operation{
		OperationID: "get-position", Method: http.MethodGet, Path: path, Tags: tags,
		Summary:     "Where I stopped in an item",
		Description: "Where playback of an audio or video item stopped, as last saved from any of your devices (0 when never saved).",
		Errors:      []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *positionInput) (*positionOutput, error) {
		pos, err := pr.ItemPosition(ctx, principal(ctx), in.ID, in.Item)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return toPositionOutput(pos), nil
	})
	huma.Register(api, protect(huma.Operation{
		OperationID: "put-position", Method: http.MethodPut, Path: path, Tags: tags,
		Summary: "Save where I stopped in an item",
		Description: "Saves where playback of an audio or video item stopped, so that any device resumes there. " +
			"A save dated (at) before the stored one, from an offline device syncing late, leaves the newer position; the answer is the position kept.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *putPositionInput) (*positionOutput, error) {
		pos, err := pr.SavePosition(ctx, principal(ctx), practice.PositionSave{Enrollment: in.ID, Item: in.Item,
			Millis: in.Body.PositionMS, At: in.Body.At})
		if err != nil {
			return nil, fail(ctx, err)
		}
		return toPositionOutput(pos), nil
	})
}
