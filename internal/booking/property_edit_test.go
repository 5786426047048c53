package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

func validPropertyInput() booking.PropertyInput {
	return booking.PropertyInput{
		Name: "Cabaña del Lago", Kind: "cabin", Description: "Frente al lago.", Location: "Villa La Angostura",
		Amenities: "WiFi, parrilla\nPileta\n wifi ", HouseRules: "No se fuma.", CheckInTime: "9:30",
		CheckOutTime: "10:00", HoldMinutes: "45",
		Pricing: booking.PricingInput{Capacity: "4", IncludedGuests: "2", BasePrice: "$ 85.000", WeekendPrice: "95.000,50",
			WeekendNights: []string{"6", "5", "5"}, CleaningFee: "15000", ExtraGuestFee: "", DepositPercent: "30",
			MinNights: "2"},
	}
}

func TestPropertyInputCheck(t *testing.T) {
	t.Parallel()
	f, err := validPropertyInput().Check()
	require.NoError(t, err)
	require.Equal(t, "Cabaña del Lago", f.Name)
	require.Equal(t, []string{"WiFi", "parrilla", "Pileta"}, f.Amenities, "split on commas and lines, repeats dropped")
	require.Equal(t, "09:30", f.CheckInTime)
	require.Equal(t, 45, f.HoldMinutes)
	require.Equal(t, money.FromUnits(85000), f.Rules.BasePrice)
	require.Equal(t, money.Money(9_500_050), *f.Rules.WeekendPrice)
	require.Equal(t, []time.Weekday{time.Friday, time.Saturday}, f.Rules.WeekendNights)
	require.Equal(t, money.FromUnits(15000), f.Rules.CleaningFee)
	require.Equal(t, money.Money(0), f.Rules.ExtraGuestFee, "an empty fee is zero")
	require.Equal(t, 2, f.Rules.MinNights)
}

func TestPropertyInputCheckEveryField(t *testing.T) {
	t.Parallel()
	in := booking.PropertyInput{
		Name: "  ", Slug: "Con Espacios", Kind: "castle", Description: strings.Repeat("a", 5001), Location: "x\x00y",
		Amenities: strings.Repeat("a,", 51), CheckInTime: "25:00", CheckOutTime: "10", HoldMinutes: "0",
		Pricing: booking.PricingInput{Capacity: "0", IncludedGuests: "", BasePrice: "", WeekendPrice: "abc",
			WeekendNights: []string{"7"}, CleaningFee: "-5", ExtraGuestFee: "1,234", DepositPercent: "101",
			MinNights: "366"},
	}
	_, err := in.Check()
	var verr *booking.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	for _, f := range []string{"name", "slug", "kind", "description", "location", "check_in_time", "check_out_time",
		"hold_minutes", "capacity", "included_guests", "base_price", "weekend_price", "weekend_nights", "cleaning_fee",
		"extra_guest_fee", "deposit_percent", "min_nights"} {
		require.NotEmpty(t, verr.Fields[f], f)
	}
	// The amenities are all "a", one after dropping repeats: not too many.
	require.Empty(t, verr.Fields["amenities"])

	in = validPropertyInput()
	in.Pricing.IncludedGuests = "5"
	_, err = in.Check()
	require.True(t, errors.As(err, &verr))
	require.Equal(t, "No puede superar la capacidad.", verr.Fields["included_guests"])
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Cabaña del Lago":          "cabana-del-lago",
		"  Depto. Güemes 1ºB  ":    "depto-guemes-1-b",
		"¡¡¡":                      "alojamiento",
		"Casa—Río":                 "casa-rio",
		strings.Repeat("abc ", 30): strings.TrimRight(strings.Repeat("abc-", 16)[:63], "-"),
	} {
		got := booking.Slugify(in)
		require.Equal(t, want, got, in)
		require.LessOrEqual(t, len(got), 63)
	}
}

func TestSplitAmenities(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{}, booking.SplitAmenities(" , \n"))
	require.Equal(t, []string{"Aire acondicionado", "TV"}, booking.SplitAmenities("Aire   acondicionado\r\nTV;tv"))
}

func TestSaveProperty(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	other := dbtest.Account(t, pool)
	q := db.Q(pool)

	id, err := booking.SaveProperty(ctx, pool, acc.ID, validPropertyInput())
	require.NoError(t, err)
	p, err := q.GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: id, AccountID: acc.ID})
	require.NoError(t, err)
	require.Equal(t, "cabana-del-lago", p.Slug)
	require.Equal(t, []string{"WiFi", "parrilla", "Pileta"}, p.Amenities)
	require.Equal(t, []int16{5, 6}, p.WeekendNights)
	require.True(t, p.Active)

	// The same name again, slug left empty: the generated slug takes a suffix.
	id2, err := booking.SaveProperty(ctx, pool, other.ID, validPropertyInput())
	require.NoError(t, err)
	p2, err := q.GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: id2, AccountID: other.ID})
	require.NoError(t, err)
	require.Equal(t, "cabana-del-lago-2", p2.Slug)

	// A slug typed by hand that is taken is a field error.
	in := validPropertyInput()
	in.ID, in.Slug = id2, "cabana-del-lago"
	_, err = booking.SaveProperty(ctx, pool, other.ID, in)
	var verr *booking.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	require.Contains(t, verr.Fields["slug"], "ya la usa otro alojamiento")

	// Another account's property is not found, and is not changed.
	in = validPropertyInput()
	in.ID, in.Name = id, "Robada"
	_, err = booking.SaveProperty(ctx, pool, other.ID, in)
	require.ErrorIs(t, err, booking.ErrNotFound)
	p, err = q.GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: id, AccountID: acc.ID})
	require.NoError(t, err)
	require.Equal(t, "Cabaña del Lago", p.Name)

	// Clearing the weekend price and nights stores NULL and an empty set.
	in = validPropertyInput()
	in.ID, in.Slug, in.Pricing.WeekendPrice, in.Pricing.WeekendNights = id, "lago", "", nil
	_, err = booking.SaveProperty(ctx, pool, acc.ID, in)
	require.NoError(t, err)
	p, err = q.GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: id, AccountID: acc.ID})
	require.NoError(t, err)
	require.Equal(t, "lago", p.Slug)
	require.Nil(t, p.WeekendPrice)
	require.Empty(t, p.WeekendNights)
}
