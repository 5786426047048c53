package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp"
	"alojamientos/web/webtest"
)

// The "Botón de arrepentimiento": a footer link on every guest page, a
// public page with the form, and the withdrawal it carries out.

const withdrawFooterLink = `<a href="/arrepentimiento" class="withdraw-link">Botón de arrepentimiento</a>`

var withdrawCodeRe = regexp.MustCompile(`ARR-[2-9A-HJ-NP-Z]{8}`)

func TestWithdrawalButtonOnEveryGuestPage(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 23))
	anon := s.NewSession(t)
	ci, co := booking.FormatDate(s.Today().AddDate(0, 0, 40)), booking.FormatDate(s.Today().AddDate(0, 0, 42))
	for _, path := range []string{
		"/",
		"/a/" + s.Account.Slug,
		"/p/" + p.Slug,
		"/p/" + p.Slug + "?check_in=" + ci + "&check_out=" + co + "&guests=2",
		"/p/" + p.Slug + "/quote?check_in=" + ci + "&check_out=" + co + "&guests=2",
		booking.GuestPath(r.Code, r.GuestToken),
		booking.GuestPath(r.Code, r.GuestToken, "pago") + "&status=pending",
		"/arrepentimiento",
	} {
		resp := anon.Get(path)
		require.Equal(t, http.StatusOK, resp.Status, path)
		body := string(resp.Body)
		require.Contains(t, body, withdrawFooterLink, "%s has the footer link", path)
		require.NotContains(t, body, `type="password"`, "%s: no sign-in form", path)
	}
	// A guest page's error page (a wrong token) is not a guest page, but the
	// withdrawal page itself needs nothing but a browser.
	page := anon.Get("/arrepentimiento")
	body := string(page.Body)
	for _, want := range []string{`action="/arrepentimiento"`, `name="code"`, `name="contact"`, `name="_csrf"`,
		"10 días corridos", "al menos 24 horas", "todo lo que pagaste", "condiciones de cancelación", "Disposición 954/2025",
		"arts. 1110 a 1116", "Ley 24.240, art. 34"} {
		require.Contains(t, body, want)
	}
}

// withdrawForm posts the withdrawal form from a fresh browser (no session, no token link).
func withdrawForm(t *testing.T, s *webtest.Server, code, contact string) webtest.Response {
	t.Helper()
	return s.NewSession(t).PostForm("/arrepentimiento", url.Values{"code": {code}, "contact": {contact}})
}

func TestWithdrawalSubmitGivesTheCodeAndWhatGoesBack(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 30), s.Today().AddDate(0, 0, 33)) // +5491155551234
	email, pass := s.User(t, "owner")
	owner := s.Login(t, email, pass)
	paid := owner.PostForm("/admin/reservations/"+r.Code+"/payments",
		url.Values{"amount": {r.Deposit.String()}, "method": {"transfer"}})
	require.Less(t, paid.Status, 400, "%.300s", paid.Body)
	dbtest.Eventually(t, "seña recorded", func() bool {
		return s.Count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND status = 'confirmed'", r.ID) == 1
	})

	resp := withdrawForm(t, s, strings.ToLower(r.Code), "11 5555-1234")
	require.Equal(t, http.StatusOK, resp.Status, "%.500s", resp.Body)
	body := string(resp.Body)
	code := withdrawCodeRe.FindString(body)
	require.NotEmpty(t, code, "%.800s", body)
	require.Contains(t, body, "Listo: tu reserva quedó cancelada")
	require.Contains(t, body, format.Amount(money.In(r.Deposit, r.Currency)), "everything paid goes back")
	require.Contains(t, body, "dentro del plazo legal")
	for _, secret := range []string{p.Name, r.GuestName, r.GuestToken, "+5491155551234", format.Stay(r.CheckIn, r.CheckOut)} {
		require.NotContains(t, body, secret, "nothing else about the stay")
	}
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND status = 'cancelled'", r.ID))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'owed' AND reason = 'withdrawal' AND amount = $2",
		r.ID, r.Deposit), "the seña paid by transfer is owed back by transfer")

	// The guest (who never wrote to us: a template) gets the code by
	// WhatsApp; the owner is told at once.
	dbtest.Eventually(t, "the guest's withdrawal template", func() bool {
		for _, x := range e.to("5491155551234") {
			if x.Template == whatsapp.DefaultTemplates[whatsapp.EventWithdrawn] {
				require.Equal(t, []string{"Huésped", r.Code, code, format.AmountBrief(money.In(r.Deposit, r.Currency))}, x.Params)
				return true
			}
		}
		return false
	})
	dbtest.Eventually(t, "the owner's alert", func() bool {
		for _, x := range e.to(strings.TrimPrefix(waOwner, "+")) {
			text := x.Text + strings.Join(x.Params, " ") // the alerta_duenio template outside the window
			if strings.Contains(text, code) {
				require.Contains(t, text, "Botón de arrepentimiento")
				require.Contains(t, text, r.Code)
				return true
			}
		}
		return false
	})

	// Asking again: the same code, nothing more happens.
	again := withdrawForm(t, s, r.Code, "+54 9 11 5555-1234")
	require.Equal(t, http.StatusOK, again.Status)
	require.Contains(t, string(again.Body), code)
	require.Contains(t, string(again.Body), "ya tenía el arrepentimiento registrado")
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM withdrawals"))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM cancellations"))
}

