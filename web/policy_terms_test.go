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
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// The booking form shows the terms and holds nothing until the guest ticks
// "Leí y acepto"; with the box ticked the hold keeps when it was accepted.
func TestGuestHoldRequiresAcceptedTerms(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	se := s.NewSession(t)
	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
	page := html.UnescapeString(string(se.Get("/p/" + p.Slug + "?" + q.Encode()).Body))
	mod, _ := booking.Preset(booking.PresetModerada)
	require.Contains(t, page, "<h3>Condiciones de cancelación</h3>")
	require.Contains(t, page, "<strong>Política: Moderada</strong></p><p id=\"terms-text\">"+mod.Text())
	require.Contains(t, page, `<input type="checkbox" id="accept_terms" name="accept_terms" value="true" required>`)
	require.Contains(t, page, "Leí y acepto las condiciones de cancelación")

	form := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guests": {"2"}, "guest_name": {"Lucía Pérez"}, "guest_phone": {"11 5555-1234"}}
	r := se.PostForm("/p/"+p.Slug+"/hold", form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := html.UnescapeString(string(r.Body))
	require.Contains(t, body, `<p class="field-error" id="accept_terms-error" role="alert">Para reservar, leé las condiciones de cancelación y marcá «Leí y acepto».</p>`)
	require.Contains(t, body, `id="accept_terms" name="accept_terms" value="true" required aria-invalid="true" aria-describedby="accept_terms-error">`)
	require.Contains(t, body, `value="Lucía Pérez"`, "what was typed stays")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`), "nothing is written")

	// Another problem at once: both are told.
	form.Set("guest_phone", "12")
	body = string(se.PostForm("/p/"+p.Slug+"/hold", form).Body)
	require.Contains(t, body, `id="guest_phone-error"`)
	require.Contains(t, body, `id="accept_terms-error"`)

	form.Set("guest_phone", "11 5555-1234")
	form.Set("accept_terms", "true")
	r = se.PostForm("/p/"+p.Slug+"/hold", form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE terms_accepted_at IS NOT NULL
		AND cancel_policy->>'preset' = 'moderada'`))
}

type apiPolicy struct {
	Name     string `json:"name"`
	Preset   string `json:"preset"`
	SenaRule string `json:"sena_rule"`
	Tiers    []struct {
		DaysBefore    int `json:"days_before"`
		RefundPercent int `json:"refund_percent"`
	} `json:"tiers"`
	NoShowRefundPercent int    `json:"no_show_refund_percent"`
	Text                string `json:"text"`
	Version             int    `json:"version"`
}

type withPolicy struct {
	Code     string     `json:"code"`
	GuestURL string     `json:"guest_url"`
	Policy   *apiPolicy `json:"cancellation_policy"`
}

