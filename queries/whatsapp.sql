-- name: GetWhatsAppSettings :one
SELECT * FROM whatsapp_settings WHERE account_id = @account_id;

-- name: WhatsAppAccountForNumber :one
-- The account the phone_number_id of a webhook belongs to. When no account names
-- the number and exactly one account uses WhatsApp without naming one, that
-- account: a single-business install need not copy the id into its settings.
SELECT s.account_id FROM whatsapp_settings s
WHERE s.enabled AND (s.phone_number_id = sqlc.arg(number_id)::text
    OR (length(s.phone_number_id) = 0 AND (SELECT count(*) FROM whatsapp_settings o WHERE o.enabled) = 1))
ORDER BY length(s.phone_number_id) = 0 LIMIT 1;

-- name: UpsertWhatsAppSettings :one
INSERT INTO whatsapp_settings (account_id, enabled, phone_number_id, owner_phone, assistant_enabled,
                               template_language, templates, access_token, updated_at)
VALUES (@account_id, @enabled, @phone_number_id, @owner_phone, @assistant_enabled, @template_language, @templates,
        @access_token, @now)
ON CONFLICT (account_id) DO UPDATE SET
    enabled = EXCLUDED.enabled, phone_number_id = EXCLUDED.phone_number_id, owner_phone = EXCLUDED.owner_phone,
    assistant_enabled = EXCLUDED.assistant_enabled, template_language = EXCLUDED.template_language,
    templates = EXCLUDED.templates, access_token = EXCLUDED.access_token, updated_at = EXCLUDED.updated_at
RETURNING *;

-- name: AssignWhatsAppNumber :one
-- The installation's admin gives an account a number (served by the
-- installation's token): a new row when the account had none, and the
-- account's own token dropped when the number changes, since it was proven
-- for the old one.
INSERT INTO whatsapp_settings (account_id, phone_number_id, updated_at)
VALUES (@account_id, @phone_number_id, @now)
ON CONFLICT (account_id) DO UPDATE SET
    phone_number_id = EXCLUDED.phone_number_id,
    access_token = CASE WHEN whatsapp_settings.phone_number_id = EXCLUDED.phone_number_id
                        THEN whatsapp_settings.access_token ELSE '' END,
    updated_at = EXCLUDED.updated_at
RETURNING *;

-- name: WhatsAppNumberHolder :one
SELECT s.account_id, a.slug FROM whatsapp_settings s JOIN accounts a ON a.id = s.account_id
WHERE s.phone_number_id = @phone_number_id AND s.phone_number_id <> '';

-- name: ListWhatsAppNumbers :many
SELECT a.id AS account_id, a.slug, a.name, s.phone_number_id, s.enabled, (s.access_token <> '')::boolean AS own_token
FROM whatsapp_settings s JOIN accounts a ON a.id = s.account_id
ORDER BY a.slug;

-- name: InsertWhatsAppInbox :one
-- A whole webhook delivery in one statement: one inbox row and one job per
-- event, duplicates (same message id, same status of the same message)
-- stored once. Returns how many were new.
WITH ins AS (
    INSERT INTO webhook_inbox (provider, event_key, topic, resource_id, body, received_at)
    SELECT 'whatsapp', u.event_key, u.topic, u.resource_id, u.body, @now
    FROM jsonb_to_recordset(@events::jsonb) AS u(event_key text, topic text, resource_id text, body text)
    ON CONFLICT (provider, event_key) DO NOTHING
    RETURNING id
), job AS (
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'available', now(), jsonb_build_object('inbox_id', ins.id), @job_kind::text, 20, 1, 'whatsapp'
    FROM ins
)
SELECT count(*) FROM ins;

-- name: LockConversation :exec
-- Messages of one chat are handled one at a time, across instances.
SELECT pg_advisory_xact_lock(7011, hashtext(@wa_id::text));

-- name: UpsertInboundConversation :one
INSERT INTO wa_conversations AS c (account_id, wa_id, profile_name, last_inbound_at, last_message_at, last_preview,
                                   unread, created_at)
VALUES (@account_id, @wa_id, @profile_name, @at, @at, @preview, 1, @at)
ON CONFLICT (account_id, wa_id) DO UPDATE SET
    profile_name = CASE WHEN EXCLUDED.profile_name <> '' THEN EXCLUDED.profile_name ELSE c.profile_name END,
    last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
    last_message_at = GREATEST(c.last_message_at, EXCLUDED.last_message_at),
    last_preview = CASE WHEN EXCLUDED.last_message_at >= c.last_message_at THEN EXCLUDED.last_preview ELSE c.last_preview END,
    unread = c.unread + 1
