-- name: CreateSeason :one
INSERT INTO seasons (property_id, name, starts_on, ends_on, nightly_price, min_nights, repeats_yearly)
VALUES (@property_id, @name, @starts_on, @ends_on, @nightly_price, @min_nights, @repeats_yearly)
RETURNING *;

-- name: ListSeasons :many
SELECT * FROM seasons WHERE property_id = @property_id ORDER BY starts_on, id;
