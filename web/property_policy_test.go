package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

func policyPath(id int64) string {
	return "/admin/properties/" + strconv.FormatInt(id, 10) + "/cancelacion"
}

// customPolicyForm is the editor with the radio on "Personalizada".
func customPolicyForm(rows ...[2]string) url.Values {
	f := url.Values{"preset": {"personalizada"}, "sena": {"confirmatoria"}, "no_show_refund_percent": {"0"}}
	for i, r := range rows {
		f.Set("tier_days_"+strconv.Itoa(i), r[0])
		f.Set("tier_percent_"+strconv.Itoa(i), r[1])
	}
	return f
}

// The owner reads every preset with its example table, picks one, and the
// next hold freezes it; the edit page links here.
func TestPropertyPolicySave(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	path := policyPath(p.ID)
	require.Contains(t, html.UnescapeString(string(se.Get("/admin/properties/"+strconv.FormatInt(p.ID, 10)+"/edit").Body)), path)

	page := se.Get(path)
	require.Equal(t, http.StatusOK, page.Status)
	body := html.UnescapeString(string(page.Body))
	require.Contains(t, body, "Condiciones de cancelación de "+p.Name)
	require.Contains(t, body, "Moderada (versión 1)")
	for _, name := range booking.PresetNames {
		pr, _ := booking.Preset(name)
		require.Contains(t, body, pr.Text(), name)
	}
	// The example table's figures come from Settle: Moderada, 2 days before, paid in full: half.
	require.Contains(t, body, "Cancela 2 días antes</th><td class=\"num\">$ 15.000,00</td><td class=\"num\">$ 50.000,00</td>")
	// Seña penitencial: the host who cancels pays back everything and the seña once more.
	require.Contains(t, body, "Cancela el alojamiento</th><td class=\"num\">$ 60.000,00</td><td class=\"num\">$ 130.000,00</td>")

	r := se.PostForm(path, url.Values{"preset": {"sena_penitencial"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, path, r.Header.Get("Location"))
	body = html.UnescapeString(string(se.Get(path).Body))
	require.Contains(t, body, "Guardaste las condiciones de cancelación")
	require.Contains(t, body, "Seña penitencial (versión 2)")
	require.Contains(t, body, `id="preset-sena_penitencial" value="sena_penitencial" checked`)

	dbtest.Eventually(t, "the cache hears the new policy", func() bool {
		loaded, err := s.Booking.LoadProperty(context.Background(), p.ID)
		return err == nil && loaded.Policy.Preset == booking.PresetPenitencial
	})
	h := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 22))
	require.Equal(t, booking.SenaPenitencial, h.Policy.Sena)
	require.Equal(t, 2, h.Policy.Version)

	// Own tiers, typed in any order, are saved most days first as "Personalizada".
	r = se.PostForm(path, customPolicyForm([2]string{"3", "50"}, [2]string{"", ""}, [2]string{"15", "100"}))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	body = html.UnescapeString(string(se.Get(path).Body))
	require.Contains(t, body, "Personalizada (versión 3)")
	require.Contains(t, body, "Seña confirmatoria: la seña confirma la reserva y no se devuelve si cancelás. Si cancelás hasta 15 días antes")
	require.Contains(t, body, `name="tier_days_0" type="number" inputmode="numeric" min="0" max="365" value="15"`)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'policy_changed'
		AND (detail->>'version')::int = 3 AND actor LIKE 'user:%'`))
}

// Bad rows are told beside the tiers with what was typed kept, and nothing is saved.
func TestPropertyPolicyRefused(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	path := policyPath(p.ID)
	for _, tc := range []struct {
		form url.Values
		msg  string
	}{
		{customPolicyForm([2]string{"10", "50"}, [2]string{"2", "100"}), "no puede devolver más que cancelar antes"},
		{customPolicyForm([2]string{"mucho", "50"}), "Completá cada escalón con dos números"},
		{customPolicyForm([2]string{"400", "50"}), "Los días antes de la llegada van de 0 a 365."},
		{customPolicyForm([2]string{"7", "150"}), "El porcentaje a devolver va de 0 a 100."},
	} {
		r := se.PostForm(path, tc.form)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status)
		body := html.UnescapeString(string(r.Body))
		require.Contains(t, body, tc.msg)
		require.Contains(t, body, "no se guardó nada")
		require.Contains(t, body, `<p class="field-error" id="f-tiers-error">`)
		require.Contains(t, body, `value="`+tc.form.Get("tier_days_0")+`" aria-invalid="true"`, "what was typed is kept")
		require.Contains(t, body, `id="preset-personalizada" value="personalizada" checked`)
	}
	bad := customPolicyForm([2]string{"7", "100"})
	bad.Set("no_show_refund_percent", "-5")
	bad.Set("sena", "doble")
	r := se.PostForm(path, bad)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := html.UnescapeString(string(r.Body))
	require.Contains(t, body, "Elegí qué pasa con la seña.")
	require.Contains(t, body, `id="f-no_show_refund_percent-error"`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND (cancel_policy->>'version')::int <> 1`, p.ID))
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'policy_changed'`))
}

// The live preview writes nothing: picking a preset fills the rows with its
// terms; editing a row moves the choice to "Personalizada".
func TestPropertyPolicyPreview(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	preview := policyPath(p.ID) + "/vista"
	htmx := func(form url.Values) string {
		form.Set("_csrf", se.CSRF())
		req, err := http.NewRequest(http.MethodPost, s.URL+preview, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		r := se.Do(req)
		require.Equal(t, http.StatusOK, r.Status, string(r.Body))
		return html.UnescapeString(string(r.Body))
	}
	body := htmx(url.Values{"preset": {"estricta"}, "changed": {"preset"}, "tier_days_0": {"5"}, "tier_percent_0": {"100"}})
	require.Contains(t, body, `id="policy-preview"`)
	require.Contains(t, body, "<strong>Política: Estricta</strong>")
	require.Contains(t, body, `id="policy-editor" hx-post=`)
	require.Contains(t, body, `hx-swap-oob="true"`)
	require.Contains(t, body, `name="tier_days_0" type="number" inputmode="numeric" min="0" max="365" value="30"`, "rows filled with Estricta's")
	require.NotContains(t, body, "<html")

	body = htmx(url.Values{"preset": {"estricta"}, "changed": {"editor"}, "sena": {"none"},
		"tier_days_0": {"30"}, "tier_percent_0": {"100"}, "tier_days_1": {"3"}, "tier_percent_1": {"50"}})
	require.Contains(t, body, "<strong>Política: Personalizada</strong>")
	require.Contains(t, body, `id="preset-personalizada" value="personalizada" checked`)
	require.Contains(t, body, "hasta 3 días antes de la llegada, el 50 %")

	body = htmx(url.Values{"preset": {"personalizada"}, "changed": {"editor"}, "sena": {"none"},
		"tier_days_0": {"3"}, "tier_percent_0": {"50"}, "tier_days_1": {"30"}, "tier_percent_1": {"10"}})
	require.Contains(t, body, "no puede devolver más que cancelar antes")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'policy_changed'`))
}

// Staff cannot open or change the page; another account's property is a 404.
func TestPropertyPolicyOwnerOnly(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	path := policyPath(p.ID)
	email, password := s.User(t, "staff")
	staff := s.Login(t, email, password)
	require.Equal(t, http.StatusForbidden, staff.Get(path).Status)
	require.Equal(t, http.StatusForbidden, staff.PostForm(path, url.Values{"preset": {"flexible"}}).Status)

	_, oemail, opassword := s.OtherAccount(t)
	other := s.Login(t, oemail, opassword)
	require.Equal(t, http.StatusNotFound, other.Get(path).Status)
	require.Equal(t, http.StatusNotFound, other.PostForm(path, url.Values{"preset": {"flexible"}}).Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND cancel_policy->>'preset' <> 'moderada'`, p.ID))
}
