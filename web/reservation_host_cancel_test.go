package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// hcStay is a confirmed stay of two nights (total 20.000, seña 6.000)
// starting in `in` days, under the preset policy frozen on it, with the
// given amounts received by transfer (the first confirms the hold).
func hcStay(t *testing.T, s *webtest.Server, in int, policy booking.Policy, paid ...money.Money) booking.Reservation {
	t.Helper()
	p := s.Property(t)
	r := rvHold(t, s, p.ID, in, in+2, rvGuest{Name: "Lucía Pérez"})
	_, err := s.Pool.Exec(context.Background(), `UPDATE reservations SET cancel_policy = $1 WHERE id = $2`,
		policy.JSON(), r.ID)
	require.NoError(t, err)
	for _, m := range paid {
		_, err := s.Booking.AddManualPayment(context.Background(), booking.ManualPayment{ReservationID: r.ID,
			AccountID: r.AccountID, UserID: 0, Amount: m, Method: "transfer", Actor: "test"})
		require.NoError(t, err)
	}
	if rvStatus(t, s, r.Code) == booking.StatusPreReserved {
		rvMove(t, s, r, booking.ActionConfirm)
	}
	return rvStored(t, s, r.Code)
}

func hcPreset(t *testing.T, name string) booking.Policy {
	t.Helper()
	p, ok := booking.Preset(name)
	require.True(t, ok, name)
	p.Version = 1
	return p
}

// hcPreview asks the cancel form's refund part as htmx does when the owner picks who cancels.
func hcPreview(t *testing.T, se *webtest.Session, s *webtest.Server, code, by string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+"/admin/reservations/"+code+"/cancel/preview?by="+by, nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	resp := se.Do(req)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	require.NotContains(t, string(resp.Body), "<html", "a fragment")
	return string(resp.Body)
}

