package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func csDays(s *webtest.Server, n int) time.Time { return s.Today().AddDate(0, 0, n) }

func TestChangeStayOntoFreeNightsFreesTheOldOnes(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))

	got, err := s.Booking.ChangeStay(ctx, r.ID, s.Account.ID, p.ID, booking.FormatDate(csDays(s, 20)),
		booking.FormatDate(csDays(s, 23)), "user:1")
	require.NoError(t, err)
	require.Equal(t, csDays(s, 20), got.CheckIn)
	require.Equal(t, csDays(s, 23), got.CheckOut)
	require.Equal(t, money.FromUnits(30000), got.Total)
	require.Equal(t, money.FromUnits(9000), got.Deposit)
	require.Equal(t, booking.StatusPreReserved, got.Status)

	stored, err := s.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, got.Total, stored.Total)
	require.Equal(t, r.OccupancyID, stored.OccupancyID, "the same occupancy row moved")
	row, err := db.Q(s.Pool).GetReservationForUpdate(ctx, r.ID)
	require.NoError(t, err)
	bd, err := booking.DecodePrice(row.PriceBreakdown)
	require.NoError(t, err)
	require.Len(t, bd.Nights, 3)
	require.Equal(t, csDays(s, 20), bd.Nights[0].Date)

	trRequireFree(t, s, p.ID, csDays(s, 10), csDays(s, 12))
	trRequireTaken(t, s, p.ID, csDays(s, 21), csDays(s, 22))
	require.Equal(t, []string{"hold_created", booking.ActionChangeStay}, trAudit(t, s, r.ID))

	var detail string
	require.NoError(t, s.Pool.QueryRow(ctx, "SELECT detail::text FROM audit_log WHERE reservation_id = $1 AND action = $2",
		r.ID, booking.ActionChangeStay).Scan(&detail))
	require.Contains(t, detail, `"check_in": "`+booking.FormatDate(csDays(s, 10))+`"`)
	require.Contains(t, detail, `"check_in": "`+booking.FormatDate(csDays(s, 20))+`"`)
	require.Contains(t, detail, `"total": "20000.00"`)
	require.Contains(t, detail, `"total": "30000.00"`)
}

func TestChangeStayOverlappingItsOwnNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 13))
	got, err := s.Booking.ChangeStay(context.Background(), r.ID, s.Account.ID, p.ID, booking.FormatDate(csDays(s, 11)),
		booking.FormatDate(csDays(s, 14)), "test")
	require.NoError(t, err, "a stay never collides with itself")
	require.Equal(t, csDays(s, 11), got.CheckIn)
	trRequireFree(t, s, p.ID, csDays(s, 10), csDays(s, 11))
}

func TestChangeStayOntoTakenNightsChangesNothing(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))
	other := s.Hold(t, p.ID, csDays(s, 12), csDays(s, 14))
	_, err := s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)

	_, err = s.Booking.ChangeStay(ctx, r.ID, s.Account.ID, p.ID, booking.FormatDate(csDays(s, 11)),
		booking.FormatDate(csDays(s, 13)), "test")
	require.ErrorIs(t, err, booking.ErrDateOverlap)

	stored, err := s.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, csDays(s, 10), stored.CheckIn)
	require.Equal(t, csDays(s, 12), stored.CheckOut)
	require.Equal(t, money.FromUnits(20000), stored.Total)
	require.Equal(t, booking.StatusConfirmed, stored.Status)
	trRequireTaken(t, s, p.ID, csDays(s, 10), csDays(s, 11))
	require.Equal(t, []string{"hold_created", "confirm"}, trAudit(t, s, r.ID))
	require.Equal(t, []string{"hold_created"}, trAudit(t, s, other.ID))
}

func TestChangeStayToAnotherPropertyOfTheAccount(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	p2 := s.Property(t, func(pp *dbq.CreatePropertyParams) {
		pp.BasePrice, pp.CleaningFee, pp.DepositPercent = money.FromUnits(15000), money.FromUnits(5000), 50
	})
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))

	got, err := s.Booking.ChangeStay(ctx, r.ID, s.Account.ID, p2.ID, booking.FormatDate(csDays(s, 10)),
		booking.FormatDate(csDays(s, 12)), "test")
	require.NoError(t, err)
	require.Equal(t, p2.ID, got.PropertyID)
	require.Equal(t, p2.Name, got.PropertyName)
	require.Equal(t, money.FromUnits(35000), got.Total)
	require.Equal(t, money.FromUnits(17500), got.Deposit)
	trRequireFree(t, s, p.ID, csDays(s, 10), csDays(s, 12))
	trRequireTaken(t, s, p2.ID, csDays(s, 10), csDays(s, 12))
}

func TestChangeStayRefusals(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.MinNights = 2 })
	small := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Capacity, pp.IncludedGuests = 1, 1 })
	otherAccount, _, _ := s.OtherAccount(t)
	foreign := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.AccountID = otherAccount })
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))
	fields := func(err error) map[string]string {
		t.Helper()
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), "%v", err)
		return verr.Fields
	}
	change := func(accountID, propertyID int64, ci, co time.Time) error {
		_, err := s.Booking.ChangeStay(ctx, r.ID, accountID, propertyID, booking.FormatDate(ci), booking.FormatDate(co), "test")
		return err
	}

	require.Contains(t, fields(change(s.Account.ID, foreign.ID, csDays(s, 20), csDays(s, 22))), "property_id")
	require.Contains(t, fields(change(s.Account.ID, 0, csDays(s, 20), csDays(s, 22))), "property_id")
	require.Contains(t, fields(change(s.Account.ID, small.ID, csDays(s, 20), csDays(s, 22))), "property_id", "2 guests do not fit")
	require.Contains(t, fields(change(s.Account.ID, p.ID, csDays(s, -2), csDays(s, 1))), "check_in", "past")
	require.Contains(t, fields(change(s.Account.ID, p.ID, csDays(s, 20), csDays(s, 21))), "check_out", "minimum nights")
	require.Contains(t, fields(change(s.Account.ID, p.ID, csDays(s, 20), csDays(s, 20+366))), "check_out", "too long")
	require.Contains(t, fields(change(s.Account.ID, p.ID, csDays(s, 10), csDays(s, 12))), "check_in", "no change")
	require.ErrorIs(t, change(otherAccount, foreign.ID, csDays(s, 20), csDays(s, 22)), booking.ErrNotFound,
		"another account cannot move this reservation")

	_, err := s.Booking.Transition(ctx, r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	var terr *booking.TransitionError
	require.ErrorAs(t, change(s.Account.ID, p.ID, csDays(s, 20), csDays(s, 22)), &terr)
	require.Equal(t, booking.StatusCancelled, terr.From)

	stored, err := s.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, p.ID, stored.PropertyID)
	require.Equal(t, csDays(s, 10), stored.CheckIn)
	require.Equal(t, []string{"hold_created", "cancel"}, trAudit(t, s, r.ID))
}
