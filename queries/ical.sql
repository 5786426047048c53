-- name: GetExportFeed :one
-- The feed a token opens: the property's full feed, or one that leaves out a channel's imports.
SELECT p.id AS property_id, p.name, ''::text AS channel
FROM properties p WHERE p.ics_token = @token
UNION ALL
SELECT p.id, p.name, t.channel
FROM property_export_tokens t JOIN properties p ON p.id = t.property_id
WHERE t.token = @token
LIMIT 1;

-- name: ListExportNights :many
-- Every active interval of the property, with the channel it was imported from.
SELECT o.id, o.kind, lower(o.nights)::date AS starts_on, upper(o.nights)::date AS ends_on, o.created_at,
       COALESCE(f.channel, '')::text AS channel
FROM occupancy o
LEFT JOIN imported_events ie ON ie.occupancy_id = o.id
LEFT JOIN channel_feeds f ON f.id = ie.feed_id
WHERE o.property_id = @property_id AND o.active
ORDER BY lower(o.nights), o.id;

-- name: LastNightsChange :one
SELECT COALESCE(max(changed_at), '2000-01-01T00:00:00Z'::timestamptz)::timestamptz AS changed_at
FROM occupancy WHERE property_id = @property_id;

-- name: EnsureExportTokens :exec
INSERT INTO property_export_tokens (property_id, channel)
SELECT @property_id, c FROM unnest(ARRAY['airbnb', 'booking', 'vrbo', 'other']) AS c
ON CONFLICT DO NOTHING;

-- name: ListExportTokens :many
SELECT channel, token FROM property_export_tokens WHERE property_id = @property_id ORDER BY channel;

-- name: RotatePropertyTokens :execrows
-- New secrets for every export URL of the property: the old ones stop working at once.
WITH p AS (
    UPDATE properties SET ics_token = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
    WHERE id = @property_id AND account_id = @account_id
    RETURNING id
)
UPDATE property_export_tokens t
SET token = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), created_at = now()
FROM p WHERE t.property_id = p.id;

-- name: CreateFeed :one
INSERT INTO channel_feeds (account_id, property_id, channel, url, interval_minutes)
SELECT p.account_id, p.id, @channel, @url, @interval_minutes
FROM properties p WHERE p.id = @property_id AND p.account_id = @account_id
RETURNING *;

-- name: DeleteFeed :execrows
DELETE FROM channel_feeds WHERE id = @id AND account_id = @account_id;

-- name: ListFeedsOfProperty :many
SELECT * FROM channel_feeds WHERE property_id = @property_id ORDER BY channel, id;

-- name: ListFeedsOfAccount :many
SELECT f.*, p.name AS property_name, p.slug AS property_slug
FROM channel_feeds f JOIN properties p ON p.id = f.property_id
WHERE f.account_id = @account_id ORDER BY p.name, f.channel, f.id;

-- name: ListAllFeeds :many
SELECT f.*, p.slug AS property_slug FROM channel_feeds f JOIN properties p ON p.id = f.property_id
ORDER BY f.property_id, f.id;

-- name: ListDueFeeds :many
-- Feeds whose interval has passed since their last attempt.
SELECT id FROM channel_feeds
WHERE last_attempt_at IS NULL OR last_attempt_at + make_interval(mins => interval_minutes) <= @now::timestamptz
ORDER BY last_attempt_at NULLS FIRST, id;

-- name: ListStaleFeedsOfProperty :many
-- The property's feeds without a success since @since.
SELECT id, channel FROM channel_feeds
WHERE property_id = @property_id AND (last_success_at IS NULL OR last_success_at < @since::timestamptz)
ORDER BY id;

-- name: GetFeedForSync :one
SELECT f.*, a.timezone FROM channel_feeds f JOIN accounts a ON a.id = f.account_id WHERE f.id = @id;

-- name: LeaseFeed :one
-- One sync at a time per feed across instances: whoever takes the lease syncs,
-- and the token it gets back is what lets it apply its fetch and clear the lease.
UPDATE channel_feeds SET sync_lease_until = @until::timestamptz, last_attempt_at = @now::timestamptz,
    sync_lease_token = gen_random_uuid()::text
WHERE id = @id AND (sync_lease_until IS NULL OR sync_lease_until < @now::timestamptz)
RETURNING sync_lease_token;

-- name: LockLeasedFeed :one
-- Taken first by the transaction that applies a fetch: waits for a removal
-- of the feed (which locks it too) and finds nothing when the feed is gone
-- or another sync took the lease over.
SELECT id FROM channel_feeds WHERE id = @id AND sync_lease_token = @lease_token::text FOR UPDATE;