// hcRefunds lists a reservation's refunds as "reason method status amount".
func hcRefunds(t *testing.T, s *webtest.Server, id int64) []string {
	t.Helper()
	rows, err := s.Pool.Query(context.Background(), `SELECT reason || ' ' || method || ' ' || status || ' ' || amount::text
		FROM refunds WHERE reservation_id = $1 ORDER BY id`, id)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// hcNightsHeld says whether the stay's nights are still taken.
func hcNightsHeld(t *testing.T, s *webtest.Server, r booking.Reservation) bool {
	t.Helper()
	return s.Count(t, `SELECT count(*) FROM occupancy o JOIN reservations r ON r.occupancy_id = o.id
		WHERE r.id = $1 AND o.active`, r.ID) == 1
}

var hcSettleRe = regexp.MustCompile(`action="(/admin/reservations/RES[0-9A-F]+/devoluciones/(\d+)/saldar)"`)

func cancelForm(by, refund, reason string) url.Values {
	f := url.Values{"by": {by}, "reason": {reason}}
	if refund != "" {
		f.Set("refund", refund)
		f.Set("refund_for", by)
	}
	return f
}

// Seña penitencial (CCyC art. 1059): the host who withdraws gives back all
// that was paid and the seña once more; both owed by transfer, each
// settled with one click, once.
func TestHostCancelSenaPenitencial(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	r := hcStay(t, s, 30, hcPreset(t, booking.PresetPenitencial), money.FromUnits(6000))
	owner := rvLogin(t, s, "owner")

	page := rvPage(t, owner, r.Code)
	require.Contains(t, page, "El huésped pidió cancelar")
	require.Contains(t, page, "Cancela el alojamiento")
	require.Contains(t, page, `hx-get="/admin/reservations/`+r.Code+`/cancel/preview"`)
	// By default the guest asked: under seña penitencial the guest loses the seña.
	require.Contains(t, page, `id="cancel-computed">$ 0,00`)
	host := hcPreview(t, owner, s, r.Code, "host")
	require.Contains(t, host, `id="cancel-computed">$ 6.000,00`)
	require.Contains(t, host, `id="cancel-penalty">$ 6.000,00`)
	require.Contains(t, host, `id="cancel-owed" class="res-cancel-total">$ 12.000,00`)
	require.Contains(t, host, `name="refund" type="text" inputmode="decimal" value="6.000"`)
	require.Contains(t, host, "art. 1059 CCyC")

	rvPost(t, owner, r.Code, "cancel", cancelForm("host", "6.000,00", "Se rompió la caldera"))
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	require.False(t, hcNightsHeld(t, s, r))
	require.Equal(t, []string{"host_cancel transfer owed 6000.00", "penalty transfer owed 6000.00"}, hcRefunds(t, s, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'host'
		AND refund = 6000 AND penalty = 6000 AND note = 'Se rompió la caldera'`, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'cancel'
		AND detail->>'by' = 'host' AND detail->>'penalty' = '6000.00'`, r.ID))

	page = rvPage(t, owner, r.Code)
	require.Contains(t, page, "Reserva cancelada. Sus noches quedaron libres. Quedan para devolver por transferencia $ 6.000,00 y $ 6.000,00")
	require.Contains(t, page, "Seña penitencial (la seña una vez más)")
	require.Contains(t, page, "Cancelación del alojamiento")
	require.Contains(t, page, "Canceló la reserva: Se rompió la caldera (cancela el alojamiento; se devuelve $ 6.000,00 y la seña una vez más, $ 6.000,00).")
	settle := hcSettleRe.FindAllStringSubmatch(page, -1)
	require.Len(t, settle, 2, "one button per owed refund")

	// Staff see the refunds but do not settle them.
	staff := rvLogin(t, s, "staff")
	require.NotContains(t, rvPage(t, staff, r.Code), "/saldar")
	require.Equal(t, http.StatusForbidden, staff.PostForm(settle[0][1], nil).Status)

	// One click: done, paid goes down by what went back, who settled it shows.
	resp := owner.PostForm(settle[0][1], nil)
	require.Equal(t, http.StatusSeeOther, resp.Status)
	require.Equal(t, "/admin/reservations/"+r.Code+"#devoluciones", resp.Header.Get("Location"))
	require.Zero(t, rvStored(t, s, r.Code).Paid)
	page = rvPage(t, owner, r.Code)
	require.Contains(t, page, "Listo: la devolución de $ 6.000,00 quedó registrada como devuelta")
	row := hcRow(t, page, settle[0][2])
	require.Contains(t, row, "Devuelta")
	require.Contains(t, row, "Usuario owner", "who settled it")
	require.Contains(t, hcRow(t, page, settle[1][2]), "A devolver por transferencia")
	require.Equal(t, []string{"host_cancel transfer done 6000.00", "penalty transfer owed 6000.00"}, hcRefunds(t, s, r.ID))
	require.Len(t, hcSettleRe.FindAllStringSubmatch(page, -1), 1)

	// A second click (an old tab): a clear message, nothing changes.
	before := s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1`, r.ID)
	resp = owner.PostForm(settle[0][1], nil)
	require.Equal(t, http.StatusSeeOther, resp.Status)
	require.Contains(t, rvPage(t, owner, r.Code), "Esa devolución ya estaba registrada como devuelta. No se cambió nada.")
	require.Equal(t, []string{"host_cancel transfer done 6000.00", "penalty transfer owed 6000.00"}, hcRefunds(t, s, r.ID))
	require.Zero(t, rvStored(t, s, r.Code).Paid)
	require.Equal(t, before, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1`, r.ID))

	// The penalty is money beyond the payments: settling it leaves paid alone.
	rvPostTo(t, owner, settle[1][1], r.Code)
	require.Equal(t, []string{"host_cancel transfer done 6000.00", "penalty transfer done 6000.00"}, hcRefunds(t, s, r.ID))
	page = rvPage(t, owner, r.Code)
	require.NotContains(t, page, "/saldar")
	require.Contains(t, page, "Devolución hecha: $ 6.000,00 (transferencia).")
}

