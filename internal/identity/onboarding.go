package identity

import (
	"fmt"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Onboarding is what a person told us about their practice when they began
// (or since): recommendations follow it. The zero value is "not answered".
type Onboarding struct {
	// Traditions are the traditions they prefer, most preferred first.
	Traditions []string
	// Level is their experience level, or "".
	Level string
	// MinutesPerDay is how long they mean to read and practise a day, or 0.
	MinutesPerDay int
}

// MaxMinutesPerDay bounds Onboarding.MinutesPerDay: four hours a day.
const MaxMinutesPerDay = 240

// OnboardingChoices are the values onboarding answers may take. They are
// the catalogue's, which identity does not know; the wiring passes them in
// through Config.
type OnboardingChoices struct {
	Traditions []string
	Levels     []string
}

// OnboardingChange is a partial update of the onboarding answers: nil
// leaves an answer as it is; an empty list, "" and 0 clear one.
type OnboardingChange struct {
	Traditions    *[]string
	Level         *string
	MinutesPerDay *int
}

// apply checks ch against the choices and applies it to o,
// returning a field error for each bad answer.
func (c OnboardingChoices) apply(o *Onboarding, ch OnboardingChange) []errs.FieldError {
	var fields []errs.FieldError
	if ch.Traditions != nil {
		var list []string
		bad := false
		for i, t := range *ch.Traditions {
			t = strings.TrimSpace(t)
			if !contains(c.Traditions, t) {
				fields = append(fields, errs.FieldError{Field: fmt.Sprintf("body.preferred_traditions[%d]", i),
					Message: fmt.Sprintf("preferred tradition %q must be one of %s", t, strings.Join(c.Traditions, ", "))})
				bad = true
				continue
			}
			if !contains(list, t) {
				list = append(list, t)
			}
		}
		if !bad {
			o.Traditions = list
		}
	}
	if ch.Level != nil {
		if l := strings.TrimSpace(*ch.Level); l != "" && !contains(c.Levels, l) {
			fields = append(fields, errs.FieldError{Field: "body.experience_level",
				Message: "experience level must be one of " + strings.Join(c.Levels, ", ") + ", or empty to clear it"})
		} else {
			o.Level = l
		}
	}
	if ch.MinutesPerDay != nil {
		if m := *ch.MinutesPerDay; m < 0 || m > MaxMinutesPerDay {
			fields = append(fields, errs.FieldError{Field: "body.minutes_per_day",
				Message: fmt.Sprintf("minutes per day must be from 1 to %d, or 0 to clear it", MaxMinutesPerDay)})
		} else {
			o.MinutesPerDay = m
		}
	}
	return fields
}
