-- +goose Up
-- How a property takes money (issue 12). The owner chooses the methods a
-- guest may pick: Mercado Pago (charged in pesos; a foreign-currency seña at
-- the rate locked on the hold), a bank transfer to the account below (the
-- guest uploads the receipt, the owner confirms it), and cash on arrival for
-- the balance. The balance is due balance_due_days before arrival (0: at
-- check-in); a receipt waiting for review extends its hold once by
-- receipt_hold_hours.
ALTER TABLE properties
    ADD COLUMN pay_mercadopago     boolean NOT NULL DEFAULT true,
    ADD COLUMN pay_transfer        boolean NOT NULL DEFAULT false,
    ADD COLUMN pay_cash            boolean NOT NULL DEFAULT true,
    -- Passed on to the guest who pays through Mercado Pago, in basis points (600 = 6 %).
    ADD COLUMN mp_surcharge_bp     integer NOT NULL DEFAULT 0 CHECK (mp_surcharge_bp BETWEEN 0 AND 3000),
    -- Most installments (cuotas) the Checkout Pro preference offers; 0 leaves Mercado Pago's default.
    ADD COLUMN mp_max_installments integer NOT NULL DEFAULT 0 CHECK (mp_max_installments BETWEEN 0 AND 24),
    ADD COLUMN transfer_cbu        text    NOT NULL DEFAULT '' CHECK (transfer_cbu ~ '^([0-9]{22})?$'),
    ADD COLUMN transfer_alias      text    NOT NULL DEFAULT '' CHECK (transfer_alias ~ '^([A-Za-z0-9.-]{6,20})?$'),
    ADD COLUMN transfer_holder     text    NOT NULL DEFAULT '' CHECK (length(transfer_holder) <= 200),
    ADD COLUMN transfer_cuit       text    NOT NULL DEFAULT '' CHECK (transfer_cuit ~ '^([0-9]{11})?$'),
    ADD COLUMN transfer_bank       text    NOT NULL DEFAULT '' CHECK (length(transfer_bank) <= 100),
    -- For a foreign-currency property: the transfer is asked in pesos at the
    -- locked rate (true, the usual case) or in the property's currency.
    ADD COLUMN transfer_in_pesos   boolean NOT NULL DEFAULT true,
    ADD COLUMN balance_due_days    integer NOT NULL DEFAULT 0 CHECK (balance_due_days BETWEEN 0 AND 365),
    ADD COLUMN receipt_hold_hours  integer NOT NULL DEFAULT 12 CHECK (receipt_hold_hours BETWEEN 0 AND 168),
    ADD CONSTRAINT properties_transfer_account CHECK (
        NOT pay_transfer OR ((transfer_cbu <> '' OR transfer_alias <> '') AND transfer_holder <> ''));

-- What the guest chose and the terms of payment frozen on the hold: a later
-- change of the property's surcharge, installments or balance date never
-- changes an existing reservation (like the exchange rate, migration 00019).
ALTER TABLE reservations
    ADD COLUMN payment_method        text    NOT NULL DEFAULT ''
        CHECK (payment_method IN ('', 'mercadopago', 'transfer')),
    ADD COLUMN mp_surcharge_bp       integer NOT NULL DEFAULT 0 CHECK (mp_surcharge_bp BETWEEN 0 AND 3000),
    ADD COLUMN mp_max_installments   integer NOT NULL DEFAULT 0 CHECK (mp_max_installments BETWEEN 0 AND 24),
    ADD COLUMN balance_due_days      integer NOT NULL DEFAULT 0 CHECK (balance_due_days BETWEEN 0 AND 365),
    -- A receipt under review extends the hold once.
    ADD COLUMN receipt_hold_extended boolean NOT NULL DEFAULT false;

-- Mercado Pago's fees of a payment (the sum of its fee_details), in the
-- payment's currency, so revenue is shown gross and net.
ALTER TABLE payments ADD COLUMN fee numeric(12,2) NOT NULL DEFAULT 0 CHECK (fee >= 0);

-- A bank-transfer receipt a guest sent (guest page upload or WhatsApp
-- media). It proves nothing by itself: only the owner's confirmation, which
-- records a payment (payment_id), moves money. data holds the cleaned file
-- (content-sniffed, metadata stripped), never what was uploaded as such.
CREATE TABLE receipts (
    id              bigserial PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reservation_id  bigint      NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    status          text        NOT NULL DEFAULT 'en_revision' CHECK (status IN ('en_revision', 'confirmed', 'rejected')),
    source          text        NOT NULL CHECK (source IN ('guest_page', 'whatsapp')),
    content_type    text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
    size            integer     NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256          text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    data            bytea       NOT NULL,
    -- WhatsApp's media id: a redelivered message stores its receipt once.
    source_ref      text        UNIQUE,
    payment_id      bigint      REFERENCES payments (id) ON DELETE SET NULL,
    reject_reason   text        NOT NULL DEFAULT '' CHECK (length(reject_reason) <= 500),
    reviewed_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- The same file sent twice is one receipt.
    UNIQUE (reservation_id, sha256),
    CHECK ((status = 'en_revision') = (reviewed_at IS NULL)),
    CHECK (status <> 'rejected' OR reject_reason <> '')
);
CREATE INDEX receipts_review_idx ON receipts (account_id, created_at) WHERE status = 'en_revision';

-- +goose Down
DROP TABLE receipts;
ALTER TABLE payments DROP COLUMN fee;
ALTER TABLE reservations
    DROP COLUMN receipt_hold_extended,
    DROP COLUMN balance_due_days,
    DROP COLUMN mp_max_installments,
    DROP COLUMN mp_surcharge_bp,
    DROP COLUMN payment_method;
ALTER TABLE properties
    DROP CONSTRAINT properties_transfer_account,
    DROP COLUMN receipt_hold_hours,
    DROP COLUMN balance_due_days,
    DROP COLUMN transfer_in_pesos,
    DROP COLUMN transfer_bank,
    DROP COLUMN transfer_cuit,
    DROP COLUMN transfer_holder,
    DROP COLUMN transfer_alias,
    DROP COLUMN transfer_cbu,
    DROP COLUMN mp_max_installments,
    DROP COLUMN mp_surcharge_bp,
    DROP COLUMN pay_cash,
    DROP COLUMN pay_transfer,
    DROP COLUMN pay_mercadopago;
