package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// depositCabin is a property asking a $ 50.000 damage deposit in cash,
// set through the owner's Cobros page (what a hold freezes).
func depositCabin(t *testing.T, s *webtest.Server, owner *webtest.Session) int64 {
	t.Helper()
	p := s.Property(t)
	form := cobrosForm()
	form.Set("damage_deposit", "50.000")
	form.Set("damage_deposit_method", booking.DepositCash)
	r := owner.PostForm("/admin/properties/"+strconv.FormatInt(p.ID, 10)+"/cobros", form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	dbtest.Eventually(t, "the cache hears the deposit", func() bool {
		loaded, err := s.Booking.LoadProperty(context.Background(), p.ID)
		return err == nil && loaded.DamageDeposit == money.FromUnits(50000)
	})
	return p.ID
}

// depositStayConfirmed holds nights from day in to day out, freezing the
// deposit, and confirms the stay.
func depositStayConfirmed(t *testing.T, s *webtest.Server, propertyID int64, in, out int) booking.Reservation {
	t.Helper()
	r := s.Hold(t, propertyID, s.Today().AddDate(0, 0, in), s.Today().AddDate(0, 0, out))
	require.Equal(t, money.FromUnits(50000), r.DamageDeposit)
	_, err := s.Booking.Transition(context.Background(), r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	return r
}

func page(t *testing.T, se *webtest.Session, path string) string {
	t.Helper()
	r := se.Get(path)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	return html.UnescapeString(string(r.Body))
}

// The owner asks a deposit on the Cobros page (a bad amount is told beside
// the field and saves nothing); the quote box and the guest page tell it.
func TestDepositSettingsShownToTheGuest(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	p := s.Property(t)
	path := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/cobros"
	require.Contains(t, page(t, owner, path), "Depósito en garantía (opcional)")

	bad := cobrosForm()
	bad.Set("damage_deposit", "mucho")
	bad.Set("damage_deposit_method", "cheque")
	r := owner.PostForm(path, bad)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := html.UnescapeString(string(r.Body))
	require.Contains(t, body, "Escribí el monto del depósito, por ejemplo 50.000")
	require.Contains(t, body, "Elegí cómo se cobra el depósito")
	require.Contains(t, body, `value="mucho"`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND damage_deposit > 0`, p.ID))

	id := depositCabin(t, s, owner)
	require.Contains(t, page(t, owner, "/admin/properties/"+strconv.FormatInt(id, 10)+"/cobros"), `value="50.000"`)
	slug := ""
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT slug FROM properties WHERE id = $1`, id).Scan(&slug))
	in := s.Today().AddDate(0, 0, 10)
	box := page(t, s.NewSession(t), "/p/"+slug+"/quote?"+stayQuery(in, 2).Encode())
	want := "Depósito en garantía: $ 50.000,00, se paga en efectivo al llegar y se devuelve después de la salida."
	require.Contains(t, box, `<p class="deposit-terms" id="quote-deposito">`+want+`</p>`)

	r2 := depositStayConfirmed(t, s, id, 10, 12)
	guest := page(t, s.NewSession(t), booking.GuestPath(r2.Code, r2.GuestToken))
	require.Contains(t, guest, `<p id="deposito-condiciones">`+want+`</p>`)
}

// Staff record the deposit received; the owner returns it with a deduction
// and a note; the guest page shows the note; "Pagado" never moves.
func TestDepositRecordedAndReturnedByTheOwner(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	staff := rvLogin(t, s, "staff")
	r := depositStayConfirmed(t, s, depositCabin(t, s, owner), 1, 3)
	resPath := "/admin/reservations/" + r.Code
	guestPath := booking.GuestPath(r.Code, r.GuestToken)

	body := page(t, staff, resPath)
	require.Contains(t, body, `id="deposit-record"`)
	require.Contains(t, body, `name="deposit_amount" type="text" inputmode="decimal" value="50.000"`, "the form offers the frozen amount")

	// A bad amount is refused beside its field.
	bad := staff.PostForm(resPath+"/deposito/recibido", url.Values{"deposit_amount": {"cincuenta"}, "deposit_method": {"cash"}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, html.UnescapeString(string(bad.Body)), "Monto inválido: escribilo como 50.000")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM damage_deposits WHERE reservation_id = $1`, r.ID))

	ok := staff.PostForm(resPath+"/deposito/recibido", url.Values{"deposit_amount": {"50.000"}, "deposit_method": {"cash"}})
	require.Equal(t, http.StatusSeeOther, ok.Status, string(ok.Body))
	body = page(t, staff, resPath)
	require.Contains(t, body, "Depósito en garantía registrado.")
	require.Contains(t, body, "Recibido: $ 50.000,00 (Efectivo)")
	require.NotContains(t, body, `id="deposit-return"`, "staff do not return deposits")
	require.Equal(t, http.StatusForbidden, staff.PostForm(resPath+"/deposito/devolucion", url.Values{"deducted": {"0"}}).Status)
	require.Contains(t, page(t, s.NewSession(t), guestPath), "Recibimos tu depósito de $ 50.000,00")

	// A deduction needs its note.
	bad = owner.PostForm(resPath+"/deposito/devolucion", url.Values{"deducted": {"8.000"}, "deposit_note": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, html.UnescapeString(string(bad.Body)), "Escribí qué se descontó y por qué")
	require.Contains(t, string(bad.Body), `value="8.000"`)

	ok = owner.PostForm(resPath+"/deposito/devolucion", url.Values{"deducted": {"8.000"},
		"deposit_note": {"se descontó una copa rota"}})
	require.Equal(t, http.StatusSeeOther, ok.Status, string(ok.Body))
	body = page(t, owner, resPath)
	require.Contains(t, body, "devolvés $ 42.000,00 (descontado $ 8.000,00)")
	require.Contains(t, body, "Devuelto $ 42.000,00 y descontado $ 8.000,00")
	require.Contains(t, body, "Nota para el huésped: se descontó una copa rota")
	require.Contains(t, body, "Depósito en garantía devuelto")
	require.NotContains(t, body, `id="deposit-return"`)
	require.Contains(t, body, "Devolvió el depósito en garantía: $ 42.000,00; descontó $ 8.000,00: se descontó una copa rota.")
	require.Contains(t, body, "Registró el depósito en garantía recibido: $ 50.000,00 (efectivo).")

	// Twice is refused, and nothing changes.
	again := owner.PostForm(resPath+"/deposito/devolucion", url.Values{"deducted": {"0"}})
	require.Equal(t, http.StatusSeeOther, again.Status)
	require.Contains(t, page(t, owner, resPath), "Ese depósito ya se devolvió.")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM damage_deposits WHERE reservation_id = $1 AND returned = 42000
		AND deducted = 8000`, r.ID))

	guest := page(t, s.NewSession(t), guestPath)
	require.Contains(t, guest, "Te devolvimos $ 42.000,00 del depósito el")
	require.Contains(t, guest, "se descontaron $ 8.000,00.")
	require.Contains(t, guest, `<p id="deposito-nota">Nota del anfitrión: se descontó una copa rota</p>`)
	require.Equal(t, money.Money(0), rvStored(t, s, r.Code).Paid, "the deposit is not stay money")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'deposit_returned'`, r.ID))

	// The API answer says the same.
	var api struct {
		Refunds       []any          `json:"refunds"`
		DamageDeposit map[string]any `json:"damage_deposit"`
	}
	s.Do(t, http.MethodGet, "/api/v1/reservations/"+r.Code+"?t="+r.GuestToken, nil, nil).JSON(t, &api)
	require.NotNil(t, api.Refunds)
	require.Empty(t, api.Refunds)
	require.Equal(t, map[string]any{"amount": "50000.00", "currency": "ARS", "method": "cash", "status": "returned",
		"returned": "42000.00", "deducted": "8000.00", "note": "se descontó una copa rota"}, api.DamageDeposit)
}

// "Depósitos a devolver" lists a deposit received once the stay ends, until
// the owner returns it.
func TestDepositHomeCard(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	r := depositStayConfirmed(t, s, depositCabin(t, s, owner), 1, 3)
	_, err := s.Booking.RecordDeposit(context.Background(), booking.DepositReceipt{AccountID: s.Account.ID,
		ReservationID: r.ID, Method: booking.DepositCash, Actor: "test"})
	require.NoError(t, err)
	require.NotContains(t, page(t, owner, "/admin/"), "Depósitos a devolver", "the stay has not ended")

	s.Clock.Advance(3 * 24 * time.Hour) // check-out day; sessions do not last days
	owner = rvLogin(t, s, "owner")
	home := page(t, owner, "/admin/")
	require.Contains(t, home, "Depósitos a devolver")
	require.Contains(t, home, r.Code+" · depósito <strong>$ 50.000,00</strong>")
	require.Contains(t, home, "sale hoy")
	s.Clock.Advance(24 * time.Hour)
	owner = rvLogin(t, s, "owner")
	require.Contains(t, page(t, owner, "/admin/"), "salió el ")

	require.Equal(t, http.StatusSeeOther, owner.PostForm("/admin/reservations/"+r.Code+"/deposito/devolucion",
		url.Values{"deducted": {"0"}}).Status)
	require.NotContains(t, page(t, owner, "/admin/"), "Depósitos a devolver")
}

// Another account's reservation is a 404 for both deposit actions, and
// nothing is written.
func TestDepositOtherAccount(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	r := depositStayConfirmed(t, s, depositCabin(t, s, owner), 1, 3)
	_, email, password := s.OtherAccount(t)
	other := s.Login(t, email, password)
	for _, sub := range []string{"/deposito/recibido", "/deposito/devolucion"} {
		got := other.PostForm("/admin/reservations/"+r.Code+sub, url.Values{"deposit_amount": {"50.000"},
			"deposit_method": {"cash"}, "deducted": {"0"}})
		require.Equal(t, http.StatusNotFound, got.Status, sub)
	}
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM damage_deposits`))
	require.False(t, strings.Contains(page(t, other, "/admin/"), "Depósitos a devolver"))
}
