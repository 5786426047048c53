-- name: InsertInboxWithJob :one
-- One statement: the notification and the job that processes it are stored
-- together or not at all. A duplicate (same provider and key) stores nothing.
WITH ins AS (
    INSERT INTO webhook_inbox (provider, event_key, topic, resource_id, headers, query, body, received_at)
    VALUES (@provider, @event_key, @topic, @resource_id, @headers, @query, @body, @now)
    ON CONFLICT (provider, event_key) DO NOTHING
    RETURNING id
), job AS (
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'available', now(), jsonb_build_object('inbox_id', ins.id), @job_kind::text, 25, 1, 'payments'
    FROM ins
)
SELECT id FROM ins;

-- name: InsertUnsignedInboxWithJob :one
-- An unsigned notification (only a trigger to re-fetch payment resource_id)
-- and its job on its own queue, in one statement. Nothing is stored when one
-- for the same payment is still waiting (coalesced) or when @ceiling of them
-- are waiting: id is then 0, and pending says which (the count is taken
-- before this insert; concurrent inserts may pass the ceiling by a few).
WITH ins AS (
    INSERT INTO webhook_inbox (provider, event_key, topic, resource_id, headers, query, body, received_at, unsigned)
    SELECT @provider::text, @event_key::text, @topic::text, @resource_id::text, @headers::jsonb, @query::text, @body::text,
           @now::timestamptz, true
    WHERE (SELECT count(*) FROM webhook_inbox w WHERE w.unsigned AND w.processed_at IS NULL) < @ceiling::bigint
    ON CONFLICT DO NOTHING
    RETURNING id
), job AS (
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'available', now(), jsonb_build_object('inbox_id', ins.id), @job_kind::text, @max_attempts::smallint, 1, @queue::text
    FROM ins
)
SELECT COALESCE((SELECT id FROM ins), 0)::bigint AS id,
       (SELECT count(*) FROM webhook_inbox w WHERE w.unsigned AND w.processed_at IS NULL)::bigint AS pending;

-- name: GetInbox :one
SELECT * FROM webhook_inbox WHERE id = @id;

-- name: MarkInboxProcessed :exec
UPDATE webhook_inbox SET processed_at = @now, attempts = attempts + 1, last_error = @last_error
WHERE id = @id AND processed_at IS NULL;

-- name: MarkInboxFailed :exec
UPDATE webhook_inbox SET attempts = attempts + 1, last_error = @last_error WHERE id = @id;

-- name: RequeueStaleInbox :execrows
-- Notifications still unprocessed after a while with no live job (a job lost
-- or discarded) get a new one, on their own lane.
INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
SELECT 'available', now(), jsonb_build_object('inbox_id', i.id), @job_kind::text,
       CASE WHEN i.unsigned THEN @unsigned_max_attempts::smallint ELSE 25 END, 1,
       CASE WHEN i.unsigned THEN @unsigned_queue::text ELSE @queue::text END
FROM webhook_inbox i
WHERE i.provider = @provider AND i.processed_at IS NULL AND i.received_at < @before
  AND i.attempts < CASE WHEN i.unsigned THEN @unsigned_max_attempts::int ELSE 100 END
  AND NOT EXISTS (
      SELECT 1 FROM river_job j
      WHERE j.kind = @job_kind::text AND j.args->>'inbox_id' = i.id::text
        AND j.state IN ('available', 'pending', 'running', 'retryable', 'scheduled'));

-- name: EnqueuePaymentLinkJob :exec
INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
VALUES ('available', now(), jsonb_build_object('reservation_id', @reservation_id::bigint), @job_kind::text, 5, 1, 'payments');

-- name: GetReservationForLink :one
SELECT r.id, r.code, r.status, r.check_in, r.check_out, r.deposit, r.currency, r.hold_expires_at, r.guest_name,
       r.guest_email, r.guest_token, p.name AS property_name, p.slug AS property_slug, p.deposit_percent,
       r.exchange_rate_e4, r.exchange_rate_source, r.exchange_rate_at, r.mp_surcharge_bp, r.mp_max_installments
FROM reservations r JOIN properties p ON p.id = r.property_id
WHERE r.id = @id;

-- name: GetPaymentLink :one
SELECT * FROM payment_links WHERE reservation_id = @reservation_id;

-- name: SavePaymentLink :exec
-- Saves the link's failure (error, no init_point) or the link made.
INSERT INTO payment_links (reservation_id, preference_id, init_point, error, created_at, updated_at)
VALUES (@reservation_id, @preference_id, @init_point, @error, @now, @now)
ON CONFLICT (reservation_id) DO UPDATE SET
    preference_id = CASE WHEN EXCLUDED.init_point <> '' THEN EXCLUDED.preference_id ELSE payment_links.preference_id END,
    init_point = CASE WHEN EXCLUDED.init_point <> '' THEN EXCLUDED.init_point ELSE payment_links.init_point END,
    error = EXCLUDED.error,
    updated_at = EXCLUDED.updated_at;

