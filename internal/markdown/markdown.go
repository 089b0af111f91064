// Package markdown turns the Markdown that authors write into HTML that is
// safe to show to readers. It renders with goldmark (CommonMark with
// GitHub's tables, strikethrough and autolinks, plus footnotes) and then
// sanitises with bluemonday, so no script, frame, style or event handler
// can reach a reader whatever the source holds. Raw HTML in the source is
// not rendered at all.
package markdown

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		// Hard line breaks need a backslash or two spaces, as in CommonMark;
		// verse uses them. Raw HTML stays out (goldmark's default).
		goldmark.WithRendererOptions(html.WithXHTML()),
	)
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

// sanitizer is bluemonday's policy for user content, with links that open
// safely and no images from elsewhere than https.
func sanitizer() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.AllowURLSchemes("https", "http", "mailto")
		p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code", "sup", "li", "a", "div", "hr", "section")
		policy = p
	})
	return policy
}

// HTML renders src and returns safe HTML. Empty source gives "".
func HTML(src string) string {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when writing to the buffer fails, which a
		// bytes.Buffer does not; show the text escaped rather than nothing.
		return sanitizer().Sanitize("<p>" + htmlEscape(src) + "</p>")
	}
	return string(sanitizer().SanitizeBytes(buf.Bytes()))
}

func htmlEscape(s string) string {
	var b bytes.Buffer
	template.HTMLEscape(&b, []byte(s))
	return b.String()
}

var (
	textOnce   sync.Once
	textPolicy *bluemonday.Policy
)

// Text returns the plain text of safe HTML as HTML renders it, with runs
// of white space made single spaces: what a search snippet quotes.
func Text(safeHTML string) string {
	textOnce.Do(func() {
		textPolicy = bluemonday.StrictPolicy()
		textPolicy.AddSpaceWhenStrippingTag(true)
	})
	text := strings.Join(strings.Fields(stdhtml.UnescapeString(textPolicy.Sanitize(safeHTML))), " ")
	// Tags are replaced by spaces, which is right between paragraphs but
	// not before the punctuation after an emphasis: "*Zazen*, seated".
	return spaceBeforePunctuation.ReplaceAllString(text, "$1")
}

var spaceBeforePunctuation = regexp.MustCompile(` ([,.;:!?)\]])`)
