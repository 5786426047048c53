-- name: GuestReceiptsOfReservation :many
-- The transfer receipts of a reservation that did not become a payment:
-- under review (en_revision) or rejected, oldest first, for the guest's API
-- answer. A confirmed receipt is listed as the payment it recorded.
SELECT status, created_at
FROM receipts
WHERE reservation_id = @reservation_id AND account_id = @account_id AND status <> 'confirmed'
ORDER BY created_at, id;
