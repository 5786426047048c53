package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/whatsapp"
	waviews "alojamientos/views/whatsapp"
)

const settingsWhatsAppURL = "/admin/settings/whatsapp"

// templateEvents orders the template fields of the settings page.
var templateEvents = []string{
	whatsapp.EventHoldCreated, whatsapp.EventPaymentReceived, whatsapp.EventHoldExpiring, whatsapp.EventHoldExpired,
	whatsapp.EventCheckInReminder, whatsapp.EventCancelled, whatsapp.EventBalanceReminder, whatsapp.EventOwnerAlert,
	whatsapp.EventFollowUp, whatsapp.EventReceiptRejected, whatsapp.EventWithdrawn,
	whatsapp.EventFollowUp, whatsapp.EventReceiptRejected, whatsapp.EventRefundDone,
}

// settingsWhatsApp shows the account's WhatsApp settings as stored.
func (s *Server) settingsWhatsApp(c echo.Context) error {
	vm, err := s.whatsappSettingsView(c)
	if err != nil {
		return err
	}
	return s.renderWhatsAppSettings(c, http.StatusOK, vm)
}

// whatsappSettingsView is the settings page filled from what is stored (or
// the defaults when nothing is).
func (s *Server) whatsappSettingsView(c echo.Context) (waviews.SettingsView, error) {
	st, err := s.whatsApp.LoadSettings(c.Request().Context(), currentUser(c).AccountID)
	saved := err == nil
	if err != nil && !errors.Is(err, whatsapp.ErrNotConfigured) {
		return waviews.SettingsView{}, err
	}
	if !saved {
		st.Enabled, st.AssistantEnabled = true, true
	}
	vm := s.whatsappSettingsFrame(c)
	vm.Saved, vm.Enabled, vm.OwnerPhone, vm.AssistantEnabled, vm.Language = saved, st.Enabled, st.OwnerPhone,
		st.AssistantEnabled, st.Language
	// LoadSettings fills an empty number with the server's; the form shows it as the placeholder instead.
	if st.PhoneNumberID != s.whatsApp.PhoneNumberID {
		vm.PhoneNumberID = st.PhoneNumberID
	}
	vm.OwnTokenSet = st.AccessToken != ""
	names := map[string]string{}
	for k, v := range st.Templates {
		if v != whatsapp.DefaultTemplates[k] {
			names[k] = v
		}
	}
	vm.Templates = templateFields(names)
	return vm, nil
}

// whatsappSettingsFrame is everything on the page besides the form's values.
func (s *Server) whatsappSettingsFrame(c echo.Context) waviews.SettingsView {
	health, detail := s.whatsApp.Health()
	return waviews.SettingsView{Health: health, HealthDetail: detail, TokenSet: s.whatsApp.Client.Configured(),
		SecretSet: s.whatsApp.AppSecret != "", WebhookURL: s.config.BaseURL + "/webhooks/whatsapp",
		DefaultNumberID: s.whatsApp.PhoneNumberID, SaveURL: settingsWhatsAppURL, TestURL: settingsWhatsAppURL + "/prueba",
		CSRF: csrfToken(c), Errors: map[string]string{}}
}

// templateFields lists one field per event; names holds the owner's own names.
func templateFields(names map[string]string) []waviews.TemplateField {
	out := make([]waviews.TemplateField, 0, len(templateEvents))
	for _, ev := range templateEvents {
		out = append(out, waviews.TemplateField{Event: ev, Label: waviews.EventLabels[ev], Help: waviews.EventHelp[ev],
			Name: names[ev], Default: whatsapp.DefaultTemplates[ev]})
	}
	return out
}

func (s *Server) renderWhatsAppSettings(c echo.Context, status int, vm waviews.SettingsView) error {
	return s.render(c, status, waviews.Settings(s.adminPage(c, "WhatsApp · Configuración", "whatsapp"), vm))
}
