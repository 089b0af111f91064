package httpapi

import (
	"context"

	"github.com/dharmaplans/dharmaplans/internal/media"
)

// Plans, days and authors reference media by id; their answers carry the
// media too (URLs, srcset, duration, waveform), so that a client draws a
// plan card's cover or plays a day's talk without asking again.

// mediaViews looks up media by id; nil when the server has no media.
type mediaViews func(ctx context.Context, ids []string) (map[string]*media.View, error)

func mediaViewsOf(svc *media.Service) mediaViews {
	if svc == nil {
		return nil
	}
	return svc.Views
}

// mediaRefs gathers the media references of an answer being built, to
// fill them all in with one lookup. The answer's slices must not grow
// after their elements are added.
type mediaRefs map[string][]**MediaBody

func (r mediaRefs) add(id string, dst **MediaBody) {
	if id != "" {
		r[id] = append(r[id], dst)
	}
}

func (r mediaRefs) card(c *PlanCard)     { r.add(c.CoverMediaID, &c.Cover) }
func (r mediaRefs) author(a *AuthorBody) { r.add(a.PhotoMediaID, &a.Photo) }
func (r mediaRefs) items(items []ItemBody) {
	for i := range items {
		r.add(items[i].MediaID, &items[i].Media)
	}
}

func (r mediaRefs) cards(cs []PlanCard) {
	for i := range cs {
		r.card(&cs[i])
	}
}

func (r mediaRefs) authors(as []AuthorBody) {
	for i := range as {
		r.author(&as[i])
	}
}

// fill sets every gathered reference to its medium. A medium that is gone
// leaves its reference empty: the id alone says what was there.
func (r mediaRefs) fill(ctx context.Context, views mediaViews) error {
	if views == nil || len(r) == 0 {
		return nil
	}
	ids := make([]string, 0, len(r))
	for id := range r {
		ids = append(ids, id)
	}
	found, err := views(ctx, ids)
	if err != nil {
		return err
	}
	for id, dsts := range r {
		v, ok := found[id]
		if !ok {
			continue
		}
		b := toMediaBody(v)
		for _, dst := range dsts {
			*dst = &b
		}
	}
	return nil
}
