package booking_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

func TestParseFormDate(t *testing.T) {
	t.Parallel()
	want := time.Date(2027, time.January, 10, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"2027-01-10", "10/01/2027", "10/1/2027", " 10-01-2027 ", "10.01.2027"} {
		got, err := booking.ParseFormDate(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "31/02/2027", "2027-02-31", "10/13/2027", "01/10/27", "10/01/1999", "1/1/2101",
		"mañana", "2027/01/10"} {
		_, err := booking.ParseFormDate(in)
		require.Error(t, err, in)
	}
}

func TestSaveSeason(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	other := dbtest.Account(t, pool)
	p := dbtest.Property(t, pool, acc.ID)
	q := db.Q(pool)
	list := func() []dbq.Season {
		ss, err := q.ListAccountSeasons(ctx, dbq.ListAccountSeasonsParams{PropertyID: p.ID, AccountID: acc.ID})
		require.NoError(t, err)
		return ss
	}

	in := booking.SeasonInput{PropertyID: p.ID, Name: "Verano", StartsOn: "15/12/2026", EndsOn: "2027-02-28",
		NightlyPrice: "120.000", MinNights: "3", RepeatsYearly: true}
	id, err := booking.SaveSeason(ctx, pool, acc.ID, in)
	require.NoError(t, err)
	ss := list()
	require.Len(t, ss, 1)
	require.Equal(t, money.FromUnits(120000), ss[0].NightlyPrice)
	require.Equal(t, int32(3), *ss[0].MinNights)

	// Every bad field at once, nothing written.
	_, err = booking.SaveSeason(ctx, pool, acc.ID, booking.SeasonInput{PropertyID: p.ID, Name: "", StartsOn: "10/01/2027",
		EndsOn: "09/01/2027", NightlyPrice: "caro", MinNights: "0"})
	var verr *booking.ValidationError
	require.True(t, errors.As(err, &verr))
	require.Equal(t, []string{"ends_on", "min_nights", "name", "nightly_price"}, seasonErrorKeys(verr.Fields))
	require.Equal(t, "La última noche no puede ser anterior a la primera.", verr.Fields["ends_on"])

	// A yearly season may wrap the new year but not last more than a year.
	_, err = booking.SaveSeason(ctx, pool, acc.ID, booking.SeasonInput{PropertyID: p.ID, Name: "Largo",
		StartsOn: "01/01/2027", EndsOn: "01/01/2028", NightlyPrice: "1", RepeatsYearly: true})
	require.True(t, errors.As(err, &verr))
	require.Contains(t, verr.Fields["ends_on"], "más de un año")
	_, err = booking.SaveSeason(ctx, pool, acc.ID, booking.SeasonInput{PropertyID: p.ID, Name: "Año",
		StartsOn: "01/01/2027", EndsOn: "31/12/2027", NightlyPrice: "1", RepeatsYearly: true})
	require.NoError(t, err, "exactly a year is fine")
	require.Len(t, list(), 2)

	// Edit: the optional minimum can be cleared.
	in.ID, in.MinNights, in.NightlyPrice = id, "", "130.000,50"
	_, err = booking.SaveSeason(ctx, pool, acc.ID, in)
	require.NoError(t, err)
	require.Nil(t, list()[0].MinNights)
	require.Equal(t, money.Money(13_000_050), list()[0].NightlyPrice)

	// Another account sees nothing: not the property, not the season.
	_, err = booking.SaveSeason(ctx, pool, other.ID, booking.SeasonInput{PropertyID: p.ID, Name: "X",
		StartsOn: "01/01/2027", EndsOn: "02/01/2027", NightlyPrice: "1"})
	require.ErrorIs(t, err, booking.ErrNotFound)
	_, err = booking.SaveSeason(ctx, pool, other.ID, in)
	require.ErrorIs(t, err, booking.ErrNotFound)
	require.ErrorIs(t, booking.DeleteSeason(ctx, pool, other.ID, p.ID, id), booking.ErrNotFound)
	require.Len(t, list(), 2)

	require.NoError(t, booking.DeleteSeason(ctx, pool, acc.ID, p.ID, id))
	require.ErrorIs(t, booking.DeleteSeason(ctx, pool, acc.ID, p.ID, id), booking.ErrNotFound)
	require.Len(t, list(), 1)
}

func seasonErrorKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
