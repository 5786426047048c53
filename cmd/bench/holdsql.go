package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// holdSQL runs the server's own hold statement (dbq.CreateHold: the nights,
// the reservation, its audit entry and its expiry job) straight from pgx,
// with no HTTP, JSON, validation or Redis. Between raw_insert and
// prereserve it shows how much of the gap is the database's work and how
// much the rest of the request.
func (r *rawBench) holdSQL(ctx context.Context, prop int64, night time.Time) (bool, error) {
	now := time.Now().UTC()
	_, err := db.Q(r.pool).CreateHold(ctx, dbq.CreateHoldParams{
		PropertyID: prop, CheckIn: night, CheckOut: night.AddDate(0, 0, 1), AccountID: r.account,
		Code: booking.NewCode(night), Guests: 2, GuestName: holdSQLGuest, GuestPhone: "+5491155550000",
		Channel: "other", HoldExpiresAt: now.Add(30 * time.Minute),
		PriceBreakdown: []byte(`{"nights":[{"date":"` + booking.FormatDate(night) + `","price":"10000.00","source":"base"}]}`),
		Total:          money.FromUnits(10000), Deposit: money.FromUnits(3000), Currency: "ARS",
		GuestToken: booking.NewGuestToken(), Now: now, Actor: "bench", JobKind: booking.ExpireHoldArgs{}.Kind(),
	})
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("hold sql: %w", err)
	}
	return true, nil
}

const holdSQLGuest = "Bench SQL"

// holdSQLCleanup removes what holdSQL wrote; audit rows go with their reservation.
const holdSQLCleanup = `WITH r AS (
    DELETE FROM reservations WHERE guest_name = 'Bench SQL' RETURNING id, occupancy_id
), j AS (
    DELETE FROM river_job WHERE kind = 'booking.expire_hold' AND (args->>'reservation_id')::bigint IN (SELECT id FROM r)
)
DELETE FROM occupancy WHERE id IN (SELECT occupancy_id FROM r)`
