package booking

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Kinds of property, as stored.
var Kinds = []string{"cabin", "apartment", "room", "house"}

// Limits of a property's fields, the schema's where it has one.
const (
	MaxCapacity    = 100
	MaxHoldMinutes = 10080 // a week
	// DefaultMaxAnonymousNights is the longest stay a guest may hold without the owner, unless the owner sets another.
	DefaultMaxAnonymousNights = 30
	maxNameLen                = 200
	maxShortTextLen           = 200
	maxLongTextLen            = 5000
	maxAmenities              = 50
	maxAmenityLen             = 80
	maxSlugLen                = 63
	slugSuffixTrials          = 20
)

// DefaultWeekendNights are Friday and Saturday nights.
var DefaultWeekendNights = []time.Weekday{time.Friday, time.Saturday}

// PropertyInput is the property form as typed: every value a string, checked
// by SaveProperty. ID 0 creates a property.
type PropertyInput struct {
	ID           int64
	Name         string
	Slug         string
	Kind         string
	Description  string
	Location     string
	Amenities    string // comma or line separated
	HouseRules   string
	CheckInTime  string
	CheckOutTime string
	HoldMinutes  string
	// MaxAnonymousNights is the longest stay guests may hold by themselves; empty: DefaultMaxAnonymousNights.
	MaxAnonymousNights string
	// Currency is the ISO 4217 code prices are in; empty: the account's for a
	// new property, unchanged for an existing one.
	Currency string
	Pricing  PricingInput
}

// PricingInput is the part of the property form that sets prices and stay
// rules, which the price preview also reads before anything is saved.
type PricingInput struct {
	Capacity       string
	IncludedGuests string
	BasePrice      string
	WeekendPrice   string // empty: no weekend price
	WeekendNights  []string
	CleaningFee    string
	ExtraGuestFee  string
	DepositPercent string
	MinNights      string
}

// PropertyFields is a checked property, ready to store.
type PropertyFields struct {
	Name         string
	Slug         string // empty: generate from the name
	Kind         string
	Description  string
	Location     string
	Amenities    []string
	HouseRules   string
	CheckInTime  string
	CheckOutTime string
	HoldMinutes  int
	// MaxAnonymousNights: see PropertyInput.
	MaxAnonymousNights int
	Rules              Rules // Rules.Currency empty: see PropertyInput.Currency
}

// Rules checks the pricing fields and returns them as the quote's rules.
// Field names in the error are the form's.
func (in PricingInput) Rules(currency string) (Rules, error) {
	var verr ValidationError
	r := in.rules(currency, &verr)
	return r, verr.orNil()
}

func (in PricingInput) rules(currency string, verr *ValidationError) Rules {
	r := Rules{Currency: currency}
	r.Capacity = intField(verr, "capacity", in.Capacity, 1, MaxCapacity, "Ingresá una capacidad de 1 a 100 huéspedes.")
	r.IncludedGuests = intField(verr, "included_guests", in.IncludedGuests, 1, MaxCapacity,
		"Ingresá cuántos huéspedes incluye el precio (al menos 1).")
	if _, bad := verr.Fields["included_guests"]; !bad && r.Capacity > 0 && r.IncludedGuests > r.Capacity {
		verr.add("included_guests", "No puede superar la capacidad.")
	}
	if strings.TrimSpace(in.BasePrice) == "" {
		verr.add("base_price", "Ingresá el precio por noche.")
	} else {
		r.BasePrice = moneyField(verr, "base_price", in.BasePrice)
	}
	if strings.TrimSpace(in.WeekendPrice) != "" {
		wp := moneyField(verr, "weekend_price", in.WeekendPrice)
		r.WeekendPrice = &wp
	}
	r.WeekendNights = []time.Weekday{}
	for _, v := range in.WeekendNights {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > 6 {
			verr.add("weekend_nights", "Elegí noches de la semana válidas.")
			continue
		}
		if !slices.Contains(r.WeekendNights, time.Weekday(n)) {
			r.WeekendNights = append(r.WeekendNights, time.Weekday(n))
		}
	}
	slices.Sort(r.WeekendNights)
	r.CleaningFee = optionalMoney(verr, "cleaning_fee", in.CleaningFee)
	r.ExtraGuestFee = optionalMoney(verr, "extra_guest_fee", in.ExtraGuestFee)
	r.DepositPercent = intField(verr, "deposit_percent", in.DepositPercent, 0, 100, "Ingresá un porcentaje de 0 a 100.")
	r.MinNights = intField(verr, "min_nights", in.MinNights, 1, MaxStayNights, "Ingresá un mínimo de 1 a 365 noches.")
	return r
}

