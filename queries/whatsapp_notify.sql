-- name: CountTemplatesForReservation :one
-- Templates that went (or may have gone) to a reservation's guest (not the owner's alerts about it).
SELECT count(*)::int FROM wa_messages m
JOIN wa_conversations c ON c.id = m.conversation_id
JOIN reservations r ON r.id = m.reservation_id
WHERE m.reservation_id = @reservation_id AND c.wa_id = ltrim(r.guest_phone, '+') AND m.direction = 'out'
  AND m.kind = 'template' AND m.status IN ('sending', 'sent', 'delivered', 'read', 'unknown');

-- name: CountEarlierUnpaidHolds :one
-- Holds the same phone made in the account in the day before this one and
-- did not pay (a phone that keeps re-creating holds).
SELECT count(*)::int FROM reservations o, reservations r
WHERE r.id = @id AND o.account_id = r.account_id AND o.guest_phone = r.guest_phone AND o.id <> r.id
  AND o.created_at <= r.created_at AND o.created_at > r.created_at - interval '1 day'
  AND o.status IN ('pre_reserved', 'expired', 'cancelled');

-- name: HoldAlertRank :one
-- Where a hold falls among its account's holds of the same ten-minute window
-- (1 = the first). Past the burst size the owner hears of it in a digest.
SELECT count(*)::int FROM reservations o, reservations r
WHERE r.id = @id AND o.account_id = r.account_id
  AND o.created_at >= date_bin('10 minutes', r.created_at, TIMESTAMPTZ 'epoch')
  AND (o.created_at, o.id) <= (r.created_at, r.id);

-- name: HoldBurstDigests :many
-- Ten-minute windows closed in the last hour in which an account that gets
-- WhatsApp alerts took more than @burst holds, with their codes in order.
SELECT r.account_id, a.timezone, date_bin('10 minutes', r.created_at, TIMESTAMPTZ 'epoch')::timestamptz AS window_start,
       array_agg(r.code ORDER BY r.created_at, r.id)::text[] AS codes
FROM whatsapp_settings s
JOIN accounts a ON a.id = s.account_id
JOIN reservations r ON r.account_id = s.account_id
WHERE s.enabled AND s.owner_phone <> ''
  AND r.created_at >= date_bin('10 minutes', @now::timestamptz, TIMESTAMPTZ 'epoch') - interval '1 hour'
  AND r.created_at < date_bin('10 minutes', @now::timestamptz, TIMESTAMPTZ 'epoch')
GROUP BY r.account_id, a.timezone, 3
HAVING count(*) > @burst::int
ORDER BY 1, 3;
