package booking

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

const maxSeasonNameLen = 100

// SeasonInput is the season form as typed. ID 0 adds a season.
type SeasonInput struct {
	ID            int64
	PropertyID    int64
	Name          string
	StartsOn      string // first night: 2027-01-10 or 10/01/2027
	EndsOn        string // last night, inclusive
	NightlyPrice  string
	MinNights     string // empty: the property's minimum
	RepeatsYearly bool
}

// check validates every field of the season at once.
func (in SeasonInput) check() (dbq.UpdateAccountSeasonParams, error) {
	var verr ValidationError
	p := dbq.UpdateAccountSeasonParams{ID: in.ID, PropertyID: in.PropertyID, Name: strings.TrimSpace(in.Name),
		RepeatsYearly: in.RepeatsYearly}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		verr.add("name", "Ingresá un nombre, por ejemplo «Verano».")
	case n > maxSeasonNameLen:
		verr.add("name", fmt.Sprintf("El nombre puede tener hasta %d caracteres.", maxSeasonNameLen))
	default:
		textField(&verr, "name", p.Name, maxSeasonNameLen)
	}
	var errStart, errEnd error
	p.StartsOn, errStart = ParseFormDate(in.StartsOn)
	if errStart != nil {
		verr.add("starts_on", "Ingresá una fecha dd/mm/aaaa.")
	}
	p.EndsOn, errEnd = ParseFormDate(in.EndsOn)
	if errEnd != nil {
		verr.add("ends_on", "Ingresá una fecha dd/mm/aaaa.")
	}
	if errStart == nil && errEnd == nil {
		switch {
		case p.EndsOn.Before(p.StartsOn):
			verr.add("ends_on", "La última noche no puede ser anterior a la primera.")
		case in.RepeatsYearly && !p.EndsOn.Before(p.StartsOn.AddDate(1, 0, 0)):
			verr.add("ends_on", "Una temporada que se repite todos los años no puede durar más de un año.")
		}
	}
	if strings.TrimSpace(in.NightlyPrice) == "" {
		verr.add("nightly_price", "Ingresá el precio por noche.")
	} else {
		p.NightlyPrice = moneyField(&verr, "nightly_price", in.NightlyPrice)
	}
	if strings.TrimSpace(in.MinNights) != "" {
		n := int32(intField(&verr, "min_nights", in.MinNights, 1, MaxStayNights, "Ingresá un mínimo de 1 a 365 noches, o dejalo vacío."))
		p.MinNights = &n
	}
	return p, verr.orNil()
}

// SaveSeason checks the form and adds (in.ID 0) or changes a season of a
// property of the account. A *ValidationError lists every bad field and
// nothing is written; ErrNotFound means the property or the season is not the account's.
func SaveSeason(ctx context.Context, conn DB, accountID int64, in SeasonInput) (int64, error) {
	p, err := in.check()
	if err != nil {
		return 0, err
	}
	q := db.Q(conn)
	var id int64
	if in.ID == 0 {
		id, err = q.InsertAccountSeason(ctx, dbq.InsertAccountSeasonParams{Name: p.Name, StartsOn: p.StartsOn,
			EndsOn: p.EndsOn, NightlyPrice: p.NightlyPrice, MinNights: p.MinNights, RepeatsYearly: p.RepeatsYearly,
			PropertyID: in.PropertyID, AccountID: accountID})
	} else {
		p.AccountID = accountID
		id, err = q.UpdateAccountSeason(ctx, p)
	}
	if errors.Is(err, db.ErrNotFound) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("booking: save season %d of property %d: %w", in.ID, in.PropertyID, err)
	}
	return id, nil
}

// DeleteSeason removes a season of a property of the account, or returns ErrNotFound.
func DeleteSeason(ctx context.Context, conn DB, accountID, propertyID, seasonID int64) error {
	_, err := db.Q(conn).DeleteAccountSeason(ctx, dbq.DeleteAccountSeasonParams{ID: seasonID,
		PropertyID: propertyID, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("booking: delete season %d of property %d: %w", seasonID, propertyID, err)
	}
	return nil
}

var dmyRe = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)

// ParseFormDate reads a date as a date field sends it (2027-01-10) or as
// people in Argentina type it (10/01/2027, 10/1/2027). Years 2000 to 2100.
func ParseFormDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var d time.Time
	if m := dmyRe.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		d = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if d.Day() != day || int(d.Month()) != month { // 31/02 normalizes to March
			return time.Time{}, fmt.Errorf("booking: %q is not a date", s)
		}
	} else {
		var err error
		if d, err = ParseDate(s); err != nil {
			return time.Time{}, err
		}
	}
	if d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, fmt.Errorf("booking: %q is out of range", s)
	}
	return d, nil
}
