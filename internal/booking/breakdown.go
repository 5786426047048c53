package booking

import (
	"encoding/json"
	"fmt"

	"alojamientos/internal/money"
)

// StoredPrice is the price breakdown a reservation keeps (price_breakdown),
// read back for the dashboard.
type StoredPrice struct {
	Nights         []NightPrice
	NightsSubtotal money.Money
	CleaningFee    money.Money
	ExtraGuests    int
	ExtraGuestFee  money.Money
	DepositPercent int
}

// DecodePrice reads a stored price_breakdown.
func DecodePrice(b []byte) (StoredPrice, error) {
	var bd breakdownJSON
	if err := json.Unmarshal(b, &bd); err != nil {
		return StoredPrice{}, fmt.Errorf("booking: decode price breakdown: %w", err)
	}
	out := StoredPrice{ExtraGuests: bd.ExtraGuests, DepositPercent: bd.DepositPercent}
	var err error
	for _, f := range []struct {
		dst *money.Money
		src string
	}{{&out.NightsSubtotal, bd.NightsSubtotal}, {&out.CleaningFee, bd.CleaningFee}, {&out.ExtraGuestFee, bd.ExtraGuestFee}} {
		if f.src == "" {
			continue
		}
		if *f.dst, err = money.Parse(f.src); err != nil {
			return StoredPrice{}, fmt.Errorf("booking: decode price breakdown: %w", err)
		}
	}
	for _, n := range bd.Nights {
		d, err := ParseDate(n.Date)
		if err != nil {
			return StoredPrice{}, fmt.Errorf("booking: decode price breakdown: %w", err)
		}
		p, err := money.Parse(n.Price)
		if err != nil {
			return StoredPrice{}, fmt.Errorf("booking: decode price breakdown: %w", err)
		}
		out.Nights = append(out.Nights, NightPrice{Date: d, Price: p, Source: n.Source})
	}
	return out, nil
}

// encodePrice is the stored form of a quote, as TakeNights writes it.
func encodePrice(q Quote) ([]byte, error) {
	bd := breakdownJSON{
		NightsSubtotal: q.NightsSubtotal.String(), CleaningFee: q.CleaningFee.String(), ExtraGuests: q.ExtraGuests,
		ExtraGuestFee: q.ExtraGuestFee.String(), DepositPercent: q.DepositPercent,
	}
	for _, n := range q.Breakdown {
		bd.Nights = append(bd.Nights, nightJSON{Date: FormatDate(n.Date), Price: n.Price.String(), Source: n.Source})
	}
	b, err := json.Marshal(bd)
	if err != nil {
		return nil, fmt.Errorf("booking: encode breakdown: %w", err)
	}
	return b, nil
}