-- name: LockFeedForDelete :one
SELECT f.*, a.timezone FROM channel_feeds f JOIN accounts a ON a.id = f.account_id
WHERE f.id = @id AND f.account_id = @account_id FOR UPDATE OF f;

-- name: FinishFeedSync :execrows
-- Only the lease's holder records its outcome and clears the lease.
UPDATE channel_feeds SET sync_lease_until = NULL, sync_lease_token = '', last_status = @last_status, last_error = @last_error,
    last_success_at = CASE WHEN @success::boolean THEN @now::timestamptz ELSE last_success_at END,
    etag = CASE WHEN @success::boolean THEN @etag ELSE etag END,
    last_modified = CASE WHEN @success::boolean THEN @last_modified ELSE last_modified END,
    events = CASE WHEN @success::boolean THEN @events ELSE events END,
    changes = CASE WHEN @success::boolean THEN @changes ELSE changes END,
    pending_removal_hash = @pending_removal_hash
WHERE id = @id AND sync_lease_token = @lease_token::text;

-- name: ListImportedEvents :many
-- The feed's events still in force.
SELECT * FROM imported_events WHERE feed_id = @feed_id AND released_at IS NULL ORDER BY id;

-- name: InsertImportedNights :one
INSERT INTO occupancy (property_id, nights, kind, note, created_at)
VALUES (@property_id, daterange(@starts_on::date, @ends_on::date), 'imported', @note, @now)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: MoveImportedNights :execrows
UPDATE occupancy SET nights = daterange(@starts_on::date, @ends_on::date), note = @note
WHERE id = @id AND kind = 'imported' AND active;

-- name: UpsertImportedEvent :exec
INSERT INTO imported_events (feed_id, uid, starts_on, ends_on, summary, occupancy_id, conflict, created_at, updated_at)
VALUES (@feed_id, @uid, @starts_on, @ends_on, @summary, @occupancy_id, @conflict, @now, @now)
ON CONFLICT (feed_id, uid) DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
    summary = EXCLUDED.summary, occupancy_id = EXCLUDED.occupancy_id, conflict = EXCLUDED.conflict,
    released_at = NULL, updated_at = EXCLUDED.updated_at;

-- name: ReleaseImportedEvent :exec
UPDATE imported_events SET released_at = @now::timestamptz, occupancy_id = NULL, updated_at = @now::timestamptz WHERE id = @id;

-- name: CollidingStay :one
-- What holds the nights an imported event wanted: a reservation's code, or the kind of row.
SELECT o.id, o.kind, COALESCE(r.id, 0)::bigint AS reservation_id, COALESCE(r.code, '')::text AS code,
       lower(o.nights)::date AS starts_on, upper(o.nights)::date AS ends_on
FROM occupancy o LEFT JOIN reservations r ON r.occupancy_id = o.id
WHERE o.property_id = @property_id AND o.active AND o.nights && daterange(@starts_on::date, @ends_on::date)
ORDER BY lower(o.nights), o.id
LIMIT 1;

-- name: InsertConflict :exec
INSERT INTO conflicts (account_id, property_id, reservation_id, kind, detail, created_at)
VALUES (@account_id, @property_id, sqlc.narg(reservation_id), @kind, @detail, @now);

-- name: ListOrphanImportedNights :many
-- Active imported nights from @today on that no imported event points to
-- (left by a removal racing a sync before issue 11): nothing else frees them.
SELECT o.id, lower(o.nights)::date AS starts_on, upper(o.nights)::date AS ends_on, o.note
FROM occupancy o JOIN properties p ON p.id = o.property_id AND p.account_id = @account_id
WHERE o.property_id = @property_id AND o.kind = 'imported' AND o.active AND upper(o.nights) > @today::date
  AND NOT EXISTS (SELECT 1 FROM imported_events ie WHERE ie.occupancy_id = o.id)
ORDER BY lower(o.nights), o.id;

-- name: FeedHealthOverview :many
-- Per property, its oldest last success among feeds, the largest interval and
-- how many feeds' last attempt failed (or left a removal waiting), for /healthz and metrics.
SELECT f.property_id, p.slug, min(COALESCE(f.last_success_at, f.created_at))::timestamptz AS oldest_success,
       max(f.interval_minutes)::int AS interval_minutes,
       (count(*) FILTER (WHERE f.last_error <> ''))::int AS failing_feeds
FROM channel_feeds f JOIN properties p ON p.id = f.property_id
GROUP BY f.property_id, p.slug ORDER BY f.property_id;

-- name: GetPropertyBySlug :one
SELECT id, account_id, slug, name FROM properties WHERE slug = @slug;

-- name: ReservationPropertyID :one
SELECT property_id FROM reservations WHERE id = @id;
