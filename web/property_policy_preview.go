package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/properties"
)

// propertyPolicyPreview answers the form's htmx changes with what it would
// save, in the guest's words, writing nothing. Picking a preset also fills
// the tier rows with its terms; editing a row that leaves the chosen
// preset's terms moves the choice to "Personalizada", so what the radio
// says is always what "Guardar" saves.
func (s *Server) propertyPolicyPreview(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	in := readPolicyInput(c)
	if pr, ok := booking.Preset(in.Preset); ok && c.FormValue("changed") == "preset" {
		in = booking.InputFromPolicy(pr)
	} else if ok {
		if typed, err := (booking.PolicyInput{Sena: in.Sena, Tiers: in.Tiers, NoShow: in.NoShow}).Policy(); err != nil ||
			typed.Normalize() != nil || !typed.Matches(in.Preset) {
			in.Preset = booking.PresetCustom
		}
	}
	vm := s.policyPage(c, p, in, nil)
	c.Response().Header().Set("Vary", "HX-Request")
	if !isHTMX(c) {
		return s.render(c, http.StatusOK, properties.Policy(vm))
	}
	if c.FormValue("changed") == "preset" {
		return s.render(c, http.StatusOK, templ.Join(properties.PolicyPreviewBox(vm.Preview), properties.PolicyEditor(vm, true)))
	}
	return s.render(c, http.StatusOK, templ.Join(properties.PolicyPreviewBox(vm.Preview), properties.PolicyPresets(vm, true)))
}