// Check validates every field at once and returns the property to store.
func (in PropertyInput) Check() (PropertyFields, error) {
	var verr ValidationError
	f := PropertyFields{
		Name:        strings.TrimSpace(in.Name),
		Kind:        in.Kind,
		Description: strings.TrimSpace(in.Description),
		Location:    strings.TrimSpace(in.Location),
		HouseRules:  strings.TrimSpace(in.HouseRules),
	}
	switch n := utf8.RuneCountInString(f.Name); {
	case n == 0:
		verr.add("name", "Ingresá el nombre.")
	case n > maxNameLen:
		verr.add("name", fmt.Sprintf("El nombre puede tener hasta %d caracteres.", maxNameLen))
	}
	if slug := strings.ToLower(strings.TrimSpace(in.Slug)); slug != "" {
		if !slugRe.MatchString(slug) {
			verr.add("slug", "Usá solo letras minúsculas sin acentos, números y guiones (hasta 63), empezando por una letra o un número.")
		}
		f.Slug = slug
	}
	if !slices.Contains(Kinds, f.Kind) {
		verr.add("kind", "Elegí un tipo de alojamiento.")
	}
	textField(&verr, "name", f.Name, maxNameLen)
	textField(&verr, "description", f.Description, maxLongTextLen)
	textField(&verr, "location", f.Location, maxShortTextLen)
	textField(&verr, "house_rules", f.HouseRules, maxLongTextLen)
	f.Amenities = SplitAmenities(in.Amenities)
	if len(f.Amenities) > maxAmenities {
		verr.add("amenities", fmt.Sprintf("Cargá hasta %d comodidades.", maxAmenities))
	}
	for _, a := range f.Amenities {
		textField(&verr, "amenities", a, maxAmenityLen)
	}
	f.CheckInTime = timeField(&verr, "check_in_time", in.CheckInTime)
	f.CheckOutTime = timeField(&verr, "check_out_time", in.CheckOutTime)
	f.HoldMinutes = intField(&verr, "hold_minutes", in.HoldMinutes, 1, MaxHoldMinutes,
		"Ingresá de 1 a 10080 minutos (una semana).")
	f.MaxAnonymousNights = DefaultMaxAnonymousNights
	if strings.TrimSpace(in.MaxAnonymousNights) != "" {
		f.MaxAnonymousNights = intField(&verr, "max_anonymous_nights", in.MaxAnonymousNights, 1, MaxStayNights,
			"Ingresá de 1 a 365 noches.")
	}
	f.Rules = in.Pricing.rules(checkCurrency(&verr, in.Currency), &verr)
	return f, verr.orNil()
}

// checkCurrency reads the currency field: an ISO 4217 code, upper-cased, or
// empty (see PropertyInput.Currency). The form offers ARS and USD; any code
// of the right shape is accepted.
func checkCurrency(verr *ValidationError, s string) string {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c != "" && !money.ValidCurrency(c) {
		verr.add("currency", "Elegí una moneda válida: un código ISO 4217 de tres letras, como ARS o USD.")
		return ""
	}
	return c
}

