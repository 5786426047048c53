package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/format"
	"alojamientos/views/settings"
)

const settingsMercadoPagoURL = "/admin/settings/mercadopago"

// mask shows the start and end of a credential only.
func mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 12 {
		return "••••"
	}
	return s[:6] + "…" + s[len(s)-4:]
}

// settingsMercadoPago shows the Mercado Pago credentials as configured.
func (s *Server) settingsMercadoPago(c echo.Context) error {
	h := s.mercadoPago.Client.Health()
	vm := settings.MercadoPagoView{
		AccessToken: mask(s.config.MercadoPagoAccess), PublicKey: mask(s.config.MercadoPagoPublicKey),
		SecretSet: s.config.MercadoPagoSecret != "", APIBaseURL: s.config.MercadoPagoAPIBaseURL,
		WebhookURL: s.config.BaseURL + "/webhooks/mercadopago", Health: h.Status, LastError: h.LastError,
		TestURL: settingsMercadoPagoURL + "/test", CSRF: csrfToken(c),
	}
	if !h.LastErrAt.IsZero() {
		vm.LastErrorAt = format.DateTime(h.LastErrAt, s.booking.Locations.Get(currentUser(c).Timezone))
	}
	return s.render(c, http.StatusOK, settings.MercadoPago(s.adminPage(c, "Mercado Pago", "mercadopago"), vm))
}

// settingsMercadoPagoTest makes a cheap authenticated call (GET /users/me).
func (s *Server) settingsMercadoPagoTest(c echo.Context) error {
	if !s.mercadoPago.Client.Configured() {
		setFlash(c, "Falta el access token de Mercado Pago (MERCADOPAGO_ACCESS_TOKEN).")
		return c.Redirect(http.StatusSeeOther, settingsMercadoPagoURL)
	}
	who, err := s.mercadoPago.Client.Me(c.Request().Context())
	if err != nil {
		s.logger(c).Warn("mercadopago test connection", "error", err)
		setFlash(c, "Mercado Pago no aceptó la conexión: revisá el access token.")
		return c.Redirect(http.StatusSeeOther, settingsMercadoPagoURL)
	}
	setFlash(c, "Conexión correcta con Mercado Pago (cuenta "+who+").")
	return c.Redirect(http.StatusSeeOther, settingsMercadoPagoURL)
}
