package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// EnrollmentBody is an enrolment with where it stands today.
type EnrollmentBody struct {
	ID   string `json:"id" format:"uuid"`
	Plan struct {
		ID    string `json:"id" format:"uuid"`
		Slug  string `json:"slug"`
		Title string `json:"title"`
		Days  int    `json:"days"`
	} `json:"plan"`
	Status       string     `json:"status" enum:"active,paused,completed,abandoned"`
	Pace         string     `json:"pace" enum:"daily,weekdays,n_per_week,self_paced"`
	PerWeek      int        `json:"per_week,omitempty" doc:"Days per week with the n_per_week pace."`
	StartDate    string     `json:"start_date" format:"date" doc:"In the person's calendar."`
	PausedOn     string     `json:"paused_on,omitempty" format:"date"`
	ReminderTime string     `json:"reminder_time,omitempty" example:"07:30" doc:"Local time of day for reminders."`
	Cycle        int        `json:"cycle" doc:"1, then one more for every restart."`
	CreatedAt    time.Time  `json:"created_at"`
	CompletedAt  *time.Time `json:"completed_at,omitempty"`
	Progress     struct {
		Today    string `json:"today" format:"date" doc:"The person's date now, by their time zone and day-start hour."`
		DueDay   int    `json:"due_day" doc:"The day the schedule has due today; 0 before the start and for self-paced plans."`
		NextDay  int    `json:"next_day" doc:"The first unfinished day; 0 when every day is finished."`
		DaysDone int    `json:"days_done"`
		Behind   int    `json:"behind" doc:"Days due before today's and not finished. Catch-up makes the next one due today."`
		Percent  int    `json:"percent" minimum:"0" maximum:"100"`
		State    string `json:"state" enum:"not_started,on_track,behind,ahead,self_paced,paused,finished,left"`
		CanCatch bool   `json:"can_catch_up" doc:"Whether POST .../catch-up would make the next unfinished day today's: not for a plan on fixed dates, a finished one, or one left."`
	} `json:"progress"`
}

func toEnrollmentBody(pr *practice.Progress) *EnrollmentBody {
	e := pr.Enrollment
	b := &EnrollmentBody{ID: e.ID, Status: string(e.Status), Pace: string(e.Pace), PerWeek: e.PerWeek,
		StartDate: e.StartDate.String(), ReminderTime: e.ReminderTime, Cycle: e.Cycle, CreatedAt: e.CreatedAt, CompletedAt: e.CompletedAt}
	if e.PausedOn != nil {
		b.PausedOn = e.PausedOn.String()
	}
	b.Plan.ID, b.Plan.Slug, b.Plan.Title, b.Plan.Days = pr.Plan.PlanID, pr.Plan.Slug, pr.Plan.Title, pr.Plan.Days
	p := &b.Progress
	p.Today, p.DueDay, p.NextDay, p.DaysDone, p.Behind, p.State = pr.Today.String(), pr.DueDay, pr.NextDay, pr.DaysDone, pr.Behind, string(pr.State)
	p.CanCatch = pr.CanCatchUp()
	if pr.Plan.Days > 0 {
		p.Percent = min(100, pr.DaysDone*100/pr.Plan.Days)
	}
	return b
}

