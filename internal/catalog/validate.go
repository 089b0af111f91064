package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// problems collects every field error of a request, to report them at once.
type problems struct{ fields []errs.FieldError }

func (p *problems) add(field, format string, args ...any) {
	p.fields = append(p.fields, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// has reports whether field has a problem already.
func (p *problems) has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// err is nil without problems, else a validation error listing them all.
func (p *problems) err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return errs.Validation(p.fields...)
}

// meta is a plan's metadata, as validation sees it.
type meta struct {
	Title, Subtitle, Description string
	Tradition                    Tradition
	Topics                       []string
	Level                        Level
	Language                     string
	CoverMediaID                 string
	FixedStartDates              []string
}

func metaOf(r *Revision) meta {
	return meta{r.Title, r.Subtitle, r.Description, r.Tradition, r.Topics, r.Level, r.Language, r.CoverMediaID, r.FixedStartDates}
}

// checkMeta validates metadata; at prefixes field names ("body.").
func checkMeta(p *problems, at string, m meta) {
	checkLine(p, at+"title", m.Title, MaxTitle, true)
	checkLine(p, at+"subtitle", m.Subtitle, MaxSubtitle, false)
	checkMarkdown(p, at+"description", m.Description)
	if !m.Tradition.Valid() {
		p.add(at+"tradition", "tradition must be one of %s", list(Traditions))
	}
	if !m.Level.Valid() {
		p.add(at+"level", "level must be one of %s", list(Levels))
	}
	checkLanguage(p, at+"language", m.Language, true)
	if len(m.Topics) > MaxTopics {
		p.add(at+"topics", "a plan has at most %d topics", MaxTopics)
	}
	for i, t := range m.Topics {
		if utf8.RuneCountInString(t) > MaxTopic {
			p.add(fmt.Sprintf("%stopics[%d]", at, i), "a topic has at most %d characters", MaxTopic)
		}
	}
	checkMediaID(p, at+"cover_media_id", m.CoverMediaID)
	if len(m.FixedStartDates) > MaxStartDates {
		p.add(at+"fixed_start_dates", "at most %d start dates", MaxStartDates)
	}
	var prev time.Time
	for i, d := range m.FixedStartDates {
		t, err := time.Parse(date, d)
		switch {
		case err != nil:
			p.add(fmt.Sprintf("%sfixed_start_dates[%d]", at, i), "%q is not a date (YYYY-MM-DD)", d)
		case !prev.IsZero() && !t.After(prev):
			p.add(fmt.Sprintf("%sfixed_start_dates[%d]", at, i), "start dates must be in order, each once")
		default:
			prev = t
		}
	}
}

// checkDays validates the days of a plan.
func checkDays(p *problems, at string, days []DayContent) {
	if len(days) > MaxDays {
		p.add(at+"days", "a plan has at most %d days; this one has %d", MaxDays, len(days))
		return
	}
	for i := range days {
		checkDay(p, fmt.Sprintf("%sdays[%d].", at, i), &days[i])
	}
}

// checkDay validates one day and its items and tasks.
func checkDay(p *problems, at string, d *DayContent) {
	checkLine(p, at+"title", d.Title, MaxTitle, true)
	checkMarkdown(p, at+"intro", d.Intro)
	if len(d.Items) > MaxItemsPerDay {
		p.add(at+"items", "a day has at most %d items", MaxItemsPerDay)
	}
	if len(d.Tasks) > MaxTasksPerDay {
		p.add(at+"tasks", "a day has at most %d tasks", MaxTasksPerDay)
	}
	for i := range d.Items {
		checkItem(p, fmt.Sprintf("%sitems[%d].", at, i), &d.Items[i])
	}
	for i := range d.Tasks {
		checkTask(p, fmt.Sprintf("%stasks[%d].", at, i), &d.Tasks[i])
	}
}

var segmentID = regexp.MustCompile(`^[a-z][a-z0-9.\-]*:[\^0-9a-z.\-]+$`)

// checkItem validates one item.
func checkItem(p *problems, at string, it *ItemContent) {
	if !it.Kind.Valid() {
		p.add(at+"kind", "kind must be one of %s", list(ItemKinds))
	}
	checkLine(p, at+"title", it.Title, MaxTitle, true)
	checkMarkdown(p, at+"body", it.Body)
	checkMediaID(p, at+"media_id", it.MediaID)
	if it.URL != "" {
		checkURL(p, at+"url", it.URL)
	}
	switch it.Kind {
	case Text:
		if strings.TrimSpace(it.Body) == "" {
			p.add(at+"body", "a text item needs a body")
		}
	case Link:
		if it.URL == "" {
			p.add(at+"url", "a link item needs a url")
		}
	}
	switch it.Kind {
	case Text, Link:
		if it.MediaID != "" {
			p.add(at+"media_id", "a %s item has no media; make it an audio, video, pdf or image item", it.Kind)
		}
	case Audio, Video, PDF, Image:
		if it.MediaID == "" && it.URL == "" {
			p.add(at+"media_id", "this %s item needs a media_id or a url", it.Kind)
		}
	}
	checkLine(p, at+"citation", it.Citation, MaxCitation, false)
	switch {
	case (it.SegmentStart == "") != (it.SegmentEnd == ""):
		p.add(at+"segment_end", "give both segment_start and segment_end, or neither")
	case it.SegmentStart != "":
		for _, s := range []struct{ field, v string }{{"segment_start", it.SegmentStart}, {"segment_end", it.SegmentEnd}} {
			if len(s.v) > MaxSegmentID || !segmentID.MatchString(s.v) {
				p.add(at+s.field, "%q is not a segment id such as dhp1:1", s.v)
			}
		}
	}
	checkMinutes(p, at+"minutes", it.Minutes, false)
	checkMarkdown(p, at+"root_text", it.RootText)
	checkLanguage(p, at+"root_language", it.RootLanguage, it.RootText != "")
}

// checkTask validates one task.
func checkTask(p *problems, at string, t *TaskContent) {
	if !t.Kind.Valid() {
		p.add(at+"kind", "kind must be one of %s", list(TaskKinds))
	}
	switch {
	case len(t.Prompt) > MaxPrompt:
		p.add(at+"prompt", "a prompt has at most %d bytes", MaxPrompt)
	case t.Prompt == "" && t.Kind != Meditate:
		p.add(at+"prompt", "a %s task needs a prompt", t.Kind)
	}
	checkMinutes(p, at+"minutes", t.Minutes, t.Kind == Meditate)
}

func checkLine(p *problems, field, v string, max int, required bool) {
	switch {
	case required && v == "":
		p.add(field, "%s must not be empty", last(field))
	case utf8.RuneCountInString(v) > max:
		p.add(field, "%s has at most %d characters", last(field), max)
	case strings.ContainsAny(v, "\n\r"):
		p.add(field, "%s must be one line", last(field))
	case !utf8.ValidString(v):
		p.add(field, "%s is not valid UTF-8", last(field))
	}
}

func checkMarkdown(p *problems, field, v string) {
	switch {
	case len(v) > MaxBodyBytes:
		p.add(field, "%s is %d KB; the limit is %d KB", last(field), (len(v)+1023)/1024, MaxBodyBytes>>10)
	case !utf8.ValidString(v):
		p.add(field, "%s is not valid UTF-8", last(field))
	}
}

func checkMinutes(p *problems, field string, n int, required bool) {
	switch {
	case required && n < 1:
		p.add(field, "a meditation needs minutes from 1 to %d", MaxMinutes)
	case n < 0 || n > MaxMinutes:
		p.add(field, "minutes must be from 0 to %d", MaxMinutes)
	}
}

func checkLanguage(p *problems, field, tag string, required bool) {
	if tag == "" {
		if required {
			p.add(field, "%s must be a BCP 47 language tag such as en or pi", last(field))
		}
		return
	}
	if len(tag) > MaxLanguageTag {
		p.add(field, "%s has at most %d characters", last(field), MaxLanguageTag)
		return
	}
	if _, err := language.Parse(tag); err != nil {
		p.add(field, "%q is not a BCP 47 language tag such as en, pt-BR or pi", tag)
	}
}

func checkURL(p *problems, field, raw string) {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > MaxURL:
		p.add(field, "a url has at most %d characters", MaxURL)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		p.add(field, "%q is not an http or https address", raw)
	}
}

func checkMediaID(p *problems, field, id string) {
	if len(id) > MaxMediaIDBytes || strings.ContainsAny(id, " /\\\n") {
		p.add(field, "%q is not a media id", id)
	}
}

// last is the last part of a field path, for messages.
func last(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

// list joins allowed values for a message: "a, b or c".
func list[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v)
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkSlug validates a slug's form (not whether it is free).
func checkSlug(p *problems, field, slug string) bool {
	if len(slug) > MaxSlug || !slugPattern.MatchString(slug) {
		p.add(field, "a slug is 1 to %d lower-case letters, digits and single hyphens, such as a-week-of-metta", MaxSlug)
		return false
	}
	return true
}

// checkReady validates what a revision needs before review: days, and
// something to read or do on each.
func checkReady(p *problems, r *Revision) {
	if len(r.AuthorIDs) == 0 {
		p.add("authors", "a plan needs at least one author")
	}
	if len(r.Days) == 0 {
		p.add("days", "a plan needs at least one day")
	}
	for i, d := range r.Days {
		if len(d.Items) == 0 && len(d.Tasks) == 0 {
			p.add(fmt.Sprintf("days[%d]", i), "day %d has nothing to read or do", d.Number)
		}
	}
}
