package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// Two businesses on one installation. A number id is assigned from the
// settings page only when the Graph API answers for it with the account's
// own access token; otherwise nothing is saved and the owner is told why.
func TestWhatsAppSettingsNumberMustBelongToTheAccount(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	ctx := context.Background()
	numberA, numberB := "111000111000111", "222000222000222"
	e.graph.AddNumber(watest.Number{ID: numberA, Token: "token-negocio-a", Display: "+54 9 11 4000-0001", VerifiedName: "Cabañas A"})
	e.graph.AddNumber(watest.Number{ID: numberB, Token: "token-negocio-b", Display: "+54 9 294 400-0002", VerifiedName: "Domos B"})
	ownerA := e.owner(t)
	accountB, email, password := e.s.OtherAccount(t)
	ownerB := e.s.Login(t, email, password)

	// A connects its own number with its own token.
	r := ownerA.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}, "assistant_enabled": {"1"},
		"phone_number_id": {numberA}, "access_token": {"token-negocio-a"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	page := string(ownerA.Get("/admin/settings/whatsapp").Body)
	require.Contains(t, page, "Número +54 9 11 4000-0001 (Cabañas A) conectado.")
	require.Contains(t, page, `value="`+numberA+`"`)
	require.Contains(t, page, "Token propio de la cuenta: guardado")
	require.NotContains(t, page, "token-negocio-a", "a token is never shown")
	// A refused change keeps the stored token, and says so.
	r = ownerA.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}, "phone_number_id": {numberB}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "no es de la cuenta de WhatsApp Business de ese token")
	require.Contains(t, string(r.Body), "Token propio de la cuenta: guardado")

	claim := func(number, token string) string {
		t.Helper()
		r := ownerB.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}, "phone_number_id": {number},
			"access_token": {token}})
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "claiming %s with %q", number, token)
		require.Contains(t, string(r.Body), `value="`+number+`"`, "what was typed is kept")
		if token != "" {
			require.NotContains(t, string(r.Body), token, "but never the token")
		}
		return string(r.Body)
	}
	// B cannot take A's number: not without a token, not with its own token, not with a made-up one.
	require.Contains(t, claim(numberA, ""), "Para conectar un número pegá el token de acceso de tu cuenta de WhatsApp Business")
	require.Contains(t, claim(numberA, "token-negocio-b"), "Meta dice que ese número no es de la cuenta de WhatsApp Business de ese token.")
	require.Contains(t, claim(numberA, "token-inventado"), "Meta no aceptó el token de acceso (código 190)")
	// Nor the installation's own number, which only the admin assigns.
	require.Contains(t, claim(webtest.WhatsAppNumberID, ""), "pedile al administrador de la instalación")
	require.Contains(t, claim(webtest.WhatsAppNumberID, "token-negocio-b"), "no es de la cuenta de WhatsApp Business de ese token")
	_, err := e.s.WhatsApp.LoadSettings(ctx, accountB)
	require.ErrorIs(t, err, whatsapp.ErrNotConfigured, "nothing was saved for B")

	// B connects its own number.
	r = ownerB.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}, "assistant_enabled": {"1"},
		"phone_number_id": {numberB}, "access_token": {"token-negocio-b"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	st, err := e.s.WhatsApp.LoadSettings(ctx, accountB)
	require.NoError(t, err)
	require.Equal(t, numberB, st.PhoneNumberID)
	// Saving again without typing the token keeps it (nothing to prove: the number did not change).
	r = ownerB.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}, "assistant_enabled": {"1"},
		"phone_number_id": {numberB}, "language": {"es"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	st, err = e.s.WhatsApp.LoadSettings(ctx, accountB)
	require.NoError(t, err)
	require.Equal(t, "token-negocio-b", st.AccessToken)
	lookups := len(e.graph.Lookups())

	// Each number's guests reach their own account, and B answers with B's token from B's number.
	for _, c := range []struct {
		number, guest string
		account       int64
	}{{numberA, "5491155552001", e.s.Account.ID}, {numberB, "5491155552002", accountB}} {
		body := watest.TextMessage(c.number, c.guest, "Huésped", waID(), "hola", e.s.Clock.Now())
		require.Equal(t, http.StatusOK, waEnv{s: e.s, graph: e.graph}.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
		sent := waEnv{s: e.s, graph: e.graph}.waitTo(t, c.guest, 1)
		require.Equal(t, c.number, sent.PhoneNumberID)
		require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_conversations WHERE wa_id = $1 AND account_id = $2`, c.guest, c.account))
	}
	b := waEnv{s: e.s, graph: e.graph}.waitTo(t, "5491155552002", 1)
	require.Equal(t, "token-negocio-b", b.Token)
	require.Contains(t, b.Text, "Soy el asistente de")
	require.Equal(t, lookups, len(e.graph.Lookups()), "sending does not look the number up")
}

// An account that leaves the number empty uses the installation's number
// only where that number's messages would come back to it: a single-business
// installation. Beside an account that holds it, it sends from no number.
func TestWhatsAppEmptyNumberIsNotAnotherAccountsNumber(t *testing.T) {
	t.Parallel()
	e := ibStart(t) // the main account holds the installation's number
	ctx := context.Background()
	accountB, email, password := e.s.OtherAccount(t)
	require.NoError(t, e.s.WhatsApp.SaveSettings(ctx, whatsapp.Settings{AccountID: accountB, Enabled: true, AssistantEnabled: true}))
	st, err := e.s.WhatsApp.LoadSettings(ctx, accountB)
	require.NoError(t, err)
	require.Empty(t, st.PhoneNumberID, "not the number account A holds")
	_, err = e.s.WhatsApp.SendTest(ctx, accountB, "+5491155557777")
	require.ErrorIs(t, err, whatsapp.ErrNoNumber)

	ownerB := e.s.Login(t, email, password)
	r := ownerB.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"11 5555-7777"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "esta cuenta no tiene un número de WhatsApp asignado")
	require.Empty(t, e.graph.Requests(), "nothing went out from A's number")

	st, err = e.s.WhatsApp.LoadSettings(ctx, e.s.Account.ID)
	require.NoError(t, err)
	require.Equal(t, webtest.WhatsAppNumberID, st.PhoneNumberID, "A keeps its number")
}
