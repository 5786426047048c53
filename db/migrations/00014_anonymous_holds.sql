-- +goose Up
-- Anonymous holds (public API, booking page, WhatsApp) are bounded: a stay of
-- at most max_anonymous_nights (longer stays go through the owner), and a few
-- live holds per phone and per client network. client_net is the network the
-- hold came from (IPv4 address or IPv6 /64), set for the web channels only.
ALTER TABLE properties
    ADD COLUMN max_anonymous_nights integer NOT NULL DEFAULT 30 CHECK (max_anonymous_nights BETWEEN 1 AND 365);
ALTER TABLE reservations ADD COLUMN client_net text;
CREATE INDEX reservations_live_net_idx ON reservations (account_id, client_net)
    WHERE status = 'pre_reserved' AND client_net IS NOT NULL;
CREATE INDEX reservations_live_phone_idx ON reservations (account_id, guest_phone) WHERE status = 'pre_reserved';

-- The client network only counts while the hold is live; afterwards it is
-- personal data we have no use for, so it goes with the hold whatever ends it.
-- +goose StatementBegin
CREATE FUNCTION reservations_forget_client_net() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.client_net := NULL;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER reservations_forget_client_net BEFORE UPDATE OF status ON reservations
    FOR EACH ROW WHEN (NEW.status <> 'pre_reserved' AND NEW.client_net IS NOT NULL)
    EXECUTE FUNCTION reservations_forget_client_net();

-- +goose Down
DROP TRIGGER reservations_forget_client_net ON reservations;
DROP FUNCTION reservations_forget_client_net();
DROP INDEX reservations_live_phone_idx;
DROP INDEX reservations_live_net_idx;
ALTER TABLE reservations DROP COLUMN client_net;
ALTER TABLE properties DROP COLUMN max_anonymous_nights;
