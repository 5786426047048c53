-- name: CreateUser :one
INSERT INTO users (account_id, email, name, password_hash, role)
VALUES (@account_id, @email, @name, @password_hash, @role)
RETURNING *;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE email = @email;

-- name: GetUserInAccount :one
SELECT * FROM users WHERE id = @id AND account_id = @account_id;

-- name: GetUser :one
SELECT u.*, a.name AS account_name, a.timezone, a.currency
FROM users u JOIN accounts a ON a.id = u.account_id
WHERE u.id = @id;

-- name: ListUsers :many
SELECT * FROM users WHERE account_id = @account_id ORDER BY role, name, email;

-- name: SetPassword :one
-- A new password revokes every session issued before it.
UPDATE users SET password_hash = @password_hash, session_version = session_version + 1, updated_at = now()
WHERE id = @id
RETURNING session_version;

-- name: TouchLogin :exec
UPDATE users SET last_login_at = @now WHERE id = @id;

-- name: LockAccountUsers :one
-- Serializes changes to an account's users (roles, removals), so two owners
-- demoting each other at once cannot leave the account without one.
SELECT id FROM accounts WHERE id = @account_id FOR UPDATE;

-- name: CountOwners :one
SELECT count(*) FROM users WHERE account_id = @account_id AND role = 'owner';

-- name: SetUserRole :execrows
UPDATE users SET role = @role, updated_at = now() WHERE id = @id AND account_id = @account_id;

-- name: DeleteUser :execrows
DELETE FROM users WHERE id = @id AND account_id = @account_id;
