-- name: GetPublicProperty :one
-- A property as its public page shows it: active ones only.
SELECT p.id, p.slug, p.name, p.kind, p.capacity, p.description, p.location, p.photos, p.amenities,
       p.house_rules, p.check_in_time, p.check_out_time, p.base_price, p.min_nights, p.hold_minutes,
       p.deposit_percent, a.name AS account_name, a.slug AS account_slug, p.currency
FROM properties p JOIN accounts a ON a.id = p.account_id
WHERE p.slug = @slug AND p.active;

-- name: ListAccountsWithActiveProperties :many
SELECT a.id, a.slug, a.name, count(p.id) AS properties
FROM accounts a JOIN properties p ON p.account_id = a.id AND p.active
GROUP BY a.id ORDER BY a.name;

-- name: ListActivePropertiesOfAccount :many
SELECT p.id, p.slug, p.name, p.kind, p.capacity, p.description, p.location, p.photos, p.base_price,
       p.min_nights, p.currency
FROM properties p JOIN accounts a ON a.id = p.account_id
WHERE a.slug = @account_slug AND p.active
ORDER BY p.name, p.id;
