-- Changes to a reservation after it was made: its stay (dates, property) and
-- its guest. Callers hold the reservation's row lock (GetReservationForUpdate).

-- name: MoveOccupancy :execrows
-- The EXCLUDE constraint decides: nights taken by anything else make this fail
-- with 23P01. The row's own old nights never collide with themselves.
UPDATE occupancy SET property_id = @property_id, nights = daterange(@check_in::date, @check_out::date)
WHERE id = @id AND active;

-- name: SetReservationStay :one
UPDATE reservations
SET property_id = @property_id, check_in = @check_in, check_out = @check_out, total = @total, deposit = @deposit,
    price_breakdown = @price_breakdown, updated_at = @now
WHERE id = @id
RETURNING *;

-- name: SetReservationGuest :one
UPDATE reservations
SET guest_name = @guest_name, guest_phone = @guest_phone, guest_email = @guest_email, note = @note,
    guests = @guests, total = @total, deposit = @deposit, price_breakdown = @price_breakdown, updated_at = @now
WHERE id = @id
RETURNING *;
