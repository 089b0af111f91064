package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/settings"
)

type recommendationsInput struct {
	Conditional
	Limit int `query:"limit" minimum:"1" maximum:"50" default:"10" doc:"How many plans, 1-50."`
}

// RecommendedPlan is a plan card with why it is suggested.
type RecommendedPlan struct {
	PlanCard
	Reason  string `json:"reason" doc:"Why this plan is suggested, one short sentence for people." example:"Because you finished The Dhammapada in 26 days"`
	Kind    string `json:"kind" enum:"went_on_to,next_level,similar,popular,new,for_you" doc:"Which signal suggests it: went_on_to (people who finished a plan you finished went on to it), next_level (one level up from a plan you finished), similar (the tradition or topics of a plan of yours), popular (much read in its tradition lately), new (published lately), for_you (it fits your onboarding answers)."`
	BasedOn string `json:"based_on,omitempty" doc:"The slug of your own plan the reason names, if any."`
}

// RecommendationsBody is a list of suggested plans, best first.
type RecommendationsBody struct {
	Items []RecommendedPlan `json:"items"`
}

func registerRecommendations(api huma.API, rec *recommend.Service, views mediaViews, features featureSwitch, fail func(context.Context, error) error) {
	huma.Register(api, huma.Operation{
		OperationID: "list-recommendations", Method: http.MethodGet, Path: "/v1/recommendations", Tags: []string{"Discover"},
		Summary: "Plans to read next",
		Description: "Published plans to suggest, best first, each with a short reason. " +
			"For a signed-in person it mixes plans like the ones they are reading or finished (the same tradition or topics, the next level up), " +
			"what people who finished the same plans went on to, and what is popular lately (enrolments and completions of the last 90 days, " +
			"each counting half as much every 14 days), shaped by their onboarding answers (PATCH /v1/me); it never suggests a plan they are " +
			"enrolled in or finished. Without a token, or for someone new, it suggests popular and new plans of each tradition. " +
			"The counts behind it are recomputed every hour. The bearer token is optional, as on the plan pages: " +
			"an invalid or expired one is ignored (the answer is the anonymous one). " +
			"While an administrator has switched recommendations off, the list is empty.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *recommendationsInput) (*cached[RecommendationsBody], error) {
		who := principal(ctx)
		if !features(ctx, settings.Recommendations) {
			return answer(in.Conditional, privateCache, &RecommendationsBody{Items: []RecommendedPlan{}}), nil
		}
		list, err := rec.For(ctx, who, in.Limit)
		if err != nil {
			return nil, fail(ctx, err)
		}
		body := &RecommendationsBody{Items: []RecommendedPlan{}}
		for _, r := range list {
			item := RecommendedPlan{PlanCard: toPlanCard(r.Listing), Reason: r.Reason, Kind: string(r.Kind)}
			if r.BasedOn != nil {
				item.BasedOn = r.BasedOn.Plan.Slug
			}
			body.Items = append(body.Items, item)
		}
		refs := mediaRefs{}
		for i := range body.Items {
			refs.card(&body.Items[i].PlanCard)
		}
		if err := refs.fill(ctx, views); err != nil {
			return nil, fail(ctx, err)
		}
		policy := publicCache
		if who != nil {
			policy = privateCache
		}
		return answer(in.Conditional, policy, body), nil
	})
}
