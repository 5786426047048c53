package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func propSeasons(t *testing.T, s *webtest.Server, propertyID int64) []dbq.Season {
	t.Helper()
	ss, err := db.Q(s.Pool).ListSeasons(context.Background(), propertyID)
	require.NoError(t, err)
	return ss
}

func TestSeasonAddEditDelete(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	base := fmt.Sprintf("/admin/properties/%d", p.ID)

	// Dates typed the Argentine way or as a date field sends them.
	r := se.PostForm(base+"/seasons", url.Values{"name": {"Verano"}, "starts_on": {"20/12/2026"},
		"ends_on": {"2027-01-10"}, "nightly_price": {"80.000"}, "min_nights": {"3"}, "repeats_yearly": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, base+"/edit#temporadas", r.Header.Get("Location"))
	ss := propSeasons(t, s, p.ID)
	require.Len(t, ss, 1)
	require.Equal(t, "2026-12-20", ss[0].StartsOn.Format("2006-01-02"))
	require.Equal(t, "2027-01-10", ss[0].EndsOn.Format("2006-01-02"))
	require.Equal(t, money.FromUnits(80000), ss[0].NightlyPrice)
	require.True(t, ss[0].RepeatsYearly)

	page := string(se.Get(base + "/edit").Body)
	require.Contains(t, page, "Agregaste la temporada «Verano»")
	require.Contains(t, page, "del 20/12/2026 al 10/01/2027 · $ 80.000,00 por noche · mínimo 3 noches · todos los años")
	require.Contains(t, page, `value="2026-12-20"`)

	// A yearly season prices the same dates of later years (saved prices, typed ones alike).
	frag := propPreview(t, s, se, p.ID, url.Values{"check_in": {"04/01/2028"}, "nights": {"3"}, "guests": {"2"}})
	require.Equal(t, 3, strings.Count(frag, "Temporada «Verano»"), frag)
	require.Contains(t, frag, `id="preview-total">$ 240.000,00<`)
	frag = propPreview(t, s, se, p.ID, url.Values{"check_in": {"04/01/2028"}, "nights": {"2"}, "guests": {"2"},
		"base_price": {"1"}, "capacity": {"4"}, "included_guests": {"2"}, "deposit_percent": {"30"}, "min_nights": {"1"}})
	require.Contains(t, frag, "La estadía mínima para esas fechas es de 3 noches.", "the season's minimum applies")
	frag = propPreview(t, s, se, p.ID, url.Values{"check_in": {"01/02/2028"}, "nights": {"3"}, "guests": {"2"}})
	require.Contains(t, frag, `id="preview-total">$ 30.000,00<`, "outside the season: the base price")

	// Bad dates are field errors; nothing changes and what was typed stays.
	sid := ss[0].ID
	r = se.PostForm(fmt.Sprintf("%s/seasons/%d", base, sid), url.Values{"name": {"Verano"}, "starts_on": {"10/01/2027"},
		"ends_on": {"09/01/2027"}, "nightly_price": {"90.000"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "La última noche no puede ser anterior a la primera.")
	require.Contains(t, string(r.Body), `value="90.000"`)
	r = se.PostForm(base+"/seasons", url.Values{"name": {"Todo"}, "starts_on": {"01/01/2027"},
		"ends_on": {"15/01/2028"}, "nightly_price": {"1"}, "repeats_yearly": {"true"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Una temporada que se repite todos los años no puede durar más de un año.")
	require.Contains(t, string(r.Body), `value="2028-01-15"`)
	r = se.PostForm(base+"/seasons", url.Values{"name": {""}, "starts_on": {"31/02/2027"}, "ends_on": {"ayer"},
		"nightly_price": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Ingresá un nombre")
	require.Equal(t, 2, strings.Count(string(r.Body), "Ingresá una fecha dd/mm/aaaa."))
	require.Contains(t, string(r.Body), `value="ayer"`)
	require.Len(t, propSeasons(t, s, p.ID), 1)
	require.Equal(t, money.FromUnits(80000), propSeasons(t, s, p.ID)[0].NightlyPrice)

	// Edit.
	r = se.PostForm(fmt.Sprintf("%s/seasons/%d", base, sid), url.Values{"name": {"Verano alto"},
		"starts_on": {"2026-12-26"}, "ends_on": {"06/01/2027"}, "nightly_price": {"95.000,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	ss = propSeasons(t, s, p.ID)
	require.Equal(t, "Verano alto", ss[0].Name)
	require.Equal(t, money.Money(9_500_050), ss[0].NightlyPrice)
	require.Nil(t, ss[0].MinNights)
	require.False(t, ss[0].RepeatsYearly, "an unchecked box turns it off")
	frag = propPreview(t, s, se, p.ID, url.Values{"check_in": {"04/01/2028"}, "nights": {"1"}, "guests": {"2"}})
	require.Contains(t, frag, `id="preview-total">$ 10.000,00<`, "no longer repeats")

	// An unknown season is a 404.
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("%s/seasons/%d", base, sid+1000),
		url.Values{"name": {"X"}}).Status)

	// Delete.
	r = se.PostForm(fmt.Sprintf("%s/seasons/%d/delete", base, sid), nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Empty(t, propSeasons(t, s, p.ID))
	require.Contains(t, string(se.Get(base+"/edit").Body), "Borraste la temporada.")
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("%s/seasons/%d/delete", base, sid), nil).Status)
}
