package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

func TestChangeStayOntoFreeNightsFreesTheOldOnes(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))

	got, err := e.Booking.ChangeStay(ctx, r.ID, e.Account.ID, p.ID, booking.FormatDate(e.Day(20)),
		booking.FormatDate(e.Day(23)), "user:1")
	require.NoError(t, err)
	require.Equal(t, e.Day(20), got.CheckIn)
	require.Equal(t, e.Day(23), got.CheckOut)
	require.Equal(t, money.FromUnits(30000), got.Total)
	require.Equal(t, money.FromUnits(9000), got.Deposit)
	require.Equal(t, booking.StatusPreReserved, got.Status)

	stored, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, got.Total, stored.Total)
	require.Equal(t, r.OccupancyID, stored.OccupancyID, "the same occupancy row moved")
	row, err := db.Q(e.Pool).GetReservationForUpdate(ctx, r.ID)
	require.NoError(t, err)
	bd, err := booking.DecodePrice(row.PriceBreakdown)
	require.NoError(t, err)
	require.Len(t, bd.Nights, 3)
	require.Equal(t, e.Day(20), bd.Nights[0].Date)

	trRequireFree(t, e, p.ID, e.Day(10), e.Day(12))
	trRequireTaken(t, e, p.ID, e.Day(21), e.Day(22))
	require.Equal(t, []string{"hold_created", booking.ActionChangeStay}, trAudit(t, e, r.ID))

	var detail string
	require.NoError(t, e.Pool.QueryRow(ctx, "SELECT detail::text FROM audit_log WHERE reservation_id = $1 AND action = $2",
		r.ID, booking.ActionChangeStay).Scan(&detail))
	require.Contains(t, detail, `"check_in": "`+booking.FormatDate(e.Day(10))+`"`)
	require.Contains(t, detail, `"check_in": "`+booking.FormatDate(e.Day(20))+`"`)
	require.Contains(t, detail, `"total": "20000.00"`)
	require.Contains(t, detail, `"total": "30000.00"`)
}

func TestChangeStayOverlappingItsOwnNights(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(13))
	got, err := e.Booking.ChangeStay(context.Background(), r.ID, e.Account.ID, p.ID, booking.FormatDate(e.Day(11)),
		booking.FormatDate(e.Day(14)), "test")
	require.NoError(t, err, "a stay never collides with itself")
	require.Equal(t, e.Day(11), got.CheckIn)
	trRequireFree(t, e, p.ID, e.Day(10), e.Day(11))
}

func TestChangeStayOntoTakenNightsChangesNothing(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	other := e.Hold(t, p.ID, e.Day(12), e.Day(14))
	_, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)

	_, err = e.Booking.ChangeStay(ctx, r.ID, e.Account.ID, p.ID, booking.FormatDate(e.Day(11)),
		booking.FormatDate(e.Day(13)), "test")
	require.ErrorIs(t, err, booking.ErrDateOverlap)

	stored, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, e.Day(10), stored.CheckIn)
	require.Equal(t, e.Day(12), stored.CheckOut)
	require.Equal(t, money.FromUnits(20000), stored.Total)
	require.Equal(t, booking.StatusConfirmed, stored.Status)
	trRequireTaken(t, e, p.ID, e.Day(10), e.Day(11))
	require.Equal(t, []string{"hold_created", "confirm"}, trAudit(t, e, r.ID))
	require.Equal(t, []string{"hold_created"}, trAudit(t, e, other.ID))
}

func TestChangeStayToAnotherPropertyOfTheAccount(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	p2 := e.Property(t, func(pp *dbq.CreatePropertyParams) {
		pp.BasePrice, pp.CleaningFee, pp.DepositPercent = money.FromUnits(15000), money.FromUnits(5000), 50
	})
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))

	got, err := e.Booking.ChangeStay(ctx, r.ID, e.Account.ID, p2.ID, booking.FormatDate(e.Day(10)),
		booking.FormatDate(e.Day(12)), "test")
	require.NoError(t, err)
	require.Equal(t, p2.ID, got.PropertyID)
	require.Equal(t, p2.Name, got.PropertyName)
	require.Equal(t, money.FromUnits(35000), got.Total)
	require.Equal(t, money.FromUnits(17500), got.Deposit)
	trRequireFree(t, e, p.ID, e.Day(10), e.Day(12))
	trRequireTaken(t, e, p2.ID, e.Day(10), e.Day(12))
}

func TestChangeStayRefusals(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t, func(pp *dbq.CreatePropertyParams) { pp.MinNights = 2 })
	small := e.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Capacity, pp.IncludedGuests = 1, 1 })
	otherAccount := dbtest.Account(t, e.Pool).ID
	foreign := e.Property(t, func(pp *dbq.CreatePropertyParams) { pp.AccountID = otherAccount })
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	fields := func(err error) map[string]string {
		t.Helper()
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), "%v", err)
		return verr.Fields
	}
	change := func(accountID, propertyID int64, ci, co time.Time) error {
		_, err := e.Booking.ChangeStay(ctx, r.ID, accountID, propertyID, booking.FormatDate(ci), booking.FormatDate(co), "test")
		return err
	}

	require.Contains(t, fields(change(e.Account.ID, foreign.ID, e.Day(20), e.Day(22))), "property_id")
	require.Contains(t, fields(change(e.Account.ID, 0, e.Day(20), e.Day(22))), "property_id")
	require.Contains(t, fields(change(e.Account.ID, small.ID, e.Day(20), e.Day(22))), "property_id", "2 guests do not fit")
	require.Contains(t, fields(change(e.Account.ID, p.ID, e.Day(-2), e.Day(1))), "check_in", "past")
	require.Contains(t, fields(change(e.Account.ID, p.ID, e.Day(20), e.Day(21))), "check_out", "minimum nights")
	require.Contains(t, fields(change(e.Account.ID, p.ID, e.Day(20), e.Day(20+366))), "check_out", "too long")
	require.Contains(t, fields(change(e.Account.ID, p.ID, e.Day(10), e.Day(12))), "check_in", "no change")
	require.ErrorIs(t, change(otherAccount, foreign.ID, e.Day(20), e.Day(22)), booking.ErrNotFound,
		"another account cannot move this reservation")

	_, err := e.Booking.Transition(ctx, r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	var terr *booking.TransitionError
	require.ErrorAs(t, change(e.Account.ID, p.ID, e.Day(20), e.Day(22)), &terr)
	require.Equal(t, booking.StatusCancelled, terr.From)

	stored, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, p.ID, stored.PropertyID)
	require.Equal(t, e.Day(10), stored.CheckIn)
	require.Equal(t, []string{"hold_created", "cancel"}, trAudit(t, e, r.ID))
}
