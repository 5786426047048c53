-- name: CreateProperty :one
INSERT INTO properties (
    account_id, slug, name, kind, capacity, included_guests, extra_guest_fee, description, location,
    check_in_time, check_out_time, base_price, weekend_price, weekend_nights, cleaning_fee,
    deposit_percent, min_nights, hold_minutes, active, currency
) VALUES (
    @account_id, @slug, @name, @kind, @capacity, @included_guests, @extra_guest_fee, @description, @location,
    @check_in_time, @check_out_time, @base_price, @weekend_price, @weekend_nights, @cleaning_fee,
    @deposit_percent, @min_nights, @hold_minutes, @active,
    NULLIF(@currency::text, '') -- empty: the account's (migration 00018's trigger)
)
RETURNING *;

-- name: GetPropertyForBooking :one
-- Everything a quote or a hold needs about a property, seasons included, in one round trip.
SELECT p.*, a.timezone,
       COALESCE((SELECT json_agg(json_build_object(
                    'name', s.name, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
                    'nightly_price', s.nightly_price::text, 'min_nights', s.min_nights,
                    'repeats_yearly', s.repeats_yearly) ORDER BY s.starts_on, s.id)
                 FROM seasons s WHERE s.property_id = p.id), '[]')::jsonb AS seasons
FROM properties p
JOIN accounts a ON a.id = p.account_id
WHERE p.id = @id;

-- name: ListActiveProperties :many
SELECT p.*, a.slug AS account_slug
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

-- name: ListAccountProperties :many
-- The dashboard's list of an account's properties.
SELECT id, name, kind, capacity, base_price, currency, min_nights, active
FROM properties
WHERE account_id = @account_id
ORDER BY lower(name), id;

-- name: GetAccountProperty :one
-- One property of an account, with what the edit page needs from the account.
SELECT p.*, a.timezone
FROM properties p
JOIN accounts a ON a.id = p.account_id
WHERE p.id = @id AND p.account_id = @account_id;

-- name: InsertProperty :one
INSERT INTO properties (
    account_id, slug, name, kind, capacity, included_guests, extra_guest_fee, description, location, amenities,
    house_rules, check_in_time, check_out_time, base_price, weekend_price, weekend_nights, cleaning_fee,
    deposit_percent, min_nights, hold_minutes, max_anonymous_nights, currency
) VALUES (
    @account_id, @slug, @name, @kind, @capacity, @included_guests, @extra_guest_fee, @description, @location, @amenities,
    @house_rules, @check_in_time, @check_out_time, @base_price, @weekend_price, @weekend_nights, @cleaning_fee,
    @deposit_percent, @min_nights, @hold_minutes, @max_anonymous_nights,
    NULLIF(@currency::text, '') -- empty: the account's (migration 00018's trigger)
)
RETURNING id;

-- name: UpdateProperty :one
UPDATE properties
SET slug = @slug, name = @name, kind = @kind, capacity = @capacity, included_guests = @included_guests,
    extra_guest_fee = @extra_guest_fee, description = @description, location = @location, amenities = @amenities,
    house_rules = @house_rules, check_in_time = @check_in_time, check_out_time = @check_out_time,
    base_price = @base_price, weekend_price = @weekend_price, weekend_nights = @weekend_nights,
    cleaning_fee = @cleaning_fee, deposit_percent = @deposit_percent, min_nights = @min_nights,
    hold_minutes = @hold_minutes, max_anonymous_nights = @max_anonymous_nights,
    currency = COALESCE(NULLIF(@currency::text, ''), currency), -- empty: unchanged
    updated_at = now()
WHERE id = @id AND account_id = @account_id
RETURNING id;

-- name: SetAccountPropertyActive :one
UPDATE properties SET active = @active, updated_at = now()
WHERE id = @id AND account_id = @account_id
RETURNING name;

-- name: AddPropertyPhoto :one
-- Appends a photo unless the property already has max_photos.
UPDATE properties SET photos = array_append(photos, @photo::text), updated_at = now()
WHERE id = @id AND account_id = @account_id AND cardinality(photos) < @max_photos::integer
RETURNING id;

-- name: RemovePropertyPhoto :one
UPDATE properties SET photos = array_remove(photos, @photo::text), updated_at = now()
WHERE id = @id AND account_id = @account_id AND @photo::text = ANY (photos)
RETURNING id;
