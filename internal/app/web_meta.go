package app

import (
	"net/http"
	"path"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/markdown"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/web"
)

// shareWidth is the width of the cover variant that link previews show:
// large enough for the big cards of social sites.
const shareWidth = 1280

// shareDescriptionRunes bounds a description taken from the start of a
// plan's text; previews cut theirs shorter still.
const shareDescriptionRunes = 200

// planPageMeta describes the page of a published plan, /plans/{slug},
// for the previews of shared links: its title, its subtitle (or the start
// of its description), its cover and its address under base (the app's
// public URL). Other pages, and slugs that are no published plan, get no
// description: the page as built.
func (m *Main) planPageMeta(base string) func(r *http.Request) (*web.PageMeta, error) {
	return func(r *http.Request) (*web.PageMeta, error) {
		slug, ok := strings.CutPrefix(path.Clean(r.URL.Path), "/plans/")
		if !ok || slug == "" || strings.Contains(slug, "/") {
			return nil, nil
		}
		pp, err := m.catalog.Plan(r.Context(), slug)
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		meta := &web.PageMeta{Title: pp.Revision.Title, Description: shareDescription(pp.Revision),
			URL: base + "/plans/" + pp.Plan.Slug}
		if id := pp.Revision.CoverMediaID; id != "" {
			views, err := m.media.Views(r.Context(), []string{id})
			if err != nil {
				return nil, err
			}
			if v := views[id]; v != nil && v.Public {
				if img := shareImage(v); img != nil {
					meta.Image, meta.ImageWidth, meta.ImageHeight = img.URL, img.Width, img.Height
				}
			}
		}
		return meta, nil
	}
}

// shareDescription is what a preview says of a plan: its subtitle, or else
// the start of its description as plain text.
func shareDescription(r *catalog.Revision) string {
	if r.Subtitle != "" {
		return r.Subtitle
	}
	text := []rune(markdown.Text(r.DescriptionHTML))
	if len(text) <= shareDescriptionRunes {
		return string(text)
	}
	cut := string(text[:shareDescriptionRunes])
	if i := strings.LastIndexByte(cut, ' '); i > shareDescriptionRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// shareImage is the cover's JPEG variant that previews show: the one
// shareWidth wide, or the widest there is when the image is smaller. JPEG
// because not every site that draws previews reads WebP. Nil before the
// variants are made.
func shareImage(v *media.View) *media.VariantView {
	var best *media.VariantView
	for i := range v.Variants {
		vv := &v.Variants[i]
		if vv.ContentType != "image/jpeg" || vv.Width > shareWidth {
			continue
		}
		if best == nil || vv.Width > best.Width {
			best = vv
		}
	}
	return best
}