RETURNING *;

-- name: EnsureConversation :one
-- A chat to write to someone who has not written yet (a web guest, the owner).
INSERT INTO wa_conversations AS c (account_id, wa_id, last_message_at, created_at)
VALUES (@account_id, @wa_id, @now, @now)
ON CONFLICT (account_id, wa_id) DO UPDATE SET wa_id = c.wa_id
RETURNING *;

-- name: GetConversation :one
SELECT * FROM wa_conversations WHERE id = @id AND account_id = @account_id;

-- name: SetConversationMode :one
UPDATE wa_conversations SET mode = @mode,
    handoff_at = CASE WHEN @mode::text = 'owner' THEN @now::timestamptz END
WHERE id = @id AND account_id = @account_id
RETURNING *;

-- name: MarkConversationRead :exec
UPDATE wa_conversations SET unread = 0 WHERE id = @id AND account_id = @account_id AND unread <> 0;

-- name: TouchConversation :exec
UPDATE wa_conversations SET last_message_at = GREATEST(last_message_at, @now), last_preview = @preview
WHERE id = @id;

-- name: ListConversations :many
SELECT c.*, EXISTS (SELECT 1 FROM reservations r WHERE r.account_id = c.account_id
                    AND r.guest_phone = '+' || c.wa_id AND r.status IN ('pre_reserved', 'confirmed', 'checked_in'))::boolean AS has_stay
FROM wa_conversations c
WHERE c.account_id = @account_id
ORDER BY c.last_message_at DESC, c.id DESC
LIMIT @max_rows;

-- name: CountUnreadConversations :one
SELECT count(*) FROM wa_conversations WHERE account_id = @account_id AND unread > 0;

-- name: InsertInboundMessage :one
INSERT INTO wa_messages (account_id, conversation_id, direction, wamid, author, kind, body, payload, status, created_at)
VALUES (@account_id, @conversation_id, 'in', @wamid, 'guest', @kind, @body, @payload, 'received', @at)
ON CONFLICT (wamid) WHERE wamid IS NOT NULL DO NOTHING
RETURNING id;

-- name: InsertOutboundWithJob :one
-- The message and the job that sends it, together or not at all; a second
-- message for the same event and recipient is not stored (no row back).
WITH msg AS (
    INSERT INTO wa_messages (account_id, conversation_id, direction, event_key, author, kind, body, payload,
                             template, status, reservation_id, created_at)
    VALUES (@account_id, @conversation_id, 'out', @event_key, @author, @kind, @body, @payload, '', 'queued',
            sqlc.narg(reservation_id), @now)
    ON CONFLICT (account_id, event_key) WHERE event_key IS NOT NULL DO NOTHING
    RETURNING id
), job AS (
    INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
    SELECT 'available', now(), jsonb_build_object('message_id', msg.id), @job_kind::text, 12, 1, 'whatsapp'
    FROM msg
)
SELECT id FROM msg;

-- name: GetOutboundForUpdate :one
SELECT m.*, c.wa_id, c.last_inbound_at
FROM wa_messages m JOIN wa_conversations c ON c.id = m.conversation_id
WHERE m.id = @id AND m.direction = 'out'
FOR UPDATE OF m;

-- name: GetOutbound :one
SELECT m.*, c.wa_id, c.last_inbound_at
FROM wa_messages m JOIN wa_conversations c ON c.id = m.conversation_id
WHERE m.id = @id AND m.direction = 'out';

-- name: SetOutboundStatus :exec
UPDATE wa_messages SET status = @status, error_code = @error_code, error = @error, status_at = @now
WHERE id = @id;

-- name: MarkOutboundSent :exec
UPDATE wa_messages SET status = 'sent', wamid = @wamid, kind = @kind, body = @body, template = @template,
    error_code = 0, error = '', sent_at = @now, status_at = @now
WHERE id = @id;

-- name: ApplyMessageStatus :one
-- Statuses only move forward (sent < delivered < read; failed last), so a
-- late "delivered" never undoes a "read".
UPDATE wa_messages SET status = @status, status_at = @at,
    error_code = CASE WHEN @status::text = 'failed' THEN @error_code ELSE error_code END,
    error = CASE WHEN @status::text = 'failed' THEN @error ELSE error END
WHERE wamid = @wamid AND direction = 'out'
  AND (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END)
    < (CASE @status::text WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END)
RETURNING id, account_id, conversation_id, event_key, payload, status;

-- name: MessageExists :one
SELECT EXISTS (SELECT 1 FROM wa_messages WHERE wamid = @wamid)::boolean;