// DoneState is whether an item or task is done, and when.
type DoneState struct {
	Done      bool       `json:"done"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
	LocalDate string     `json:"done_on,omitempty" format:"date" doc:"The person's date when it was done."`
}

// EnrolledItemBody is an item as a reader reads it, with whether the
// person has done it. Texts come as HTML only: the Markdown sources are in
// the plan's public day and the studio, and sending both would double the
// answer every reader fetches every day.
type EnrolledItemBody struct {
	ID           string     `json:"id" format:"uuid" doc:"Stays the same across revisions of the plan."`
	Kind         string     `json:"kind" enum:"text,audio,video,pdf,image,link"`
	Title        string     `json:"title"`
	BodyHTML     string     `json:"body_html" doc:"The body rendered to sanitised HTML."`
	MediaID      string     `json:"media_id,omitempty"`
	Media        *MediaBody `json:"media,omitempty" doc:"The file named by media_id: its URL, duration and waveform, or an image's srcset."`
	URL          string     `json:"url,omitempty" format:"uri"`
	Citation     string     `json:"citation,omitempty" example:"Dhp 1–20"`
	SegmentStart string     `json:"segment_start,omitempty" example:"dhp1:1"`
	SegmentEnd   string     `json:"segment_end,omitempty" example:"dhp20:6"`
	Minutes      int        `json:"minutes"`
	RootHTML     string     `json:"root_html,omitempty" doc:"The text in its original language, rendered to sanitised HTML."`
	RootLanguage string     `json:"root_language,omitempty" example:"pi"`
	DoneState
}

// EnrolledTaskBody is a task as a reader reads it, with whether the
// person has done it.
type EnrolledTaskBody struct {
	ID         string `json:"id" format:"uuid" doc:"Stays the same across revisions of the plan."`
	Kind       string `json:"kind" enum:"meditate,reflect,chant,practice,memorize"`
	PromptHTML string `json:"prompt_html" doc:"The prompt rendered to sanitised HTML."`
	Minutes    int    `json:"minutes"`
	Optional   bool   `json:"optional" doc:"An optional task does not hold back finishing the day."`
	DoneState
}

// EnrolledDayBody is one day of an enrolment: the content and the
// person's progress through it.
type EnrolledDayBody struct {
	Enrollment *EnrollmentBody `json:"enrollment"`
	Day        struct {
		Number    int                `json:"number"`
		Title     string             `json:"title"`
		IntroHTML string             `json:"intro_html" doc:"The day's introduction rendered to sanitised HTML."`
		Minutes   int                `json:"minutes"`
		Items     []EnrolledItemBody `json:"items"`
		Tasks     []EnrolledTaskBody `json:"tasks"`
	} `json:"day"`
	Finished   bool `json:"finished" doc:"Every item and non-optional task is done."`
	HasJournal bool `json:"has_journal" doc:"A reflection was written on this day."`
}

// enrolledDayOut answers with day v, its media filled in.
func enrolledDayOut(ctx context.Context, views mediaViews, v *practice.DayView, fail func(context.Context, error) error) (*enrolledDayOutput, error) {
	b := toEnrolledDayBody(v)
	refs := mediaRefs{}
	for i := range b.Day.Items {
		refs.add(b.Day.Items[i].MediaID, &b.Day.Items[i].Media)
	}
	if err := refs.fill(ctx, views); err != nil {
		return nil, fail(ctx, err)
	}
	return &enrolledDayOutput{CacheControl: "no-store", Body: b}, nil
}

func doneState(v *practice.DayView, kind, id string) DoneState {
	c, ok := v.Done[kind+":"+id]
	if !ok {
		return DoneState{}
	}
	at := c.At
	return DoneState{Done: true, DoneAt: &at, LocalDate: c.LocalDate.String()}
}

func toEnrolledDayBody(v *practice.DayView) *EnrolledDayBody {
	b := &EnrolledDayBody{Enrollment: toEnrollmentBody(v.Progress), Finished: v.Finished, HasJournal: v.Journal}
	d := v.Day
	b.Day.Number, b.Day.Title, b.Day.IntroHTML, b.Day.Minutes = d.Number, d.Title, d.IntroHTML, d.Minutes()
	b.Day.Items = make([]EnrolledItemBody, 0, len(d.Items))
	for _, it := range d.Items {
		b.Day.Items = append(b.Day.Items, EnrolledItemBody{ID: it.ID, Kind: string(it.Kind), Title: it.Title, BodyHTML: it.BodyHTML,
			MediaID: it.MediaID, URL: it.URL, Citation: it.Citation, SegmentStart: it.SegmentStart, SegmentEnd: it.SegmentEnd,
			Minutes: it.Minutes, RootHTML: it.RootHTML, RootLanguage: it.RootLanguage, DoneState: doneState(v, catalog.TargetItem, it.ID)})
	}
	b.Day.Tasks = make([]EnrolledTaskBody, 0, len(d.Tasks))
	for _, t := range d.Tasks {
		b.Day.Tasks = append(b.Day.Tasks, EnrolledTaskBody{ID: t.ID, Kind: string(t.Kind), PromptHTML: t.PromptHTML,
			Minutes: t.Minutes, Optional: t.Optional, DoneState: doneState(v, catalog.TargetTask, t.ID)})
	}
	return b
}

type enrollInput struct {
	Body struct {
		Plan         string  `json:"plan" minLength:"1" maxLength:"80" doc:"The plan's slug or id."`
		StartDate    *string `json:"start_date,omitempty" required:"false" format:"date" doc:"Default: today in your time zone, or for a plan with fixed dates, its next date."`
		Pace         string  `json:"pace,omitempty" required:"false" enum:"daily,weekdays,n_per_week,self_paced" default:"daily"`
		PerWeek      int     `json:"per_week,omitempty" required:"false" doc:"1-7, with the n_per_week pace."`
		ReminderTime *string `json:"reminder_time,omitempty" required:"false" maxLength:"5" example:"07:30" doc:"Local time of day for this plan's reminder, or empty for none. Default: the site's default reminder hour (07:00 unless an administrator changed it)."`
	}
}

type enrollmentOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *EnrollmentBody
}

type enrollmentIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type listEnrollmentsInput struct {
	Status []string `query:"status,explode" enum:"active,paused,completed,abandoned" doc:"Only these statuses: repeat the parameter (status=active&status=paused); default all."`
	Cursor string   `query:"cursor" maxLength:"200"`
	Limit  int      `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

// EnrollmentsPage is a page of enrolments.
type EnrollmentsPage struct {
	Items      []*EnrollmentBody `json:"items"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

type patchEnrollmentInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Paused       *bool   `json:"paused,omitempty" required:"false" doc:"true pauses (nothing falls due meanwhile), false resumes where it stood."`
		Pace         *string `json:"pace,omitempty" required:"false" enum:"daily,weekdays,n_per_week,self_paced" doc:"Today's day stays due today."`
		PerWeek      *int    `json:"per_week,omitempty" required:"false"`
		ReminderTime *string `json:"reminder_time,omitempty" required:"false" maxLength:"5" doc:"HH:MM, or empty for none."`
	}
}

type enrolledDayInput struct {
	ID     string `path:"id" maxLength:"64"`
	Number int    `path:"n"`
}

type enrolledDayOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *EnrolledDayBody
}

type completionInput struct {
	ID             string `path:"id" maxLength:"64"`
	Target         string `path:"target_id" maxLength:"64"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"Sent again with a retry, the request takes effect once."`
	Body           *struct {
		At       time.Time `json:"at,omitempty" required:"false" doc:"When it happened on the device; default now. At most 24 hours ahead."`
		Timezone string    `json:"timezone,omitempty" required:"false" maxLength:"64" doc:"The device's time zone then; default yours."`
	} `required:"false"`
}

// CompletionBody is the state of an item or task after a change.
type CompletionBody struct {
	DoneState
	DayFinished bool   `json:"day_finished"`
	DaysDone    int    `json:"days_done"`
	Status      string `json:"enrollment_status" enum:"active,paused,completed,abandoned"`
}

type completionOutput struct {
	Body *CompletionBody
}

// JournalBody is a private reflection on one day.
type JournalBody struct {
	Day       int        `json:"day"`
	Body      string     `json:"body" doc:"Markdown; empty when nothing was written."`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

type journalOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *JournalBody
}

type putJournalInput struct {
	ID             string `path:"id" maxLength:"64"`
	Number         int    `path:"n"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"100"`
	Body           struct {
		Body string    `json:"body" doc:"Markdown, at most 20 KB."`
		At   time.Time `json:"at,omitempty" required:"false" doc:"When it was written on the device; a save older than the stored one is ignored."`
	}
}

func toJournalBody(j *practice.JournalEntry) *JournalBody {
	b := &JournalBody{Day: j.Day, Body: j.Body}
	if !j.UpdatedAt.IsZero() {
		at := j.UpdatedAt
		b.UpdatedAt = &at
	}
	return b
}

func registerPractice(api huma.API, pr *practice.Service, views mediaViews, fail func(context.Context, error) error) {
	tags := []string{"Practice"}
	huma.Register(api, protect(huma.Operation{
		OperationID: "enroll", Method: http.MethodPost, Path: "/v1/enrollments", Tags: tags,
		Summary:       "Enrol in a plan",
		Description:   "Starts a plan on a date (default today in your time zone) at a pace: daily, weekdays, n_per_week or self_paced. A plan with fixed dates starts on one of them and runs daily. One active or paused enrolment per plan: enrolling again is 409 naming the existing one.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *enrollInput) (*enrollmentOutput, error) {
		r := practice.EnrollRequest{Plan: in.Body.Plan, Pace: practice.Pace(in.Body.Pace), PerWeek: in.Body.PerWeek, ReminderTime: in.Body.ReminderTime}
		if in.Body.StartDate != nil {
			d, err := practice.ParseDate(*in.Body.StartDate)
			if err != nil {
				return nil, fail(ctx, errs.Validation(errs.FieldError{Field: "body.start_date", Message: "start_date " + err.Error()}))
			}
			r.StartDate = &d
		}
		p, err := pr.Enroll(ctx, principal(ctx), r)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &enrollmentOutput{CacheControl: "no-store", Body: toEnrollmentBody(p)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "list-enrollments", Method: http.MethodGet, Path: "/v1/enrollments", Tags: tags,
		Summary:     "My plans",
		Description: "Your enrolments, newest first, each with where it stands today.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *listEnrollmentsInput) (*struct {
		CacheControl string `header:"Cache-Control"`
		Body         *EnrollmentsPage
	}, error) {
		var statuses []practice.Status
		for _, s := range in.Status {
			for _, part := range strings.Split(s, ",") {
				if part = strings.TrimSpace(part); part != "" {
					statuses = append(statuses, practice.Status(part))
				}
			}
		}
		page, err := pr.Enrollments(ctx, principal(ctx), statuses, in.Cursor, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		out := &EnrollmentsPage{Items: []*EnrollmentBody{}, NextCursor: page.NextCursor}
		for _, p := range page.Items {
			out.Items = append(out.Items, toEnrollmentBody(p))
		}
		return &struct {
			CacheControl string `header:"Cache-Control"`
			Body         *EnrollmentsPage
		}{"no-store", out}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "get-enrollment", Method: http.MethodGet, Path: "/v1/enrollments/{id}", Tags: tags,
		Summary: "One of my plans",
		Errors:  []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *enrollmentIDInput) (*enrollmentOutput, error) {
		p, err := pr.Enrollment(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &enrollmentOutput{CacheControl: "no-store", Body: toEnrollmentBody(p)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "update-enrollment", Method: http.MethodPatch, Path: "/v1/enrollments/{id}", Tags: tags,
		Summary:     "Pause, resume or change pace",
		Description: "`paused: true` pauses: nothing falls due while paused, and resuming continues where the plan stood. Changing the pace keeps today's day due today. A plan with fixed dates keeps them.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *patchEnrollmentInput) (*enrollmentOutput, error) {
		ch := practice.Change{Paused: in.Body.Paused, PerWeek: in.Body.PerWeek, ReminderTime: in.Body.ReminderTime}
		if in.Body.Pace != nil {
			pace := practice.Pace(*in.Body.Pace)
			ch.Pace = &pace
		}
		p, err := pr.Update(ctx, principal(ctx), in.ID, ch)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &enrollmentOutput{CacheControl: "no-store", Body: toEnrollmentBody(p)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "leave-enrollment", Method: http.MethodDelete, Path: "/v1/enrollments/{id}", Tags: tags,
		Summary:       "Leave a plan",
		Description:   "Marks the enrolment abandoned. What you practised still counts in your streak and stats; your data is erased only with your account.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *enrollmentIDInput) (*noContent, error) {
		if err := pr.Leave(ctx, principal(ctx), in.ID); err != nil {
			return nil, fail(ctx, err)
		}
		return &noContent{}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "catch-up", Method: http.MethodPost, Path: "/v1/enrollments/{id}/catch-up", Tags: tags,
		Summary:     "Catch up",
		Description: "Re-plans the enrolment so that its next unfinished day is due today. Nothing finished is lost; a paused enrolment resumes.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, identity.UseAccount), func(ctx context.Context, in *enrollmentIDInput) (*enrollmentOutput, error) {
		p, err := pr.CatchUp(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &enrollmentOutput{CacheControl: "no-store", Body: toEnrollmentBody(p)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "restart-enrollment", Method: http.MethodPost, Path: "/v1/enrollments/{id}/restart", Tags: tags,
		Summary:     "Start a plan again",
		Description: "Begins again from day 1 today (a plan with fixed dates: its next date), in a new cycle. Days finished before stay in your history.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, identity.UseAccount), func(ctx context.Context, in *enrollmentIDInput) (*enrollmentOutput, error) {
		p, err := pr.Restart(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &enrollmentOutput{CacheControl: "no-store", Body: toEnrollmentBody(p)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "get-today", Method: http.MethodGet, Path: "/v1/enrollments/{id}/today", Tags: tags,
		Summary:     "Today's reading",
		Description: "The day due today by the schedule (for a self-paced plan, the next unfinished day) with its full content, what you have done of it, and where the plan stands. Your day begins at your day-start hour in your time zone.",
		Errors:      []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *enrollmentIDInput) (*enrolledDayOutput, error) {
		v, err := pr.Today(ctx, principal(ctx), in.ID)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return enrolledDayOut(ctx, views, v, fail)
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "get-enrolled-day", Method: http.MethodGet, Path: "/v1/enrollments/{id}/days/{n}", Tags: tags,
		Summary: "Any day of my plan",
		Errors:  []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *enrolledDayInput) (*enrolledDayOutput, error) {
		v, err := pr.Day(ctx, principal(ctx), in.ID, in.Number)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return enrolledDayOut(ctx, views, v, fail)
	})

	for _, kind := range []string{catalog.TargetItem, catalog.TargetTask} {
		path := "/v1/enrollments/{id}/" + kind + "s/{target_id}/completion"
		for _, done := range []bool{true, false} {
			method, verb, summary := http.MethodPut, "complete-", "Mark a"+map[bool]string{true: "n item", false: " task"}[kind == catalog.TargetItem]+" done"
			desc := "Exactly once: repeating it changes nothing. A day is finished when all its items and non-optional tasks are; the plan completes with its last day. `at` and `timezone` date it on the device's clock (offline use), never in the future."
			if !done {
				method, verb, summary = http.MethodDelete, "undo-", "Mark a"+map[bool]string{true: "n item", false: " task"}[kind == catalog.TargetItem]+" not done"
				desc = "Undoes a completion. Changes are applied in the order of their times, whatever order they arrive in."
			}
			huma.Register(api, protect(huma.Operation{
				OperationID: verb + kind, Method: method, Path: path, Tags: tags,
				Summary: summary, Description: desc,
				Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
			}, identity.UseAccount), func(ctx context.Context, in *completionInput) (*completionOutput, error) {
				m := practice.Mark{Enrollment: in.ID, Kind: kind, Target: in.Target, Done: done, ClientID: in.IdempotencyKey}
				if in.Body != nil {
					m.At, m.Zone = in.Body.At, in.Body.Timezone
				}
				res, err := pr.SetDone(ctx, principal(ctx), m)
				if err != nil {
					return nil, fail(ctx, err)
				}
				b := &CompletionBody{DayFinished: res.DayFinished, DaysDone: res.DaysDone, Status: string(res.Status)}
				if c := res.Completion; c != nil {
					at := c.At
					b.DoneState = DoneState{Done: true, DoneAt: &at, LocalDate: c.LocalDate.String()}
				}
				return &completionOutput{Body: b}, nil
			})
		}
	}

	huma.Register(api, protect(huma.Operation{
		OperationID: "get-journal", Method: http.MethodGet, Path: "/v1/enrollments/{id}/days/{n}/journal", Tags: tags,
		Summary:     "My reflection on a day",
		Description: "Private: only you can ever read it. Empty when nothing was written.",
		Errors:      []int{http.StatusNotFound},
	}, identity.UseAccount), func(ctx context.Context, in *enrolledDayInput) (*journalOutput, error) {
		j, err := pr.Journal(ctx, principal(ctx), in.ID, in.Number)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &journalOutput{CacheControl: "no-store", Body: toJournalBody(j)}, nil
	})

	huma.Register(api, protect(huma.Operation{
		OperationID: "put-journal", Method: http.MethodPut, Path: "/v1/enrollments/{id}/days/{n}/journal", Tags: tags,
		Summary:     "Write my reflection on a day",
		Description: "Replaces the day's reflection (Markdown, at most 20 KB). A save dated before the stored one (an offline device syncing late) leaves the newer text.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, identity.UseAccount), func(ctx context.Context, in *putJournalInput) (*journalOutput, error) {
		j, err := pr.SaveJournal(ctx, principal(ctx), practice.JournalSave{Enrollment: in.ID, Day: in.Number, Body: in.Body.Body,
			At: in.Body.At, ClientID: in.IdempotencyKey})
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &journalOutput{CacheControl: "no-store", Body: toJournalBody(j)}, nil
	})

	registerSync(api, pr, fail)
	registerStats(api, pr, fail)
	registerPositions(api, pr, fail)
}
