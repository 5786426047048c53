package web

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/media"
	"alojamientos/internal/money"
	"alojamientos/views/properties"
)

// Shared by the property handlers (property_*.go, season_*.go): loading a
// property of the account, and building the edit page around it.

// maxPropertyPhotos bounds the photos of one property.
const maxPropertyPhotos = 30

// propertyParamID reads a positive id from the path; anything else is a 404.
func propertyParamID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// accountProperty reads the :id property of the signed-in user's account.
// Another account's property is a 404, as if it did not exist.
func (s *Server) accountProperty(c echo.Context) (dbq.GetAccountPropertyRow, error) {
	id, err := propertyParamID(c, "id")
	if err != nil {
		return dbq.GetAccountPropertyRow{}, err
	}
	p, err := db.Q(s.pool).GetAccountProperty(c.Request().Context(),
		dbq.GetAccountPropertyParams{ID: id, AccountID: currentUser(c).AccountID})
	if err != nil {
		return p, fmt.Errorf("web: property %d: %w", id, err)
	}
	return p, nil
}

func (s *Server) photoStore() media.Store {
	return media.Store{Dir: filepath.Join(s.config.DataDir, "photos")}
}

func propertyEditURL(id int64) string {
	return "/admin/properties/" + strconv.FormatInt(id, 10) + "/edit"
}

func propertyURL(id int64, suffix string) string {
	return "/admin/properties/" + strconv.FormatInt(id, 10) + suffix
}

// propertyInputFromForm reads the property form as typed.
func propertyInputFromForm(c echo.Context, id int64) booking.PropertyInput {
	form, _ := c.FormParams()
	return booking.PropertyInput{
		ID: id, Name: form.Get("name"), Slug: form.Get("slug"), Kind: form.Get("kind"),
		Description: form.Get("description"), Location: form.Get("location"), Amenities: form.Get("amenities"),
		HouseRules: form.Get("house_rules"), CheckInTime: form.Get("check_in_time"),
		CheckOutTime: form.Get("check_out_time"), HoldMinutes: form.Get("hold_minutes"),
		MaxAnonymousNights: form.Get("max_anonymous_nights"), Currency: form.Get("currency"),
		Pricing: pricingInput(form),
	}
}

func pricingInput(v url.Values) booking.PricingInput {
	return booking.PricingInput{
		Capacity: v.Get("capacity"), IncludedGuests: v.Get("included_guests"), BasePrice: v.Get("base_price"),
		WeekendPrice: v.Get("weekend_price"), WeekendNights: v["weekend_nights"], CleaningFee: v.Get("cleaning_fee"),
		ExtraGuestFee: v.Get("extra_guest_fee"), DepositPercent: v.Get("deposit_percent"), MinNights: v.Get("min_nights"),
	}
}

// formValuesFromInput refills the form with what was typed.
func formValuesFromInput(in booking.PropertyInput) properties.FormValues {
	return properties.FormValues{
		Name: in.Name, Slug: in.Slug, Kind: in.Kind, Capacity: in.Pricing.Capacity,
		IncludedGuests: in.Pricing.IncludedGuests, Description: in.Description, Location: in.Location,
		Amenities: in.Amenities, HouseRules: in.HouseRules, CheckInTime: in.CheckInTime, CheckOutTime: in.CheckOutTime,
		BasePrice: in.Pricing.BasePrice, WeekendPrice: in.Pricing.WeekendPrice, WeekendNights: in.Pricing.WeekendNights,
		CleaningFee: in.Pricing.CleaningFee, ExtraGuestFee: in.Pricing.ExtraGuestFee,
		DepositPercent: in.Pricing.DepositPercent, MinNights: in.Pricing.MinNights, HoldMinutes: in.HoldMinutes,
		MaxAnonymousNights: in.MaxAnonymousNights, Currency: in.Currency,
	}
}

