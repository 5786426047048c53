-- +goose Up
-- The property cache (migration 00002) keeps today's exchange rate with each
-- foreign-currency property, so an API quote converts to pesos without a
-- query of its own (issue 12: a foreign currency costs nothing). A new rate
-- drops the account's properties in that currency on every instance.
-- +goose StatementBegin
CREATE FUNCTION notify_rate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('property_changed', p.id::text)
    FROM properties p
    WHERE p.account_id = NEW.account_id AND p.currency = NEW.currency;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER exchange_rates_changed AFTER INSERT ON exchange_rates
    FOR EACH ROW EXECUTE FUNCTION notify_rate_changed();

-- +goose Down
DROP TRIGGER exchange_rates_changed ON exchange_rates;
DROP FUNCTION notify_rate_changed();
