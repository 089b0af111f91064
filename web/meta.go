package web

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// PageMeta describes one of the app's pages for the previews that sites
// and messengers draw of a shared link: the page's <title>, its
// description, and its Open Graph and Twitter card tags.
type PageMeta struct {
	// Title is the page's own title, such as a plan's; the <title> adds
	// the site's name (the built page's own <title>) after it.
	Title string
	// Description is plain text, a sentence or two.
	Description string
	// URL is the page's canonical address, absolute.
	URL string
	// Image is an absolute image URL; "" for none. A preview shows it
	// large when there is one.
	Image string
	// ImageWidth and ImageHeight are its size in pixels, when known.
	ImageWidth, ImageHeight int
}

// head is the built page cut around what a PageMeta replaces: its <title>
// and its description, which name the site rather than the page.
type head struct {
	start       []byte // the page up to </head>, without the title and description
	end         []byte // from </head> on
	site        string // the text of the page's own <title>
	description []byte // the page's own description tag, kept when a PageMeta has none
}

var (
	headEnd        = regexp.MustCompile(`(?i)</head\s*>`)
	titleTag       = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title\s*>\s*`)
	descriptionTag = regexp.MustCompile(`(?i)<meta\s+name=["']?description["']?[^>]*>\s*`)
)

// parseHead cuts page for PageMetas; nil when it has no </head> to write
// them before.
func parseHead(page []byte) *head {
	end := headEnd.FindIndex(page)
	if end == nil {
		return nil
	}
	start := bytes.Clone(page[:end[0]])
	h := &head{end: page[end[0]:]}
	if m := titleTag.FindSubmatch(start); m != nil {
		h.site = html.UnescapeString(string(bytes.TrimSpace(m[1])))
		start = titleTag.ReplaceAll(start, nil)
	}
	if m := descriptionTag.Find(start); m != nil {
		h.description = bytes.Clone(m)
		start = descriptionTag.ReplaceAll(start, nil)
	}
	h.start = start
	return h
}

// with is the page described by m. Every value is escaped for HTML, so a
// title with quotes or tags stays text.
func (h *head) with(m *PageMeta) []byte {
	var b bytes.Buffer
	b.Grow(len(h.start) + len(h.end) + 1024)
	b.Write(h.start)
	title, site := oneLine(m.Title), h.site
	switch {
	case title == "":
		title = site
	case site != "" && site != title:
		title += " · " + site
	}
	tag := func(format string, args ...string) {
		escaped := make([]any, len(args))
		for i, a := range args {
			escaped[i] = html.EscapeString(a)
		}
		fmt.Fprintf(&b, format+"\n", escaped...)
	}
	tag(`<title>%s</title>`, title)
	description := oneLine(m.Description)
	if description != "" {
		tag(`<meta name="description" content="%s">`, description)
	} else if h.description != nil {
		b.Write(h.description)
	}
	if m.URL != "" {
		tag(`<link rel="canonical" href="%s">`, m.URL)
	}
	tag(`<meta property="og:type" content="website">`)
	if site != "" {
		tag(`<meta property="og:site_name" content="%s">`, site)
	}
	if t := oneLine(m.Title); t != "" {
		tag(`<meta property="og:title" content="%s">`, t)
	}
	if description != "" {
		tag(`<meta property="og:description" content="%s">`, description)
	}
	if m.URL != "" {
		tag(`<meta property="og:url" content="%s">`, m.URL)
	}
	card := "summary"
	if m.Image != "" {
		card = "summary_large_image"
		tag(`<meta property="og:image" content="%s">`, m.Image)
		if m.ImageWidth > 0 && m.ImageHeight > 0 {
			tag(`<meta property="og:image:width" content="%s">`, strconv.Itoa(m.ImageWidth))
			tag(`<meta property="og:image:height" content="%s">`, strconv.Itoa(m.ImageHeight))
		}
	}
	tag(`<meta name="twitter:card" content="%s">`, card)
	b.Write(h.end)
	return b.Bytes()
}

// oneLine is s with its runs of white space (new lines too) made single
// spaces, as a title or a description in a tag should be.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