// newPropertyValues are the form's defaults for a new property (the schema's),
// priced in the account's currency.
func newPropertyValues(currency string) properties.FormValues {
	return properties.FormValues{
		Kind: "cabin", Capacity: "2", IncludedGuests: "2", CheckInTime: "14:00", CheckOutTime: "10:00",
		WeekendNights: weekdayValues(booking.DefaultWeekendNights...), DepositPercent: "30", MinNights: "1",
		HoldMinutes: "30", MaxAnonymousNights: strconv.Itoa(booking.DefaultMaxAnonymousNights), Currency: currency,
	}
}

func weekdayValues[T ~int | ~int16](days ...T) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = strconv.Itoa(int(d))
	}
	return out
}

// formValuesFromRow fills the form with the stored property.
func formValuesFromRow(p dbq.GetAccountPropertyRow) properties.FormValues {
	v := properties.FormValues{
		Name: p.Name, Slug: p.Slug, Kind: p.Kind, Capacity: strconv.Itoa(int(p.Capacity)),
		IncludedGuests: strconv.Itoa(int(p.IncludedGuests)), Description: p.Description, Location: p.Location,
		Amenities: strings.Join(p.Amenities, "\n"), HouseRules: p.HouseRules, CheckInTime: p.CheckInTime,
		CheckOutTime: p.CheckOutTime, BasePrice: p.BasePrice.Display(), WeekendNights: weekdayValues(p.WeekendNights...),
		CleaningFee: p.CleaningFee.Display(), ExtraGuestFee: p.ExtraGuestFee.Display(),
		DepositPercent: strconv.Itoa(int(p.DepositPercent)), MinNights: strconv.Itoa(int(p.MinNights)),
		HoldMinutes: strconv.Itoa(int(p.HoldMinutes)), MaxAnonymousNights: strconv.Itoa(int(p.MaxAnonymousNights)),
		Currency: p.Currency,
	}
	if p.WeekendPrice != nil {
		v.WeekendPrice = p.WeekendPrice.Display()
	}
	return v
}

// savedRules are the stored property's pricing rules.
func savedRules(p dbq.GetAccountPropertyRow) booking.Rules {
	r := booking.Rules{
		BasePrice: p.BasePrice, WeekendPrice: p.WeekendPrice, CleaningFee: p.CleaningFee, ExtraGuestFee: p.ExtraGuestFee,
		IncludedGuests: int(p.IncludedGuests), Capacity: int(p.Capacity), MinNights: int(p.MinNights),
		DepositPercent: int(p.DepositPercent), Currency: p.Currency,
	}
	for _, w := range p.WeekendNights {
		r.WeekendNights = append(r.WeekendNights, time.Weekday(w))
	}
	return r
}

// editPage is everything the edit page shows, as stored. Handlers that
// answer a failed form replace the part that failed before rendering.
type editPage struct {
	row     dbq.GetAccountPropertyRow
	seasons []dbq.Season
	vm      properties.EditView
}