// hcRow is the refunds table's row of refund id.
func hcRow(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr id="devolucion-` + id + `">.*?</tr>`).FindString(page)
	require.NotEmpty(t, m, "refund %s is listed", id)
	return m
}

// rvPostTo posts an empty dashboard form to path and expects the redirect back to the reservation.
func rvPostTo(t *testing.T, se *webtest.Session, path, code string) {
	t.Helper()
	r := se.PostForm(path, nil)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Contains(t, r.Header.Get("Location"), "/admin/reservations/"+code)
}

// Seña confirmatoria: the seña confirms the stay and is kept when the guest
// cancels, but the host who cancels gives back everything, with no penalty.
func TestHostCancelSenaConfirmatoria(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	r := hcStay(t, s, 30, hcPreset(t, booking.PresetConfirmatoria), money.FromUnits(6000), money.FromUnits(4000))
	owner := rvLogin(t, s, "owner")

	guest := hcPreview(t, owner, s, r.Code, "guest")
	require.Contains(t, guest, `id="cancel-computed">$ 4.000,00`, "the seña is kept, the rest follows the tiers")
	require.Contains(t, guest, "la seña ($ 6.000,00) no se devuelve")
	host := hcPreview(t, owner, s, r.Code, "host")
	require.Contains(t, host, `id="cancel-computed">$ 10.000,00`)
	require.NotContains(t, host, "cancel-penalty")

	// Without a refund amount the computed one is taken.
	rvPost(t, owner, r.Code, "cancel", cancelForm("host", "", "Vendimos la cabaña"))
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	require.Equal(t, []string{"host_cancel transfer owed 10000.00"}, hcRefunds(t, s, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'host'
		AND computed = 10000 AND refund = 10000 AND penalty = 0`, r.ID))
}