-- name: SaveCurrentPaymentLink :execrows
-- Saves a link that charges @amount @currency (pesos: Mercado Pago charges
-- in ARS whatever the stay's currency), made for a deposit of @deposit
-- @res_currency, and records it among the reservation's links, only while
-- that is still the reservation's deposit (0 rows: the deposit changed while
-- the link was being made).
WITH cur AS (
    SELECT r.id FROM reservations r
    WHERE r.id = @reservation_id::bigint AND r.deposit = @deposit AND r.currency = @res_currency::text
    FOR UPDATE
), version AS (
    INSERT INTO payment_link_versions (reservation_id, preference_id, init_point, amount, currency, created_at)
    SELECT cur.id, @preference_id::text, @init_point::text, @amount, @currency::text, @now::timestamptz FROM cur
    ON CONFLICT (reservation_id, preference_id) DO NOTHING
)
INSERT INTO payment_links (reservation_id, preference_id, init_point, error, amount, currency, created_at, updated_at)
SELECT cur.id, @preference_id::text, @init_point::text, '', @amount, @currency::text, @now::timestamptz, @now::timestamptz FROM cur
ON CONFLICT (reservation_id) DO UPDATE SET preference_id = EXCLUDED.preference_id, init_point = EXCLUDED.init_point,
    error = '', amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at;

-- name: EarlierLinkAmount :one
-- Whether a link made earlier for the reservation (not the current one)
-- charged @amount @currency.
SELECT EXISTS (
    SELECT 1 FROM payment_link_versions v
    WHERE v.reservation_id = @reservation_id::bigint AND v.amount = @amount AND v.currency = @currency::text
      AND v.preference_id <> COALESCE((SELECT l.preference_id FROM payment_links l WHERE l.reservation_id = v.reservation_id), '')
)::boolean;

-- name: MarkHoldExtended :one
-- Once per hold: true when this call extended it.
INSERT INTO payment_links (reservation_id, hold_extended, created_at, updated_at)
VALUES (@reservation_id, true, @now, @now)
ON CONFLICT (reservation_id) DO UPDATE SET hold_extended = true, updated_at = EXCLUDED.updated_at
WHERE NOT payment_links.hold_extended
RETURNING hold_extended;

-- name: ExtendHold :exec
WITH upd AS (
    UPDATE reservations r SET hold_expires_at = @hold_expires_at::timestamptz, updated_at = @now::timestamptz
    WHERE r.id = @reservation_id::bigint AND r.status = 'pre_reserved'
    RETURNING r.id
)
INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
SELECT 'scheduled', @hold_expires_at::timestamptz, jsonb_build_object('reservation_id', upd.id), @job_kind::text, 25, 1, 'default'
FROM upd;

-- name: GetReservationByCodeForUpdate :one
SELECT * FROM reservations WHERE code = @code FOR UPDATE;

-- name: GetProviderPaymentForUpdate :one
SELECT * FROM payments WHERE provider = 'mercadopago' AND provider_id = @provider_id FOR UPDATE;

-- name: InsertProviderPayment :one
-- fee is Mercado Pago's fees of the payment (its fee_details), kept in sync on every update.
INSERT INTO payments (account_id, reservation_id, provider, provider_id, method, status, status_detail, amount,
                      currency, refunded, fee, raw, created_at, updated_at)
VALUES (@account_id, @reservation_id, 'mercadopago', @provider_id, @method, @status, @status_detail, @amount,
        @currency, @refunded, @fee, @raw, @now, @now)
RETURNING *;

-- name: UpdateProviderPayment :one
UPDATE payments SET status = @status, status_detail = @status_detail, amount = @amount, refunded = @refunded,
    fee = @fee, method = @method, raw = @raw, updated_at = @now
WHERE id = @id
RETURNING *;

-- name: SetPaymentRefundDue :exec
UPDATE payments SET refund_due = @refund_due, updated_at = @now WHERE id = @id;

-- name: SetReservationPaid :one
UPDATE reservations SET paid = @paid, updated_at = @now WHERE id = @id RETURNING *;

-- name: InsertPaymentConflict :execrows
-- At most once per (account, kind, detail): the detail names the payment.
INSERT INTO conflicts (account_id, property_id, reservation_id, kind, detail, created_at)
VALUES (@account_id, @property_id, @reservation_id, @kind, @detail, @now)
ON CONFLICT DO NOTHING;

-- name: OnlyAccountID :one
-- The installation's account when there is exactly one (0 otherwise).
SELECT CASE WHEN count(*) = 1 THEN min(id) ELSE 0 END::bigint FROM accounts;

-- name: GetPaymentForRefund :one
SELECT * FROM payments WHERE id = @id AND reservation_id = @reservation_id AND account_id = @account_id;

-- name: PruneInbox :execrows
-- Processed notifications are kept a while for inquiries, then dropped.
DELETE FROM webhook_inbox WHERE processed_at IS NOT NULL AND processed_at < @before::timestamptz;

-- name: WakeQueue :exec
-- Jobs inserted by our own statements do not pass through River's client,
-- which would tell the workers at once: without this they wait for the next
-- poll (a second). Inside a transaction it is delivered at commit.
SELECT pg_notify(current_schema() || '.river_insert', json_build_object('queue', @queue::text)::text);

-- name: ResolvePaymentConflicts :execrows
-- Closes the open alerts of one kind about one payment (their detail starts "El pago <id> ").
UPDATE conflicts SET resolved_at = @now::timestamptz
WHERE reservation_id = @reservation_id AND kind = @kind::text AND resolved_at IS NULL
  AND detail LIKE 'El pago ' || @payment_id::text || ' %';