-- name: ListMessages :many
SELECT * FROM wa_messages
WHERE conversation_id = @conversation_id AND account_id = @account_id
ORDER BY id DESC
LIMIT @max_rows;

-- name: ConversationReservations :many
SELECT r.id, r.code, r.status, r.check_in, r.check_out, r.guests, r.total, r.deposit, r.paid, r.currency,
       r.hold_expires_at, p.name AS property_name
FROM reservations r JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id AND r.guest_phone = @phone
ORDER BY r.check_in DESC
LIMIT 10;

-- name: GetWAState :one
SELECT state FROM wa_state WHERE conversation_id = @conversation_id AND expires_at > @now;

-- name: SaveWAState :exec
INSERT INTO wa_state (conversation_id, state, expires_at) VALUES (@conversation_id, @state, @expires_at)
ON CONFLICT (conversation_id) DO UPDATE SET state = EXCLUDED.state, expires_at = EXCLUDED.expires_at;

-- name: DeleteWAState :exec
DELETE FROM wa_state WHERE conversation_id = @conversation_id;

-- name: PruneWAState :execrows
DELETE FROM wa_state WHERE expires_at < @now;

-- name: GetAuditEvent :one
SELECT a.id, a.account_id, a.reservation_id, a.actor, a.action, a.detail, a.created_at
FROM audit_log a WHERE a.id = @id;

-- name: GetReservationForNotice :one
SELECT r.id, r.code, r.account_id, r.status, r.check_in, r.check_out, r.guests, r.guest_name, r.guest_phone,
       r.total, r.deposit, r.paid, r.currency, r.hold_expires_at, r.guest_token, r.channel,
       p.name AS property_name, p.check_in_time, p.check_out_time, p.location,
       a.name AS account_name, a.timezone,
       r.exchange_rate_e4, r.exchange_rate_source, r.exchange_rate_at, r.mp_surcharge_bp
FROM reservations r JOIN properties p ON p.id = r.property_id JOIN accounts a ON a.id = r.account_id
WHERE r.id = @id;

-- name: HoldsExpiringSoon :many
-- Holds that end within the window and were given more than that to begin
-- with (a hold that is short from the start gets no "about to expire").
SELECT r.id, r.account_id FROM reservations r
JOIN whatsapp_settings s ON s.account_id = r.account_id AND s.enabled
WHERE r.status = 'pre_reserved' AND r.hold_expires_at > @now AND r.hold_expires_at <= @until
  AND extract(epoch FROM r.hold_expires_at - r.created_at) > @min_hold_seconds::float8;

-- name: StaysStartingSoon :many
-- Confirmed stays starting in the next two days; the caller keeps those
-- whose check-in is tomorrow in the property's own timezone.
SELECT r.id, r.account_id, r.check_in, a.timezone FROM reservations r
JOIN accounts a ON a.id = r.account_id
JOIN whatsapp_settings s ON s.account_id = r.account_id AND s.enabled
WHERE r.status = 'confirmed' AND r.check_in >= @from_day AND r.check_in <= @to_day;

-- name: ActivePropertiesForChat :many
SELECT id FROM properties WHERE account_id = @account_id AND active ORDER BY name, id;

-- name: ReservationsByPhone :many
SELECT r.id, r.code, r.status, r.check_in, r.check_out, r.guests, r.total, r.deposit, r.paid, r.currency,
       r.hold_expires_at, r.guest_token, p.name AS property_name
FROM reservations r JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id AND r.guest_phone = @phone
  AND r.status IN ('pre_reserved', 'confirmed', 'checked_in')
ORDER BY r.check_in
LIMIT 5;

-- name: LiveHoldFor :one
-- A hold this guest already has for exactly these nights: a retried message
-- finds it instead of asking for the nights again.
SELECT code FROM reservations
WHERE account_id = @account_id AND property_id = @property_id AND guest_phone = @phone
  AND check_in = @check_in AND check_out = @check_out AND status IN ('pre_reserved', 'confirmed')
LIMIT 1;

-- name: GetReservationInAccount :one
SELECT r.id, r.code, r.status, r.check_in, r.check_out, r.guests, r.total, r.deposit, r.paid, r.currency,
       r.hold_expires_at, r.guest_phone, p.name AS property_name
FROM reservations r JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id AND r.code = @code;

-- name: InsertCancelRequest :exec
INSERT INTO conflicts (account_id, property_id, reservation_id, kind, detail, created_at)
VALUES (@account_id, @property_id, @reservation_id, 'cancel_request', @detail, @now);
