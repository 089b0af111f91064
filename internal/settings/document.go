package settings

import (
	"encoding/json"
	"fmt"
)

// document is how the settings are stored: JSON whose field names are the
// API's. Fields a stored document lacks (it was written before they
// existed) take their defaults; flags and limits it names that this
// version does not know are dropped.
type document struct {
	SiteName            string           `json:"site_name"`
	Registration        Registration     `json:"registration"`
	DefaultReminderHour int              `json:"default_reminder_hour"`
	DefaultGraceDays    int              `json:"default_grace_days"`
	RateLimits          map[string]Rate  `json:"rate_limits"`
	Features            map[Feature]bool `json:"features"`
}

func toDocument(s Settings) document {
	d := document{SiteName: s.SiteName, Registration: s.Registration, DefaultReminderHour: s.DefaultReminderHour,
		DefaultGraceDays: s.DefaultGraceDays, RateLimits: map[string]Rate{}, Features: s.Clone().Features}
	for _, name := range RateLimitNames {
		d.RateLimits[name] = *s.RateLimits.byName(name)
	}
	return d
}

// encode is s as stored.
func encode(s Settings) string {
	b, err := json.Marshal(toDocument(s))
	if err != nil {
		panic(err) // plain values only
	}
	return string(b)
}

// decode reads a stored document over the defaults. It returns the fields
// whose stored values it had to replace by their defaults.
func decode(data string) (Settings, []string, error) {
	d := toDocument(Defaults())
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return Settings{}, nil, fmt.Errorf("settings document: %w", err)
	}
	s := Settings{SiteName: d.SiteName, Registration: d.Registration, DefaultReminderHour: d.DefaultReminderHour,
		DefaultGraceDays: d.DefaultGraceDays, Features: d.Features}
	if s.Features == nil { // "features": null
		s.Features = map[Feature]bool{}
	}
	def := Defaults()
	for _, name := range RateLimitNames {
		r, ok := d.RateLimits[name]
		if !ok {
			r = *def.RateLimits.byName(name)
		}
		*s.RateLimits.byName(name) = r
	}
	return s, s.repair(), nil
}
