-- +goose Up
-- Every instance caches properties (rules, seasons, timezone) for quotes and
-- holds, and drops an entry when this channel says it changed. The payload is
-- a property id, or '*' when a whole account changed.
-- +goose StatementBegin
CREATE FUNCTION notify_property_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'properties' THEN
        PERFORM pg_notify('property_changed', COALESCE(NEW.id, OLD.id)::text);
    ELSIF TG_TABLE_NAME = 'seasons' THEN
        PERFORM pg_notify('property_changed', COALESCE(NEW.property_id, OLD.property_id)::text);
        IF TG_OP = 'UPDATE' AND NEW.property_id <> OLD.property_id THEN
            PERFORM pg_notify('property_changed', OLD.property_id::text);
        END IF;
    ELSE
        PERFORM pg_notify('property_changed', '*');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER properties_changed AFTER UPDATE OR DELETE ON properties
    FOR EACH ROW EXECUTE FUNCTION notify_property_changed();
CREATE TRIGGER seasons_changed AFTER INSERT OR UPDATE OR DELETE ON seasons
    FOR EACH ROW EXECUTE FUNCTION notify_property_changed();
CREATE TRIGGER accounts_changed AFTER UPDATE OF timezone, currency ON accounts
    FOR EACH ROW EXECUTE FUNCTION notify_property_changed();

-- +goose Down
DROP TRIGGER accounts_changed ON accounts;
DROP TRIGGER seasons_changed ON seasons;
DROP TRIGGER properties_changed ON properties;
DROP FUNCTION notify_property_changed();
