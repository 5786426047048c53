-- name: HomeMovements :many
-- Today's arrivals and departures of the account: stays starting or ending on
-- today (the account's local date). A departure already marked completed
-- still shows, so the list does not change under the owner during the morning.
SELECT r.code, r.guest_name, r.guest_phone, r.guests, r.check_in, r.check_out, r.status,
       p.name AS property_name
FROM reservations r
JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id
  AND ((r.check_in = @today::date AND r.status IN ('confirmed', 'checked_in'))
    OR (r.check_out = @today::date AND r.status IN ('confirmed', 'checked_in', 'completed')))
ORDER BY p.name, r.property_id, r.check_in, r.id;

-- name: HomeExpiringHolds :many
-- Holds that expire in (now, until], soonest first.
SELECT r.code, r.guest_name, r.guest_phone, r.check_in, r.check_out, r.total, r.currency,
       r.hold_expires_at::timestamptz AS hold_expires_at, p.name AS property_name
FROM reservations r
JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id AND r.status = 'pre_reserved'
  AND r.hold_expires_at > @now::timestamptz AND r.hold_expires_at <= @until::timestamptz
ORDER BY r.hold_expires_at, r.id;

-- name: HomeOpenConflicts :many
-- Unresolved conflicts, newest first, with how many there are in all.
SELECT c.id, c.kind, c.detail, c.created_at, p.name AS property_name, r.code AS reservation_code,
       count(*) OVER () AS open_count
FROM conflicts c
LEFT JOIN properties p ON p.id = c.property_id
LEFT JOIN reservations r ON r.id = c.reservation_id
WHERE c.account_id = @account_id AND c.resolved_at IS NULL
ORDER BY c.created_at DESC, c.id DESC
LIMIT 20;

-- name: HomeRecentActivity :many
-- The account's latest audit entries, with the reservation they concern and
-- the name of the user behind an actor "user:<id>".
SELECT a.id, a.action, a.actor, a.detail, a.created_at,
       r.code AS reservation_code, r.guest_name, p.name AS property_name,
       COALESCE(NULLIF(u.name, ''), u.email, '')::text AS user_name
FROM (
    SELECT * FROM audit_log al
    WHERE al.account_id = @account_id
    ORDER BY al.created_at DESC, al.id DESC
    LIMIT 15
) a
LEFT JOIN reservations r ON r.id = a.reservation_id
LEFT JOIN properties p ON p.id = r.property_id
LEFT JOIN users u ON u.account_id = a.account_id
    AND u.id = CASE WHEN a.actor ~ '^user:[0-9]{1,18}$' THEN substr(a.actor, 6)::bigint END
ORDER BY a.created_at DESC, a.id DESC;
