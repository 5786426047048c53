package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/properties"
)

// propertyPreview prices a sample stay with the pricing fields as typed in
// the edit form (htmx includes them) and the saved seasons. htmx gets the
// result fragment; a browser without JavaScript gets a page with the form.
func (s *Server) propertyPreview(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	seasons, err := db.Q(s.pool).ListAccountSeasons(c.Request().Context(),
		dbq.ListAccountSeasonsParams{PropertyID: p.ID, AccountID: p.AccountID})
	if err != nil {
		return fmt.Errorf("web: seasons of %d: %w", p.ID, err)
	}
	vm := s.pricePreview(p, seasons, c.QueryParams())
	if isHTMX(c) {
		return s.render(c, http.StatusOK, properties.PreviewResultFragment(vm.Result))
	}
	return s.render(c, http.StatusOK, properties.PreviewPage(properties.PreviewPageView{
		Page: s.adminPage(c, "Vista previa · "+p.Name, "alojamientos"), Name: p.Name, Preview: vm,
	}))
}

// pricingLabels name the pricing fields in the preview's messages.
var pricingLabels = map[string]string{
	"capacity": "Capacidad", "included_guests": "Huéspedes incluidos", "base_price": "Precio base",
	"weekend_price": "Precio de fin de semana", "weekend_nights": "Noches de fin de semana",
	"cleaning_fee": "Limpieza", "extra_guest_fee": "Huésped extra", "deposit_percent": "Seña",
	"min_nights": "Estadía mínima",
}

// pricePreview prices the stay asked in q (check_in, nights, guests) with the
// pricing fields in q when the edit form sent them (base_price present), or
// the stored ones, and the stored seasons.
func (s *Server) pricePreview(p dbq.GetAccountPropertyRow, seasons []dbq.Season, q url.Values) properties.PreviewView {
	vm := properties.PreviewView{Action: propertyURL(p.ID, "/preview"), EditURL: propertyEditURL(p.ID),
		CheckIn: q.Get("check_in"), Nights: q.Get("nights"), Guests: q.Get("guests")}
	var problems []string

	rules := savedRules(p)
	if q.Has("base_price") {
		typed, err := pricingInput(q).Rules(p.Currency)
		var verr *booking.ValidationError
		if errors.As(err, &verr) {
			problems = append(problems, fieldMessages(verr, pricingLabels)...)
		}
		rules = typed
	}

	today := booking.LocalDate(s.clock.Now(), s.booking.Locations.Get(p.Timezone))
	checkIn := today.AddDate(0, 0, 7)
	if vm.CheckIn == "" {
		vm.CheckIn = booking.FormatDate(checkIn)
	} else if d, err := booking.ParseFormDate(vm.CheckIn); err != nil {
		problems = append(problems, "Llegada: ingresá una fecha dd/mm/aaaa.")
	} else {
		checkIn, vm.CheckIn = d, booking.FormatDate(d)
	}
	nights := max(3, rules.MinNights)
	if vm.Nights == "" {
		vm.Nights = strconv.Itoa(nights)
	} else if n, err := strconv.Atoi(strings.TrimSpace(vm.Nights)); err != nil || n < 1 || n > booking.MaxStayNights {
		problems = append(problems, "Noches: ingresá de 1 a 365.")
	} else {
		nights = n
	}
	guests := max(1, rules.IncludedGuests)
	if vm.Guests == "" {
		vm.Guests = strconv.Itoa(guests)
	} else if n, err := strconv.Atoi(strings.TrimSpace(vm.Guests)); err != nil || n < 1 {
		problems = append(problems, "Huéspedes: ingresá al menos 1.")
	} else {
		guests = n
	}
	if len(problems) > 0 {
		vm.Result.Problems = problems
		return vm
	}

	ss := make([]booking.Season, len(seasons))
	for i, se := range seasons {
		ss[i] = booking.Season{Name: se.Name, StartsOn: se.StartsOn, EndsOn: se.EndsOn, NightlyPrice: se.NightlyPrice,
			RepeatsYearly: se.RepeatsYearly}
		if se.MinNights != nil {
			ss[i].MinNights = int(*se.MinNights)
		}
	}
	checkOut := checkIn.AddDate(0, 0, nights)
	quote, err := booking.Price(rules, ss, checkIn, checkOut, guests)
	var verr *booking.ValidationError
	if errors.As(err, &verr) {
		vm.Result.Problems = fieldMessages(verr, nil)
		return vm
	}
	if err != nil {
		vm.Result.Problems = []string{"No pudimos calcular el precio."}
		return vm
	}
	in := func(m money.Money) string { return format.Amount(money.In(m, quote.Currency)) }
	r := properties.PreviewResult{Priced: true,
		Stay: "Del " + format.Weekday(checkIn) + " " + format.Date(checkIn) + " al " + format.Weekday(checkOut) + " " +
			format.Date(checkOut) + " · " + format.Nights(quote.Nights) + " · " + guestsLabel(quote.Guests),
		NightsSubtotal: in(quote.NightsSubtotal), CleaningFee: in(quote.CleaningFee),
		ExtraGuests: quote.ExtraGuests, ExtraGuestFee: in(quote.ExtraGuestFee), Total: in(quote.Total),
		DepositPercent: quote.DepositPercent, Deposit: in(quote.Deposit)}
	for _, n := range quote.Breakdown {
		r.Nights = append(r.Nights, properties.PreviewNight{Date: format.Weekday(n.Date) + " " + format.Date(n.Date),
			Price: in(n.Price), Source: nightSource(n.Source)})
	}
	vm.Result = r
	return vm
}

func guestsLabel(n int) string {
	if n == 1 {
		return "1 huésped"
	}
	return strconv.Itoa(n) + " huéspedes"
}

func nightSource(src string) string {
	switch {
	case src == "weekend":
		return "Fin de semana"
	case strings.HasPrefix(src, "season:"):
		return "Temporada «" + strings.TrimPrefix(src, "season:") + "»"
	}
	return "Precio base"
}

// fieldMessages lists a validation error's messages in a stable order,
// prefixed with the field's label when labels names it.
func fieldMessages(verr *booking.ValidationError, labels map[string]string) []string {
	keys := make([]string, 0, len(verr.Fields))
	for k := range verr.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if l, ok := labels[k]; ok {
			out = append(out, l+": "+verr.Fields[k])
		} else {
			out = append(out, verr.Fields[k])
		}
	}
	return out
}
