// Package errs is the application's small error vocabulary. Domain and store
// code return errors carrying a Code and a message that is safe to show to a
// client; the HTTP layer maps each Code to a status and a problem document in
// one table. Anything without a Code is internal: logged, never shown.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error by what the client can do about it.
type Code string

// The codes. Their string values appear in problem type URIs: never rename one.
const (
	Invalid         Code = "invalid"         // the request is malformed or fails validation
	Unauthenticated Code = "unauthenticated" // no or bad credentials
	Forbidden       Code = "forbidden"       // authenticated, but not allowed
	NotFound        Code = "not-found"       // no such thing (or not yours)
	Conflict        Code = "conflict"        // clashes with existing state (duplicate, stale)
	TooLarge        Code = "too-large"       // the request body is over the limit
	RateLimited     Code = "rate-limited"    // slow down
	Unavailable     Code = "unavailable"     // a dependency is down; try again later
	Internal        Code = "internal"        // a bug or an unexpected failure
)

// FieldError names one invalid input field and what is wrong with it.
type FieldError struct {
	Field   string // location, e.g. "body.email" or "query.limit"
	Message string
}

// Error is an error with a Code, a client-safe message and, for Invalid,
// every field error found at once.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, for RateLimited (and Unavailable), says when trying again
	// may succeed; the HTTP layer sends it as Retry-After.
	RetryAfter time.Duration
	Err        error // the cause, for logs; never shown to clients
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// E returns an error with code and a client-safe message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with code and message whose cause is err (kept for
// logs, hidden from clients).
func Wrap(err error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// Validation returns an Invalid error listing every field error.
func Validation(fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: "the request has invalid fields", Fields: fields}
}

// TooMany returns a RateLimited error saying when to try again.
func TooMany(retryAfter time.Duration, format string, args ...any) *Error {
	return &Error{Code: RateLimited, Message: fmt.Sprintf(format, args...), RetryAfter: retryAfter}
}

// CodeOf returns the Code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	return err != nil && CodeOf(err) == code
}