// The quote carries the property's terms, the pre-reserve answer and the
// reservation the frozen ones (no acceptance needed from an API client); when
// the owner changes the policy, new quotes change and that reservation's
// answer and guest page do not. A stay without frozen terms says null.
func TestAPICancellationPolicyFrozen(t *testing.T) {
	t.Parallel()
	s, owner := propOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 20)
	quotePath := "/api/v1/properties/" + strconv.FormatInt(p.ID, 10) + "/quote?" + url.Values{
		"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}.Encode()
	var quote withPolicy
	s.Do(t, http.MethodGet, quotePath, nil, nil).JSON(t, &quote)
	require.NotNil(t, quote.Policy)
	mod, _ := booking.Preset(booking.PresetModerada)
	require.Equal(t, "Moderada", quote.Policy.Name)
	require.Equal(t, "moderada", quote.Policy.Preset)
	require.Equal(t, "none", quote.Policy.SenaRule)
	require.Len(t, quote.Policy.Tiers, 2)
	require.Equal(t, 5, quote.Policy.Tiers[0].DaysBefore)
	require.Equal(t, 100, quote.Policy.Tiers[0].RefundPercent)
	require.Equal(t, mod.Text(), quote.Policy.Text)
	require.Equal(t, 1, quote.Policy.Version)

	resp := s.Do(t, http.MethodPost, prereservePath, holdBody(p.ID, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, resp.Status, string(resp.Body))
	var held withPolicy
	resp.JSON(t, &held)
	require.Equal(t, "Moderada", held.Policy.Name)
	require.Equal(t, 1, held.Policy.Version)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE terms_accepted_at IS NULL`), "the API asks no tick")
	res, err := s.Booking.Get(context.Background(), held.Code)
	require.NoError(t, err)
	showPath := "/api/v1/reservations/" + res.Code + "?t=" + res.GuestToken

	require.Equal(t, http.StatusSeeOther, owner.PostForm(policyPath(p.ID), url.Values{"preset": {"estricta"}}).Status)
	estricta, _ := booking.Preset(booking.PresetEstricta)
	laterQuote := strings.Replace(quotePath, booking.FormatDate(in), booking.FormatDate(in.AddDate(0, 0, -5)), 1)
	laterQuote = strings.Replace(laterQuote, booking.FormatDate(in.AddDate(0, 0, 2)), booking.FormatDate(in.AddDate(0, 0, -3)), 1)
	dbtest.Eventually(t, "new quotes carry the new policy", func() bool {
		var q withPolicy
		s.Do(t, http.MethodGet, laterQuote, nil, nil).JSON(t, &q)
		return q.Policy != nil && q.Policy.Preset == "estricta" && q.Policy.Version == 2 && q.Policy.Text == estricta.Text()
	})

	var shown withPolicy
	s.Do(t, http.MethodGet, showPath, nil, nil).JSON(t, &shown)
	require.Equal(t, held.Policy, shown.Policy, "the reservation keeps the terms it was held with")
	guestPage := html.UnescapeString(string(s.NewSession(t).Get(booking.GuestPath(res.Code, res.GuestToken)).Body))
	require.Contains(t, guestPage, mod.Text())
	require.NotContains(t, guestPage, estricta.Text())

	_, err = s.Pool.Exec(context.Background(), `UPDATE reservations SET cancel_policy = NULL WHERE id = $1`, res.ID)
	require.NoError(t, err)
	r := s.Do(t, http.MethodGet, showPath, nil, nil)
	require.Contains(t, string(r.Body), `"cancellation_policy":null`)
	guestPage = string(s.NewSession(t).Get(booking.GuestPath(res.Code, res.GuestToken)).Body)
	require.NotContains(t, guestPage, "Condiciones de cancelación")
}

// The guest page shows the frozen terms and, for a live booking, what
// cancelling today gives back (Service.PreviewCancel): all of it 20 days
// ahead under Moderada, half of it 3 days ahead, nothing paid yet on a hold.
func TestGuestPageCancellationTerms(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	ctx := context.Background()
	in := s.Today().AddDate(0, 0, 20)
	hold := s.Hold(t, p.ID, in.AddDate(0, 0, 10), in.AddDate(0, 0, 12))
	se := s.NewSession(t)
	page := html.UnescapeString(string(se.Get(booking.GuestPath(hold.Code, hold.GuestToken)).Body))
	require.Contains(t, page, `<h2 id="condiciones-titulo">Condiciones de cancelación</h2>`)
	require.Contains(t, page, "Todavía no pagaste nada: si cancelás hoy, no hay nada que devolver.")

	res := s.Hold(t, p.ID, in, in.AddDate(0, 0, 2))
	_, err := s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: res.ID, AccountID: s.Account.ID,
		Amount: res.Deposit, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	paid := ars(res.Deposit)
	page = html.UnescapeString(string(se.Get(booking.GuestPath(res.Code, res.GuestToken)).Body))
	mod, _ := booking.Preset(booking.PresetModerada)
	require.Contains(t, page, "<strong>Política: Moderada</strong></p><p id=\"terms-text\">"+mod.Text())
	require.Contains(t, page, "Si cancelás hoy te devolvemos "+paid+" de los "+paid+" pagados.")
	require.Contains(t, page, "Son las condiciones que aceptaste al reservar (versión 1)")
	require.Contains(t, page, "Política Moderada, cancelación a 20 días de la llegada: se devuelve el 100 % de lo pagado")

	s.Clock.Advance(17 * 24 * time.Hour)
	page = html.UnescapeString(string(se.Get(booking.GuestPath(res.Code, res.GuestToken)).Body))
	require.Contains(t, page, "Si cancelás hoy te devolvemos "+ars(res.Deposit/2)+" de los "+paid+" pagados.")
	require.True(t, strings.Index(page, "Condiciones de cancelación") > strings.Index(page, `class="summary"`),
		"below the stay's summary")
}

func ars(m money.Money) string { return format.Amount(money.In(m, "ARS")) }
