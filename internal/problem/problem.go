// Package problem is Pista's small set of error kinds. Domain code returns
// an *Error with a message that is safe to show to users; the web layer
// maps the kind to an HTTP status and RFC 9457 problem JSON. Anything else
// is an internal error, logged and answered with a generic 500.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the caller.
type Kind int

const (
	Invalid          Kind = iota + 1 // the input is wrong; the message says where
	NotFound                         // no such thing
	Conflict                         // the request contradicts the current state
	Forbidden                        // the caller may not do this
	Unauthorized                     // the caller is not known
	TooLarge                         // the request is over a size limit
	MethodNotAllowed                 // the resource exists, not with this method
	UnsupportedMedia                 // the body is not in a format the call takes
	TooMany                          // over a rate limit; try again later
)

// Field is one bad field of the input. Reason is English, for the API;
// Code and Args, when set, let the web app say it in the user's language
// (the i18n catalog has a message "field.<Code>" taking Args).
type Field struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Code   string `json:"-"`
	Args   []any  `json:"-"`
}

// Error is an error users may read. Detail is English, for the API and
// logs; Code and Args, when set, name a message of the i18n catalog
// ("problem.<Code>") that says the same in es, pt or en. The API's JSON
// does not change with them.
type Error struct {
	Kind   Kind
	Detail string
	Fields []Field
	Code   string
	Args   []any
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Detail
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Name + ": " + f.Reason
	}
	return e.Detail + ": " + strings.Join(parts, "; ")
}

// New returns an error of a kind.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Coded returns an error of a kind with a stable code and its arguments,
// for the web app's message catalog, besides the English detail.
func Coded(kind Kind, code string, args []any, format string, fmtArgs ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, fmtArgs...), Code: code, Args: args}
}

// Fields returns an Invalid error listing bad fields.
func Fields(detail string, fields ...Field) *Error {
	return &Error{Kind: Invalid, Detail: detail, Fields: fields}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
