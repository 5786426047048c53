-- +goose Up
-- Each property charges in its own currency (issue 12): prices, seasons and
-- fees are in it, and a hold copies it onto the reservation, which keeps it
-- even if the property's currency changes later. Existing properties take
-- their account's currency, which was the only one until now, and so does a
-- new property inserted without one (the trigger below: a column default
-- cannot read another table).
ALTER TABLE properties ADD COLUMN currency text;
UPDATE properties p SET currency = a.currency FROM accounts a WHERE a.id = p.account_id;
ALTER TABLE properties ALTER COLUMN currency SET NOT NULL,
    ADD CONSTRAINT properties_currency_check CHECK (currency ~ '^[A-Z]{3}$');

-- +goose StatementBegin
CREATE FUNCTION property_currency_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.currency IS NULL THEN
        SELECT a.currency INTO NEW.currency FROM accounts a WHERE a.id = NEW.account_id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER properties_currency_default BEFORE INSERT ON properties
    FOR EACH ROW EXECUTE FUNCTION property_currency_default();

-- +goose Down
DROP TRIGGER properties_currency_default ON properties;
DROP FUNCTION property_currency_default();
ALTER TABLE properties DROP COLUMN currency;