func (s *Server) propertyEditPage(c echo.Context, p dbq.GetAccountPropertyRow) (*editPage, error) {
	seasons, err := db.Q(s.pool).ListAccountSeasons(c.Request().Context(),
		dbq.ListAccountSeasonsParams{PropertyID: p.ID, AccountID: p.AccountID})
	if err != nil {
		return nil, fmt.Errorf("web: seasons of %d: %w", p.ID, err)
	}
	csrf := csrfToken(c)
	vm := properties.EditView{
		Page: s.adminPage(c, p.Name, "alojamientos"), ID: p.ID, Name: p.Name, Active: p.Active,
		ActiveURL: propertyURL(p.ID, "/active"), EditURL: propertyEditURL(p.ID), PublicURL: "/p/" + p.Slug,
		CalendarURL: propertyURL(p.ID, "/calendar"), FeedsURL: propertyURL(p.ID, "/feeds"),
		PaymentsURL: propertyURL(p.ID, "/cobros"), PolicyURL: propertyURL(p.ID, "/cancelacion"),
		Form: properties.FormView{ID: p.ID, Action: propertyURL(p.ID, ""), CSRF: csrf, Values: formValuesFromRow(p)},
		Photos: properties.PhotosView{CSRF: csrf, AddURL: propertyURL(p.ID, "/photos#fotos"),
			DeleteURL: propertyURL(p.ID, "/photos/delete"), CanAdd: len(p.Photos) < maxPropertyPhotos,
			Max: maxPropertyPhotos},
		Seasons: properties.SeasonsView{CSRF: csrf, New: properties.SeasonForm{Key: "nueva",
			Action: propertyURL(p.ID, "/seasons#temporadas")}},
	}
	for i, name := range p.Photos {
		vm.Photos.Photos = append(vm.Photos.Photos, properties.Photo{Name: name, URL: "/media/" + name,
			Alt: fmt.Sprintf("Foto %d de %s", i+1, p.Name)})
	}
	for _, se := range seasons {
		vm.Seasons.Seasons = append(vm.Seasons.Seasons, seasonFormFromRow(p.ID, p.Currency, se))
	}
	page := &editPage{row: p, seasons: seasons, vm: vm}
	page.vm.Preview = s.pricePreview(p, seasons, url.Values{})
	return page, nil
}

func (s *Server) renderEditPage(c echo.Context, status int, page *editPage) error {
	return s.render(c, status, properties.Edit(page.vm))
}

func seasonKey(id int64) string { return strconv.FormatInt(id, 10) }

func seasonFormFromRow(propertyID int64, currency string, se dbq.Season) properties.SeasonForm {
	v := properties.SeasonValues{Name: se.Name, StartsOn: booking.FormatDate(se.StartsOn),
		EndsOn: booking.FormatDate(se.EndsOn), NightlyPrice: se.NightlyPrice.Display(), RepeatsYearly: se.RepeatsYearly}
	summary := "del " + format.Date(se.StartsOn) + " al " + format.Date(se.EndsOn) + " · " +
		format.Amount(money.In(se.NightlyPrice, currency)) + " por noche"
	if se.MinNights != nil {
		v.MinNights = strconv.Itoa(int(*se.MinNights))
		summary += " · mínimo " + format.Nights(int(*se.MinNights))
	}
	if se.RepeatsYearly {
		summary += " · todos los años"
	}
	base := propertyURL(propertyID, "/seasons/"+seasonKey(se.ID))
	return properties.SeasonForm{Key: seasonKey(se.ID), Action: base + "#temporadas", DeleteURL: base + "/delete",
		Summary: summary, Values: v}
}

// seasonInputFromForm reads the season form as typed.
func seasonInputFromForm(c echo.Context, propertyID, seasonID int64) booking.SeasonInput {
	return booking.SeasonInput{ID: seasonID, PropertyID: propertyID, Name: c.FormValue("name"),
		StartsOn: c.FormValue("starts_on"), EndsOn: c.FormValue("ends_on"), NightlyPrice: c.FormValue("nightly_price"),
		MinNights: c.FormValue("min_nights"), RepeatsYearly: c.FormValue("repeats_yearly") == "true"}
}

// seasonValuesFromInput refills a season form; dates that parse are written
// as a date field expects them, the rest as typed.
func seasonValuesFromInput(in booking.SeasonInput) properties.SeasonValues {
	v := properties.SeasonValues{Name: in.Name, StartsOn: in.StartsOn, EndsOn: in.EndsOn,
		NightlyPrice: in.NightlyPrice, MinNights: in.MinNights, RepeatsYearly: in.RepeatsYearly}
	if d, err := booking.ParseFormDate(in.StartsOn); err == nil {
		v.StartsOn = booking.FormatDate(d)
	}
	if d, err := booking.ParseFormDate(in.EndsOn); err == nil {
		v.EndsOn = booking.FormatDate(d)
	}
	return v
}
