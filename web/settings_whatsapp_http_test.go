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

func TestInboxSettingsSaveAndInvalidOwnerPhone(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	owner := e.owner(t)

	page := owner.Get("/admin/settings/whatsapp")
	require.Equal(t, http.StatusOK, page.Status)
	body := string(page.Body)
	require.Contains(t, body, `<dd id="wa-health">Funcionando`)
	require.Contains(t, body, `<dd id="wa-token">Configurado`)
	require.NotContains(t, body, webtest.WhatsAppToken, "the token is never shown")
	require.Contains(t, body, e.s.URL+"/webhooks/whatsapp")
	require.Contains(t, body, `placeholder="reserva_pendiente"`, "defaults as placeholders")
	require.Contains(t, body, "{{1}} nombre del huésped, {{2}} nombre del negocio")
	require.Contains(t, body, `href="/admin/settings/mercadopago"`, "the settings pages link to each other")
	require.Contains(t, string(owner.Get("/admin/settings/mercadopago").Body), `href="/admin/settings/whatsapp"`)

	// A new number is proven with the account's own token (see settings_whatsapp_number_test.go).
	e.graph.AddNumber(watest.Number{ID: "123456789012345", Token: "token-propio", Display: "+54 9 11 5555-0000", VerifiedName: "Cabañas"})
	form := url.Values{"enabled": {"1"}, "phone_number_id": {"123456789012345"}, "owner_phone": {"11 5555-0000"},
		"language": {"es"}, "tpl_follow_up": {"seguimos_charlando"}, "access_token": {"token-propio"}}
	// An owner phone that is not one: refused beside the field, everything typed kept.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("owner_phone", "llamame")
	r := owner.PostForm("/admin/settings/whatsapp", bad)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body = string(r.Body)
	require.Contains(t, body, `id="f-owner_phone-error"`)
	require.Contains(t, body, "Escribí un celular válido")
	require.Contains(t, body, `value="llamame"`)
	require.Contains(t, body, `value="seguimos_charlando"`)
	require.Contains(t, body, `value="123456789012345"`)
	st, err := e.s.WhatsApp.LoadSettings(context.Background(), e.s.Account.ID)
	require.NoError(t, err)
	require.Equal(t, webtest.WhatsAppNumberID, st.PhoneNumberID, "nothing saved")

	r = owner.PostForm("/admin/settings/whatsapp", url.Values{"phone_number_id": {"12ab"}, "tpl_cancelled": {"Con Espacios"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "tiene solo dígitos")
	require.Contains(t, string(r.Body), "solo minúsculas, números y guiones bajos")

	r = owner.PostForm("/admin/settings/whatsapp", form)
	require.Equal(t, http.StatusSeeOther, r.Status)
	st, err = e.s.WhatsApp.LoadSettings(context.Background(), e.s.Account.ID)
	require.NoError(t, err)
	require.True(t, st.Enabled)
	require.False(t, st.AssistantEnabled, "an unchecked box turns the assistant off")
	require.Equal(t, "123456789012345", st.PhoneNumberID)
	require.Equal(t, "+5491155550000", st.OwnerPhone, "an Argentine number becomes E.164")
	require.Equal(t, "es", st.Language)
	require.Equal(t, "seguimos_charlando", st.Templates[whatsapp.EventFollowUp])
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventCancelled], st.Templates[whatsapp.EventCancelled])
	body = string(owner.Get("/admin/settings/whatsapp").Body)
	require.Contains(t, body, "Configuración de WhatsApp guardada.")
	require.Contains(t, body, `value="+5491155550000"`)
	require.Regexp(t, `name="assistant_enabled" value="1">`, body)

	// Another account cannot take a number already connected.
	_, email, password := e.s.OtherAccount(t)
	other := e.s.Login(t, email, password)
	r = other.PostForm("/admin/settings/whatsapp", url.Values{"phone_number_id": {"123456789012345"}, "access_token": {"token-propio"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Ese número ya está conectado a otra cuenta.")
}

func TestInboxSettingsAreOwnerOnly(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	email, password := e.s.User(t, "staff")
	staff := e.s.Login(t, email, password)
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/settings/mercadopago").Status, "the model: other owner-only settings")
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/settings/whatsapp").Status)
	require.Equal(t, http.StatusForbidden, staff.PostForm("/admin/settings/whatsapp", url.Values{"enabled": {"1"}}).Status)
	require.Equal(t, http.StatusForbidden, staff.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"11 5555-1234"}}).Status)
	st, err := e.s.WhatsApp.LoadSettings(context.Background(), e.s.Account.ID)
	require.NoError(t, err)
	require.True(t, st.AssistantEnabled, "nothing changed")
	require.Empty(t, e.graph.Requests())
}

func TestInboxSettingsSendTestMessage(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	owner := e.owner(t)

	r := owner.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"11 5555-7777"}})
	require.Equal(t, http.StatusOK, r.Status)
	sent := e.graph.WaitSent(t, 1, 0)
	require.Equal(t, "5491155557777", sent[0].To)
	require.Equal(t, "hello_world", sent[0].Template)
	require.Contains(t, string(r.Body), "WhatsApp aceptó el mensaje para +5491155557777 (id "+sent[0].WAMID+")")

	e.graph.FailNext(1, 131030)
	r = owner.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"11 5555-7777"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := string(r.Body)
	require.Contains(t, body, "WhatsApp rechazó el mensaje: ese número no está entre los destinatarios permitidos de la cuenta de prueba (código 131030).")
	require.Contains(t, body, `value="11 5555-7777"`)
	require.Contains(t, body, `<dd id="wa-health">Con errores`)

	e.graph.SetToken("another-token") // ours is no longer valid
	r = owner.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"+54 9 11 5555-7777"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "el token de acceso no es válido o venció (código 190)")

	r = owner.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"abc"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), `id="f-test_phone-error"`)
	require.Len(t, e.graph.Requests(), 3)
}

func TestInboxSettingsWithoutAccessToken(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)
	body := string(owner.Get("/admin/settings/whatsapp").Body)
	require.Contains(t, body, "Sin configurar: falta el token de acceso.")
	require.Contains(t, body, "Todavía no guardaste la configuración de WhatsApp")
	r := owner.PostForm("/admin/settings/whatsapp/prueba", url.Values{"test_phone": {"11 5555-7777"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "falta el token de acceso de WhatsApp (WHATSAPP_ACCESS_TOKEN)")
}