func TestWithdrawalSameAnswerForUnknownCodeAndWrongContact(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 30), s.Today().AddDate(0, 0, 33))
	before := idorState(t, s)
	tokens := regexp.MustCompile(`name="_csrf" value="[^"]+"|X-CSRF-Token&#34;: &#34;[^&]+&#34;`)
	strip := func(b []byte) string { return tokens.ReplaceAllString(string(b), "") }
	var first webtest.Response
	for i, c := range [][2]string{
		{"RES000000ABCDEF", "+5491155551234"}, // unknown code, the right phone
		{r.Code, "+5491155559999"},            // the right code, another phone
		{r.Code, "otra@example.com"},          // the right code, an e-mail the booking does not have
	} {
		resp := withdrawForm(t, s, c[0], c[1])
		require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
		require.Contains(t, string(resp.Body), "No encontramos una reserva con ese código y ese teléfono o e-mail")
		for _, secret := range []string{p.Name, r.GuestName, "cancelada", "confirmada", "pendiente"} {
			require.NotContains(t, string(resp.Body), secret)
		}
		if i == 0 {
			first = resp
			continue
		}
		// Byte for byte the same page, but for the typed values and the token.
		norm := func(resp webtest.Response, code, contact string) string {
			b := strip(resp.Body)
			b = strings.ReplaceAll(b, `value="`+code+`"`, `value="X"`)
			return strings.ReplaceAll(b, `value="`+contact+`"`, `value="Y"`)
		}
		require.Equal(t, norm(first, "RES000000ABCDEF", "+5491155551234"), norm(resp, c[0], c[1]))
	}
	require.Equal(t, before, idorState(t, s), "nothing changed")

	// Bad input: a clear message beside its field, what was typed kept.
	resp := withdrawForm(t, s, "", "no sé")
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
	require.Contains(t, string(resp.Body), "Escribí el código de tu reserva")
	require.Contains(t, string(resp.Body), "Ese teléfono no parece válido")
	require.Contains(t, string(resp.Body), `value="no sé"`)
	require.Contains(t, string(resp.Body), `aria-invalid="true"`)
}

func TestWithdrawalNothingToWithdraw(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 30), s.Today().AddDate(0, 0, 33))
	email, pass := s.User(t, "owner")
	owner := s.Login(t, email, pass)
	resp := owner.PostForm("/admin/reservations/"+r.Code+"/cancel", url.Values{"reason": {"El huésped llamó"}})
	require.Less(t, resp.Status, 400, "%.300s", resp.Body)
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND status = 'cancelled'", r.ID))

	got := withdrawForm(t, s, r.Code, "+5491155551234")
	require.Equal(t, http.StatusConflict, got.Status)
	require.Contains(t, string(got.Body), "no hay nada de qué arrepentirse")
	require.NotRegexp(t, withdrawCodeRe, string(got.Body))
	require.Zero(t, s.Count(t, "SELECT count(*) FROM withdrawals"))
}

