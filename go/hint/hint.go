// Package hint defines the error a user can act on: what is wrong and what to do.
// Only cmd/ghost turns it into output and an exit code. It imports nothing internal.
package hint

import "errors"

// Error is a refusal or failure caused by the input or the environment, with advice.
type Error struct {
	Msg  string // what is wrong, naming the object
	Hint string // what to do about it
	Err  error  // the underlying cause, if any (for errors.Is)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Msg
	}
	return e.Msg + "; " + e.Hint
}

// New returns an *Error.
func New(msg, hint string) error { return &Error{Msg: msg, Hint: hint} }

// Wrap returns an *Error whose cause is err.
func Wrap(err error, msg, hint string) error { return &Error{Msg: msg, Hint: hint, Err: err} }

// As finds an *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
