package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/media"
)

// answerFor is the one mapping from what went wrong to the answer; wrapping
// with context never changes it.
func TestAnswerFor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{errNotFound, http.StatusNotFound, "not_found"},
		{db.ErrNotFound, http.StatusNotFound, "not_found"},
		{booking.ErrNotFound, http.StatusNotFound, "not_found"},
		{ical.ErrNotFound, http.StatusNotFound, "not_found"},
		{media.ErrNotFound, http.StatusNotFound, "not_found"},
		{auth.ErrNoUser, http.StatusNotFound, "not_found"},
		{booking.ErrDateOverlap, http.StatusConflict, "date_overlap"},
		{booking.ErrBusy, http.StatusConflict, "processing_or_unavailable"},
		{&booking.ValidationError{Fields: map[string]string{"guests": "x"}}, http.StatusUnprocessableEntity, "validation"},
		{auth.ErrSessionsUnavailable, http.StatusServiceUnavailable, "sessions_unavailable"},
		{context.Canceled, 499, "client_closed_request"},
		{&apiError{Status: http.StatusConflict, Code: "x"}, http.StatusConflict, "x"},
		{db.ErrUnique, http.StatusInternalServerError, "internal_error"},
		{errors.New("boom"), http.StatusInternalServerError, "internal_error"},
	}
	for _, c := range cases {
		for _, err := range []error{c.err, fmt.Errorf("web: load: %w", c.err)} {
			ae := answerFor(err)
			require.Equal(t, c.status, ae.Status, err.Error())
			require.Equal(t, c.code, ae.Code, err.Error())
		}
	}
	require.Equal(t, "Esas noches se acaban de ocupar. Elegí otras fechas.", answerFor(booking.ErrDateOverlap).Message)
	require.Equal(t, &apiError{Status: http.StatusNotFound, Code: "not_found"}, bookingError(booking.ErrNotFound))
	boom := errors.New("boom")
	require.Same(t, boom, bookingError(boom), "what bookingError does not know is left to the error handler")
}
