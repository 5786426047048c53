-- How a property takes money (the owner's "Cobros" page) and the balances
-- its stays still owe (issue 12: seña and balance schedule).
--
-- A stay's balance is due on GREATEST(check_in - balance_due_days, the UTC
-- day it was booked): booking.BalanceDue / Reservation.BalanceDue, the same
-- rule written once more here so the dashboard and the reminder job can
-- filter on it.

-- name: UpdatePropertyPaymentTerms :one
UPDATE properties
SET pay_mercadopago = @pay_mercadopago, pay_transfer = @pay_transfer, pay_cash = @pay_cash,
    mp_surcharge_bp = @mp_surcharge_bp, mp_max_installments = @mp_max_installments,
    transfer_cbu = @transfer_cbu, transfer_alias = @transfer_alias, transfer_holder = @transfer_holder,
    transfer_cuit = @transfer_cuit, transfer_bank = @transfer_bank, transfer_in_pesos = @transfer_in_pesos,
    balance_due_days = @balance_due_days, receipt_hold_hours = @receipt_hold_hours,
    damage_deposit = @damage_deposit, damage_deposit_method = @damage_deposit_method,
    updated_at = now()
WHERE id = @id AND account_id = @account_id
RETURNING id;

-- name: HomeBalancesDue :many
-- Confirmed (or begun) stays of the account with a balance whose due date is
-- on or before @until (the account's local today + a week), soonest first.
SELECT r.code, r.guest_name, r.check_in, r.check_out, r.total, r.paid, r.currency, r.status,
       GREATEST(r.check_in - r.balance_due_days, (r.created_at AT TIME ZONE 'UTC')::date)::date AS due_on,
       p.name AS property_name, p.pay_cash
FROM reservations r
JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id AND r.status IN ('confirmed', 'checked_in') AND r.paid < r.total
  AND GREATEST(r.check_in - r.balance_due_days, (r.created_at AT TIME ZONE 'UTC')::date) <= @until::date
ORDER BY due_on, r.check_in, r.id;

-- name: WriteBalanceReminders :many
-- The balance_reminder audit entry of every confirmed stay with a balance
-- whose due date is at most three days away (not past), from 10:00 of its
-- account's local day, once per reservation (audit_log_balance_reminder_once,
-- migration 00025). The WhatsApp trigger turns each into the guest's reminder.
WITH clock AS (
    SELECT @now::timestamptz AS now
), due AS (
    SELECT r.id, r.account_id,
           GREATEST(r.check_in - r.balance_due_days, (r.created_at AT TIME ZONE 'UTC')::date)::date AS due_on,
           (timezone(a.timezone, clock.now))::date AS today,
           extract(hour FROM timezone(a.timezone, clock.now))::int AS local_hour
    FROM reservations r
    JOIN accounts a ON a.id = r.account_id
    CROSS JOIN clock
    WHERE r.status = 'confirmed' AND r.paid < r.total
)
INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
SELECT d.account_id, d.id, 'system', 'balance_reminder', jsonb_build_object('due_on', d.due_on), clock.now
FROM due d CROSS JOIN clock
WHERE d.today BETWEEN d.due_on - 3 AND d.due_on AND d.local_hour >= 10
ON CONFLICT (reservation_id) WHERE action = 'balance_reminder' DO NOTHING
RETURNING reservation_id;

-- name: RaiseBalanceOverdue :many
-- An owner alert for every confirmed (or begun) stay whose balance was due
-- before the account's local today and is still owed; once per reservation
-- (conflicts_payment_once_idx on account, kind and detail, which names the code).
WITH clock AS (
    SELECT @now::timestamptz AS now
)
INSERT INTO conflicts (account_id, property_id, reservation_id, kind, detail, created_at)
SELECT r.account_id, r.property_id, r.id, 'payment_balance_overdue',
       'Venció el saldo de la reserva ' || r.code || ' y no está registrado como cobrado.', clock.now
FROM reservations r
JOIN accounts a ON a.id = r.account_id
CROSS JOIN clock
WHERE r.status IN ('confirmed', 'checked_in') AND r.paid < r.total
  AND GREATEST(r.check_in - r.balance_due_days, (r.created_at AT TIME ZONE 'UTC')::date)
      < (timezone(a.timezone, clock.now))::date
ON CONFLICT (account_id, kind, detail) WHERE kind LIKE 'payment\_%' DO NOTHING
RETURNING reservation_id;

-- name: ResolveBalanceOverdue :execrows
-- Closes the overdue-balance alerts of stays that are paid, or no longer
-- expected to pay (cancelled, no-show).
UPDATE conflicts c SET resolved_at = @now::timestamptz
FROM reservations r
WHERE c.kind = 'payment_balance_overdue' AND c.resolved_at IS NULL AND r.id = c.reservation_id
  AND (r.paid >= r.total OR r.status IN ('cancelled', 'no_show', 'expired'));