// SaveProperty checks the form and creates (in.ID 0) or updates a property of
// the account, returning its id. A *ValidationError lists every bad field,
// a taken slug included, and nothing is written; ErrNotFound means in.ID is
// not one of the account's properties. An empty slug is made from the name.
func SaveProperty(ctx context.Context, conn DB, accountID int64, in PropertyInput) (int64, error) {
	f, err := in.Check()
	if err != nil {
		return 0, err
	}
	slugs := []string{f.Slug}
	if f.Slug == "" {
		base := Slugify(f.Name)
		slugs = []string{base}
		for i := 2; i <= slugSuffixTrials; i++ {
			suffix := "-" + strconv.Itoa(i)
			slugs = append(slugs, strings.TrimRight(base[:min(len(base), maxSlugLen-len(suffix))], "-")+suffix)
		}
	}
	nights := make([]int16, len(f.Rules.WeekendNights))
	for i, w := range f.Rules.WeekendNights {
		nights[i] = int16(w)
	}
	for _, slug := range slugs {
		var id int64
		err := db.InTx(ctx, conn, func(tx db.Tx) error {
			q := db.Q(tx)
			var err error
			if in.ID == 0 {
				id, err = q.InsertProperty(ctx, dbq.InsertPropertyParams{
					AccountID: accountID, Slug: slug, Name: f.Name, Kind: f.Kind, Capacity: int32(f.Rules.Capacity),
					IncludedGuests: int32(f.Rules.IncludedGuests), ExtraGuestFee: f.Rules.ExtraGuestFee,
					Description: f.Description, Location: f.Location, Amenities: f.Amenities, HouseRules: f.HouseRules,
					CheckInTime: f.CheckInTime, CheckOutTime: f.CheckOutTime, BasePrice: f.Rules.BasePrice,
					WeekendPrice: f.Rules.WeekendPrice, WeekendNights: nights, CleaningFee: f.Rules.CleaningFee,
					DepositPercent: int32(f.Rules.DepositPercent), MinNights: int32(f.Rules.MinNights),
					HoldMinutes: int32(f.HoldMinutes), MaxAnonymousNights: int32(f.MaxAnonymousNights),
					Currency: f.Rules.Currency,
				})
				return err
			}
			id, err = q.UpdateProperty(ctx, dbq.UpdatePropertyParams{
				ID: in.ID, AccountID: accountID, Slug: slug, Name: f.Name, Kind: f.Kind, Capacity: int32(f.Rules.Capacity),
				IncludedGuests: int32(f.Rules.IncludedGuests), ExtraGuestFee: f.Rules.ExtraGuestFee,
				Description: f.Description, Location: f.Location, Amenities: f.Amenities, HouseRules: f.HouseRules,
				CheckInTime: f.CheckInTime, CheckOutTime: f.CheckOutTime, BasePrice: f.Rules.BasePrice,
				WeekendPrice: f.Rules.WeekendPrice, WeekendNights: nights, CleaningFee: f.Rules.CleaningFee,
				DepositPercent: int32(f.Rules.DepositPercent), MinNights: int32(f.Rules.MinNights),
				HoldMinutes: int32(f.HoldMinutes), MaxAnonymousNights: int32(f.MaxAnonymousNights),
				Currency: f.Rules.Currency,
			})
			return err
		})
		switch {
		case err == nil:
			return id, nil
		case errors.Is(err, db.ErrNotFound):
			return 0, ErrNotFound
		case !isSlugTaken(err):
			return 0, fmt.Errorf("booking: save property %d of account %d: %w", in.ID, accountID, err)
		}
	}
	return 0, &ValidationError{Fields: map[string]string{"slug": "Esa dirección ya la usa otro alojamiento: elegí otra."}}
}

func isSlugTaken(err error) bool {
	return db.IsUnique(err, "properties_slug_key")
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

var slugFolds = strings.NewReplacer("á", "a", "à", "a", "ä", "a", "â", "a", "ã", "a", "é", "e", "è", "e", "ë", "e",
	"ê", "e", "í", "i", "ì", "i", "ï", "i", "î", "i", "ó", "o", "ò", "o", "ö", "o", "ô", "o", "õ", "o", "ú", "u",
	"ù", "u", "ü", "u", "û", "u", "ñ", "n", "ç", "c")

// Slugify makes a public address from a name: "Cabaña del Lago" → "cabana-del-lago".
// A name with nothing usable gives "alojamiento".
func Slugify(name string) string {
	s := slugFolds.Replace(strings.ToLower(name))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
		if b.Len() >= maxSlugLen {
			break
		}
	}
	out := strings.TrimRight(b.String()[:min(b.Len(), maxSlugLen)], "-")
	if out == "" {
		return "alojamiento"
	}
	return out
}

// SplitAmenities reads a comma or line separated list, dropping blanks and repeats.
func SplitAmenities(s string) []string {
	out := []string{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ';' }) {
		part = strings.Join(strings.Fields(part), " ")
		if part == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, part) }) {
			continue
		}
		out = append(out, part)
	}
	return out
}

func intField(verr *ValidationError, field, s string, lo, hi int, msg string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		verr.add(field, msg)
		return 0
	}
	return n
}

const moneyMsg = "Ingresá un importe válido, por ejemplo 85.000 o 85.000,50."

func moneyField(verr *ValidationError, field, s string) money.Money {
	m, err := money.ParseInput(s)
	if err != nil {
		verr.add(field, moneyMsg)
	}
	return m
}

func optionalMoney(verr *ValidationError, field, s string) money.Money {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	return moneyField(verr, field, s)
}

// textField refuses what PostgreSQL cannot store in text (invalid UTF-8, NUL) and overlong text.
func textField(verr *ValidationError, field, s string, maxLen int) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		verr.add(field, "El texto tiene caracteres inválidos.")
	} else if utf8.RuneCountInString(s) > maxLen {
		verr.add(field, fmt.Sprintf("Puede tener hasta %d caracteres.", maxLen))
	}
}

var clockRe = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):([0-5][0-9])$`)

// timeField reads HH:MM (or H:MM) and returns it as HH:MM.
func timeField(verr *ValidationError, field, s string) string {
	m := clockRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		verr.add(field, "Ingresá una hora HH:MM, por ejemplo 14:00.")
		return ""
	}
	if len(m[1]) == 1 {
		m[1] = "0" + m[1]
	}
	return m[1] + ":" + m[2]
}