// Guessing codes from one network is cut off: the tight count of the
// withdrawal form (5 a minute) answers 429 before the sixth try is read.
func TestWithdrawalGuessingCodesIsRateLimited(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{RateLimit: 60})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 30), s.Today().AddDate(0, 0, 33))
	se := s.NewSession(t)
	var statuses []int
	for i := range 8 {
		resp := se.PostForm("/arrepentimiento", url.Values{"code": {fmt.Sprintf("RES000000%06X", i)}, "contact": {"+5491155551234"}})
		statuses = append(statuses, resp.Status)
		if resp.Status == http.StatusTooManyRequests {
			require.NotEmpty(t, resp.Header.Get("Retry-After"))
			require.Contains(t, string(resp.Body), "Demasiados pedidos seguidos")
		}
	}
	require.Equal(t, []int{422, 422, 422, 422, 422, 429, 429, 429}, statuses)
	// Even the right code and contact wait for the minute to pass.
	right := se.PostForm("/arrepentimiento", url.Values{"code": {r.Code}, "contact": {"+5491155551234"}})
	require.Equal(t, http.StatusTooManyRequests, right.Status)
	require.Zero(t, s.Count(t, "SELECT count(*) FROM withdrawals"))
	// Reading the page is counted apart from the withdrawals (the pages' own limit).
	other := s.NewSession(t)
	req, err := http.NewRequest(http.MethodGet, s.URL+"/arrepentimiento", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, other.Do(req).Status, "reading the page is counted apart")
}

// Past the ten days, the withdrawal still cancels at once, and what goes
// back is what the frozen terms give, with the reason.
func TestWithdrawalAfterTheWindowFollowsTheTerms(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := s.Property(t)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET cancel_policy = $2 WHERE id = $1`, p.ID,
		[]byte(`{"preset":"estricta","sena":"none","tiers":[{"days_before":30,"refund_percent":100},{"days_before":7,"refund_percent":50}],"no_show_refund_percent":0,"version":2}`))
	require.NoError(t, err)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 30), s.Today().AddDate(0, 0, 33))
	email, pass := s.User(t, "owner")
	owner := s.Login(t, email, pass)
	paid := owner.PostForm("/admin/reservations/"+r.Code+"/payments", url.Values{"amount": {r.Deposit.String()}, "method": {"cash"}})
	require.Less(t, paid.Status, 400, "%.300s", paid.Body)
	dbtest.Eventually(t, "confirmed", func() bool {
		return s.Count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND status = 'confirmed'", r.ID) == 1
	})
	s.Clock.Advance(13 * 24 * time.Hour) // 17 days before arrival, the ten days long gone

	resp := withdrawForm(t, s, r.Code, "+5491155551234")
	require.Equal(t, http.StatusOK, resp.Status, "%.500s", resp.Body)
	body := string(resp.Body)
	require.Regexp(t, withdrawCodeRe, body)
	require.Contains(t, body, format.Amount(money.In(r.Deposit/2, r.Currency)), "half, as the strict terms give at 17 days")
	require.Contains(t, body, "fuera del plazo legal")
	require.Contains(t, body, "pasaron más de 10 días corridos")
	require.Contains(t, body, "Política Estricta")
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM withdrawals WHERE reservation_id = $1 AND NOT in_time", r.ID))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM refunds WHERE reservation_id = $1 AND amount = $2", r.ID, r.Deposit/2))
}

// What the visitor typed comes back escaped, in the field it was typed in.
func TestWithdrawalEchoesInputEscaped(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	evil := `"><script src=/x.js></script><img src=x onerror=alert(1)>`
	for _, form := range []url.Values{{"code": {evil}, "contact": {"11 5555-1234"}}, {"code": {"RES1"}, "contact": {evil}}} {
		resp := s.NewSession(t).PostForm("/arrepentimiento", form)
		require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
		body := string(resp.Body)
		require.NotContains(t, body, "<script src=/x.js>")
		require.NotContains(t, body, "<img src=x")
		require.Contains(t, body, "&#34;&gt;&lt;script src=/x.js&gt;")
	}
}
