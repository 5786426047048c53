-- Bank-transfer receipts (issue 12): internal/receipts.

-- name: CountReservationReceipts :one
-- Every receipt of the reservation, whatever its status: a rejected one
-- still counts, so a guest cannot flood the owner.
SELECT count(*)::int FROM receipts WHERE reservation_id = @reservation_id;

-- name: InsertReceipt :one
-- Nothing when the same file (reservation, sha256) or the same WhatsApp media
-- (source_ref) is already stored: the caller reads that one instead.
INSERT INTO receipts (account_id, reservation_id, source, source_ref, content_type, size, sha256, data, created_at)
VALUES (@account_id, @reservation_id, @source, @source_ref, @content_type, @size, @sha256, @data, @now)
ON CONFLICT DO NOTHING
RETURNING id, reservation_id, status, source, content_type, size, created_at, reject_reason, payment_id;

-- name: GetSameReceipt :one
-- The receipt an InsertReceipt that inserted nothing collided with.
SELECT id, reservation_id, status, source, content_type, size, created_at, reject_reason, payment_id
FROM receipts
WHERE account_id = @account_id
  AND ((reservation_id = @reservation_id AND sha256 = @sha256)
       OR (source_ref IS NOT NULL AND source_ref = sqlc.narg('source_ref')))
ORDER BY id
LIMIT 1;

-- name: MarkReceiptHoldExtended :one
-- Once per hold: the hours to add when this call is the first receipt of a
-- live hold (no row otherwise).
UPDATE reservations r SET receipt_hold_extended = true, updated_at = @now
FROM properties p
WHERE r.id = @reservation_id AND p.id = r.property_id AND r.status = 'pre_reserved'
  AND NOT r.receipt_hold_extended
RETURNING p.receipt_hold_hours;

-- name: GetReceiptReservation :one
-- Which reservation a receipt is of (to lock it first: reservation, then receipt).
SELECT reservation_id FROM receipts WHERE id = @id AND account_id = @account_id;

-- name: GetReceiptForUpdate :one
SELECT id, reservation_id, status, source, content_type, size, created_at, reject_reason, payment_id
FROM receipts WHERE id = @id AND account_id = @account_id
FOR UPDATE;

-- name: SetReceiptConfirmed :exec
UPDATE receipts SET status = 'confirmed', payment_id = @payment_id, reviewed_by = sqlc.narg('reviewed_by'),
    reviewed_at = @now
WHERE id = @id AND status = 'en_revision';

-- name: SetReceiptRejected :exec
UPDATE receipts SET status = 'rejected', reject_reason = @reject_reason, reviewed_by = sqlc.narg('reviewed_by'),
    reviewed_at = @now
WHERE id = @id AND status = 'en_revision';

-- name: ListReservationReceipts :many
-- Oldest first, without the files.
SELECT id, reservation_id, status, source, content_type, size, created_at, reject_reason, payment_id
FROM receipts
WHERE reservation_id = @reservation_id AND account_id = @account_id
ORDER BY created_at, id;

-- name: GetReceiptFile :one
SELECT content_type, data FROM receipts WHERE id = @id AND account_id = @account_id;

-- name: PendingReceipts :many
-- Receipts waiting for the owner's review, oldest first, with the
-- reservation's amounts (booking.DueNow says what it still expects).
SELECT rc.id, rc.reservation_id, rc.created_at, r.code, r.guest_name, p.name AS property_name, r.currency,
       r.status, r.deposit, r.paid, r.total
FROM receipts rc
JOIN reservations r ON r.id = rc.reservation_id
JOIN properties p ON p.id = r.property_id
WHERE rc.account_id = @account_id AND rc.status = 'en_revision'
ORDER BY rc.created_at, rc.id;

-- name: ReceiptReservationForPhone :one
-- The reservation a guest's WhatsApp receipt is for: their live hold first,
-- else the soonest stay not yet over and not fully paid.
SELECT r.id FROM reservations r
WHERE r.account_id = @account_id AND r.guest_phone = @phone
  AND ((r.status = 'pre_reserved' AND r.hold_expires_at > @now)
       OR (r.status IN ('confirmed', 'checked_in') AND r.check_out >= @today AND r.paid < r.total))
ORDER BY (r.status = 'pre_reserved') DESC, r.check_in, r.id
LIMIT 1;

-- name: InsertReceiptFetchJob :exec
-- The job that downloads a guest's WhatsApp media and adds it as a receipt,
-- inserted with the inbound message that brought it.
INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
VALUES ('available', now(), @args::jsonb, @job_kind::text, 5, 1, @queue::text);
