-- Reservations as the owner's dashboard lists, exports and shows them. Every
-- query is scoped by account. The list, its count and the CSV export share one
-- filter (keep the WHERE clauses of AdminListReservations and
-- AdminCountReservations identical):
--   status, property_id, channel  exact matches;
--   stay_from, stay_to            stays with a night in [stay_from, stay_to];
--   search                        substring of the guest's name (case and accents
--                                 folded), of the email, or of the code;
--   phone_digits                  substring of the E.164 phone (digits only).
-- fold(x) is written out as lower(translate(x, accented, plain)): no extension
-- needed, and it works whatever the database's collation.

-- name: AdminListReservations :many
-- Newest first. before_created/before_id continue after a row (keyset), so the
-- CSV export can read every match in batches.
SELECT r.id, r.code, r.property_id, p.name AS property_name, r.check_in, r.check_out, r.guests,
       r.guest_name, r.guest_phone, r.guest_email, r.channel, r.status, r.total, r.deposit, r.paid,
       r.currency, r.created_at
FROM reservations r
JOIN properties p ON p.id = r.property_id
WHERE r.account_id = @account_id
  AND (sqlc.narg(status)::text IS NULL OR r.status = sqlc.narg(status)::text)
  AND (sqlc.narg(property_id)::bigint IS NULL OR r.property_id = sqlc.narg(property_id)::bigint)
  AND (sqlc.narg(channel)::text IS NULL OR r.channel = sqlc.narg(channel)::text)
  AND (sqlc.narg(stay_from)::date IS NULL OR r.check_out > sqlc.narg(stay_from)::date)
  AND (sqlc.narg(stay_to)::date IS NULL OR r.check_in <= sqlc.narg(stay_to)::date)
  AND (sqlc.narg(search)::text IS NULL
       OR strpos(lower(translate(r.guest_name, 'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç',
                                             'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc')),
                 lower(translate(sqlc.narg(search)::text, 'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç',
                                                          'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))) > 0
       OR strpos(lower(r.guest_email), lower(sqlc.narg(search)::text)) > 0
       OR strpos(r.code, upper(sqlc.narg(search)::text)) > 0
       OR (sqlc.narg(phone_digits)::text IS NOT NULL AND strpos(r.guest_phone, sqlc.narg(phone_digits)::text) > 0))
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (r.created_at, r.id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::bigint))
ORDER BY r.created_at DESC, r.id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: AdminCountReservations :one
SELECT count(*)
FROM reservations r
WHERE r.account_id = @account_id
  AND (sqlc.narg(status)::text IS NULL OR r.status = sqlc.narg(status)::text)
  AND (sqlc.narg(property_id)::bigint IS NULL OR r.property_id = sqlc.narg(property_id)::bigint)
  AND (sqlc.narg(channel)::text IS NULL OR r.channel = sqlc.narg(channel)::text)
  AND (sqlc.narg(stay_from)::date IS NULL OR r.check_out > sqlc.narg(stay_from)::date)
  AND (sqlc.narg(stay_to)::date IS NULL OR r.check_in <= sqlc.narg(stay_to)::date)
  AND (sqlc.narg(search)::text IS NULL
       OR strpos(lower(translate(r.guest_name, 'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç',
                                             'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc')),
                 lower(translate(sqlc.narg(search)::text, 'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç',
                                                          'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))) > 0
       OR strpos(lower(r.guest_email), lower(sqlc.narg(search)::text)) > 0
       OR strpos(r.code, upper(sqlc.narg(search)::text)) > 0
       OR (sqlc.narg(phone_digits)::text IS NOT NULL AND strpos(r.guest_phone, sqlc.narg(phone_digits)::text) > 0));

-- name: AdminGetReservation :one
-- A reservation by code, only within the account: another account's code is "not found".
SELECT sqlc.embed(r), p.name AS property_name, p.capacity AS property_capacity
FROM reservations r
JOIN properties p ON p.id = r.property_id
WHERE r.code = @code AND r.account_id = @account_id;

-- name: AdminListReservationAudit :many
-- Newest first, with the name of the dashboard user behind "user:<id>" actors.
SELECT a.id, a.actor, a.action, a.detail, a.created_at,
       COALESCE(NULLIF(u.name, ''), u.email, '')::text AS user_name
FROM audit_log a
LEFT JOIN users u ON a.actor = 'user:' || u.id::text AND u.account_id = a.account_id
WHERE a.reservation_id = @reservation_id AND a.account_id = @account_id
ORDER BY a.created_at DESC, a.id DESC;

-- name: AdminListAccountProperties :many
-- The account's properties for the list's filter and the change-of-stay form.
SELECT id, name, capacity, active
FROM properties
WHERE account_id = @account_id
ORDER BY name, id;
