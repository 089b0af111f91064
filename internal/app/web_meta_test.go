package app_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// A link to a plan shared on a social site or in a messenger previews with
// the plan's title, words and cover: the server writes them into the page,
// since the crawlers that draw previews do not run the app. The test binary
// embeds whatever web/dist holds (the built app, or only the page saying how
// to build it); both are served with the plan's tags, so the test holds
// either way and checks only what the server writes.
func TestSharedPlanLinksPreviewWithTheirCover(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)

		cover := upload(t, s, author, "cover.png", "image/png", drawnPNG(t, 1600, 800))
		hostile := `Mettā "for all" <script>alert(1)</script> & friends`
		metta := readyPlan(t, s, author, map[string]any{"title": hostile, "tradition": "theravada",
			"description": "A **week** of loving-kindness, one phrase at a time.\n\nThen *rest*. " + strings.Repeat("May all beings be well. ", 12)}, 2)
		studioDo(t, s, author, http.StatusOK, http.MethodPatch, planPath(metta.ID), map[string]any{"cover_media_id": cover.ID})
		publish(t, s, author, admin, metta.ID)
		zen := publishedPlan(t, s, author, admin, map[string]any{"title": "Five Days of Zen Sitting", "tradition": "zen",
			"subtitle": "Just sit, a little longer each day", "description": "Sitting."}, 1)

		page := decode[pageMedia](t, get(t, s, nil, http.StatusOK, "/v1/plans/"+metta.Slug))
		var image string
		for _, v := range page.Cover.Variants {
			if v.ContentType == "image/jpeg" && v.Width == 1280 {
				image = v.URL
			}
		}
		if !strings.HasPrefix(image, s.URL+"/") {
			t.Fatalf("the cover has no absolute 1280 px JPEG: %+v", page.Cover.Variants)
		}

		t.Run("a plan with a cover: a large card with the cover, its words escaped", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/plans/" + metta.Slug})
			body := string(res.Body)
			for _, want := range []string{
				`<meta property="og:title" content="` + html.EscapeString(hostile) + `">`,
				`<title>` + html.EscapeString(hostile) + ` · `,
				// The start of the description, as plain text, cut between words.
				`<meta property="og:description" content="A week of loving-kindness, one phrase at a time. Then rest. May all beings be well.`,
				`May all beings be…">`,
				`<meta property="og:image" content="` + html.EscapeString(image) + `">`,
				`<meta property="og:image:width" content="1280">`,
				`<meta property="og:url" content="` + s.URL + "/plans/" + metta.Slug + `">`,
				`<meta property="og:type" content="website">`,
				`<meta name="twitter:card" content="summary_large_image">`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %s\n%s", want, body)
				}
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("the title's markup reached the page:\n%s", body)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", cc)
			}
			again := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/plans/" + metta.Slug,
				Header: http.Header{"If-None-Match": {res.Header.Get("ETag")}}})
			if again.Status != http.StatusNotModified {
				t.Errorf("revalidating the unchanged page: %d, want 304", again.Status)
			}
		})

		t.Run("a plan without a cover: a small card with its subtitle", func(t *testing.T) {
			body := string(s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/plans/" + zen.Slug}).Body)
			for _, want := range []string{
				`<meta property="og:title" content="Five Days of Zen Sitting">`,
				`<meta property="og:description" content="Just sit, a little longer each day">`,
				`<meta name="twitter:card" content="summary">`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %s\n%s", want, body)
				}
			}
			if strings.Contains(body, "og:image") {
				t.Errorf("a plan without a cover has an og:image:\n%s", body)
			}
		})

		t.Run("other pages and unknown plans are the plain page", func(t *testing.T) {
			root := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/"})
			for _, path := range []string{"/", "/plans/no-such-plan", "/today", "/plans/" + zen.Slug + "/days/1"} {
				res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: path})
				if strings.Contains(string(res.Body), "og:title") || res.Header.Get("ETag") != root.Header.Get("ETag") {
					t.Errorf("GET %s is described:\n%s", path, res.Body)
				}
			}
		})
	})
}
