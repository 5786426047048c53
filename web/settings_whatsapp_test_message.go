package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/whatsapp"
	waviews "alojamientos/views/whatsapp"
)

// settingsWhatsAppTestMessage sends Meta's hello_world template to a phone
// right away and shows what the API answered, on the settings page.
func (s *Server) settingsWhatsAppTestMessage(c echo.Context) error {
	vm, err := s.whatsappSettingsView(c)
	if err != nil {
		return err
	}
	vm.TestPhone = strings.TrimSpace(c.FormValue("test_phone"))
	phone, err := booking.NormalizePhone(vm.TestPhone)
	if err != nil {
		vm.Errors["test_phone"] = "Escribí un celular válido, por ejemplo 11 5555-1234 o +54 9 11 5555-1234."
		return s.renderWhatsAppSettings(c, http.StatusUnprocessableEntity, vm)
	}
	wamid, err := s.whatsApp.SendTest(c.Request().Context(), currentUser(c).AccountID, phone)
	var apiErr *whatsapp.APIError
	switch {
	case err == nil:
		vm.TestResult = "WhatsApp aceptó el mensaje para " + phone + " (id " + wamid + "). Si no llega, revisá que ese número pueda recibir mensajes de la cuenta."
		// The health line may have changed with this send.
		vm.Health, vm.HealthDetail = s.whatsApp.Health()
		return s.renderWhatsAppSettings(c, http.StatusOK, vm)
	case errors.As(err, &apiErr):
		vm.TestResult = "WhatsApp rechazó el mensaje: " + waviews.APIErrorText(apiErr.Code, "") + "."
		if apiErr.Code == 0 {
			vm.TestResult = "WhatsApp rechazó el mensaje (respuesta HTTP " + strconv.Itoa(apiErr.HTTPStatus) + ")."
		}
	case errors.Is(err, whatsapp.ErrNoNumber):
		vm.TestResult = "No se puede enviar: esta cuenta no tiene un número de WhatsApp asignado. Conectá el tuyo arriba o pedile al administrador de la instalación que te asigne uno."
	case errors.Is(err, whatsapp.ErrUnconfigured):
		vm.TestResult = "No se puede enviar: falta el token de acceso de WhatsApp (WHATSAPP_ACCESS_TOKEN) en el servidor."
	default:
		s.logger(c).Warn("whatsapp test message", "error", err)
		vm.TestResult = "No pudimos comunicarnos con WhatsApp. Probá de nuevo en un rato."
	}
	vm.TestFailed = true
	vm.Health, vm.HealthDetail = s.whatsApp.Health()
	return s.renderWhatsAppSettings(c, http.StatusUnprocessableEntity, vm)
}
