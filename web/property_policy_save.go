package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/properties"
)

// propertyPolicySave stores the "Condiciones de cancelación" form, or shows
// it again (422) with every problem beside its field, what was typed kept
// and nothing saved. Bookings already made keep the terms frozen on them.
func (s *Server) propertyPolicySave(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	in := readPolicyInput(c)
	pol, err := in.Policy()
	if err == nil {
		u := currentUser(c)
		_, err = booking.SavePolicy(c.Request().Context(), s.pool, p.AccountID, p.ID, pol,
			"user:"+strconv.FormatInt(u.ID, 10), s.clock.Now())
	}
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		return s.render(c, http.StatusUnprocessableEntity, properties.Policy(s.policyPage(c, p, in, verr.Fields)))
	case err != nil:
		return err
	}
	setFlash(c, "Guardaste las condiciones de cancelación de «"+p.Name+"». Valen para las reservas nuevas.")
	return c.Redirect(http.StatusSeeOther, propertyURL(p.ID, "/cancelacion"))
}

// readPolicyInput reads the form as typed: the preset radio, the seña rule,
// booking.MaxTiers rows and the no-show percent.
func readPolicyInput(c echo.Context) booking.PolicyInput {
	in := booking.PolicyInput{Preset: c.FormValue("preset"), Sena: c.FormValue("sena"),
		NoShow: c.FormValue("no_show_refund_percent")}
	for i := range booking.MaxTiers {
		n := strconv.Itoa(i)
		in.Tiers = append(in.Tiers, booking.TierInput{Days: c.FormValue("tier_days_" + n),
			Percent: c.FormValue("tier_percent_" + n)})
	}
	return in
}
