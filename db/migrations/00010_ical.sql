-- +goose Up
-- Channel sync over iCalendar.

-- Export feeds per channel: each leaves out what was imported from that
-- channel. The full feed keeps using properties.ics_token.
CREATE TABLE property_export_tokens (
    property_id  bigint      NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    channel      text        NOT NULL CHECK (channel IN ('airbnb', 'booking', 'vrbo', 'other')),
    token        text        NOT NULL UNIQUE CHECK (length(token) >= 32)
                             DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (property_id, channel)
);

-- Calendars we import, one per property and channel URL.
CREATE TABLE channel_feeds (
    id                bigserial PRIMARY KEY,
    account_id        bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    property_id       bigint      NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    channel           text        NOT NULL CHECK (channel IN ('airbnb', 'booking', 'vrbo', 'other')),
    url               text        NOT NULL CHECK (url ~ '^https?://'),
    interval_minutes  integer     NOT NULL DEFAULT 10 CHECK (interval_minutes BETWEEN 1 AND 1440),
    etag              text        NOT NULL DEFAULT '',
    last_modified     text        NOT NULL DEFAULT '',
    last_attempt_at   timestamptz,
    last_success_at   timestamptz,
    last_status       integer,
    last_error        text        NOT NULL DEFAULT '',
    events            integer     NOT NULL DEFAULT 0,
    changes           integer     NOT NULL DEFAULT 0,
    -- A sync that would release more than half of the future events waits
    -- for a second fetch that agrees (same body hash).
    pending_removal_hash text     NOT NULL DEFAULT '',
    -- One sync at a time per feed across instances: a lease, not a held connection.
    sync_lease_until  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (property_id, url)
);
CREATE INDEX channel_feeds_property_idx ON channel_feeds (property_id);

-- Events read from a feed. occupancy_id is the blocking row while it holds
-- nights; NULL when the event collides with one of ours (a conflict) or was released.
CREATE TABLE imported_events (
    id            bigserial PRIMARY KEY,
    feed_id       bigint      NOT NULL REFERENCES channel_feeds (id) ON DELETE CASCADE,
    uid           text        NOT NULL,
    starts_on     date        NOT NULL,
    ends_on       date        NOT NULL CHECK (starts_on < ends_on),
    summary       text        NOT NULL DEFAULT '',
    occupancy_id  bigint      REFERENCES occupancy (id) ON DELETE SET NULL,
    conflict      boolean     NOT NULL DEFAULT false,
    released_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (feed_id, uid)
);
CREATE INDEX imported_events_occupancy_idx ON imported_events (occupancy_id);

-- When an occupancy row last changed: the export feed's Last-Modified.
ALTER TABLE occupancy ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX occupancy_property_changed_idx ON occupancy (property_id, changed_at);

-- +goose StatementBegin
CREATE FUNCTION occupancy_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER occupancy_touch BEFORE UPDATE ON occupancy
    FOR EACH ROW EXECUTE FUNCTION occupancy_touch();

-- Export feeds are cached in memory on every instance; this channel says a
-- property's nights (or its feed tokens) changed. Payload: the property id.
-- +goose StatementBegin
CREATE FUNCTION notify_nights_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nights_changed', COALESCE(NEW.property_id, OLD.property_id)::text);
    IF TG_OP = 'UPDATE' AND NEW.property_id <> OLD.property_id THEN
        PERFORM pg_notify('nights_changed', OLD.property_id::text);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER occupancy_nights_changed AFTER INSERT OR UPDATE OR DELETE ON occupancy
    FOR EACH ROW EXECUTE FUNCTION notify_nights_changed();
CREATE TRIGGER export_tokens_changed AFTER INSERT OR UPDATE OR DELETE ON property_export_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_nights_changed();

-- +goose Down
DROP TRIGGER export_tokens_changed ON property_export_tokens;
DROP TRIGGER occupancy_nights_changed ON occupancy;
DROP FUNCTION notify_nights_changed();
DROP TRIGGER occupancy_touch ON occupancy;
DROP FUNCTION occupancy_touch();
DROP INDEX occupancy_property_changed_idx;
ALTER TABLE occupancy DROP COLUMN changed_at;
DROP TABLE imported_events;
DROP TABLE channel_feeds;
DROP TABLE property_export_tokens;
