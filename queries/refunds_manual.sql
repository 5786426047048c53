-- name: PendingPaymentRefunds :one
-- What the refund jobs still have to take off a payment: pending rows are
-- decided but not yet carried out, so they are not in payments.refunded.
SELECT COALESCE(sum(amount), 0)::numeric(12,2) AS pending
FROM refunds WHERE payment_id = @payment_id AND status = 'pending';

-- name: LastManualRefundAfter :one
-- A manual refund of a payment written after the page the owner clicked
-- on was drawn (a double click, a resent form).
SELECT * FROM refunds
WHERE payment_id = @payment_id AND reason = 'manual' AND id > @after::bigint
ORDER BY id DESC LIMIT 1;
