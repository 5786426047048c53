-- name: CreateAccount :one
INSERT INTO accounts (slug, name, timezone, currency)
VALUES (@slug, @name, @timezone, @currency)
RETURNING *;

-- name: GetAccountBySlug :one
SELECT * FROM accounts WHERE slug = @slug;

-- name: GetAccount :one
SELECT * FROM accounts WHERE id = @id;

-- name: ListAccounts :many
SELECT * FROM accounts ORDER BY id;