// The guest asked the owner to cancel: the frozen terms decide, the owner
// may give back more at will, and less only saying why; a refused form
// changes nothing (status, refunds, nights).
func TestOwnerCancelsForTheGuest(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	// Moderada, 3 days before arrival: 50 % of what was paid.
	r := hcStay(t, s, 3, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	owner := rvLogin(t, s, "owner")
	page := rvPage(t, owner, r.Code)
	require.Contains(t, page, `id="cancel-computed">$ 3.000,00`)
	require.Contains(t, page, `id="cancel-refund" name="refund" type="text" inputmode="decimal" value="3.000"`)

	unchanged := func(why string) {
		t.Helper()
		require.Equal(t, booking.StatusConfirmed, rvStatus(t, s, r.Code), why)
		require.Empty(t, hcRefunds(t, s, r.ID), why)
		require.True(t, hcNightsHeld(t, s, r), why)
		require.Zero(t, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1`, r.ID), why)
	}
	for _, c := range []struct {
		name, refund, reason, want string
	}{
		{"less than the terms without a reason", "1.000", "",
			`id="cancel-reason-error">Para devolver menos de lo que dan las condiciones, escribí por qué.`},
		{"more than was paid", "6.000,01", "Pidió cancelar",
			`id="cancel-refund-error">La devolución no puede ser negativa ni mayor que lo pagado.`},
		{"not an amount", "mil pesos", "Pidió cancelar", `id="cancel-refund-error">Monto inválido`},
		{"no reason", "", "  ", `id="cancel-reason-error">Escribí el motivo de la cancelación.`},
	} {
		resp := owner.PostForm("/admin/reservations/"+r.Code+"/cancel", cancelForm("guest", c.refund, c.reason))
		require.Equal(t, http.StatusUnprocessableEntity, resp.Status, c.name)
		require.Contains(t, string(resp.Body), c.want, c.name)
		if c.refund != "" {
			require.Contains(t, string(resp.Body), `value="`+c.refund+`"`, "%s: what was typed is kept", c.name)
		}
		unchanged(c.name)
	}

	// The amount typed for one party never counts for the other (the choice
	// changed without the form redrawing it): the form comes back recomputed.
	stale := cancelForm("host", "3.000", "Se cortó la luz")
	stale.Set("refund_for", "guest")
	resp := owner.PostForm("/admin/reservations/"+r.Code+"/cancel", stale)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
	require.Contains(t, string(resp.Body), `id="cancel-refund-error">Cambió quién cancela`)
	require.Contains(t, string(resp.Body), `inputmode="decimal" value="6.000"`, "recomputed for the host")
	require.Contains(t, string(resp.Body), `name="by" value="host" checked`)
	unchanged("stale amount")

	// Less than the terms, saying why: accepted and recorded with the note.
	rvPost(t, owner, r.Code, "cancel", cancelForm("guest", "1.000", "Acordamos cambiar por otra fecha"))
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	require.Equal(t, []string{"guest_cancel transfer owed 1000.00"}, hcRefunds(t, s, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'guest'
		AND computed = 3000 AND refund = 1000`, r.ID))
	require.False(t, hcNightsHeld(t, s, r))

	// The computed refund, taken as is.
	r2 := hcStay(t, s, 3, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	rvPost(t, owner, r2.Code, "cancel", cancelForm("guest", "3.000,00", "El huésped se enfermó"))
	require.Equal(t, []string{"guest_cancel transfer owed 3000.00"}, hcRefunds(t, s, r2.ID))

	// More generous than the terms: always allowed.
	r3 := hcStay(t, s, 3, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	rvPost(t, owner, r3.Code, "cancel", cancelForm("guest", "6.000", "Es un cliente de siempre"))
	require.Equal(t, []string{"guest_cancel transfer owed 6000.00"}, hcRefunds(t, s, r3.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND computed = 3000
		AND refund = 6000`, r3.ID))
}

// Staff cancel with what the terms give: the amount is the owner's to change.
func TestStaffCancelTakesTheTerms(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	r := hcStay(t, s, 3, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	staff := rvLogin(t, s, "staff")
	page := rvPage(t, staff, r.Code)
	require.NotContains(t, page, `name="refund"`)
	require.Contains(t, page, `id="cancel-refund-fixed">$ 3.000,00`)
	rvPost(t, staff, r.Code, "cancel", cancelForm("guest", "6.000", "Pidió cancelar por teléfono"))
	require.Equal(t, []string{"guest_cancel transfer owed 3000.00"}, hcRefunds(t, s, r.ID))
}

// A no-show follows the terms: by default nothing goes back; a policy that
// says otherwise is honoured. The nights are released either way.
func TestNoShowFollowsTheTerms(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")

	r := hcStay(t, s, 3, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	rvPost(t, owner, r.Code, "no-show", nil)
	require.Equal(t, booking.StatusNoShow, rvStatus(t, s, r.Code))
	require.Empty(t, hcRefunds(t, s, r.ID))
	require.False(t, hcNightsHeld(t, s, r))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'no_show'
		AND refund = 0`, r.ID))
	page := rvPage(t, owner, r.Code)
	require.Contains(t, page, "Reserva marcada como «no se presentó». Sus noches quedaron libres.")
	require.Contains(t, page, "Marcó que el huésped no se presentó (no se devuelve nada).")

	generous := hcPreset(t, booking.PresetFlexible)
	generous.NoShowRefundPercent = 50
	r2 := hcStay(t, s, 3, generous, money.FromUnits(6000))
	rvPost(t, owner, r2.Code, "no-show", nil)
	require.Equal(t, []string{"no_show transfer owed 3000.00"}, hcRefunds(t, s, r2.ID))
	require.Contains(t, rvPage(t, owner, r2.Code), "Quedan para devolver por transferencia $ 3.000,00")
}

// A hold with nothing paid cancels as it always did: nothing to give back.
func TestCancelUnpaidHold(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	owner := rvLogin(t, s, "owner")
	require.Contains(t, rvPage(t, owner, r.Code), "No hay pagos registrados: no hay nada que devolver.")
	rvPost(t, owner, r.Code, "cancel", url.Values{"reason": {"Nunca pagó"}})
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	require.Empty(t, hcRefunds(t, s, r.ID))
}

// A refund id of another reservation, or of another account, is not found
// from this reservation's page, and nothing changes.
func TestSettleRefundOfAnotherIsNotFound(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	a := hcStay(t, s, 30, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	b := hcStay(t, s, 40, hcPreset(t, booking.PresetModerada), money.FromUnits(6000))
	rvPost(t, owner, b.Code, "cancel", cancelForm("host", "", "Cerramos por obra"))
	other := s.Count(t, `SELECT id FROM refunds WHERE reservation_id = $1`, b.ID)

	_, emailB, pwB := s.OtherAccount(t)
	ownerB := s.Login(t, emailB, pwB)
	for _, c := range []struct {
		se   *webtest.Session
		path string
	}{
		{owner, "/admin/reservations/" + a.Code + "/devoluciones/" + itoa(int64(other)) + "/saldar"},
		{owner, "/admin/reservations/" + a.Code + "/devoluciones/999999999/saldar"},
		{owner, "/admin/reservations/" + a.Code + "/devoluciones/nada/saldar"},
		{ownerB, "/admin/reservations/" + b.Code + "/devoluciones/" + itoa(int64(other)) + "/saldar"},
	} {
		require.Equal(t, http.StatusNotFound, c.se.PostForm(c.path, nil).Status, c.path)
	}
	require.Equal(t, []string{"host_cancel transfer owed 6000.00"}, hcRefunds(t, s, b.ID))
}
