package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func gcAPIPath(r booking.Reservation) string {
	return "/api/v1/reservations/" + r.Code + "/cancel?t=" + r.GuestToken
}

// The API previews a guest's cancellation, refuses a confirmation whose
// refund changed, cancels with the previewed one, and then tells the
// decision and where each refund is; bad requests change nothing.
func TestGuestCancelAPI(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 3)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3))
	gcPay(t, s, fake, r.Code, money.FromUnits(9000))
	none := [4]int{0, 0, 0, 0}

	// What a hostile page can post without a preflight: 415.
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		got := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":true,"expected_refund":"4500.00"}`, map[string]string{"Content-Type": ct})
		require.Equal(t, http.StatusUnsupportedMediaType, got.Status, "%q", ct)
	}
	for body, field := range map[string]string{
		`{}`:               "confirm",
		`{"confirm":"sí"}`: "confirm",
		`{"confirm":true}`: "expected_refund",
		`{"confirm":true,"expected_refund":"4.500,00"}`: "expected_refund",
		`{"confirm":true,"expected_refund":"-1"}`:       "expected_refund",
		`{"confirm":false,"motivo":"x"}`:                "motivo",
	} {
		got := s.Do(t, http.MethodPost, gcAPIPath(r), body, nil)
		require.Equal(t, http.StatusUnprocessableEntity, got.Status, body)
		var out struct {
			Error  string            `json:"error"`
			Fields map[string]string `json:"fields"`
		}
		got.JSON(t, &out)
		require.Equal(t, "validation", out.Error, body)
		require.NotEmpty(t, out.Fields[field], "%s: %s", body, got.Body)
	}
	require.Equal(t, http.StatusBadRequest, s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":`, nil).Status)
	wrong := "/api/v1/reservations/" + r.Code + "/cancel?t=x" + r.GuestToken[1:]
	require.Equal(t, http.StatusNotFound, s.Do(t, http.MethodPost, wrong, `{"confirm":false}`, nil).Status)
	require.Equal(t, none, gcState(t, s, r))

	preview := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":false}`, nil)
	require.Equal(t, http.StatusOK, preview.Status, "%s", preview.Body)
	require.JSONEq(t, `{"code":"`+r.Code+`","status":"confirmed","cancelled":false,
		"settlement":{"paid":"9000.00","refund":"4500.00","kept":"4500.00","penalty":"0.00","currency":"ARS",
			"rule":"Política Moderada, cancelación a 3 días de la llegada: se devuelve el 50 % de lo pagado (escalón: hasta 1 día antes).",
			"percent":50,"days_before":3},
		"refunds":[{"method":"mercadopago","amount":"4500.00","currency":"ARS"}]}`, string(preview.Body))
	require.Equal(t, none, gcState(t, s, r), "a preview writes nothing")

	changed := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":true,"expected_refund":"9000.00"}`, nil)
	require.Equal(t, http.StatusConflict, changed.Status)
	var ch struct {
		Error      string         `json:"error"`
		Settlement map[string]any `json:"settlement"`
	}
	changed.JSON(t, &ch)
	require.Equal(t, "refund_changed", ch.Error)
	require.Equal(t, "4500.00", ch.Settlement["refund"])
	require.Equal(t, none, gcState(t, s, r))

	done := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":true,"expected_refund":"4500.00"}`, nil)
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(done.Body, &out))
	require.Equal(t, "cancelled", out["status"])
	require.Equal(t, true, out["cancelled"])
	require.Equal(t, "4500.00", out["settlement"].(map[string]any)["refund"])
	require.Equal(t, []any{map[string]any{"method": "mercadopago", "amount": "4500.00", "currency": "ARS", "status": "pending"}}, out["refunds"])
	require.Equal(t, [4]int{1, 1, 1, 1}, gcState(t, s, r))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND actor = 'guest' AND by = 'guest'`, r.ID))

	again := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":true,"expected_refund":"4500.00"}`, nil)
	require.Equal(t, http.StatusConflict, again.Status)
	require.JSONEq(t, `{"error":"invalid_state","message":"Esta reserva ya está cancelada."}`, string(again.Body))
	require.Equal(t, [4]int{1, 1, 1, 1}, gcState(t, s, r))

	after := s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":false}`, nil)
	require.Equal(t, http.StatusOK, after.Status)
	require.Contains(t, string(after.Body), `"cancelled":true`)
	require.Contains(t, string(after.Body), `{"method":"mercadopago","amount":"4500.00","currency":"ARS","status":"pending"}`)
}

// The endpoint is counted with the rest of the public API per client network.
func TestGuestCancelAPIRateLimited(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{RateLimit: 3})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 9), s.Today().AddDate(0, 0, 11))
	var last webtest.Response
	for range 4 {
		last = s.Do(t, http.MethodPost, gcAPIPath(r), `{"confirm":false}`, nil)
	}
	require.Equal(t, http.StatusTooManyRequests, last.Status, "%s", last.Body)
	require.NotEmpty(t, last.Header.Get("Retry-After"))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM cancellations`))
}
