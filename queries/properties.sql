-- name: CreateProperty :one
INSERT INTO properties (
    account_id, slug, name, kind, capacity, included_guests, extra_guest_fee, description, location,
    check_in_time, check_out_time, base_price, weekend_price, weekend_nights, cleaning_fee,
    deposit_percent, min_nights, hold_minutes, active
) VALUES (
    @account_id, @slug, @name, @kind, @capacity, @included_guests, @extra_guest_fee, @description, @location,
    @check_in_time, @check_out_time, @base_price, @weekend_price, @weekend_nights, @cleaning_fee,
    @deposit_percent, @min_nights, @hold_minutes, @active
)
RETURNING *;

-- name: GetPropertyForBooking :one
-- Everything a quote or a hold needs about a property, seasons included, in one round trip.
SELECT p.*, a.timezone, a.currency,
       COALESCE((SELECT json_agg(json_build_object(
                    'name', s.name, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
                    'nightly_price', s.nightly_price::text, 'min_nights', s.min_nights,
                    'repeats_yearly', s.repeats_yearly) ORDER BY s.starts_on, s.id)
                 FROM seasons s WHERE s.property_id = p.id), '[]')::jsonb AS seasons
FROM properties p
JOIN accounts a ON a.id = p.account_id
WHERE p.id = @id;

-- name: ListActiveProperties :many
SELECT p.*, a.slug AS account_slug, a.currency
FROM properties p
JOIN accounts a ON a.id = p.account_id
WHERE p.active
ORDER BY a.id, p.name, p.id;

-- name: ListAllProperties :many
SELECT p.*, a.slug AS account_slug
FROM properties p
JOIN accounts a ON a.id = p.account_id
ORDER BY a.id, p.name, p.id;

-- name: SetPropertyActive :exec
UPDATE properties SET active = @active, updated_at = now() WHERE id = @id;
