-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE accounts (
    id          bigserial PRIMARY KEY,
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    timezone    text        NOT NULL DEFAULT 'America/Argentina/Buenos_Aires',
    currency    text        NOT NULL DEFAULT 'ARS' CHECK (currency ~ '^[A-Z]{3}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    account_id    bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email         text        NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
    name          text        NOT NULL DEFAULT '',
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('owner', 'staff')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- One login per email across the whole installation: the login form has no account field.
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE properties (
    id               bigserial PRIMARY KEY,
    account_id       bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Public URLs are /p/{slug}, so slugs are unique across accounts.
    slug             text          NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name             text          NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             text          NOT NULL DEFAULT 'cabin' CHECK (kind IN ('cabin', 'apartment', 'room', 'house')),
    capacity         integer       NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    included_guests  integer       NOT NULL CHECK (included_guests >= 1),
    extra_guest_fee  numeric(12,2) NOT NULL DEFAULT 0 CHECK (extra_guest_fee >= 0),
    description      text          NOT NULL DEFAULT '',
    location         text          NOT NULL DEFAULT '',
    photos           text[]        NOT NULL DEFAULT '{}',
    check_in_time    text          NOT NULL DEFAULT '14:00' CHECK (check_in_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    check_out_time   text          NOT NULL DEFAULT '10:00' CHECK (check_out_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    base_price       numeric(12,2) NOT NULL CHECK (base_price >= 0),
    weekend_price    numeric(12,2)          CHECK (weekend_price >= 0),
    -- Go's time.Weekday numbering of the night's date: 5 = Friday night, 6 = Saturday night.
    weekend_nights   smallint[]    NOT NULL DEFAULT '{5,6}',
    cleaning_fee     numeric(12,2) NOT NULL DEFAULT 0 CHECK (cleaning_fee >= 0),
    deposit_percent  integer       NOT NULL DEFAULT 30 CHECK (deposit_percent BETWEEN 0 AND 100),
    min_nights       integer       NOT NULL DEFAULT 1 CHECK (min_nights BETWEEN 1 AND 365),
    hold_minutes     integer       NOT NULL DEFAULT 30 CHECK (hold_minutes BETWEEN 1 AND 10080),
    active           boolean       NOT NULL DEFAULT true,
    -- Secret of the property's export feed URL (/ical/{token}.ics); rotating it retires the old URL.
    ics_token        text          NOT NULL UNIQUE CHECK (length(ics_token) >= 32)
                                   DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CHECK (included_guests <= capacity)
);
CREATE INDEX properties_account_idx ON properties (account_id);

CREATE TABLE seasons (
    id             bigserial PRIMARY KEY,
    property_id    bigint        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    name           text          NOT NULL DEFAULT '',
    -- Nights covered, both ends inclusive: an owner says "del 15/12 al 28/2".
    starts_on      date          NOT NULL,
    ends_on        date          NOT NULL,
    nightly_price  numeric(12,2) NOT NULL CHECK (nightly_price >= 0),
    min_nights     integer                CHECK (min_nights BETWEEN 1 AND 365),
    repeats_yearly boolean       NOT NULL DEFAULT false,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    CHECK (starts_on <= ends_on),
    -- A repeating season may wrap the new year but must not cover more than a year.
    CHECK (NOT repeats_yearly OR ends_on < starts_on + interval '1 year')
);
CREATE INDEX seasons_property_idx ON seasons (property_id);

-- Every interval that makes a night unavailable lives here, and the EXCLUDE
-- constraint is the only thing that decides whether a night can be taken.
CREATE TABLE occupancy (
    id           bigserial PRIMARY KEY,
    property_id  bigint      NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    nights       daterange   NOT NULL CHECK (NOT isempty(nights) AND lower_inc(nights) AND NOT upper_inc(nights)
                                             AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
    kind         text        NOT NULL CHECK (kind IN ('reservation', 'block', 'imported', 'buffer')),
    note         text        NOT NULL DEFAULT '',
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz,
    CHECK (active = (released_at IS NULL)),
    CONSTRAINT occupancy_no_overlap EXCLUDE USING gist (property_id WITH =, nights WITH &&) WHERE (active)
);

CREATE TABLE reservations (
    id               bigserial PRIMARY KEY,
    code             text          NOT NULL UNIQUE CHECK (code ~ '^RES[0-9]{6}[0-9A-F]{6}$'),
    account_id       bigint        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    property_id      bigint        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    occupancy_id     bigint        NOT NULL UNIQUE REFERENCES occupancy (id),
    check_in         date          NOT NULL,
    check_out        date          NOT NULL,
    guests           integer       NOT NULL CHECK (guests >= 1),
    guest_name       text          NOT NULL,
    guest_phone      text          NOT NULL CHECK (guest_phone ~ '^\+[1-9][0-9]{7,14}$'),
    guest_email      text          NOT NULL DEFAULT '',
    note             text          NOT NULL DEFAULT '',
    channel          text          NOT NULL,
    status           text          NOT NULL CHECK (status IN ('pre_reserved', 'confirmed', 'checked_in', 'completed',
                                                              'expired', 'cancelled', 'no_show')),
    hold_expires_at  timestamptz,
    price_breakdown  jsonb         NOT NULL,
    total            numeric(12,2) NOT NULL CHECK (total >= 0),
    deposit          numeric(12,2) NOT NULL CHECK (deposit >= 0),
    paid             numeric(12,2) NOT NULL DEFAULT 0,
    currency         text          NOT NULL,
    guest_token      text          NOT NULL,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CHECK (check_in < check_out),
    CHECK (status <> 'pre_reserved' OR hold_expires_at IS NOT NULL)
);
CREATE INDEX reservations_property_idx ON reservations (property_id, check_in);
CREATE INDEX reservations_account_idx ON reservations (account_id, created_at DESC);
CREATE INDEX reservations_hold_expiry_idx ON reservations (hold_expires_at) WHERE status = 'pre_reserved';

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reservation_id  bigint      REFERENCES reservations (id) ON DELETE CASCADE,
    actor           text        NOT NULL,
    action          text        NOT NULL,
    detail          jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_reservation_idx ON audit_log (reservation_id, created_at);
CREATE INDEX audit_log_account_idx ON audit_log (account_id, created_at DESC);

-- Answers kept so a retried request with the same Idempotency-Key gets the
-- first answer byte for byte.
CREATE TABLE idempotency_keys (
    scope         text        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    status_code   integer,
    response      bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE reservations;
DROP TABLE occupancy;
DROP TABLE seasons;
DROP TABLE properties;
DROP TABLE users;
DROP TABLE accounts;
