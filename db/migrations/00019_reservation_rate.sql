-- +goose Up
-- The exchange rate is locked on the hold (issue 12): a reservation in a
-- foreign currency keeps the account's rate of the moment it was held
-- (pesos per unit in ten-thousandths, like exchange_rates.rate_e4), the kind
-- of that rate (manual, oficial, mep, tarjeta, blue) and when the rate was
-- set. Every later amount in pesos for the stay uses it; a rate change never
-- touches it. NULL for peso stays, and for a foreign stay held while the
-- account had no rate ("sin cotización": the hold is never refused for it).
ALTER TABLE reservations
    ADD COLUMN exchange_rate_e4 bigint CHECK (exchange_rate_e4 > 0),
    ADD COLUMN exchange_rate_source text,
    ADD COLUMN exchange_rate_at timestamptz,
    ADD CONSTRAINT reservations_exchange_rate_whole CHECK (
        (exchange_rate_e4 IS NULL) = (exchange_rate_source IS NULL)
        AND (exchange_rate_e4 IS NULL) = (exchange_rate_at IS NULL));

-- +goose Down
ALTER TABLE reservations
    DROP CONSTRAINT reservations_exchange_rate_whole,
    DROP COLUMN exchange_rate_at,
    DROP COLUMN exchange_rate_source,
    DROP COLUMN exchange_rate_e4;
