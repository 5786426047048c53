-- +goose Up
-- A feed's sync lease names its holder: only the sync that took the lease
-- may apply its fetch or clear the lease (issue 11). pending_removal_hash now
-- fingerprints the fetched set of (UID, nights), not the body bytes.
ALTER TABLE channel_feeds ADD COLUMN sync_lease_token text NOT NULL DEFAULT '';
UPDATE channel_feeds SET pending_removal_hash = '';

-- +goose Down
ALTER TABLE channel_feeds DROP COLUMN sync_lease_token;
