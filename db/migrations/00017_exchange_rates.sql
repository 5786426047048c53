-- +goose Up
-- Exchange rates to pesos, per account (issue 12). A rate is stored as an
-- integer in ten-thousandths of a peso per unit of the currency (rate_e4:
-- 1185.50 ARS per USD is 11855000), like money it never is a float, and
-- four decimals fit every quote the Argentine sources publish. Markups are
-- basis points (markup_bp: 2.5 % is 250). The table is append-only: today's
-- rate is the latest row, earlier rows are the history that reservations
-- and owners can point to.
CREATE TABLE exchange_rates (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    currency    text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'ARS'),
    rate_e4     bigint      NOT NULL CHECK (rate_e4 > 0),
    -- The quote as fetched, before the markup (equal to rate_e4 for a manual rate).
    quote_e4    bigint      NOT NULL CHECK (quote_e4 > 0),
    kind        text        NOT NULL CHECK (kind IN ('manual', 'oficial', 'mep', 'tarjeta', 'blue')),
    -- 'manual', or the URL the quote was fetched from.
    source      text        NOT NULL CHECK (length(source) BETWEEN 1 AND 2000),
    markup_bp   integer     NOT NULL DEFAULT 0 CHECK (markup_bp BETWEEN 0 AND 10000),
    created_at  timestamptz NOT NULL,
    created_by  bigint      REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX exchange_rates_latest ON exchange_rates (account_id, currency, created_at DESC, id DESC);

-- +goose StatementBegin
CREATE FUNCTION exchange_rates_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'exchange_rates is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER exchange_rates_append_only BEFORE UPDATE ON exchange_rates
    FOR EACH ROW EXECUTE FUNCTION exchange_rates_append_only();

-- How each account gets its rate for a currency: typed by the owner
-- (manual) or fetched by the rates.fetch job (auto) of the chosen kind, with
-- a markup. The last fetch's outcome is kept here so a failure shows on the
-- dashboard and in /healthz while the last good rate stays in use.
CREATE TABLE exchange_rate_settings (
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'ARS'),
    mode            text        NOT NULL DEFAULT 'manual' CHECK (mode IN ('manual', 'auto')),
    kind            text        NOT NULL DEFAULT 'oficial' CHECK (kind IN ('oficial', 'mep', 'tarjeta', 'blue')),
    markup_bp       integer     NOT NULL DEFAULT 0 CHECK (markup_bp BETWEEN 0 AND 10000),
    last_fetch_at   timestamptz,
    last_ok_at      timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, currency)
);
CREATE INDEX exchange_rate_settings_auto ON exchange_rate_settings (kind) WHERE mode = 'auto';

-- +goose Down
DROP TABLE exchange_rate_settings;
DROP TABLE exchange_rates;
DROP FUNCTION exchange_rates_append_only();
