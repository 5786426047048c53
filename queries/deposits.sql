-- name: InsertDamageDeposit :one
-- The damage deposit received (one per reservation: the primary key says
-- a second receipt is refused).
INSERT INTO damage_deposits (reservation_id, account_id, amount, currency, method, received_by, received_at)
VALUES (@reservation_id, @account_id, @amount, @currency, @method, sqlc.narg(received_by)::bigint, @now)
RETURNING *;

-- name: GetDamageDepositForUpdate :one
SELECT * FROM damage_deposits WHERE reservation_id = @reservation_id AND account_id = @account_id FOR UPDATE;

-- name: SettleDamageDeposit :one
-- Returned (less deductions, with the note the guest sees); the table's
-- CHECKs say deducted + returned = amount and deductions need a note.
UPDATE damage_deposits SET deducted = @deducted, returned = @returned, note = @note,
       settled_by = sqlc.narg(settled_by)::bigint, settled_at = @now::timestamptz
WHERE reservation_id = @reservation_id AND settled_at IS NULL
RETURNING *;

-- name: GetDamageDeposit :one
-- A reservation's deposit with who received and who returned it.
SELECT d.*, COALESCE(NULLIF(ur.name, ''), ur.email, '')::text AS received_by_name,
       COALESCE(NULLIF(us.name, ''), us.email, '')::text AS settled_by_name
FROM damage_deposits d
LEFT JOIN users ur ON ur.id = d.received_by
LEFT JOIN users us ON us.id = d.settled_by
WHERE d.reservation_id = @reservation_id AND d.account_id = @account_id;

-- name: ListDepositsToReturn :many
-- Deposits received and not yet settled whose stay has ended (check-out
-- today or before, in the account's local date), oldest check-out first,
-- for the owner's home page.
SELECT d.reservation_id, d.amount, d.currency, d.method, r.code, r.guest_name, r.check_out, p.name AS property_name
FROM damage_deposits d
JOIN reservations r ON r.id = d.reservation_id
JOIN properties p ON p.id = r.property_id
WHERE d.account_id = @account_id AND d.settled_at IS NULL AND r.check_out <= @today::date
ORDER BY r.check_out, r.id
LIMIT 50;

-- name: ListLedger :many
-- Every amount of a reservation's stay money in and out, oldest first:
-- its payments (with what Mercado Pago refunded of them, whatever asked
-- it) and its refunds rows (payment_id 0 when not of a payment). Who did
-- it: the user's name when a user did (the one who settled a refund, else
-- the one who decided it), and the actor. The damage deposit
-- is apart (GetDamageDeposit): it is never stay money.
SELECT 'payment'::text AS source, p.id, p.created_at AS at, p.updated_at AS changed_at, p.provider, p.method, p.status, p.amount, p.refunded,
       p.currency, p.fee, 0::numeric(12,2) AS stay_amount, p.id AS payment_id, ''::text AS reason, p.note,
       CASE WHEN p.provider = 'mercadopago' THEN 'mercadopago' ELSE '' END::text AS actor,
       COALESCE(NULLIF(u.name, ''), u.email, '')::text AS who, COALESCE(p.provider_id, '')::text AS reference
FROM payments p
LEFT JOIN users u ON u.id = p.created_by
WHERE p.reservation_id = @reservation_id AND p.account_id = @account_id
UNION ALL
SELECT 'refund'::text, f.id, COALESCE(f.settled_at, f.created_at), COALESCE(f.settled_at, f.created_at), 'refund'::text, f.method, f.status, f.amount,
       0::numeric(12,2), f.currency, 0::numeric(12,2), f.stay_amount, COALESCE(f.payment_id, 0), f.reason, f.note,
       f.actor, COALESCE(NULLIF(u.name, ''), u.email, '')::text, f.provider_ref
FROM refunds f
LEFT JOIN users u ON u.id = COALESCE(f.settled_by,
    CASE WHEN f.actor ~ '^user:[0-9]{1,18}$' THEN substr(f.actor, 6)::bigint END)
WHERE f.reservation_id = @reservation_id AND f.account_id = @account_id
ORDER BY at, source, id;
