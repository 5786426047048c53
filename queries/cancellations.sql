-- name: InsertCancellation :exec
INSERT INTO cancellations (reservation_id, account_id, by, currency, paid, computed, refund, penalty, rule, note,
                           actor, created_at)
VALUES (@reservation_id, @account_id, @by, @currency, @paid, @computed, @refund, @penalty, @rule, @note, @actor, @now);

-- name: GetCancellation :one
SELECT * FROM cancellations WHERE reservation_id = @reservation_id;

-- name: ListRefundablePayments :many
-- Approved payments of a reservation with something left to give back,
-- largest first (Mercado Pago's refunds go to the largest payment first).
-- refunded counts the refunds still pending too (decided, not yet in
-- payments.refunded), so a cancellation after a manual refund in flight
-- never asks Mercado Pago for more than is left.
SELECT p.id, p.provider, p.provider_id, p.method, p.amount, p.currency,
       (p.refunded + COALESCE(pend.amount, 0))::numeric(12,2) AS refunded
FROM payments p
LEFT JOIN LATERAL (SELECT sum(r.amount) AS amount FROM refunds r
                   WHERE r.payment_id = p.id AND r.status = 'pending') pend ON true
WHERE p.reservation_id = @reservation_id AND p.status = 'approved'
  AND p.amount > p.refunded + COALESCE(pend.amount, 0)
ORDER BY p.amount - p.refunded - COALESCE(pend.amount, 0) DESC, p.id;

-- name: InsertRefund :one
INSERT INTO refunds (account_id, reservation_id, payment_id, reason, method, status, amount, currency, stay_amount,
                     note, actor, created_at, settled_at, settled_by)
VALUES (@account_id, @reservation_id, sqlc.narg(payment_id)::bigint, @reason, @method, @status, @amount, @currency,
        @stay_amount, @note, @actor, @now, sqlc.narg(settled_at)::timestamptz, sqlc.narg(settled_by)::bigint)
RETURNING *;

-- name: InsertRefundJob :exec
-- The job that carries out one Mercado Pago refund, in the transaction
-- that decided it, so a crash between "decided" and "done" loses nothing.
INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
VALUES ('available', @now::timestamptz, jsonb_build_object('refund_id', @refund_id::bigint), @kind::text, 25, 2,
        @queue::text);

-- name: GetRefundForUpdate :one
SELECT r.*, p.provider_id, p.amount AS payment_amount, p.refunded AS payment_refunded, p.status AS payment_status
FROM refunds r LEFT JOIN payments p ON p.id = r.payment_id
WHERE r.id = @id
FOR UPDATE OF r;

-- name: SetRefundDone :one
UPDATE refunds SET status = 'done', provider_ref = @provider_ref, stay_amount = @stay_amount, error = '',
       settled_at = @now::timestamptz, settled_by = sqlc.narg(settled_by)::bigint
WHERE id = @id AND status IN ('pending', 'owed', 'failed')
RETURNING *;

-- name: SetRefundFailed :exec
UPDATE refunds SET status = 'failed', error = @error WHERE id = @id AND status = 'pending';

-- name: ListReservationRefunds :many
SELECT r.*, COALESCE(NULLIF(u.name, ''), u.email, '')::text AS settled_by_name
FROM refunds r LEFT JOIN users u ON u.id = r.settled_by
WHERE r.reservation_id = @reservation_id AND r.account_id = @account_id
ORDER BY r.id;

-- name: ListOpenRefunds :many
-- Refunds an owner still has to see through: owed (to transfer), failed,
-- or waiting for Mercado Pago, oldest first, for the home page.
SELECT r.*, res.code, res.guest_name, p.name AS property_name
FROM refunds r
JOIN reservations res ON res.id = r.reservation_id
JOIN properties p ON p.id = res.property_id
WHERE r.account_id = @account_id AND r.status IN ('pending', 'owed', 'failed')
ORDER BY r.created_at, r.id
LIMIT 50;

-- name: PaymentHasOwnRefund :one
-- Whether we asked Mercado Pago to give back (part of) a payment: its
-- "refunded" status is then our own doing, not news for the owner.
SELECT EXISTS (SELECT 1 FROM refunds WHERE payment_id = @payment_id AND status <> 'failed')::boolean;

-- name: ListRecentRefunds :many
-- Refunds done since a moment, newest first, for the home page.
SELECT r.*, res.code, res.guest_name, p.name AS property_name
FROM refunds r
JOIN reservations res ON res.id = r.reservation_id
JOIN properties p ON p.id = res.property_id
WHERE r.account_id = @account_id AND r.status = 'done' AND r.settled_at >= @since::timestamptz
ORDER BY r.settled_at DESC, r.id DESC
LIMIT 20;

-- name: InsertWithdrawal :one
INSERT INTO withdrawals (account_id, reservation_id, code, contact, in_time, client_net, created_at)
VALUES (@account_id, @reservation_id, @code, @contact, @in_time, @client_net, @now)
RETURNING *;

-- name: GetWithdrawal :one
SELECT * FROM withdrawals WHERE reservation_id = @reservation_id;

-- name: SubtractReservationPaid :one
-- A refund settled by hand gives back stay money: paid goes down by it.
UPDATE reservations SET paid = paid - @amount, updated_at = @now
WHERE id = @id AND paid >= @amount
RETURNING *;

-- name: GetRefund :one
SELECT sqlc.embed(r), p.provider_id, p.amount AS payment_amount, p.refunded AS payment_refunded
FROM refunds r LEFT JOIN payments p ON p.id = r.payment_id
WHERE r.id = @id;
