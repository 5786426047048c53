-- name: CreateSeason :one
INSERT INTO seasons (property_id, name, starts_on, ends_on, nightly_price, min_nights, repeats_yearly)
VALUES (@property_id, @name, @starts_on, @ends_on, @nightly_price, @min_nights, @repeats_yearly)
RETURNING *;

-- name: ListSeasons :many
SELECT * FROM seasons WHERE property_id = @property_id ORDER BY starts_on, id;

-- name: ListAccountSeasons :many
SELECT s.*
FROM seasons s
JOIN properties p ON p.id = s.property_id
WHERE s.property_id = @property_id AND p.account_id = @account_id
ORDER BY s.starts_on, s.id;

-- name: InsertAccountSeason :one
-- Inserts nothing (no row returned) when the property is not the account's.
INSERT INTO seasons (property_id, name, starts_on, ends_on, nightly_price, min_nights, repeats_yearly)
SELECT p.id, @name::text, @starts_on::date, @ends_on::date, @nightly_price::numeric,
       sqlc.narg(min_nights)::integer, @repeats_yearly::boolean
FROM properties p
WHERE p.id = @property_id AND p.account_id = @account_id
RETURNING id;

-- name: UpdateAccountSeason :one
UPDATE seasons s
SET name = @name, starts_on = @starts_on, ends_on = @ends_on, nightly_price = @nightly_price,
    min_nights = sqlc.narg(min_nights), repeats_yearly = @repeats_yearly
FROM properties p
WHERE s.id = @id AND s.property_id = @property_id AND p.id = s.property_id AND p.account_id = @account_id
RETURNING s.id;

-- name: DeleteAccountSeason :one
DELETE FROM seasons s
USING properties p
WHERE s.id = @id AND s.property_id = @property_id AND p.id = s.property_id AND p.account_id = @account_id
RETURNING s.id;
