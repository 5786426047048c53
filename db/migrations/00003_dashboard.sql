-- +goose Up
-- Bumped on password change: sessions carry the version they were issued
-- under, so every older session of that user stops working at once.
ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

ALTER TABLE properties ADD COLUMN amenities text[] NOT NULL DEFAULT '{}';
ALTER TABLE properties ADD COLUMN house_rules text NOT NULL DEFAULT '';

-- Money received for a reservation: by hand (cash, transfer) from the
-- dashboard, or from Mercado Pago (provider_id unique).
CREATE TABLE payments (
    id              bigserial PRIMARY KEY,
    account_id      bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reservation_id  bigint        NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    provider        text          NOT NULL CHECK (provider IN ('manual', 'mercadopago')),
    provider_id     text          UNIQUE,
    method          text          NOT NULL DEFAULT '',
    status          text          NOT NULL CHECK (status IN ('approved', 'pending', 'in_process', 'rejected',
                                                             'cancelled', 'refunded', 'charged_back')),
    status_detail   text          NOT NULL DEFAULT '',
    amount          numeric(12,2) NOT NULL CHECK (amount > 0),
    currency        text          NOT NULL,
    note            text          NOT NULL DEFAULT '',
    raw             jsonb         NOT NULL DEFAULT '{}',
    created_by      bigint        REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX payments_reservation_idx ON payments (reservation_id, created_at);

-- Problems an owner must look at: a channel event that collides with our
-- nights, a payment that arrived after its nights were sold, and so on.
CREATE TABLE conflicts (
    id              bigserial PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    property_id     bigint      REFERENCES properties (id) ON DELETE CASCADE,
    reservation_id  bigint      REFERENCES reservations (id) ON DELETE CASCADE,
    kind            text        NOT NULL,
    detail          text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    resolved_at     timestamptz
);
CREATE INDEX conflicts_open_idx ON conflicts (account_id, created_at DESC) WHERE resolved_at IS NULL;

CREATE INDEX occupancy_property_nights_idx ON occupancy USING gist (property_id, nights) WHERE active;
CREATE INDEX reservations_account_check_in_idx ON reservations (account_id, check_in);

-- +goose Down
DROP INDEX reservations_account_check_in_idx;
DROP INDEX occupancy_property_nights_idx;
DROP TABLE conflicts;
DROP TABLE payments;
ALTER TABLE properties DROP COLUMN house_rules;
ALTER TABLE properties DROP COLUMN amenities;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN session_version;
