package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// rvStatus reads a reservation's stored state.
func rvStatus(t *testing.T, s *webtest.Server, code string) booking.Status {
	t.Helper()
	r, err := s.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	return r.Status
}

// rvPost posts a dashboard form and expects the redirect back to the reservation.
func rvPost(t *testing.T, se *webtest.Session, code, action string, form url.Values) {
	t.Helper()
	r := se.PostForm("/admin/reservations/"+code+"/"+action, form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, "/admin/reservations/"+code, r.Header.Get("Location"))
}

func TestReservationActionsFollowTheStateMachine(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	se := rvLogin(t, s, "owner")

	rvPost(t, se, r.Code, "confirm", nil)
	require.Equal(t, booking.StatusConfirmed, rvStatus(t, s, r.Code))
	require.Contains(t, rvPage(t, se, r.Code), "Reserva confirmada.")

	rvPost(t, se, r.Code, "check-in", nil)
	require.Equal(t, booking.StatusCheckedIn, rvStatus(t, s, r.Code))
	body := rvPage(t, se, r.Code)
	require.Contains(t, body, "Llegada registrada.")
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/complete"`)
	require.NotContains(t, body, `/cancel"`)
	require.NotContains(t, body, `action="/admin/reservations/`+r.Code+`/dates"`, "no change of stay after arrival")

	rvPost(t, se, r.Code, "complete", nil)
	require.Equal(t, booking.StatusCompleted, rvStatus(t, s, r.Code))
	body = rvPage(t, se, r.Code)
	require.Contains(t, body, "Estadía completada.")
	require.Contains(t, body, "Esta reserva ya no admite cambios de estado.")
	require.Contains(t, body, "Registró la llegada del huésped")
	require.Contains(t, body, "Completó la estadía")

	// Illegal moves change nothing and say why, in Spanish.
	for action, msg := range map[string]string{
		"cancel":   "No se puede cancelar una reserva completada.",
		"confirm":  "No se puede confirmar una reserva completada.",
		"check-in": "No se puede registrar la llegada de una reserva completada.",
		"no-show":  "No se puede marcar como ausente una reserva completada.",
		"complete": "No se puede completar una reserva completada.",
	} {
		rvPost(t, se, r.Code, action, url.Values{"reason": {"probando"}})
		require.Equal(t, booking.StatusCompleted, rvStatus(t, s, r.Code))
		require.Contains(t, rvPage(t, se, r.Code), msg)
	}
}

func TestReservationCancelNeedsAReasonAndFreesTheNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	rvMove(t, s, r, booking.ActionConfirm)
	se := rvLogin(t, s, "staff")

	bad := se.PostForm("/admin/reservations/"+r.Code+"/cancel", url.Values{"reason": {"   "}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, string(bad.Body), `id="cancel-reason-error">Escribí el motivo de la cancelación.`)
	require.Contains(t, string(bad.Body), `aria-invalid="true"`)
	require.Equal(t, booking.StatusConfirmed, rvStatus(t, s, r.Code))

	// Without the CSRF token: refused, nothing changed.
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF("/admin/reservations/"+r.Code+"/cancel",
		url.Values{"reason": {"el huésped avisó"}}).Status)
	require.Equal(t, booking.StatusConfirmed, rvStatus(t, s, r.Code))

	rvPost(t, se, r.Code, "cancel", url.Values{"reason": {"El huésped avisó que no viene"}})
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	body := rvPage(t, se, r.Code)
	require.Contains(t, body, "Reserva cancelada. Sus noches quedaron libres.")
	require.Contains(t, body, "Canceló la reserva: El huésped avisó que no viene")
	require.Contains(t, body, "Usuario staff")
	_, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID,
		CheckIn: booking.FormatDate(rvDay(s, 3)), CheckOut: booking.FormatDate(rvDay(s, 5)), Guests: 1,
		GuestName: "Otra Persona", GuestPhone: "+5491166667777", Channel: "direct", Actor: "test"})
	require.NoError(t, err, "the nights are free again")
}

func TestReservationNoShow(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	se := rvLogin(t, s, "staff")
	// A hold cannot be a no-show; the button is not even offered.
	require.NotContains(t, rvPage(t, se, r.Code), "/no-show")
	rvPost(t, se, r.Code, "no-show", nil)
	require.Equal(t, booking.StatusPreReserved, rvStatus(t, s, r.Code))
	require.Contains(t, rvPage(t, se, r.Code), "No se puede marcar como ausente una reserva pre-reservada.")

	rvMove(t, s, r, booking.ActionConfirm)
	rvPost(t, se, r.Code, "no-show", nil)
	require.Equal(t, booking.StatusNoShow, rvStatus(t, s, r.Code))
	body := rvPage(t, se, r.Code)
	require.Contains(t, body, `<span class="badge no_show">No se presentó</span>`)
	require.Contains(t, body, "Marcó que el huésped no se presentó")
}
