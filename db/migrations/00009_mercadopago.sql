-- +goose Up
-- Notifications from providers, stored before anything else happens so a
-- crash after answering 200 loses nothing. (provider, event_key) makes a
-- duplicate delivery one row.
CREATE TABLE webhook_inbox (
    id            bigserial PRIMARY KEY,
    provider      text        NOT NULL,
    event_key     text        NOT NULL,
    topic         text        NOT NULL DEFAULT '',
    resource_id   text        NOT NULL DEFAULT '',
    headers       jsonb       NOT NULL DEFAULT '{}',
    query         text        NOT NULL DEFAULT '',
    body          text        NOT NULL DEFAULT '',
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text        NOT NULL DEFAULT '',
    UNIQUE (provider, event_key)
);
CREATE INDEX webhook_inbox_unprocessed_idx ON webhook_inbox (received_at) WHERE processed_at IS NULL;

-- The Mercado Pago Checkout Pro link of a hold's deposit, made by a job
-- right after the hold; error is what went wrong last time, shown with a
-- retry button.
CREATE TABLE payment_links (
    reservation_id  bigint      PRIMARY KEY REFERENCES reservations (id) ON DELETE CASCADE,
    preference_id   text        NOT NULL DEFAULT '',
    init_point      text        NOT NULL DEFAULT '',
    error           text        NOT NULL DEFAULT '',
    -- A pending payment (cash at a Rapipago) extends its hold once.
    hold_extended   boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What Mercado Pago refunded of a payment, and money that must go back
-- because its stay could not be confirmed.
ALTER TABLE payments ADD COLUMN refunded numeric(12,2) NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN refund_due boolean NOT NULL DEFAULT false;
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('approved', 'pending', 'in_process',
    'authorized', 'in_mediation', 'rejected', 'cancelled', 'refunded', 'charged_back'));

-- A payment problem is told to the owner once, however often the payment is seen.
CREATE UNIQUE INDEX conflicts_payment_once_idx ON conflicts (account_id, kind, detail) WHERE kind LIKE 'payment\_%';

-- +goose Down
DROP INDEX conflicts_payment_once_idx;
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('approved', 'pending', 'in_process',
    'rejected', 'cancelled', 'refunded', 'charged_back'));
ALTER TABLE payments DROP COLUMN refund_due;
ALTER TABLE payments DROP COLUMN refunded;
DROP TABLE payment_links;
DROP TABLE webhook_inbox;
