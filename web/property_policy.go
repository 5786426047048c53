package web

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/properties"
)

// propertyPolicy shows a property's "Condiciones de cancelación" page: the
// presets in the guest's words with their example tables, the editor of
// the owner's own tiers, and the policy as stored.
func (s *Server) propertyPolicy(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	stored := booking.StoredPolicy(p.CancelPolicy)
	return s.render(c, http.StatusOK, properties.Policy(s.policyPage(c, p, booking.InputFromPolicy(stored), nil)))
}

// policyPage builds the page around the form's values; errs are the
// field errors of a refused save.
func (s *Server) policyPage(c echo.Context, p dbq.GetAccountPropertyRow, in booking.PolicyInput, errs map[string]string) properties.PolicyView {
	stored := booking.StoredPolicy(p.CancelPolicy)
	_, named := booking.Presets[in.Preset]
	vm := properties.PolicyView{
		Page: s.adminPage(c, "Condiciones de cancelación de "+p.Name, "alojamientos"), Name: p.Name,
		EditURL: propertyEditURL(p.ID), Action: propertyURL(p.ID, "/cancelacion"),
		PreviewURL: propertyURL(p.ID, "/cancelacion/vista"), CSRF: csrfToken(c),
		Current: fmt.Sprintf("%s (versión %d)", stored.Name(), stored.Version),
		Custom:  !named, Values: policyValues(in), Preview: policyPreview(in), Errors: errs,
	}
	for _, name := range booking.PresetNames {
		pr, _ := booking.Preset(name)
		vm.Presets = append(vm.Presets, properties.PresetOption{Value: name, Name: pr.Name(), Text: pr.Text(),
			Checked: name == in.Preset, Rows: exampleRows(pr)})
	}
	return vm
}

func policyValues(in booking.PolicyInput) properties.PolicyValues {
	v := properties.PolicyValues{Sena: in.Sena, NoShow: in.NoShow}
	for _, t := range in.Tiers {
		v.Tiers = append(v.Tiers, properties.TierValues{Days: t.Days, Percent: t.Percent})
	}
	return v
}

// policyPreview is what the form would save, in the guest's words, or the
// problems that keep it from being saved.
func policyPreview(in booking.PolicyInput) properties.PolicyPreview {
	pol, err := in.Policy()
	if err == nil {
		err = pol.Normalize()
	}
	if verr, ok := err.(*booking.ValidationError); ok {
		keys := make([]string, 0, len(verr.Fields))
		for k := range verr.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := properties.PolicyPreview{}
		for _, k := range keys {
			out.Errors = append(out.Errors, verr.Fields[k])
		}
		return out
	}
	if !pol.Matches(pol.Preset) {
		pol.Preset = booking.PresetCustom
	}
	return properties.PolicyPreview{Name: pol.Name(), Text: pol.Text(), Rows: exampleRows(pol)}
}

// exampleRows formats booking.PolicyExamples: every figure comes from Settle.
func exampleRows(p booking.Policy) []properties.ExampleRow {
	ars := func(m money.Money) string { return format.Amount(money.In(m, booking.PesoCurrency)) }
	var out []properties.ExampleRow
	for _, ex := range booking.PolicyExamples(p) {
		out = append(out, properties.ExampleRow{Label: ex.Label,
			OnlyDeposit: ars(ex.OnlyDeposit.Owed()), PaidInFull: ars(ex.PaidInFull.Owed())})
	}
	return out
}
