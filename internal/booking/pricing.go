package booking

import (
	"fmt"
	"time"

	"alojamientos/internal/money"
)

// Rules are the property's pricing and stay rules, shaped for the quote.
type Rules struct {
	BasePrice      money.Money
	WeekendPrice   *money.Money
	WeekendNights  []time.Weekday
	CleaningFee    money.Money
	ExtraGuestFee  money.Money // per extra guest per night
	IncludedGuests int
	Capacity       int
	MinNights      int
	DepositPercent int
	Currency       string
}

// Season is a priced date range; StartsOn and EndsOn are both nights it covers.
type Season struct {
	Name          string
	StartsOn      time.Time
	EndsOn        time.Time
	NightlyPrice  money.Money
	MinNights     int // 0 when the season does not set one
	RepeatsYearly bool
}

// NightPrice is one night of a quote.
type NightPrice struct {
	Date   time.Time
	Price  money.Money
	Source string // "season:<name>", "weekend" or "base"
}

// Quote is the price of a stay. The same value is stored with a hold.
type Quote struct {
	CheckIn        time.Time
	CheckOut       time.Time
	Nights         int
	Guests         int
	Breakdown      []NightPrice
	NightsSubtotal money.Money
	CleaningFee    money.Money
	ExtraGuests    int
	ExtraGuestFee  money.Money
	Total          money.Money
	DepositPercent int
	Deposit        money.Money
	Currency       string
	MinNights      int
}

// MaxStayNights is the longest stay a single request may ask for.
const MaxStayNights = 365

// monthDay orders dates within a year, so yearly seasons compare without
// shifting dates (AddDate would turn Feb 29 into Mar 1 in other years).
func monthDay(d time.Time) int { return int(d.Month())*100 + d.Day() }

// covers reports whether the season prices night d.
func (s Season) covers(d time.Time) bool {
	if !s.RepeatsYearly {
		return !d.Before(s.StartsOn) && !d.After(s.EndsOn)
	}
	if d.Before(s.StartsOn) {
		return false // a yearly season starts repeating from its first year
	}
	start, end, md := monthDay(s.StartsOn), monthDay(s.EndsOn), monthDay(d)
	if start <= end {
		return md >= start && md <= end
	}
	return md >= start || md <= end // wraps the new year
}

// effectiveStart is when the occurrence of the season covering d began: among
// overlapping seasons, the latest-starting one wins.
func (s Season) effectiveStart(d time.Time) time.Time {
	if !s.RepeatsYearly {
		return s.StartsOn
	}
	year := d.Year()
	if monthDay(s.StartsOn) > monthDay(d) {
		year--
	}
	return time.Date(year, s.StartsOn.Month(), s.StartsOn.Day(), 0, 0, 0, 0, time.UTC)
}

// Price computes the quote for [checkIn, checkOut) and guests. It is the only
// pricing implementation: the API, the booking page, WhatsApp and the stored
// price of a hold all call it. It returns a *ValidationError for a stay the
// rules do not allow.
func Price(r Rules, seasons []Season, checkIn, checkOut time.Time, guests int) (Quote, error) {
	var verr ValidationError
	nights := NightsBetween(checkIn, checkOut)
	if !checkIn.Before(checkOut) {
		verr.add("check_out", "La fecha de salida debe ser posterior a la de llegada.")
		return Quote{}, &verr
	}
	if nights > MaxStayNights {
		verr.add("check_out", fmt.Sprintf("La estadía no puede superar las %d noches.", MaxStayNights))
		return Quote{}, &verr
	}
	if guests < 1 {
		verr.add("guests", "Tiene que haber al menos un huésped.")
	} else if guests > r.Capacity {
		verr.add("guests", fmt.Sprintf("La capacidad máxima es de %d huéspedes.", r.Capacity))
	}

	q := Quote{
		CheckIn: checkIn, CheckOut: checkOut, Nights: nights, Guests: guests,
		Breakdown: make([]NightPrice, 0, nights), DepositPercent: r.DepositPercent, Currency: r.Currency,
		MinNights: r.MinNights,
	}
	weekend := map[time.Weekday]bool{}
	for _, w := range r.WeekendNights {
		weekend[w] = true
	}
	seasonMin := 0
	for d := checkIn; d.Before(checkOut); d = d.AddDate(0, 0, 1) {
		var best *Season
		var bestStart time.Time
		for i := range seasons {
			s := &seasons[i]
			if !s.covers(d) {
				continue
			}
			if st := s.effectiveStart(d); best == nil || st.After(bestStart) {
				best, bestStart = s, st
			}
		}
		n := NightPrice{Date: d, Price: r.BasePrice, Source: "base"}
		switch {
		case best != nil:
			n.Price, n.Source = best.NightlyPrice, "season:"+best.Name
			// A season's minimum applies to any stay that touches it; the strictest wins.
			seasonMin = max(seasonMin, best.MinNights)
		case r.WeekendPrice != nil && weekend[d.Weekday()]:
			n.Price, n.Source = *r.WeekendPrice, "weekend"
		}
		q.Breakdown = append(q.Breakdown, n)
		q.NightsSubtotal += n.Price
	}
	if seasonMin > 0 {
		q.MinNights = seasonMin
	}
	if nights < q.MinNights {
		verr.add("check_out", fmt.Sprintf("La estadía mínima para esas fechas es de %d noches.", q.MinNights))
	}
	if err := verr.orNil(); err != nil {
		return Quote{}, err
	}
	q.CleaningFee = r.CleaningFee
	if guests > r.IncludedGuests {
		q.ExtraGuests = guests - r.IncludedGuests
		q.ExtraGuestFee = r.ExtraGuestFee.Times(q.ExtraGuests * nights)
	}
	q.Total = q.NightsSubtotal + q.CleaningFee + q.ExtraGuestFee
	q.Deposit = q.Total.Percent(r.DepositPercent)
	if q.Total > money.Max {
		verr.add("check_out", "El importe de la estadía es demasiado alto.")
		return Quote{}, &verr
	}
	return q, nil
}
