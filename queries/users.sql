-- name: CreateUser :one
INSERT INTO users (account_id, email, name, password_hash, role)
VALUES (@account_id, @email, @name, @password_hash, @role)
RETURNING *;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE email = @email;
