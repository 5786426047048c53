-- name: ListBlockedRanges :many
-- Active intervals touching [from, to), as their first night and exclusive end.
SELECT id, kind, lower(nights)::date AS starts_on, upper(nights)::date AS ends_on
FROM occupancy
WHERE property_id = @property_id AND active AND nights && daterange(@from_date::date, @to_date::date)
ORDER BY lower(nights);

-- name: InsertBlock :one
-- ON CONFLICT DO NOTHING is speculative insertion: a taken range returns no row
-- instead of raising, and concurrent losers never deadlock on each other.
INSERT INTO occupancy (property_id, nights, kind, note)
VALUES (@property_id, daterange(@check_in::date, @check_out::date), @kind, @note)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: ReleaseOccupancy :execrows
UPDATE occupancy SET active = false, released_at = @now::timestamptz WHERE id = @id AND active;

-- name: ReactivateOccupancy :execrows
-- The constraint decides: a night taken meanwhile makes this fail with 23P01.
UPDATE occupancy SET active = true, released_at = NULL WHERE id = @id AND NOT active;

-- name: CountOverlappingActive :one
-- Proof queries for tests and the soak: pairs of active intervals that overlap.
SELECT count(*) FROM occupancy a JOIN occupancy b
  ON a.property_id = b.property_id AND a.id < b.id AND a.nights && b.nights
WHERE a.active AND b.active;
