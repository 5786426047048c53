-- name: InsertManualPayment :one
-- Money the owner or staff received by hand (cash, transfer): approved as recorded.
INSERT INTO payments (account_id, reservation_id, provider, method, status, amount, currency, note, created_by,
                      created_at, updated_at)
VALUES (@account_id, @reservation_id, 'manual', @method, 'approved', @amount, @currency, @note, @created_by, @now, @now)
RETURNING *;

-- name: AddReservationPaid :one
UPDATE reservations SET paid = paid + @amount, updated_at = @now
WHERE id = @id
RETURNING *;

-- name: ListReservationPayments :many
-- Oldest first, with who recorded a manual payment.
SELECT p.*, COALESCE(NULLIF(u.name, ''), u.email, '')::text AS created_by_name
FROM payments p
LEFT JOIN users u ON u.id = p.created_by
WHERE p.reservation_id = @reservation_id AND p.account_id = @account_id
ORDER BY p.created_at, p.id;
