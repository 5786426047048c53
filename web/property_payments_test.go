package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

func cobrosForm() url.Values {
	return url.Values{"pay_mercadopago": {"true"}, "pay_transfer": {"true"}, "pay_cash": {"true"},
		"mp_surcharge": {"3,5"}, "mp_max_installments": {"6"}, "transfer_cbu": {"2850590940090418135201"},
		"transfer_alias": {"cabana.bosque"}, "transfer_holder": {"Ana Pérez"}, "transfer_cuit": {"20-12345678-6"},
		"transfer_bank": {"Banco Macro"}, "transfer_in_pesos": {"true"}, "balance_due": {"before"},
		"balance_due_days": {"7"}, "receipt_hold_hours": {"24"}}
}

// The owner sets how a property takes money; a new hold takes the new terms
// (the cache heard the change) and the page shows what was saved.
func TestPropertyPaymentsSave(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	path := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/cobros"

	page := se.Get(path)
	require.Equal(t, http.StatusOK, page.Status)
	body := string(page.Body)
	require.Contains(t, body, "Cobros de "+p.Name)
	require.Contains(t, body, "Se le suma al huésped que paga con Mercado Pago")
	require.Contains(t, html.UnescapeString(string(se.Get("/admin/properties/"+strconv.FormatInt(p.ID, 10)+"/edit").Body)), path)

	r := se.PostForm(path, cobrosForm())
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, path, r.Header.Get("Location"))
	body = html.UnescapeString(string(se.Get(path).Body))
	require.Contains(t, body, "Guardaste los cobros")
	for _, v := range []string{`value="3,5"`, `value="2850590940090418135201"`, `value="20123456786"`, `value="cabana.bosque"`, `value="7"`, `value="24"`} {
		require.Contains(t, body, v)
	}

	want := booking.PaymentTerms{MercadoPago: true, Transfer: true, Cash: true, SurchargeBP: 350, MaxInstallments: 6,
		Account: booking.TransferAccount{CBU: "2850590940090418135201", Alias: "cabana.bosque", Holder: "Ana Pérez",
			CUIT: "20123456786", Bank: "Banco Macro", InPesos: true}, BalanceDueDays: 7, ReceiptHoldHours: 24}
	dbtest.Eventually(t, "the cache hears the new terms", func() bool {
		loaded, err := s.Booking.LoadProperty(context.Background(), p.ID)
		return err == nil && loaded.Pay == want
	})
	h := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 22))
	require.Equal(t, 350, h.SurchargeBP)
	require.Equal(t, 7, h.BalanceDueDays)

	arrival := cobrosForm()
	arrival.Set("balance_due", "arrival")
	arrival.Set("balance_due_days", "")
	require.Equal(t, http.StatusSeeOther, se.PostForm(path, arrival).Status)
	require.Equal(t, 0, s.Count(t, `SELECT balance_due_days FROM properties WHERE id = $1`, p.ID))
}

// Every bad field is told beside it, with what was typed kept, and nothing is saved.
func TestPropertyPaymentsRefused(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	path := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/cobros"
	bad := cobrosForm()
	bad.Set("mp_surcharge", "45")
	bad.Set("transfer_cbu", "2850590940090418135202")
	bad.Set("transfer_cuit", "20-12345678-7")
	bad.Set("transfer_alias", "mi alias")
	bad.Set("transfer_holder", "")
	bad.Set("balance_due_days", "0")
	r := se.PostForm(path, bad)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := html.UnescapeString(string(r.Body))
	for _, msg := range []string{"Ingresá un porcentaje de 0 a 30", "no coinciden sus dígitos verificadores",
		"no coincide su dígito verificador", "El alias tiene de 6 a 20 caracteres", "cargá el titular de la cuenta",
		"Ingresá de 1 a 365 días", "no se guardó nada"} {
		require.Contains(t, body, msg)
	}
	require.Contains(t, body, `value="2850590940090418135202"`, "what was typed is kept")
	require.Contains(t, body, `id="f-transfer_cbu" name="transfer_cbu" type="text" value="2850590940090418135202" aria-invalid="true"`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND (pay_transfer OR mp_surcharge_bp <> 0)`, p.ID))

	none := url.Values{"mp_surcharge": {"0"}, "receipt_hold_hours": {"12"}}
	r = se.PostForm(path, none)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, html.UnescapeString(string(r.Body)), "Elegí al menos un medio de cobro.")
}

// Staff cannot open or change the page; another account's property is a 404.
func TestPropertyPaymentsOwnerOnly(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	path := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/cobros"
	email, password := s.User(t, "staff")
	staff := s.Login(t, email, password)
	require.Equal(t, http.StatusForbidden, staff.Get(path).Status)
	require.Equal(t, http.StatusForbidden, staff.PostForm(path, cobrosForm()).Status)

	accID, oemail, opassword := s.OtherAccount(t)
	_ = accID
	other := s.Login(t, oemail, opassword)
	require.Equal(t, http.StatusNotFound, other.Get(path).Status)
	require.Equal(t, http.StatusNotFound, other.PostForm(path, cobrosForm()).Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND pay_transfer`, p.ID))
}
