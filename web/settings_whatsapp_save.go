package web

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/whatsapp"
	waviews "alojamientos/views/whatsapp"
)

var (
	numberIDRE     = regexp.MustCompile(`^[0-9]{1,30}$`)
	languageRE     = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
	templateNameRE = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
)

// settingsWhatsAppSave stores the account's WhatsApp settings. Refused
// values come back beside their fields with what was typed.
func (s *Server) settingsWhatsAppSave(c echo.Context) error {
	vm := s.whatsappSettingsFrame(c)
	vm.Saved = true
	vm.Enabled, vm.AssistantEnabled = c.FormValue("enabled") != "", c.FormValue("assistant_enabled") != ""
	vm.PhoneNumberID = strings.TrimSpace(c.FormValue("phone_number_id"))
	vm.OwnerPhone = strings.TrimSpace(c.FormValue("owner_phone"))
	vm.Language = strings.TrimSpace(c.FormValue("language"))
	names := map[string]string{}
	for _, ev := range templateEvents {
		names[ev] = strings.TrimSpace(c.FormValue("tpl_" + ev))
	}
	vm.Templates = templateFields(names)

	st := whatsapp.Settings{AccountID: currentUser(c).AccountID, Enabled: vm.Enabled, PhoneNumberID: vm.PhoneNumberID,
		AssistantEnabled: vm.AssistantEnabled, Language: vm.Language, Templates: map[string]string{}}
	if vm.PhoneNumberID != "" && !numberIDRE.MatchString(vm.PhoneNumberID) {
		vm.Errors["phone_number_id"] = "El identificador del número tiene solo dígitos (lo ves en Meta, en la configuración de la API)."
	}
	if vm.OwnerPhone != "" {
		phone, err := booking.NormalizePhone(vm.OwnerPhone)
		if err != nil {
			vm.Errors["owner_phone"] = "Escribí un celular válido, por ejemplo 11 5555-1234 o +54 9 11 5555-1234."
		}
		st.OwnerPhone = phone
	}
	if vm.Language == "" {
		st.Language = "es_AR"
	} else if !languageRE.MatchString(vm.Language) {
		vm.Errors["language"] = "Escribí el código de idioma como lo pide Meta, por ejemplo es_AR o es."
	}
	for ev, name := range names {
		if name != "" && !templateNameRE.MatchString(name) {
			vm.Errors["tpl_"+ev] = "El nombre de una plantilla lleva solo minúsculas, números y guiones bajos."
		}
		st.Templates[ev] = name
	}
	if len(vm.Errors) > 0 {
		return s.refuseWhatsAppSettings(c, vm)
	}
	// The token is used once here and never sent back in the page.
	proven, err := s.whatsApp.SaveOwnerSettings(c.Request().Context(), st, strings.TrimSpace(c.FormValue("access_token")))
	switch {
	case err == nil:
		flash := "Configuración de WhatsApp guardada."
		if proven != nil {
			flash = "Número " + proven.DisplayPhoneNumber + " (" + proven.VerifiedName + ") conectado. " + flash
		}
		setFlash(c, flash)
		return c.Redirect(http.StatusSeeOther, settingsWhatsAppURL)
	case errors.Is(err, whatsapp.ErrNumberTaken):
		vm.Errors["phone_number_id"] = "Ese número ya está conectado a otra cuenta."
	case errors.Is(err, whatsapp.ErrNumberUnproven):
		vm.Errors["phone_number_id"] = "Para conectar un número pegá el token de acceso de tu cuenta de WhatsApp Business: " +
			"con él comprobamos que el número es tuyo. Si el número es el de la instalación, pedile al administrador de la instalación que te lo asigne."
	case errors.Is(err, whatsapp.ErrNumberNotOwned):
		vm.Errors["phone_number_id"] = "Meta dice que ese número no es de la cuenta de WhatsApp Business de ese token. " +
			"Revisá el identificador y el token en Meta › WhatsApp › Configuración de la API."
	case errors.Is(err, whatsapp.ErrTokenRejected):
		vm.Errors["access_token"] = "Meta no aceptó el token de acceso (código 190): no es válido o venció. Generá uno nuevo en Meta."
	case errors.Is(err, whatsapp.ErrNumberCheckFailed):
		s.logger(c).Warn("whatsapp number check", "error", err)
		vm.Errors["phone_number_id"] = "No pudimos comprobar el número con WhatsApp. Probá de nuevo en un rato."
	default:
		return err
	}
	return s.refuseWhatsAppSettings(c, vm)
}

// refuseWhatsAppSettings re-renders the form with its errors, saying
// whether the account's own token is still stored (nothing was saved).
func (s *Server) refuseWhatsAppSettings(c echo.Context, vm waviews.SettingsView) error {
	if cur, err := s.whatsApp.LoadSettings(c.Request().Context(), currentUser(c).AccountID); err == nil {
		vm.OwnTokenSet = cur.AccessToken != ""
	}
	return s.renderWhatsAppSettings(c, http.StatusUnprocessableEntity, vm)
}
