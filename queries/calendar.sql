-- name: ListCalendarProperties :many
-- The account's properties in the order the calendar shows them.
SELECT id, name, slug, capacity, active
FROM properties
WHERE account_id = @account_id
ORDER BY name, id;

-- name: GetCalendarProperty :one
SELECT id, name, slug, capacity, active
FROM properties
WHERE id = @id AND account_id = @account_id;

-- name: ListCalendarEntries :many
-- Every active interval touching [from, to) of the account's properties (or
-- of one of them), with the reservation behind it when there is one: one
-- query per page, whatever the number of properties or nights.
SELECT o.id, o.property_id, o.kind, o.note, lower(o.nights)::date AS starts_on, upper(o.nights)::date AS ends_on,
       r.code, r.status, r.guest_name, r.guests, r.channel, r.hold_expires_at
FROM occupancy o
JOIN properties p ON p.id = o.property_id
LEFT JOIN reservations r ON r.occupancy_id = o.id
WHERE p.account_id = @account_id
  AND o.active
  AND o.nights && daterange(@from_date::date, @to_date::date)
  AND (sqlc.narg(property_id)::bigint IS NULL OR o.property_id = sqlc.narg(property_id)::bigint)
ORDER BY o.property_id, lower(o.nights);
