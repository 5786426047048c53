-- name: ExportReservationTerms :many
-- For one batch of the CSV export: each reservation's exchange rate locked
-- on its hold (NULL for pesos or "sin cotización") and the payment method
-- its guest chose.
SELECT r.id, r.exchange_rate_e4, r.exchange_rate_source, r.payment_method
FROM reservations r
WHERE r.account_id = @account_id AND r.id = ANY(@ids::bigint[]);

-- name: ExportApprovedPayments :many
-- For one batch of the CSV export: how the approved payments of each
-- reservation were made, oldest first.
SELECT p.reservation_id, p.provider, p.method
FROM payments p
WHERE p.account_id = @account_id AND p.reservation_id = ANY(@ids::bigint[]) AND p.status = 'approved'
ORDER BY p.created_at, p.id;
