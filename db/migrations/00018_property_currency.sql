-- +goose Up
-- Each property charges in its own currency (issue 12): prices, seasons and
-- fees are in it, and a hold copies it onto the reservation, which keeps it
-- even if the property's currency changes later. Existing properties take
-- their account's currency, which was the only one until now.
ALTER TABLE properties ADD COLUMN currency text;
UPDATE properties p SET currency = a.currency FROM accounts a WHERE a.id = p.account_id;
ALTER TABLE properties ALTER COLUMN currency SET NOT NULL,
    ADD CONSTRAINT properties_currency_check CHECK (currency ~ '^[A-Z]{3}$');

-- +goose Down
ALTER TABLE properties DROP COLUMN currency;
