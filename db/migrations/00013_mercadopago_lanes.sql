-- +goose Up
-- Unsigned notifications (legacy IPN, a guest's return from Checkout Pro)
-- are only triggers to re-fetch a payment: they are marked, and at most one
-- per payment waits at a time (coalesced), so a flood of them is bounded.
ALTER TABLE webhook_inbox ADD COLUMN unsigned boolean NOT NULL DEFAULT false;
UPDATE webhook_inbox SET unsigned = true WHERE event_key LIKE 'ipn:%';
-- Older copies still waiting for one payment stay as they are, outside the index.
UPDATE webhook_inbox i SET unsigned = false
WHERE i.unsigned AND i.processed_at IS NULL AND EXISTS (
    SELECT 1 FROM webhook_inbox j WHERE j.unsigned AND j.processed_at IS NULL AND j.provider = i.provider
      AND j.resource_id = i.resource_id AND j.id > i.id);
CREATE UNIQUE INDEX webhook_inbox_unsigned_pending_idx ON webhook_inbox (provider, resource_id)
    WHERE unsigned AND processed_at IS NULL;

-- What the deposit's current Checkout Pro link charges, and every link made
-- for a reservation: a payment of a link made before the deposit changed is
-- still recognised as the guest paying what we asked.
ALTER TABLE payment_links ADD COLUMN amount numeric(12,2) NOT NULL DEFAULT 0;
ALTER TABLE payment_links ADD COLUMN currency text NOT NULL DEFAULT '';
UPDATE payment_links pl SET amount = r.deposit, currency = r.currency
FROM reservations r WHERE r.id = pl.reservation_id AND pl.init_point <> '';
CREATE TABLE payment_link_versions (
    id              bigserial PRIMARY KEY,
    reservation_id  bigint        NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    preference_id   text          NOT NULL,
    init_point      text          NOT NULL,
    amount          numeric(12,2) NOT NULL,
    currency        text          NOT NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (reservation_id, preference_id)
);
INSERT INTO payment_link_versions (reservation_id, preference_id, init_point, amount, currency, created_at)
SELECT reservation_id, preference_id, init_point, amount, currency, created_at FROM payment_links WHERE init_point <> '';

-- A pending hold re-priced (dates, guests, property) loses its link at once,
-- in the transaction that changes the deposit, and the job that makes the
-- new one is queued with it: whatever path changes the price.
-- +goose StatementBegin
CREATE FUNCTION mp_deposit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE payment_links SET preference_id = '', init_point = '', error = '', amount = 0, currency = '', updated_at = now()
    WHERE reservation_id = NEW.id AND (init_point <> '' OR error <> '');
    IF FOUND THEN
        INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
        VALUES ('available', now(), jsonb_build_object('reservation_id', NEW.id), 'mercadopago.create_payment_link', 5, 1, 'payments');
        PERFORM pg_notify(current_schema() || '.river_insert', '{"queue": "payments"}');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reservations_deposit_link AFTER UPDATE OF deposit, currency ON reservations
    FOR EACH ROW WHEN (NEW.status = 'pre_reserved' AND (NEW.deposit IS DISTINCT FROM OLD.deposit OR NEW.currency IS DISTINCT FROM OLD.currency))
    EXECUTE FUNCTION mp_deposit_changed();

-- +goose Down
DROP TRIGGER reservations_deposit_link ON reservations;
DROP FUNCTION mp_deposit_changed();
DROP TABLE payment_link_versions;
ALTER TABLE payment_links DROP COLUMN currency;
ALTER TABLE payment_links DROP COLUMN amount;
DROP INDEX webhook_inbox_unsigned_pending_idx;
ALTER TABLE webhook_inbox DROP COLUMN unsigned;
