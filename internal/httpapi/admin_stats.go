package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// DashboardBody is the admin dashboard.
type DashboardBody struct {
	GeneratedAt time.Time           `json:"generated_at" doc:"When the numbers were counted."`
	Days        int                 `json:"days" doc:"How many UTC days the series spans, today (UTC) included: the window that \"new\" and top plans count in."`
	From        string              `json:"from" format:"date" doc:"The window's first UTC day."`
	To          string              `json:"to" format:"date" doc:"The window's last UTC day: today in UTC."`
	Users       DashboardUsers      `json:"users"`
	Active      DashboardActive     `json:"active"`
	Series      []DashboardDay      `json:"series" doc:"One entry per UTC day of the window, oldest first; days without activity are there with zeros."`
	TopPlans    []DashboardPlan     `json:"top_plans" doc:"Up to 10 published plans with the most enrolments started in the window, most first; plans without any in the window are left out."`
	Plans       DashboardPlanCounts `json:"plans"`
}

// DashboardUsers counts accounts.
type DashboardUsers struct {
	Total    int            `json:"total"`
	New      int            `json:"new" doc:"Accounts created in the window."`
	ByRole   DashboardRoles `json:"by_role"`
	Disabled int            `json:"disabled" doc:"Accounts that may not sign in."`
}

// DashboardRoles counts accounts by role.
type DashboardRoles struct {
	User   int `json:"user"`
	Author int `json:"author"`
	Admin  int `json:"admin"`
}

// DashboardActive counts practitioners.
type DashboardActive struct {
	Today int `json:"today" doc:"Distinct people who marked an item or task done or logged a practice session today (the UTC day)."`
	Week  int `json:"week" doc:"The same over the last 7 UTC days, today included."`
	Month int `json:"month" doc:"The same over the last 30 UTC days, today included."`
}

// DashboardDay is what happened on one UTC day.
type DashboardDay struct {
	Date            string `json:"date" format:"date" doc:"The UTC day."`
	Enrollments     int    `json:"enrollments" doc:"Enrolments started."`
	Completions     int    `json:"completions" doc:"Enrolments finished (every day of the plan done)."`
	Ticks           int    `json:"ticks" doc:"Items and tasks marked done, as they stand (a mark taken back is not counted)."`
	PracticeMinutes int64  `json:"practice_minutes" doc:"Minutes of the practice sessions begun that day, rounded down."`
	NewUsers        int    `json:"new_users" doc:"Accounts created."`
}

// DashboardPlan is a plan in the top list.
type DashboardPlan struct {
	ID                  string `json:"id"`
	Slug                string `json:"slug"`
	Title               string `json:"title" doc:"The published title."`
	EnrollmentsInWindow int    `json:"enrollments_in_window" doc:"Enrolments started in the window."`
	Enrollments         int    `json:"enrollments" doc:"Enrolments ever started."`
	Completions         int    `json:"completions" doc:"Enrolments ever finished."`
	ActiveReaders       int    `json:"active_readers" doc:"Enrolments being followed now: not paused, finished or left."`
}

// DashboardPlanCounts counts plans by status.
type DashboardPlanCounts struct {
	Draft       int `json:"draft"`
	InReview    int `json:"in_review" doc:"New plans in review."`
	Published   int `json:"published" doc:"In the catalogue, including those with a new revision in review."`
	Archived    int `json:"archived"`
	ReviewQueue int `json:"review_queue" doc:"Revisions waiting for an admin's decision: new plans in review and new revisions of published plans."`
}

type dashboardInput struct {
	Days int `query:"days" minimum:"7" maximum:"365" default:"30" doc:"How many UTC days the series and the window span, today included."`
}

type dashboardOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         DashboardBody
}

func toDashboardBody(o *analytics.Overview) DashboardBody {
	b := DashboardBody{GeneratedAt: o.GeneratedAt, Days: o.Days, From: o.From, To: o.To,
		Users: DashboardUsers{Total: o.Users.Total, New: o.Users.New, Disabled: o.Users.Disabled,
			ByRole: DashboardRoles{User: o.Users.Readers, Author: o.Users.Authors, Admin: o.Users.Admins}},
		Active: DashboardActive{Today: o.Active.Today, Week: o.Active.Week, Month: o.Active.Month},
		Series: make([]DashboardDay, len(o.Series)), TopPlans: make([]DashboardPlan, len(o.TopPlans)),
		Plans: DashboardPlanCounts{Draft: o.Plans.Draft, InReview: o.Plans.InReview, Published: o.Plans.Published,
			Archived: o.Plans.Archived, ReviewQueue: o.Plans.ReviewQueue}}
	for i, d := range o.Series {
		b.Series[i] = DashboardDay{Date: d.Date, Enrollments: d.Enrollments, Completions: d.Completions, Ticks: d.Ticks,
			PracticeMinutes: d.PracticeMinutes(), NewUsers: d.NewUsers}
	}
	for i, p := range o.TopPlans {
		b.TopPlans[i] = DashboardPlan{ID: p.ID, Slug: p.Slug, Title: p.Title, EnrollmentsInWindow: p.WindowEnrollments,
			Enrollments: p.Enrollments, Completions: p.Completions, ActiveReaders: p.ActiveReaders}
	}
	return b
}

func registerAdminStats(api huma.API, svc *analytics.Service, fail func(context.Context, error) error) {
	huma.Register(api, protect(huma.Operation{
		OperationID: "admin-stats", Method: http.MethodGet, Path: "/v1/admin/stats", Tags: []string{"Administration"},
		Summary: "Dashboard numbers",
		Description: "What the dashboard shows, counted now: users by role, new and disabled; active practitioners (people who marked an item or task " +
			"done or logged a practice session) today, in 7 and in 30 days; a series per day of enrolments, finished plans, items and tasks done, " +
			"practice minutes and new accounts; the plans most enrolled in; and plans by status with the review queue. " +
			"Every day here is a UTC day (midnight to midnight UTC), whatever the readers' own time zones.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, identity.ManageSystem), func(ctx context.Context, in *dashboardInput) (*dashboardOutput, error) {
		o, err := svc.Overview(ctx, principal(ctx), in.Days)
		if err != nil {
			return nil, fail(ctx, err)
		}
		return &dashboardOutput{CacheControl: "no-store", Body: toDashboardBody(o)}, nil
	})
}
