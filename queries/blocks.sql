-- name: CreateBlock :one
-- The nights and the audit entry in one statement, scoped to the account
-- through the property. ON CONFLICT DO NOTHING is speculative insertion: a
-- taken night returns no row instead of raising, and nothing is written.
WITH occ AS (
    INSERT INTO occupancy (property_id, nights, kind, note, created_at)
    SELECT p.id, daterange(@check_in::date, @check_out::date), 'block', @note::text, @now::timestamptz
    FROM properties p
    WHERE p.id = @property_id AND p.account_id = @account_id
    ON CONFLICT DO NOTHING
    RETURNING id, property_id, created_at
), aud AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
    SELECT @account_id, NULL, @actor, 'block_created',
           jsonb_build_object('block_id', occ.id, 'property_id', occ.property_id,
                              'check_in', @check_in::date, 'check_out', @check_out::date, 'note', @note::text),
           @now::timestamptz
    FROM occ
)
SELECT id, property_id, created_at FROM occ;

-- name: GetBlock :one
-- An active block of the account, with its property's name.
SELECT o.id, o.property_id, p.name AS property_name, lower(o.nights)::date AS check_in,
       upper(o.nights)::date AS check_out, o.note, o.created_at
FROM occupancy o
JOIN properties p ON p.id = o.property_id
WHERE o.id = @id AND o.kind = 'block' AND o.active AND p.account_id = @account_id;

-- name: ReleaseBlock :one
-- Frees a block's nights at once, with its audit entry; no row when the block
-- is not an active block of the account.
WITH rel AS (
    UPDATE occupancy o SET active = false, released_at = @now::timestamptz
    FROM properties p
    WHERE o.id = @id AND o.kind = 'block' AND o.active
      AND p.id = o.property_id AND p.account_id = @account_id
    RETURNING o.id, o.property_id, p.name AS property_name, lower(o.nights)::date AS check_in,
              upper(o.nights)::date AS check_out, o.note, o.created_at
), aud AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
    SELECT @account_id, NULL, @actor, 'block_deleted',
           jsonb_build_object('block_id', rel.id, 'property_id', rel.property_id,
                              'check_in', rel.check_in, 'check_out', rel.check_out, 'note', rel.note),
           @now::timestamptz
    FROM rel
)
SELECT id, property_id, property_name, check_in, check_out, note, created_at FROM rel;
