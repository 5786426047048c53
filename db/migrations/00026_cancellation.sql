-- +goose Up
-- Terms that hold up (issue 13): a cancellation policy per property, frozen
-- on each booking; what each side owes when plans change, computed by
-- booking.Settle and recorded here; the legal withdrawal ("Botón de
-- arrepentimiento"); refunds as rows a job carries out; damage deposits.
--
-- The policy is JSON of booking.Policy: preset, seña rule, tiers ("until N
-- days before arrival, refund X % of what was paid"), the no-show refund and
-- a version that grows with every change. The default is the Moderada
-- preset, which is what a property had in effect before (no written terms).
ALTER TABLE properties
    ADD COLUMN cancel_policy jsonb NOT NULL DEFAULT
        '{"preset":"moderada","sena":"none","tiers":[{"days_before":5,"refund_percent":100},{"days_before":1,"refund_percent":50}],"no_show_refund_percent":0,"version":1}'
        CHECK (jsonb_typeof(cancel_policy) = 'object'),
    -- Optional damage deposit (depósito en garantía), in the property's currency.
    ADD COLUMN damage_deposit numeric(12,2) NOT NULL DEFAULT 0 CHECK (damage_deposit >= 0),
    ADD COLUMN damage_deposit_method text NOT NULL DEFAULT 'cash'
        CHECK (damage_deposit_method IN ('balance', 'transfer', 'cash'));

-- Frozen at hold time, like the price and the rate: changing the property's
-- policy never changes an existing booking. NULL on stays held before this
-- migration and on imported channel stays (their channel's terms apply).
ALTER TABLE reservations
    ADD COLUMN cancel_policy jsonb CHECK (cancel_policy IS NULL OR jsonb_typeof(cancel_policy) = 'object'),
    -- When the guest ticked "Leí y acepto las condiciones" (web booking form).
    ADD COLUMN terms_accepted_at timestamptz,
    ADD COLUMN damage_deposit numeric(12,2) NOT NULL DEFAULT 0 CHECK (damage_deposit >= 0),
    ADD COLUMN damage_deposit_method text NOT NULL DEFAULT ''
        CHECK (damage_deposit_method IN ('', 'balance', 'transfer', 'cash'));

-- One decision per cancelled reservation: who cancelled, what the frozen
-- terms gave (computed) and what was decided (refund); the refund may be
-- more than computed, and less only with a note saying why.
CREATE TABLE cancellations (
    reservation_id  bigint        PRIMARY KEY REFERENCES reservations (id) ON DELETE CASCADE,
    account_id      bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    by              text          NOT NULL CHECK (by IN ('guest', 'host', 'withdrawal', 'no_show')),
    currency        text          NOT NULL,
    paid            numeric(12,2) NOT NULL CHECK (paid >= 0),
    computed        numeric(12,2) NOT NULL CHECK (computed >= 0),
    refund          numeric(12,2) NOT NULL CHECK (refund >= 0),
    -- Beyond the payments: twice the seña under seña penitencial when the host withdraws.
    penalty         numeric(12,2) NOT NULL DEFAULT 0 CHECK (penalty >= 0),
    rule            text          NOT NULL DEFAULT '',
    note            text          NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    actor           text          NOT NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    CHECK (refund >= computed OR note <> '')
);

-- Money going back to a guest. A Mercado Pago refund (payment_id set) is
-- 'pending' until the refund job has Mercado Pago's answer; a refund by
-- transfer or cash is 'owed' until the owner settles it. stay_amount is what
-- it takes off reservations.paid, in the stay's currency (0 for a penalty
-- or a damage deposit's return, which were never stay money); amount is what
-- leaves, in currency (pesos for Mercado Pago).
CREATE TABLE refunds (
    id              bigserial     PRIMARY KEY,
    account_id      bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reservation_id  bigint        NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    payment_id      bigint        REFERENCES payments (id) ON DELETE CASCADE,
    reason          text          NOT NULL CHECK (reason IN ('guest_cancel', 'host_cancel', 'withdrawal', 'no_show',
                                                             'penalty', 'deposit_return', 'manual')),
    method          text          NOT NULL CHECK (method IN ('mercadopago', 'transfer', 'cash')),
    status          text          NOT NULL CHECK (status IN ('pending', 'owed', 'done', 'failed')),
    amount          numeric(12,2) NOT NULL CHECK (amount > 0),
    currency        text          NOT NULL,
    stay_amount     numeric(12,2) NOT NULL DEFAULT 0 CHECK (stay_amount >= 0),
    provider_ref    text          NOT NULL DEFAULT '',
    error           text          NOT NULL DEFAULT '',
    note            text          NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    actor           text          NOT NULL,
    settled_by      bigint        REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    settled_at      timestamptz,
    CHECK (method <> 'mercadopago' OR payment_id IS NOT NULL),
    CHECK ((status = 'done') = (settled_at IS NOT NULL))
);
CREATE INDEX refunds_reservation_idx ON refunds (reservation_id, id);
CREATE INDEX refunds_open_idx ON refunds (account_id, created_at) WHERE status IN ('pending', 'owed', 'failed');

-- A use of the "Botón de arrepentimiento": the code answered at once, the
-- contact that proved it (the reservation's phone or e-mail), and whether it
-- came within the legal window (booking.WithdrawalDeadline).
CREATE TABLE withdrawals (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reservation_id  bigint      NOT NULL UNIQUE REFERENCES reservations (id) ON DELETE CASCADE,
    code            text        NOT NULL UNIQUE CHECK (code ~ '^ARR-[0-9A-Z]{8}$'),
    contact         text        NOT NULL CHECK (length(contact) <= 254),
    in_time         boolean     NOT NULL,
    client_net      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A damage deposit received and what became of it: returned (less
-- deductions, with a note the guest sees) after check-out.
CREATE TABLE damage_deposits (
    reservation_id  bigint        PRIMARY KEY REFERENCES reservations (id) ON DELETE CASCADE,
    account_id      bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    amount          numeric(12,2) NOT NULL CHECK (amount > 0),
    currency        text          NOT NULL,
    method          text          NOT NULL CHECK (method IN ('balance', 'transfer', 'cash', 'mercadopago')),
    received_by     bigint        REFERENCES users (id) ON DELETE SET NULL,
    received_at     timestamptz   NOT NULL DEFAULT now(),
    deducted        numeric(12,2) NOT NULL DEFAULT 0 CHECK (deducted >= 0),
    returned        numeric(12,2) NOT NULL DEFAULT 0 CHECK (returned >= 0),
    note            text          NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    settled_by      bigint        REFERENCES users (id) ON DELETE SET NULL,
    settled_at      timestamptz,
    CHECK (settled_at IS NULL OR deducted + returned = amount),
    CHECK (deducted = 0 OR note <> '')
);
CREATE INDEX damage_deposits_open_idx ON damage_deposits (account_id) WHERE settled_at IS NULL;

-- The guest hears of a withdrawal, a refund made and a deposit returned: the
-- trigger's WHEN list gains those actions (edited in place, see 00025).
-- +goose StatementBegin
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_triggerdef(t.oid) INTO STRICT def FROM pg_trigger t
    WHERE t.tgname = 'audit_log_whatsapp' AND t.tgrelid = 'audit_log'::regclass;
    IF position('''withdrawn''' IN def) = 0 THEN
        DROP TRIGGER audit_log_whatsapp ON audit_log;
        EXECUTE replace(def, 'ARRAY[', 'ARRAY[''withdrawn''::text, ''refund_done''::text, ''deposit_returned''::text, ');
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_triggerdef(t.oid) INTO STRICT def FROM pg_trigger t
    WHERE t.tgname = 'audit_log_whatsapp' AND t.tgrelid = 'audit_log'::regclass;
    IF position('''withdrawn''::text, ' IN def) > 0 THEN
        DROP TRIGGER audit_log_whatsapp ON audit_log;
        EXECUTE replace(def, '''withdrawn''::text, ''refund_done''::text, ''deposit_returned''::text, ', '');
    END IF;
END $$;
-- +goose StatementEnd
DROP TABLE damage_deposits;
DROP TABLE withdrawals;
DROP TABLE refunds;
DROP TABLE cancellations;
ALTER TABLE reservations
    DROP COLUMN damage_deposit_method,
    DROP COLUMN damage_deposit,
    DROP COLUMN terms_accepted_at,
    DROP COLUMN cancel_policy;
ALTER TABLE properties
    DROP COLUMN damage_deposit_method,
    DROP COLUMN damage_deposit,
    DROP COLUMN cancel_policy;
