// Package booking owns nights: availability, the quote, holds and the
// reservation state machine. The EXCLUDE constraint on occupancy decides
// every question about a night; this package only asks it. Every way into a
// booking (the API, the booking page, the dashboard, WhatsApp, the CLI) calls
// it, so the rules live here once and not in any of them.
package booking

import (
	"errors"
	"fmt"

	"alojamientos/internal/format"
)

var (
	// ErrDateOverlap means at least one night is taken.
	ErrDateOverlap = errors.New("booking: nights already taken")
	// ErrNotFound means no such reservation or property.
	ErrNotFound = errors.New("booking: not found")
	// ErrBusy means an identical request for the same property and nights is in flight.
	ErrBusy = errors.New("booking: same request in flight")
)

// ValidationError lists what is wrong with a request, field by field, in
// Spanish, ready to show a guest.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return "booking: invalid request: " + format.Fields(e.Fields)
}

func (e *ValidationError) add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// TransitionError is an action the reservation's current state does not allow.
type TransitionError struct {
	Action string
	From   Status
	// Started: the state allows it, but the guest may no longer do it
	// themselves because the day of arrival has passed.
	Started bool
}

func (e *TransitionError) Error() string {
	if e.Started {
		return fmt.Sprintf("booking: a guest cannot %s a stay that has started", e.Action)
	}
	return fmt.Sprintf("booking: cannot %s a reservation that is %s", e.Action, e.From)
}
