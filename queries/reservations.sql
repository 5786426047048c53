-- name: CreateHold :one
-- One statement, so one round trip and its own transaction: the nights, the
-- reservation that owns them, its audit entry and the River job that will
-- expire it. No row back means the constraint refused the nights.
WITH occ AS (
    INSERT INTO occupancy (property_id, nights, kind)
    VALUES (@property_id, daterange(@check_in::date, @check_out::date), 'reservation')
    ON CONFLICT DO NOTHING
    RETURNING id
), res AS (
    INSERT INTO reservations (
        code, account_id, property_id, occupancy_id, check_in, check_out, guests, guest_name, guest_phone,
        guest_email, note, channel, status, hold_expires_at, price_breakdown, total, deposit, currency,
        guest_token, client_net, exchange_rate_e4, exchange_rate_source, exchange_rate_at, payment_method,
        mp_surcharge_bp, mp_max_installments, balance_due_days, cancel_policy, terms_accepted_at,
        damage_deposit, damage_deposit_method, created_at, updated_at
    )
    SELECT @code, @account_id, @property_id, occ.id, @check_in, @check_out, @guests, @guest_name, @guest_phone,
           @guest_email, @note, @channel, 'pre_reserved', @hold_expires_at::timestamptz, @price_breakdown, @total, @deposit,
           @currency, @guest_token, sqlc.narg(client_net)::text, sqlc.narg(exchange_rate_e4)::bigint,
           sqlc.narg(exchange_rate_source)::text, sqlc.narg(exchange_rate_at)::timestamptz, @payment_method,
           @mp_surcharge_bp, @mp_max_installments, @balance_due_days, @cancel_policy::jsonb,
           sqlc.narg(terms_accepted_at)::timestamptz, @damage_deposit, @damage_deposit_method, @now, @now
    FROM occ
    RETURNING *
), aud AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
    SELECT res.account_id, res.id, @actor, 'hold_created', jsonb_build_object('channel', res.channel), @now
    FROM res
), job AS (
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'scheduled', @hold_expires_at::timestamptz, jsonb_build_object('reservation_id', res.id),
           @job_kind::text, 25, 1, 'default'
    FROM res
), link AS (
    -- The deposit's payment link, when Mercado Pago is configured.
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'available', now(), jsonb_build_object('reservation_id', res.id), @link_job_kind::text, 5, 1, 'payments'
    FROM res WHERE @link_job_kind::text <> ''
)
SELECT * FROM res;

-- name: LockHoldCaps :exec
-- Serialises anonymous holds of one phone or one client network, so their
-- caps are counted after every earlier hold committed. Keys come sorted.
SELECT pg_advisory_xact_lock(k) FROM unnest(@keys::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i;

-- name: CountLiveHolds :one
-- Live holds of a phone and of a client network in an account, and when the
-- network's first one ends.
SELECT count(*) FILTER (WHERE guest_phone = @phone)::int AS by_phone,
       count(*) FILTER (WHERE client_net = @client_net::text)::int AS by_net,
       COALESCE(min(hold_expires_at) FILTER (WHERE client_net = @client_net::text), 'epoch')::timestamptz AS net_frees_at
FROM reservations
WHERE account_id = @account_id AND status = 'pre_reserved' AND hold_expires_at > @now
  AND (guest_phone = @phone OR client_net = @client_net::text);

-- name: GetReservationByCode :one
SELECT sqlc.embed(r), p.name AS property_name, p.slug AS property_slug
FROM reservations r JOIN properties p ON p.id = r.property_id
WHERE r.code = @code;

-- name: GetReservationForUpdate :one
SELECT * FROM reservations WHERE id = @id FOR UPDATE;

-- name: SetReservationStatus :one
UPDATE reservations SET status = @status, updated_at = @now
WHERE id = @id
RETURNING *;

-- name: ExpireHolds :many
-- Expires every hold past its time in one statement, releasing its nights at
-- once. The status condition makes it exactly-once however many workers race.
WITH exp AS (
    UPDATE reservations r SET status = 'expired', updated_at = @now
    WHERE r.status = 'pre_reserved' AND r.hold_expires_at <= @now
      AND (sqlc.narg(only_id)::bigint IS NULL OR r.id = sqlc.narg(only_id)::bigint)
    RETURNING r.id, r.code, r.account_id, r.occupancy_id, r.channel
), rel AS (
    UPDATE occupancy o SET active = false, released_at = @now
    FROM exp WHERE o.id = exp.occupancy_id AND o.active
), aud AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, created_at)
    SELECT exp.account_id, exp.id, 'system', 'hold_expired', @now FROM exp
)
SELECT id, code, channel FROM exp;

-- name: InsertAudit :exec
INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
VALUES (@account_id, @reservation_id, @actor, @action, @detail, @now);

-- name: ListAudit :many
SELECT * FROM audit_log WHERE reservation_id = @reservation_id ORDER BY id;
