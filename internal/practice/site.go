package practice

import "context"

// Site is what practice reads of the site-wide settings that administrators
// change while the server runs (package settings keeps them; the app wires
// them in). It is asked on every use.
type Site interface {
	// DefaultReminderTime is the reminder ("HH:MM", or "" for none) an
	// enrolment gets when the reader chooses none.
	DefaultReminderTime(ctx context.Context) string
	// JournalOpen reports whether readers may write journal entries now.
	JournalOpen(ctx context.Context) bool
}

// defaultReminder is the reminder an enrolment gets when the reader
// chooses none.
func (s *Service) defaultReminder(ctx context.Context) string {
	if s.site == nil {
		return ""
	}
	return s.site.DefaultReminderTime(ctx)
}
